"""Who is pushing: what the server itself knows, never a variable the client could have set.

- ``dangan.host`` (server config, set by ``dangan server init --host``) names what runs the hook:
  ``gitolite`` (``GL_USER``, set by gitolite-shell from the key that logged in), ``gitea``
  (``GITEA_PUSHER_NAME``), ``gitlab`` (``GL_USERNAME``), ``http`` (``REMOTE_USER`` of the web server's
  authentication). Those programs set the variable; a pusher over SSH cannot (sshd's ``AcceptEnv``).
- ``ssh`` (the default, plain OpenSSH): the key that logged in, from ``SSH_USER_AUTH`` (sshd
  ``ExposeAuthInfo yes``). Named by its ``allowed_signers`` principal when the key is registered there,
  else by its line in the authorized-keys files (``environment="REMOTE_USER=…"`` as written in the file,
  else its comment), else by its fingerprint. Environment variables are not read.
- no SSH session at all: a local-path push, recorded as such with the operating-system account.
"""

from __future__ import annotations

import base64
import hashlib
import os
import pwd
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

HOSTS = {"ssh": None, "gitolite": "GL_USER", "gitea": "GITEA_PUSHER_NAME", "gitlab": "GL_USERNAME",
         "http": "REMOTE_USER"}
CONFIG_HOST = "dangan.host"
CONFIG_KEYS = "dangan.authorizedKeysFile"
LOCAL = "本地"
_SAFE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Pusher:
    name: str  # what the log shows
    via: str  # ssh, gitolite, gitea, gitlab, http, 本地
    key: str | None = None  # SHA256 fingerprint of the SSH key that logged in
    principal: str | None = None  # what schema/roles.yaml is matched against (None: nobody known)


def _config(git_dir: Path, key: str, all_values: bool = False) -> list[str]:
    args = ["git", "config", "--file", str(git_dir / "config"), "--get-all" if all_values else "--get", key]
    p = subprocess.run(args, capture_output=True, text=True)
    return p.stdout.splitlines() if p.returncode == 0 else []


def host(git_dir: Path) -> str:
    value = (_config(git_dir, CONFIG_HOST) or ["ssh"])[0].strip().lower()
    return value if value in HOSTS else "ssh"


def fingerprint(blob_b64: str) -> str | None:
    try:
        raw = base64.b64decode(blob_b64, validate=True)
    except ValueError:
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


def _os_user() -> str:
    """The account the hook runs as, from the uid (getpass would believe $USER and $LOGNAME)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid {os.geteuid()}"


def _clean(text: str) -> str:
    return _SAFE.sub("", text).strip()[:200]


def current(git_dir: Path, signers: bytes | None) -> Pusher:
    """The pusher of the push being received, for the hook running in ``git_dir``."""
    kind = host(git_dir)
    var = HOSTS[kind]
    if var:
        name = os.environ.get(var, "").strip()
        # gitolite-shell runs under sshd (or a web server): a GL_USER outside either is a local push that named itself
        if kind == "gitolite" and not (os.environ.get("SSH_CONNECTION") or os.environ.get("REQUEST_METHOD")):
            name = ""
        if name:
            name = _clean(name)
            return Pusher(name, kind, None, name)
        if kind == "gitolite" or kind == "http":
            return Pusher(f"{LOCAL}:{_os_user()}", LOCAL, None, f"{LOCAL}:{_os_user()}")
    key = login_key()
    if key is not None:
        keytype, blob = key
        fp = fingerprint(blob)
        who = principal_of_key(keytype, blob, signers) or name_in_authorized_keys(git_dir, keytype, blob)
        return Pusher(who or fp or "未知密钥", "ssh", fp, who or fp)
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_CLIENT"):
        # over SSH without ExposeAuthInfo: the account is shared, the key unknown — never name the account
        return Pusher("SSH（未知密钥：sshd 未设置 ExposeAuthInfo yes）", "ssh", None, None)
    user = _os_user()
    return Pusher(f"{LOCAL}:{user}", LOCAL, None, f"{LOCAL}:{user}")


def login_key() -> tuple[str, str] | None:
    """(type, base64) of the public key this SSH session authenticated with, from sshd's ExposeAuthInfo file."""
    info = os.environ.get("SSH_USER_AUTH")
    if not info:
        return None
    try:
        lines = Path(info).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in reversed(lines):  # with several methods, the last one is the one that completed
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "publickey":
            return parts[1], parts[2]
    return None


