"""The rules moving: every commit that changes a rule of the repository, listed by ``dangan audit``.

A reviewer must see the schema, the policy, the code tables, the hooks, the roles, the signing keys and
the code that decides what is protected change — who changed them, when, signed by whom — just as they see
a 出生年月 change. ``roles.RULE_PARTS`` says which paths are rules and which code each gets (T201–T208).
One path-limited ``git log`` over the audited commits; merges are read combined (what differs from every
parent), so a rule changed inside a merge is listed too.
"""

from __future__ import annotations

from pathlib import Path

from ..roles import RULE_PARTS, rule_part
from . import gitlog

IDENTITY = "T210"  # a signed commit whose author or committer is someone other than its signer
_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%ce%x1f%ct%x1f%G?%x1f%GS%x1f%s%x1f"
_KIND = {"A": "新增", "M": "修改", "D": "删除", "T": "修改"}


def _pathspecs() -> list[str]:
    return [p.rstrip("/") for p, _code, _what in RULE_PARTS]


def _parse(out: bytes):
    for record in out.split(b"\x1e")[1:]:
        fields = record.split(b"\x1f", 9)
        cid, parents, an, ae, ce, ct, sig, signer, subject = (f.decode("utf-8", "replace") for f in fields[:9])
        tail = fields[9]
        files = [(status, path) for status, _old, _new, path in gitlog.raw_entries(tail)]
        yield cid, parents.split(), an, ae, ce, int(ct or 0), sig or "N", signer, subject, files


def scan(root: Path, ids: list[str]):
    """(commit fields, [(code, what, path, kind)]) of the commits in ``ids`` that change rules."""
    if not ids:
        return []
    args = ["-c", "log.showSignature=false", *gitlog.signers_config(root), "log", "--no-walk=unsorted", "--stdin",
            "-z", "--raw", "--no-abbrev", "--no-renames", "-c", "--root", "--no-color", f"--format={_FORMAT}", "--",
            *_pathspecs()]
    out = gitlog.git(root, args, input="\n".join(ids).encode() + b"\n")
    found = []
    for cid, parents, an, ae, ce, ct, sig, signer, subject, files in _parse(out):
        if not parents:
            continue  # the first commit lays the rules down: the baseline, not a change to it
        items = []
        for status, path in files:
            part = rule_part(path)
            if part:
                items.append((part[0], part[1], path, _KIND.get(status, "修改")))
        if items:
            found.append(((cid, parents, an, ae, ce, ct, sig, signer, subject), items))
    return found


def identities(root: Path, ids: list[str]):
    """Signed commits whose author or committer is not the signer: (fields, the other identity)."""
    if not ids:
        return []
    args = ["-c", "log.showSignature=false", *gitlog.signers_config(root), "log", "--no-walk=unsorted", "--stdin",
            "--no-color", f"--format={_FORMAT}"]
    out = gitlog.git(root, args, input="\n".join(ids).encode() + b"\n")
    found = []
    for cid, parents, an, ae, ce, ct, sig, signer, subject, _files in _parse(out):
        if sig != "G" or not signer:
            continue
        others = [x for x in (f"{an} <{ae}>" if ae.lower() != signer.lower() else "",
                              f"提交人 {ce}" if ce.lower() != signer.lower() else "") if x]
        if others:
            found.append(((cid, parents, an, ae, ce, ct, sig, signer, subject), "，".join(others)))
    return found
