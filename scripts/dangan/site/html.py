"""HTML building blocks. Whatever comes from a dossier goes through ``text()`` and nothing else.

Values are placed only inside raw HTML blocks (``<div markdown="0">``): HTML-escaped, and every
character that Markdown, one of its extensions or a template engine could act on is written as a
character reference. A value such as ``# 标题``, ``{{ x }}``, ``--8<--``, ``{ onclick=x }``,
``[a](javascript:…)`` or ``<script>`` therefore reaches the reader as the literal text it is.
Page addresses are fixed names or 编号 (checked by ``slug``), never a person's name.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from ..dates import day_text
from ..privacy import scrub

# HTML's five, plus what Markdown and its extensions read as syntax (emphasis, code, links,
# attribute lists, headings, tables, snippets, emoji, math) and line breaks, which would end
# the raw HTML block. Character references render as the same character.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'`*_{}[]()#+-!|~^=:$\\\n\r\t"}
_SLUG = re.compile(r"[A-Za-z0-9]{1,32}")


def text(value) -> str:
    """A dossier value as inert HTML text; anything shaped like an ID number is masked."""
    return scrub("" if value is None else str(value)).translate(_ESCAPES)


def slug(value) -> str | None:
    """A 编号 usable as a page address (letters and digits only), else None."""
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else None


def raw(*lines: str, cls: str = "dangan-data", attrs: str = "") -> str:
    """A raw HTML block: Markdown leaves its inside alone. No line of it may be blank."""
    body = "\n".join(line for line in lines if line)
    return f'<div class="{cls}" markdown="0"{attrs}>\n{body}\n</div>'


def cell(content: str, sort=None) -> str:
    """A table cell; ``sort`` (a number or a safe string) becomes its data-sort value."""
    if sort is None:
        return f"<td>{content}</td>"
    return f'<td data-sort="{text(sort)}">{content}</td>'


def table(head: list[str], rows: list[list[str]], cls: str, sortable: bool = False, attrs: str = "") -> str:
    """One-line-per-row HTML table; cells must already be HTML (``text()`` output or ``cell()``)."""
    classes = f"{cls} dangan-sortable" if sortable else cls
    out = [f'<table class="{classes}"{attrs}>', "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
           "<tbody>"]
    out += ["<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def day(value: dt.date) -> str:
    return day_text(value)


def link(href: str, label: str) -> str:
    """A link to one of our own pages; ``href`` is built by us (fixed names and slugs), ``label`` is HTML."""
    return f'<a href="{href}">{label}</a>'


def unsearched(title: str | None = None) -> str:
    """Front matter of a generated page kept out of the search index, without a table of contents."""
    return "---\n" + (f"title: {title}\n" if title else "") + "search:\n  exclude: true\nhide:\n  - toc\n---\n"


# Elements that do not break a line: an ID number split across them still reads as one number.
_INLINE = frozenset(("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
                     "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "tspan", "u",
                     "var", "wbr"))
_ANY_TAG = re.compile(r"""<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?([a-zA-Z][^\s/>]*)(?:"[^"]*"|'[^']*'|[^'">])*>""",
                      re.S | re.I)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\u2060\ufeff"))  # search-index word breaks, soft hyphens


def visible(source: str) -> str:
    """The text a reader sees in HTML: comments, scripts and styles gone, inline tags joined, other tags
    breaking the line, references decoded, invisible characters (word breaks, soft hyphens) removed.
    The privacy scan (scan.py) reads pages through it, the manual's file:// search (manual.py) its index."""
    def replace(m: re.Match) -> str:
        return "" if (m.group(2) or "").lower() in _INLINE else "\n"
    return unescape(_ANY_TAG.sub(replace, source)).translate(_INVISIBLE)
