"""Who may change what: ``schema/roles.yaml`` (administrators and the unit map) and the paths that are rules.

Tools outside this project write roles.yaml, so its shape is a contract (schema/roles.schema.json):

    管理员: [principal, ...]
    单位:
      市财政局: [principal, ...]

A principal is the email of an ``allowed_signers`` line (a signed commit acts for its signer) or, where
pushes are not signed, the pusher's name. The central repository reads the roles as they stood before a
push; ``parse`` is deliberately stricter than nothing and never stricter than the schema, so a roles file
the server once accepted can always be read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

ROLES = "schema/roles.yaml"
ROLES_SCHEMA = "roles.schema.json"
SIGNERS = "allowed_signers"
LEDGER_TRANSFER = "ledgers/转递.yaml"
# Where clerks work. Everything else in the repository is a rule or the code that applies the rules:
# only an administrator changes it (the list below names what each part is, for messages and the audit).
CLERK_AREAS = ("dossiers/", "ledgers/")
# The trail baseline (issue 11, history/baseline.py): where the audited trail starts. A rule like the others,
# and more: on the central repository only an administrator's *signed* commit may change it (P010).
BASELINE = "ledgers/留痕基线.yaml"
BASELINES = (BASELINE,)
# The parts a reviewer must see moving (``dangan audit`` lists each change: T201–T208). Everything outside
# CLERK_AREAS is the administrators' on the central repository, listed here or not.
_ENFORCING = ("history/", "factpath.py", "rules/", "check.py", "load.py", "schema.py", "policy.py", "roles.py",
              "server/", "ledgers/")
RULE_PARTS: tuple[tuple[str, str, str], ...] = (
    # (path or directory prefix, audit code, what it is) — first match wins
    (SIGNERS, "T206", "签名密钥登记（allowed_signers）"),
    (ROLES, "T205", "角色（schema/roles.yaml）"),
    ("schema/roles.schema.json", "T205", "角色的格式（schema/roles.schema.json）"),
    ("schema/policy.yaml", "T202", "政策文件（schema/policy.yaml）"),
    ("schema/policy.schema.json", "T202", "政策文件的格式（schema/policy.schema.json）"),
    ("schema/codes/", "T203", "代码表（schema/codes/）"),
    *((b, "T208", "留痕基线") for b in BASELINES),
    ("schema/", "T201", "档案与登记簿的格式（schema/）"),
    (".pre-commit-config.yaml", "T204", "提交前钩子（.pre-commit-config.yaml）"),
    ("scripts/run-dangan", "T204", "提交前钩子的启动脚本（scripts/run-dangan）"),
    *((f"scripts/dangan/{p}", "T207", f"检查与留痕的程序（scripts/dangan/{p}）") for p in _ENFORCING),
)


def rule_part(path: str) -> tuple[str, str] | None:
    """(audit code, what it is) when ``path`` is one of the rules a reviewer must see moving."""
    for prefix, code, what in RULE_PARTS:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return code, what
    return None


def is_clerk_area(path: str) -> bool:
    return path.startswith(CLERK_AREAS)


def describe(path: str) -> str:
    part = rule_part(path)
    return part[1] if part else "仓库文件（档案和登记簿以外的文件由管理员维护）"


class RolesError(UsageError):
    """schema/roles.yaml is not what it should be (exit 2)."""


@dataclass(frozen=True)
class Roles:
    admins: frozenset[str]
    units: dict[str, frozenset[str]] = field(default_factory=dict)  # 管档单位 → principals

    def is_admin(self, principal: str | None) -> bool:
        return principal is not None and _norm(principal) in self.admins

    def units_of(self, principal: str | None) -> set[str]:
        if principal is None:
            return set()
        p = _norm(principal)
        return {unit for unit, who in self.units.items() if p in who}

    def known(self, principal: str | None) -> bool:
        return self.is_admin(principal) or bool(self.units_of(principal))


def _norm(principal: str) -> str:
    # emails compare case-insensitively (as allowed_signers matching does); names are kept as written
    return principal.strip().lower() if "@" in principal else principal.strip()


def parse(data) -> Roles:
    """The roles from loaded YAML; RolesError (Chinese) when it is not the contracted shape."""
    if not isinstance(data, dict):
        raise RolesError("角色文件的顶层应为“管理员:”和“单位:”两项")
    admins = data.get("管理员")
    units = data.get("单位")
    if not isinstance(admins, list) or not admins or not all(isinstance(a, str) and a.strip() for a in admins):
        raise RolesError("“管理员:”应为至少一个主体（邮箱或推送人名字）的列表")
    if not isinstance(units, dict):
        raise RolesError("“单位:”应为 管档单位 → 主体列表 的映射")
    out = {}
    for unit, who in units.items():
        if not isinstance(who, list) or not all(isinstance(w, str) and w.strip() for w in who):
            raise RolesError(f"“单位: {unit}”应为主体（邮箱或推送人名字）的列表")
        out[str(unit)] = frozenset(_norm(w) for w in who)
    return Roles(frozenset(_norm(a) for a in admins), out)


def parse_bytes(raw: bytes) -> Roles:
    from .load import LoadError, load_bytes

    try:
        return parse(load_bytes(raw, ROLES).data)
    except LoadError as exc:
        raise RolesError(f"第 {exc.line} 行第 {exc.col} 列：{exc.message}") from None


def findings(root: Path) -> list:
    """``dangan check``'s findings on schema/roles.yaml (none when the file is absent)."""
    from .findings import ERROR, WARNING, Finding
    from .load import Document, LoadError, load_file
    from .schema import Schema

    path = root / ROLES
    if not path.is_file():
        return []
    try:
        doc = load_file(path)
    except LoadError as exc:
        return [Finding(ROLES, exc.line, exc.col, ERROR, exc.code, exc.message)]
    doc = Document(ROLES, doc.data, doc.raw)
    schema_file = root / "schema" / ROLES_SCHEMA
    out = Schema(root / "schema", ROLES_SCHEMA).findings(doc) if schema_file.is_file() else []
    if out:
        return out
    try:
        roles = parse(doc.data)
    except RolesError as exc:
        return [Finding(ROLES, 1, 1, ERROR, "S099", str(exc))]
    try:
        from .policy import load_policy

        registered = set(load_policy(root / "schema" / "policy.yaml").get("管档单位", default=[]) or [])
    except Exception:  # a broken policy is reported by the check itself
        registered = set()
    for unit in roles.units:
        if registered and unit not in registered:
            line, col = doc.mark(("单位", unit), key=True)
            out.append(Finding(ROLES, line, col, WARNING, "R190",
                               f"角色文件中的单位“{unit}”不在政策文件登记的管档单位名单中：该单位的经办人改不了任何档案"))
    return out
