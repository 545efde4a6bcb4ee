"""Shared by the central-repository tests: people with SSH signing keys, roles, signed commits, pushes."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import git
from sshd import keygen, public


@dataclass
class Person:
    name: str
    email: str
    key: Path

    @property
    def signer_line(self) -> str:
        return f'{self.email} namespaces="git" {public(self.key)}\n'

    def config(self) -> list[str]:
        return ["-c", f"user.name={self.name}", "-c", f"user.email={self.email}", "-c", f"user.signingkey={self.key}",
                "-c", "gpg.format=ssh"]


def people(tmp_path: Path) -> dict[str, Person]:
    keys = tmp_path / "keys"
    keys.mkdir(exist_ok=True)
    out = {}
    for short, name, email in (("alice", "爱丽丝", "alice@zzb.example.invalid"),
                               ("bob", "鲍勃", "bob@czj.example.invalid"),
                               ("carol", "卡罗尔", "carol@jyj.example.invalid"),
                               ("mallory", "马洛里", "mallory@example.invalid")):
        out[short] = Person(name, email, keygen(keys, short, email))
    return out


def roles_yaml(admins: list[str], units: dict[str, list[str]]) -> str:
    lines = ["# yaml-language-server: $schema=roles.schema.json", "管理员:"]
    lines += [f"  - {a}" for a in admins]
    lines.append("单位:")
    for unit, who in units.items():
        lines.append(f"  {unit}:")
        lines += [f"    - {w}" for w in who]
    return "\n".join(lines) + "\n"


def commit_as(repo: Path, env, person: Person | None, message: str, *extra: str, sign: bool = True) -> str:
    """Stage everything and commit (hooks skipped: the central repository is what is under test)."""
    git(["add", "-A"], repo, env)
    args = ["git", *(person.config() if person else []), "commit", "-q", "--no-verify", "-m", message, *extra]
    if sign and person:
        args.append("-S")
    p = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    return git(["rev-parse", "HEAD"], repo, env).stdout.strip()


def push(clone: Path, env, *args: str, remote: str = "origin") -> subprocess.CompletedProcess:
    return subprocess.run(["git", "push", remote, *args], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=300)


def remote_tip(bare: Path, env, ref: str = "refs/heads/main") -> str | None:
    p = git(["rev-parse", "-q", "--verify", ref], bare, env, check=False)
    return p.stdout.strip() or None


def log_entries(bare: Path) -> list[dict]:
    return [json.loads(x) for x in (bare / "dangan" / "push-log").read_text().splitlines() if x.strip()]


def amend_as(repo: Path, env, person: Person) -> str:
    """Re-make the last commit as ``person`` (author, committer and signature), staging everything first."""
    git(["add", "-A"], repo, env)
    p = subprocess.run(["git", *person.config(), "commit", "-q", "--amend", "--no-edit", "--no-verify",
                        "--reset-author", "-S"], cwd=repo, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    return git(["rev-parse", "HEAD"], repo, env).stdout.strip()
