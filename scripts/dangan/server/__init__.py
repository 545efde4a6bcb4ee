"""The central repository (``dangan server``): hooks, push identity, roles and the push log."""

from .hook import ServerError, audit_pushes, init, log_path, post_receive, pre_receive, repair_log
from .pushlog import PUSH_LOG

__all__ = ["PUSH_LOG", "ServerError", "audit_pushes", "init", "log_path", "post_receive", "pre_receive",
           "repair_log"]
