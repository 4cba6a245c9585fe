"""An article's page in a whole issue (版次 ``A03``, 版名 ``要闻``) and issue date, as search sees them.

``page:`` matches the page's number as printed, with or without its leading zeros or its letter:
``page:A03``, ``page:a3`` and ``page:第A03版`` find page A03 only; ``page:3`` and ``page:03`` find
page 3 of any section (3, 03, A03, B3). Anything that is not a page number is looked for in the
page's name (``page:要闻``, ``page:要``) as other fields are, by substring. ``date:`` looks in
the article's own date and in its issue's date.

Both the index (:mod:`app.search.records`) and the scan (:mod:`app.search.scan`) search the text
:func:`page_text` makes, so they agree: each page number is a line ``#a3#`` (and ``#3#`` for
its number alone), between marks so that ``3`` never matches 13 or 30; the page's name is a
line of its own.
"""

from __future__ import annotations

import re

from app.model import Article, page_number
from app.search.analysis import fold

MARK = "#"


def page_text(article: Article) -> str:
    """The folded text of ``page:`` for one article ("" when it has no page)."""
    if not (article.page or article.page_name):
        return ""  # a single page's article: most of a library, folded for every scan
    lines = []
    number = page_number(article.page)
    if number is not None:
        letters, n = number
        lines.append(f"{MARK}{letters}{n}{MARK}")
        if letters:
            lines.append(f"{MARK}{n}{MARK}")
    elif article.page and article.page.strip():
        lines.append(MARK + " ".join(fold(article.page).split()) + MARK)
    if article.page_name and article.page_name.strip():
        lines.append(" ".join(fold(article.page_name).split()))
    return "\n".join(lines)


def page_query(folded: str) -> str:
    """What a ``page:`` literal looks for in :func:`page_text`: a page number between marks, or
    any other text as it is (a page's name, or part of it)."""
    number = page_number(folded)
    return f"{MARK}{number[0]}{number[1]}{MARK}" if number is not None else folded


def date_text(article: Article) -> str:
    """The folded text of ``date:``: the article's date, and its issue's date when another."""
    if not article.issue_date or article.issue_date == article.date:
        return fold(article.date or "")
    return fold(f"{article.date}\n{article.issue_date}" if article.date else article.issue_date)
