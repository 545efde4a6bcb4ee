"""The site's data files (people index shards, roster data), each written twice: as JSON for ``fetch`` and as a
small script that puts the same value into a global registry, for a site opened straight from disk (file://),
where browsers refuse ``fetch`` but run a ``<script src>`` of the site itself.

``roster/unit-3.json`` → ``roster/unit-3.js``: ``(window.DANGAN_DATA||(window.DANGAN_DATA={}))["roster/unit-3"]=…;``
(the key: the path without ``.json`` and without ``assets/dangan/``). The value is the JSON text itself with
"<", ">", "&", U+2028 and U+2029 written as escapes: nothing from a dossier can close a script, start markup or
break a line of JavaScript, and the file stays a plain JSON literal (scan.py reads it back as such).

Why not the script always: in headless Chromium over http a 3.5 MB roster (50,000 rows) took 97 ms by
fetch + JSON.parse and 157 ms as a script (medians of 7; 200 rows: 14 ms either way), so the browser scripts
fetch the JSON from a web server and run the script only from disk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

PREFIX = "assets/dangan/"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SCRIPT = re.compile(r'\(window\.DANGAN_DATA\|\|\(window\.DANGAN_DATA=\{\}\)\)\[("[-\w/]+")\]=(.*);\s*', re.S)


def dump(value) -> str:
    """Compact JSON, the unsafe characters as escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: _ESCAPES[m.group()], text)


def key(uri: str) -> str:
    """The registry key of a data file: ``assets/dangan/people/n-0.json`` → ``people/n-0``."""
    return uri.removeprefix(PREFIX).removesuffix(".json")


def script(uri: str, text: str) -> str:
    return f"(window.DANGAN_DATA||(window.DANGAN_DATA={{}}))[{json.dumps(key(uri))}]={text};\n"


def files(uri: str, value) -> Iterator[tuple[str, bytes]]:
    """(path, content) of the JSON file and of its script twin."""
    text = dump(value)
    yield uri, text.encode()
    yield uri.removesuffix(".json") + ".js", script(uri, text).encode()


def read_script(text: str) -> str | None:
    """The JSON text a data script holds (None: not a data script)."""
    m = _SCRIPT.fullmatch(text)
    return m.group(2) if m else None
