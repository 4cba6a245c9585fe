"""Plain UTF-8 text: each title underlined, metadata lines, paragraphs with blank lines between."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Callable, Sequence

from app.export.layout import MARK_LABELS, display_title, meta, reader_marks
from app.export.options import ExportOptions
from app.model import Article

SUFFIX = ".txt"
ARTICLE_RULE = "\n" + "─" * 30 + "\n\n"


def width(text: str) -> int:
    """Columns ``text`` takes in a monospaced terminal or editor (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def article_text(article: Article, options: ExportOptions) -> str:
    lines: list[str] = []
    m = meta(article)
    if options.metadata and m.kicker:
        lines.append(m.kicker)
    title = display_title(article)
    lines += [title, "=" * max(width(title), 4)]
    if options.metadata:
        if m.subtitle:
            lines.append("—— " + m.subtitle)
        lines += m.facts()
    lines.append("")
    for p in article.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        if p.kind == "subhead":
            text = f"【{text}】"
        elif p.kind == "caption":
            text = f"(图片说明) {text}"
        lines += [text, ""]
    marks = reader_marks(article, options)
    if marks is not None:
        if marks.head():
            lines += [marks.head(), ""]
        if marks.note.strip():
            lines += [f"【{MARK_LABELS['note']}】", marks.note.strip(), ""]
        if marks.passages:
            lines.append(f"【{MARK_LABELS['passages']}】")
            for p in marks.passages:
                lines.append(f"[{p.number}] 「{p.text}」" + (f" —— {p.note}" if p.note else "")
                             + ("" if p.found else f" ({MARK_LABELS['gone']})"))
    return "\n".join(lines).rstrip("\n") + "\n"


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as f:
        for i, article in enumerate(articles):
            if i:
                f.write(ARTICLE_RULE)
            f.write(article_text(article, options))
            step()
