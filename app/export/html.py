"""HTML: one self-contained file (inline CSS, no scripts, no external references).

Everything from an article is escaped; a Content-Security-Policy forbids the page any fetch.
``article_html`` also feeds the EPUB chapters (it is valid XHTML) and the PDF (Qt rich text).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Callable, Sequence

from app.export.layout import (ENTITY_LABELS, MARK_LABELS, ReaderMarks, Run, display_title, document_title, meta,
                               reader_marks, runs, xml_safe)
from app.export.options import ExportOptions
from app.model import Article
from app.palette import EXPORT

SUFFIX = ".html"

CSS = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
       line-height: 1.8; max-width: 42em; margin: 2em auto; padding: 0 1em; color: #222; }
h1, h2, h3 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
             line-height: 1.4; }
h1.doc { font-size: 1.3em; color: #555; }
article { margin-bottom: 3em; }
article + article { border-top: 1px solid #ccc; padding-top: 2em; }
.kicker { color: #8b0000; margin: 0; }
.subtitle { font-size: 1.15em; font-weight: bold; margin: 0.2em 0; }
.page, .byline, .source { color: #666; font-size: 0.9em; margin: 0.2em 0; }
p.body { text-indent: 2em; margin: 0.6em 0; }
p.caption { font-style: italic; color: #555; font-size: 0.9em; }
p.byline-para { color: #666; text-align: right; }
nav ol { padding-left: 1.5em; }
mark { padding: 0 0.1em; border-radius: 2px; }
span.passage { background: #fff1a6; border-bottom: 1px solid #c9a800; }
.reader-marks { border-left: 3px solid #c9a800; padding: 0.2em 1em; margin-top: 1.5em; color: #333; }
.reader-marks h4 { margin: 0.4em 0; font-size: 0.95em; }
.reader-marks p { margin: 0.3em 0; }
.reader-marks .gone { color: #8b0000; font-size: 0.9em; }
""" + "".join(f"mark.ent-{t} {{ background: {c.tint}; color: {EXPORT.text}; }}\n" for t, c in EXPORT.entities.items())

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(text: str | None) -> str:
    return html.escape(xml_safe(text), quote=True)  # XML-clean too: EPUB chapters must parse


def _mark(text: str, entity: str, qt: bool) -> str:
    if qt:  # Qt rich text knows no <mark>; a background colour it does
        return (f'<span style="background-color:{EXPORT.entities[entity].tint}; color:{EXPORT.text}">'
                f'{esc(text)}</span>')
    return f'<mark class="ent-{entity}" title="{ENTITY_LABELS[entity]}">{esc(text)}</mark>'


PASSAGE_TINT = "#fff1a6"  # a highlighted passage's background (dark text stays above 4.5:1 on it)


def _run(r: Run, qt: bool, marks: ReaderMarks | None) -> str:
    inner = _mark(r.text, r.entity, qt) if r.entity else esc(r.text)
    if not r.passage:
        return inner
    if qt:
        inner = f'<span style="background-color:{PASSAGE_TINT}; text-decoration: underline">{inner}</span>'
    else:
        inner = f'<span class="passage">{inner}</span>'
    if r.passage_end and marks is not None and marks.passages[r.passage - 1].note:
        inner += f"<sup>[{r.passage}]</sup>"
    return inner


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<!\*)\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)")


def note_html(text: str) -> str:
    """A note's light Markdown as (XHTML-clean) HTML: paragraphs, line breaks, **bold**, *italic*,
    "- " list lines as bullets; everything else escaped."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.split("\n"):
            line = esc(line.rstrip())
            line = _BOLD.sub(r"<b>\1</b>", line)
            line = _ITALIC.sub(r"<i>\1</i>", line)
            if line.lstrip().startswith(("- ", "* ")):
                line = "• " + line.lstrip()[2:]
            lines.append(line)
        out.append("<p>" + "<br/>".join(lines) + "</p>")
    return "".join(out)


def marks_html(marks: ReaderMarks) -> str:
    """The reader's marks under an article: star, tags, note, the highlighted passages' notes."""
    out = ['<div class="reader-marks">']
    if marks.head():
        out.append(f"<p>{esc(marks.head())}</p>")
    if marks.note.strip():
        out.append(f"<h4>{MARK_LABELS['note']}</h4>{note_html(marks.note)}")
    if marks.passages:
        out.append(f"<h4>{MARK_LABELS['passages']}</h4>")
        for p in marks.passages:
            line = f"[{p.number}] 「{esc(p.text)}」"
            if p.note:
                line += f" — {esc(p.note)}"
            if not p.found:
                line += f' <span class="gone">({MARK_LABELS["gone"]})</span>'
            out.append(f"<p>{line}</p>")
    out.append("</div>")
    return "".join(out)


def article_html(article: Article, options: ExportOptions, level: int = 2, anchor: str | None = None,
                 qt: bool = False) -> str:
    """One article as an ``<article>`` fragment (XHTML-clean: every tag closed, all text escaped)."""
    m = meta(article)
    marks = reader_marks(article, options)
    passages = marks.passages if marks is not None else ()
    out = [f'<article id="{esc(anchor)}">' if anchor else "<article>", "<header>"]
    if options.metadata and m.kicker:
        out.append(f'<p class="kicker">{esc(m.kicker)}</p>')
    out.append(f"<h{level}>{esc(display_title(article))}</h{level}>")
    if options.metadata:
        if m.subtitle:
            out.append(f'<p class="subtitle">{esc(m.subtitle)}</p>')
        if m.page:
            out.append(f'<p class="page">{esc(m.page)}</p>')
        if m.byline:
            out.append(f'<p class="byline">{esc(m.byline)}</p>')
        if m.source:
            out.append(f'<p class="source">来源: {esc(m.source)}</p>')
    out.append("</header>")
    for i, p in enumerate(article.paragraphs):
        inner = "".join(_run(r, qt, marks) for r in runs(article, i, options.highlights, passages))
        if not inner.strip():
            continue
        if p.kind == "subhead":
            out.append(f"<h{level + 1}>{inner}</h{level + 1}>")
        elif p.kind == "caption":
            out.append(f'<p class="caption">{inner}</p>')
        elif p.kind == "byline":
            out.append(f'<p class="byline-para">{inner}</p>')
        else:
            out.append(f'<p class="body">{inner}</p>')
    if marks is not None:
        out.append(marks_html(marks))
    out.append("</article>")
    return "\n".join(out)


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    title = document_title(articles, options.title)
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as f:
        f.write(
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        )
        many = len(articles) > 1
        if many:
            f.write(f'<h1 class="doc">{esc(title)}</h1>\n<nav><ol>\n')
            for i, a in enumerate(articles):
                f.write(f'<li><a href="#article-{i + 1}">{esc(display_title(a))}</a></li>\n')
            f.write("</ol></nav>\n")
        for i, article in enumerate(articles):
            f.write(article_html(article, options, level=2 if many else 1,
                                 anchor=f"article-{i + 1}" if many else None) + "\n")
            step()
        f.write("</body>\n</html>\n")
