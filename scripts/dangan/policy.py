"""The local numbers (periods, bands, required materials), read from one file: schema/policy.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .load import LoadError, load_file


class PolicyError(UsageError):
    """The policy file is missing, unreadable or invalid: every command refuses (exit 2)."""


@dataclass(frozen=True)
class Policy:
    data: dict
    path: str

    def __getitem__(self, key):
        try:
            return self.data[key]
        except KeyError:
            raise PolicyError(f"{self.path}: 政策文件缺少“{key}”") from None

    def get(self, *keys, default=None):
        node = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node


def load_policy(path: Path) -> Policy:
    try:
        doc = load_file(path)
    except FileNotFoundError:
        raise PolicyError(f"找不到政策文件 {path}") from None
    except LoadError as exc:
        raise PolicyError(f"{path}:{exc.line}:{exc.col}: {exc.message}") from None
    _validate(doc, path)
    return Policy(doc.data, str(path))


def _validate(doc, path: Path) -> None:
    """A typo in the policy silently changes every check: validate it like a dossier."""
    import json

    import jsonschema_rs

    schema_file = path.parent / "policy.schema.json"
    if not schema_file.is_file():
        return
    validator = jsonschema_rs.Draft202012Validator(json.loads(schema_file.read_text("utf-8")))
    for error in validator.iter_errors(doc.data):
        where = tuple(error.instance_path)
        line, col = doc.mark(where)
        shown = ".".join(str(p) for p in where) or "（顶层）"
        raise PolicyError(f"{path}:{line}:{col}: 政策文件“{shown}”不符合 policy.schema.json：{error.message}")
