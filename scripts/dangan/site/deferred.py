"""Raw HTML blocks kept out of Markdown and out of the search index, put back into the finished page.

A generated page is Markdown with raw HTML blocks (``html.raw``). Markdown would only pass them
through, yet parsing thousands of large tables costs most of a build, and the search plugin would
parse them again. So before MkDocs sees a page, each block is replaced by an empty placeholder
element; after the page is rendered (and indexed), the placeholder is replaced by the block.
What the block holds is escaped already (``html.text``): it never went through Markdown at all.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r'^<div class="(dangan-[^"\n]*)" markdown="0"([^>\n]*)>\n(.*?)\n</div>$', re.M | re.S)


def _placeholder(k: int) -> str:
    return f'<div class="dangan-deferred" data-dangan-block="{k}"></div>'


def split(markdown: str) -> tuple[str, list[str]]:
    """Markdown with placeholders, and the blocks (final HTML) in order."""
    blocks: list[str] = []

    def take(m: re.Match) -> str:
        blocks.append(f'<div class="{m.group(1)}"{m.group(2)}>\n{m.group(3)}\n</div>')
        return _placeholder(len(blocks) - 1)

    return _BLOCK.sub(take, markdown), blocks


def restore(html: str, blocks: list[str]) -> str:
    for k, block in enumerate(blocks):
        marker = _placeholder(k)
        if marker not in html:
            raise ValueError(f"页面中缺少第 {k + 1} 个数据块的占位符")
        html = html.replace(marker, block, 1)
    return html
