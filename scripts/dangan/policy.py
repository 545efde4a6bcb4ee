"""The local numbers (periods, bands, required materials), read from one file: schema/policy.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .load import LoadError, load_file


class PolicyError(Exception):
    pass


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
    return Policy(doc.data, str(path))
