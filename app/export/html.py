"""HTML: one self-contained file (inline CSS, no scripts, no external references).

Everything from an article is escaped; a Content-Security-Policy forbids the page any fetch.
``article_html`` also feeds the EPUB chapters (it is valid XHTML) and the PDF (Qt rich text).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Callable, Sequence

from app.export.layout import ENTITY_LABELS, display_title, document_title, meta, runs, xml_safe
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
""" + "".join(f"mark.ent-{t} {{ background: {c.tint}; color: {EXPORT.text}; }}\n" for t, c in EXPORT.entities.items())

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(text: str | None) -> str:
    return html.escape(xml_safe(text), quote=True)  # XML-clean too: EPUB chapters must parse


def _mark(text: str, entity: str, qt: bool) -> str:
    if qt:  # Qt rich text knows no <mark>; a background colour it does
        return (f'<span style="background-color:{EXPORT.entities[entity].tint}; color:{EXPORT.text}">'
                f'{esc(text)}</span>')
    return f'<mark class="ent-{entity}" title="{ENTITY_LABELS[entity]}">{esc(text)}</mark>'


def article_html(article: Article, options: ExportOptions, level: int = 2, anchor: str | None = None,
                 qt: bool = False) -> str:
    """One article as an ``<article>`` fragment (XHTML-clean: every tag closed, all text escaped)."""
    m = meta(article)
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
        inner = "".join(_mark(r.text, r.entity, qt) if r.entity else esc(r.text)
                        for r in runs(article, i, options.highlights))
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
