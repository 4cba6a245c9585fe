"""Markdown (CommonMark): a heading per article, metadata as emphasis and a quote line.

Text is escaped so that nothing in an article (``*``, ``#``, ``<script>``…) becomes markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

from app.export.layout import display_title, meta
from app.export.options import ExportOptions
from app.model import Article

SUFFIX = ".md"

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_LIST_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """``text`` on one line, with Markdown-significant characters backslash-escaped so that
    nothing (emphasis, links, raw HTML, list or heading starts) becomes markup."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LIST_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text)


def article_markdown(article: Article, options: ExportOptions, level: int = 1) -> str:
    out: list[str] = []
    m = meta(article)
    if options.metadata and m.kicker:
        out.append(f"*{escape(m.kicker)}*")
    out.append("#" * level + " " + escape(display_title(article)))
    if options.metadata:
        if m.subtitle:
            out.append(f"**{escape(m.subtitle)}**")
        facts = [escape(x) for x in m.facts()]
        if facts:
            out.append("> " + "  \n> ".join(facts))
    for p in article.paragraphs:
        text = escape(p.text)
        if not text:
            continue
        if p.kind == "subhead":
            text = "#" * (level + 1) + " " + text
        elif p.kind == "caption":
            text = f"*{text}*"
        elif p.kind == "byline":
            text = f"_{text}_"
        out.append(text)
    return "\n\n".join(out) + "\n"


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as f:
        for i, article in enumerate(articles):
            if i:
                f.write("\n---\n\n")
            f.write(article_markdown(article, options))
            step()