def _fields(line: str) -> list[str]:
    """An authorized_keys or allowed_signers line split on blanks outside double quotes (options keep theirs)."""
    out, cur, quoted, escaped = [], [], False, False
    for ch in line:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            cur.append(ch)
            escaped = True
        elif ch == '"':
            cur.append(ch)
            quoted = not quoted
        elif ch in " \t" and not quoted:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def _options(text: str) -> dict[str, list[str]]:
    """``a,b="x,y",environment="K=V"`` → {"a": [""], "b": ["x,y"], "environment": ["K=V"]}."""
    out: dict[str, list[str]] = {}
    for part in re.findall(r'(?:[^,"]|"(?:[^"\\]|\\.)*")+', text):
        name, _, value = part.partition("=")
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"')
        out.setdefault(name.lower(), []).append(value)
    return out


def signers_lines(signers: bytes | None):
    """(principals, options, keytype, blob) of each allowed_signers line."""
    if not signers:
        return
    for raw in signers.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        f = _fields(line)
        for i in range(1, len(f) - 1):
            if f[i].startswith(("ssh-", "ecdsa-", "sk-")):
                yield f[0], (f[1] if i == 2 else ""), f[i], f[i + 1]
                break


def principal_of_key(keytype: str, blob: str, signers: bytes | None) -> str | None:
    for principals, _opts, kt, b in signers_lines(signers):
        if kt == keytype and b == blob:
            first = principals.split(",")[0]
            if not any(c in first for c in "*?!"):
                return first
    return None


def authorized_keys_files(git_dir: Path) -> list[Path]:
    """The files sshd may have used: the server's configured ones, sshd_config's, then OpenSSH's defaults."""
    home = Path(pwd.getpwuid(os.geteuid()).pw_dir) if _has_account() else Path.home()
    user = _os_user()
    files = [Path(os.path.expanduser(x)) for x in _config(git_dir, CONFIG_KEYS, all_values=True)]
    try:
        for raw in Path("/etc/ssh/sshd_config").read_text("utf-8").splitlines():
            words = raw.split()
            if words and words[0].lower() == "match":
                break  # per-connection blocks cannot be judged from here
            if len(words) >= 2 and words[0].lower() == "authorizedkeysfile":
                for w in words[1:]:
                    w = w.replace("%h", str(home)).replace("%u", user).replace("%%", "%")
                    files.append(Path(w) if w.startswith("/") else home / w)
    except (OSError, UnicodeDecodeError):
        pass
    files += [home / ".ssh" / "authorized_keys", home / ".ssh" / "authorized_keys2"]
    return list(dict.fromkeys(files))


def _has_account() -> bool:
    try:
        pwd.getpwuid(os.geteuid())
        return True
    except KeyError:
        return False


def name_in_authorized_keys(git_dir: Path, keytype: str, blob: str) -> str | None:
    for path in authorized_keys_files(git_dir):
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            f = _fields(line)
            for i in range(len(f) - 1):
                if f[i] == keytype and f[i + 1] == blob:
                    options = _options(f[0]) if i == 1 else {}
                    for env in options.get("environment", []):
                        k, _, v = env.partition("=")
                        if k == "REMOTE_USER" and v.strip():
                            return _clean(v)
                    comment = _clean(" ".join(f[i + 2:]))
                    return comment or None
    return None
