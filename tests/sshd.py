"""A real OpenSSH sshd on 127.0.0.1 for tests: throw-away host key, a free port, the current user.

    with Sshd(tmp_path, authorized_keys_text) as server:
        env["GIT_SSH_COMMAND"] = server.ssh_command(client_key)
        git push ssh://{server.user}@127.0.0.1:{server.port}/path/to/central.git

``ExposeAuthInfo yes`` (the hook names the pusher by the key that logged in), a custom
``AuthorizedKeysFile`` (the file given, not ~/.ssh/authorized_keys), ``SetEnv`` for what the hooks need
(sshd passes nothing of the client's environment). Stopped by its own PID, never by name.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def available() -> bool:
    return Path(SSHD).is_file() and shutil.which("ssh") is not None and shutil.which("ssh-keygen") is not None


def keygen(directory: Path, name: str, comment: str = "") -> Path:
    key = directory / f"key-{name}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment or name, "-f", str(key)], check=True)
    return key


def public(key: Path) -> str:
    return key.with_name(key.name + ".pub").read_text().strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    def __init__(self, tmp_path: Path, authorized_keys: str, session_env: dict[str, str] | None = None,
                 extra: str = ""):
        self.dir = tmp_path / "sshd"
        self.dir.mkdir(exist_ok=True)
        self.authorized_keys = self.dir / "authorized_keys"
        self.authorized_keys.write_text(authorized_keys)
        self.authorized_keys.chmod(0o600)
        self.host_key = keygen(self.dir, "host")
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        self.session_env = session_env or {}
        self.extra = extra
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.log = self.dir / "sshd.log"

    def _config(self) -> Path:
        env = " ".join(f'"{k}={v}"' for k, v in self.session_env.items())
        text = f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {self.host_key}
AuthorizedKeysFile {self.authorized_keys}
PidFile {self.dir / "sshd.pid"}
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
ExposeAuthInfo yes
StrictModes no
UsePAM no
AcceptEnv LANG LC_*
{"SetEnv " + env if env else ""}
{self.extra}
"""
        path = self.dir / "sshd_config"
        path.write_text(text)
        return path

    def __enter__(self) -> Sshd:
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # the privilege-separation directory sshd expects
        for _attempt in range(5):
            self.port = _free_port()
            config = self._config()
            self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                                         stderr=self.log.open("ab"))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                        return self
                except OSError:
                    time.sleep(0.05)
            self.stop()  # the port was taken meanwhile, or sshd refused its configuration: try again
        raise RuntimeError(f"sshd did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __exit__(self, *exc) -> None:
        self.stop()

    def ssh_command(self, key: Path) -> str:
        return (f"ssh -F /dev/null -i {key} -p {self.port} -o IdentitiesOnly=yes -o BatchMode=yes "
                "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR")

    def url(self, path: Path) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}{Path(path).resolve()}"
