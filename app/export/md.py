"""Markdown (CommonMark): a heading per article, metadata as emphasis and a quote line.

Text is escaped so that nothing in an article (``*``, ``#``, ``<script>``…) becomes markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

from app.export.layout import MARK_LABELS, ReaderMarks, display_title, meta, reader_marks
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
    marks = reader_marks(article, options)
    if marks is not None:
        out.append(marks_markdown(marks, level))
    return "\n\n".join(out) + "\n"


def marks_markdown(marks: ReaderMarks, level: int = 1) -> str:
    """The reader's marks under an article: star and tags, the note (the reader's own light
    Markdown, kept, with raw HTML escaped), the highlighted passages and their notes."""
    out = []
    if marks.head():
        out.append(marks.head(tag=escape))
    if marks.note.strip():
        note = marks.note.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append("#" * (level + 1) + f" {MARK_LABELS['note']}\n\n" + note)
    if marks.passages:
        items = []
        for p in marks.passages:
            line = f"{p.number}. 「{escape(p.text)}」"
            if p.note:
                line += f" —— {escape(p.note)}"
            if not p.found:
                line += f" *({MARK_LABELS['gone']})*"
            items.append(line)
        out.append("#" * (level + 1) + f" {MARK_LABELS['passages']}\n\n" + "\n".join(items))
    return "\n\n".join(out)


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as f:
        for i, article in enumerate(articles):
            if i:
                f.write("\n---\n\n")
            f.write(article_markdown(article, options))
            step()
