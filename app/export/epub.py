"""EPUB 3 through ebooklib: one XHTML chapter per article, a navigation document (and an NCX for
older readers) listing every title, language zh-CN, a stable identifier."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

from ebooklib import epub

from app.export.html import CSS, article_html, esc
from app.export.layout import display_title, document_title, xml_safe
from app.export.options import ExportOptions
from app.model import Article

SUFFIX = ".epub"
LANG = "zh-CN"


def _identifier(articles: Sequence[Article]) -> str:
    digest = hashlib.sha1("\x00".join(a.id or a.title for a in articles).encode("utf-8")).hexdigest()
    return f"urn:baozhi:{digest[:24]}"


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    title = xml_safe(document_title(articles, options.title))
    book = epub.EpubBook()
    book.set_identifier(_identifier(articles))
    book.set_title(title)
    book.set_language(LANG)
    for n, author in enumerate(dict.fromkeys(a for art in articles for a in art.authors)):
        book.add_author(xml_safe(author), uid=f"creator{n + 1}")  # ids must be unique (epubcheck RSC-005)
    style = epub.EpubItem(uid="style", file_name="style/article.css", media_type="text/css",
                          content=CSS.encode("utf-8"))
    book.add_item(style)

    chapters = []
    for i, article in enumerate(articles):
        chapter = epub.EpubHtml(title=display_title(article), file_name=f"article_{i + 1:03d}.xhtml", lang=LANG)
        chapter.content = (
            f"<html><head><title>{esc(display_title(article))}</title></head><body>"
            f"{article_html(article, options, level=1)}</body></html>"
        )
        chapter.add_item(style)
        book.add_item(chapter)
        chapters.append(chapter)
        step()

    book.toc = chapters
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    nav.add_item(style)
    book.add_item(nav)
    book.spine = ["nav", *chapters]
    epub.write_epub(str(path), book, {"epub3_pages": False})
