"""A small Language Server Protocol client for the tests: drives the real yaml-language-server over stdio.

The server is the one VS Code's YAML extension runs, installed (pinned) by scripts/bootstrap.sh into
.venv/editor/. It reads the dossier's modeline (``# yaml-language-server: $schema=../schema/…``) and the
schema files from disk, so documents are opened under their real path inside a throw-away repository.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

from conftest import PROJECT

SERVER = PROJECT / ".venv" / "editor" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "format": {"enable": False},
                     "schemaStore": {"enable": False}, "yamlVersion": "1.2"}}


def available() -> str | None:
    """Why the editor tests cannot run, or None."""
    if not shutil.which("node"):
        return "node 未安装"
    if not SERVER.is_file():
        return f"{SERVER} 不存在：运行 make setup（scripts/bootstrap.sh 用 npm 安装）"
    return None


class Client:
    def __init__(self, root: Path, locale: str = "zh-cn"):
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")  # never the network
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=root, env=env)
        self.messages: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, list] = {}
        self._next = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        answer = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "locale": locale,
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"workspace": {"configuration": True, "didChangeConfiguration": {}},
                             "textDocument": {"publishDiagnostics": {}, "hover": {"contentFormat": ["markdown"]},
                                              "completion": {"completionItem": {"snippetSupport": True}}}}})
        assert "capabilities" in answer
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})

    # ---- protocol
    def _send(self, message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        with self._lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(out.read(length))
            method = message.get("method")
            if method == "workspace/configuration":
                items = message["params"]["items"]
                self._send({"jsonrpc": "2.0", "id": message["id"],
                            "result": [SETTINGS.get((i.get("section") or "yaml").split(".")[0], {}) for i in items]})
            elif "id" in message and method:  # other server → client requests (registrations, progress)
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif method == "textDocument/publishDiagnostics":
                self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                self.messages.put(message)
            else:
                self.messages.put(message)

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict, timeout: float = 60):
        self._next += 1
        ident = self._next
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == ident, timeout).get("result")

    def _wait(self, match, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("yaml-language-server 没有回应")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if match(message):
                return message

    # ---- what a test needs
    def open(self, path: Path) -> list[dict]:
        """Open a file as VS Code does and return the diagnostics the server publishes for it."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": path.read_text("utf-8")}})
        self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, 60)
        return self.diagnostics[uri]

    def hover(self, path: Path, line: int, col: int):
        return self.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                                   "position": {"line": line - 1, "character": col - 1}})

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
