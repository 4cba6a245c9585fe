"""The splitter's one entry point for a whole source file: what the library, the command line and
the benchmarks call. A source may be one page or a whole issue; its lines may be hard-wrapped.

:func:`split_source` runs the stages in turn:

1. :mod:`.unwrap` — hard-wrapped lines (PDF and OCR copies) are rejoined into paragraphs, and
   paragraphs run together on one line (a web page flattened) are cut apart;
2. :mod:`.issue` — the text is cut into pages at page headers, and each page's own lines
   (header, masthead, editors' lines, rules between pages) are taken out as page metadata; in a
   whole issue each page is rejoined again at its own wrap width, if it has one;
3. :func:`.assemble.split_articles` — each page's text is split into articles, which then carry
   their page's number, name, the issue's date and the page's lines.

A single page without page lines that is not hard-wrapped goes to ``split_articles`` untouched.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter

from app.model import Article
from app.segment.assemble import _blocks, split_articles
from app.segment.lines import PAGE_FURNITURE_RE
from app.segment.issue import Page, PageLine, merge_empty_pages, read_page_line, split_pages
from app.segment.unwrap import detect_layout, split_run_together, unwrap
from app.segment.version import SPLITTER_VERSION  # noqa: F401 - where callers have always read it


_TRACES = "trace" in inspect.signature(split_articles).parameters


def split_source(text: str, source: str = "", source_key: str = "", trace=None) -> list[Article]:
    """The articles of a source file's text, in reading order.

    ``trace`` (an :class:`app.segment.explain.Trace`) records each line's role and why, numbered
    as the lines of ``text``."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    layout = detect_layout(lines)
    units = unwrap(lines, layout)
    run_together = split_run_together(units)
    pages = split_pages(run_together)
    if len(pages) > 1:  # an issue whose pages were copied in different ways: each on its own
        pages = [_unwrap_page(page, trace) for page in pages]
    pages = merge_empty_pages([_take_leading_furniture(page) for page in pages])
    if (len(pages) == 1 and not pages[0].page_lines and not layout.wrapped and len(run_together) == len(units)
            and "\f" not in text):
        return _split_page(text, source, source_key, trace)
    if trace is not None:
        for _, numbers in units:
            for n in numbers[1:]:
                trace.remark(n, f"joined to the line above (hard-wrapped at {layout.width})")
        pieces = Counter(numbers for _, numbers in run_together)
        for numbers, count in pieces.items():
            if count > 1:
                for n in numbers:
                    trace.remark(n, f"{count} paragraphs run together on one line, cut apart")
    articles: list[Article] = []
    for page in pages:
        if trace is not None:
            _note_page_lines(trace, page)
        view = None
        if trace is not None:
            view = trace.view([numbers for _, numbers in page.lines], article_offset=len(articles))
        page_text = "\n".join(t for t, _ in page.lines)
        found = _split_page(page_text, source, source_key, view)
        _give_page(found, page)
        if len(pages) > 1:
            _renumber(found, len(articles), source_key or source)
        articles += found
    return articles


def _unwrap_page(page: Page, trace) -> Page:
    """One page of an issue hard-wrapped on its own (at another width than the issue, or the
    issue as a whole was not): rejoined."""
    texts = [text for text, _ in page.lines]
    layout = detect_layout(texts)
    if not layout.wrapped:
        return page
    joined = unwrap(texts, layout)
    page.lines = [(text, tuple(n for k in rel for n in page.lines[k - 1][1])) for text, rel in joined]
    if trace is not None:
        for _, numbers in page.lines:
            for n in numbers[1:]:
                trace.remark(n, f"joined to the line above (hard-wrapped at {layout.width})")
    return page


def _take_leading_furniture(page: Page) -> Page:
    """Lines the page splitter would drop before a page's first story (a rule, a bare date or
    weekday, a ``3版``): page lines too, so that they are kept."""
    taken: list[str] = []  # the kinds of the lines taken, from the top
    for line, _ in page.lines:
        blocks = _blocks(line)
        if not blocks:
            break
        block = blocks[0]
        if block.kind == "separator":
            taken.append("rule")
        elif block.kind == "body" and PAGE_FURNITURE_RE.search(block.text) and len(block.text) <= 80:
            taken.append("furniture")
        else:
            break
    for (line, numbers), kind in zip(page.lines, taken):
        page.take(line, numbers, PageLine(kind))
    if taken:
        page.lines = page.lines[len(taken):]
        page.page_lines.sort(key=lambda line: line[1][0])
    return page


def _split_page(text: str, source: str, source_key: str, trace) -> list[Article]:
    if _TRACES and trace is not None:
        return split_articles(text, source=source, source_key=source_key, trace=trace)
    return split_articles(text, source=source, source_key=source_key)


def _note_page_lines(trace, page: Page) -> None:
    for text, numbers, kind in page.page_lines:
        reason = _why_page_line(text, kind)
        for n in numbers:
            trace.note(n, text, "separator" if kind == "rule" else "page header", reason)


def _why_page_line(text: str, kind: str) -> str:
    if kind == "rule":
        return "a rule between pages"
    if kind == "editors":
        return "the page's editors"
    if kind == "masthead":
        return "the paper's name, beside a page header"
    if kind == "furniture":
        return "page furniture before the first story (date, 版, editors)"
    line = read_page_line(text)
    fields = [f"版次 {line.number}" if line.number else "", f"版名 {line.name}" if line.name else "",
              f"issue date {line.date}" if line.date else ""]
    if line.number:
        return "page header: " + ", ".join(f for f in fields if f)
    if line.date:
        return "dated page header: " + ", ".join(f for f in fields if f)
    return "page header"


def _give_page(articles: list[Article], page: Page) -> None:
    """The page's number, name, date and lines on each of its articles; a date the page splitter
    gave without a year takes the issue's (the year before for a December story in a January
    issue)."""
    lines = tuple(text for text, _, _ in page.page_lines)
    year = month = None
    if page.date:
        year, month = int(page.date[:4]), int(page.date[5:7])
    for article in articles:
        article.page, article.page_name, article.issue_date = page.number, page.name, page.date
        article.page_lines = lines
        if year and article.date and re.fullmatch(r"\d{2}-\d{2}", article.date):
            story_month = int(article.date[:2])
            story_year = year - 1 if month and story_month > month + 1 else year
            article.date = f"{story_year:04d}-{article.date}"


def _renumber(articles: list[Article], first: int, key: str) -> None:
    """One page's articles numbered from ``first`` (ordinals run across the whole file, so ids stay
    distinct across pages); its related-news links follow the new ids."""
    new_ids: dict[str, str] = {}
    for n, article in enumerate(articles):
        old = article.id
        article.ordinal = first + n
        article.assign_id(key)
        new_ids[old] = article.id
    for article in articles:
        if article.related_to is not None:
            article.related_to = new_ids.get(article.related_to, article.related_to)
