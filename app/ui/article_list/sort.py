"""Sort orders of the article list: by page, date or title (Chinese collation), with each related
article right after its parent; made in C-level steps so a large library sorts quickly, and off the
GUI thread from :data:`~app.ui.article_list.proxy.BACKGROUND_SORT_ROWS` articles.

By date, an article of a whole issue goes by its issue's date (its dateline's is often the day
before), and the articles of one date by their page: A01, A02 … A12, B01, then pages that are no
number, then articles of single pages.
"""

from __future__ import annotations

from functools import cmp_to_key
from heapq import merge
from operator import attrgetter

from PySide6.QtCore import QCollator, QLocale

from app.model import Article, page_number


SORT_MODES = ("page", "date", "title")
SORT_STEP = 4000  # keys sorted per C-level call (see sorted_rows)


def _date_key(date: str | None) -> str:
    """Dated articles first in date order ("MM-DD" without a year sorts before dated years)."""
    if not date:
        return "\uffff"
    return date if len(date) > 5 else "0000-" + date


def _page_order(page: str | None) -> tuple:
    """Pages in print order: numbered ones by section letter then number, then the others by text."""
    number = page_number(page)
    if number is not None:
        return 0, number[0], number[1], page
    return (1, "", 0, page) if page else (2, "", 0, "")


def date_ranks(articles: list[Article]) -> list[int]:
    """Each article's place by date (its issue's, else its own), then by page within a date."""
    dates = [_date_key(a.issue_date or a.date) for a in articles]
    date_rank = {d: r for r, d in enumerate(sorted(set(dates)))}
    pages = list(map(attrgetter("page"), articles))
    page_rank = {p: r for r, p in enumerate(sorted(set(pages), key=_page_order))}
    if len(page_rank) <= 1:  # no page differs from another (a library of single pages)
        return [date_rank[d] for d in dates]
    width = len(page_rank)
    combined = [date_rank[d] * width + page_rank[p] for d, p in zip(dates, pages)]
    compact = {c: r for r, c in enumerate(sorted(set(combined)))}  # small integers: short sort keys
    return [compact[c] for c in combined]


def sorted_rows(keys: list) -> list[int]:
    """The rows ``0..len(keys)-1`` ordered by their (distinct) keys.

    Sorted a few thousand at a time, then merged (``heapq.merge`` is Python code): one sort of
    100,000 keys is a single C call that holds the interpreter -- and so the GUI thread, when
    run in a worker -- for tens of milliseconds."""
    n = len(keys)
    key = keys.__getitem__
    runs = [sorted(range(start, min(start + SORT_STEP, n)), key=key) for start in range(0, n, SORT_STEP)]
    if len(runs) <= 1:
        return runs[0] if runs else []
    return list(merge(*runs, key=key))


def collated(items: list[int], texts: list[str], compare) -> list[int]:
    """``items`` (indexes into ``texts``) ordered by ``compare`` of their texts, stably.

    A merge sort in Python: each comparison is a call from Python (so a worker running it lets
    the GUI thread have the interpreter), and it makes no object per item for the cyclic
    garbage collector (``cmp_to_key`` made one per title, and the full collections they
    brought on held the interpreter for 60-90 ms at 100,000 articles)."""
    key = cmp_to_key(lambda a, b: compare(texts[a], texts[b]))
    runs = [sorted(items[i:i + 32], key=key) for i in range(0, len(items), 32)]  # 32 wrappers at a time
    while len(runs) > 1:
        merged = []
        for r in range(0, len(runs) - 1, 2):
            a, b = runs[r], runs[r + 1]
            out: list[int] = []
            i = j = 0
            na, nb = len(a), len(b)
            while i < na and j < nb:
                if compare(texts[b[j]], texts[a[i]]) < 0:
                    out.append(b[j])
                    j += 1
                else:
                    out.append(a[i])
                    i += 1
            out.extend(a[i:])
            out.extend(b[j:])
            merged.append(out)
        if len(runs) % 2:
            merged.append(runs[-1])
        runs = merged
    return runs[0] if runs else []


def sort_order(articles: list[Article], rows: dict[str, int], mode: str, collator: QCollator) -> list[int]:
    """The rows of ``articles`` (in page order; ``rows``: id -> row) in ``mode``'s order.

    A group is a parent then its related articles (``related_to``), in page order; the groups go
    by the mode's key of their parent, then by page order. Only Python-level steps (a QCollator
    comparison is a call from Python): run in a worker thread, this lets the GUI thread have the
    interpreter every few milliseconds. The keys are integers, not tuples: nothing for the
    cyclic garbage collector. ``collator`` must belong to the calling thread."""
    n = len(articles)
    heads = []  # each row's group head (its parent's row, or itself)
    for row, article in enumerate(articles):
        parent = article.related_to
        heads.append(rows.get(parent, row) if parent and parent != article.id else row)
    if mode == "date":
        ranks = date_ranks(articles)
        rank = list(map(ranks.__getitem__, heads))
    elif mode == "title":
        titles = [a.title for a in articles]
        compare = collator.compare
        ordered = collated(list(dict.fromkeys(heads)), titles, compare)
        ranks: dict[int, int] = {}
        prev = None
        for place, h in enumerate(ordered):  # equal titles share a rank: page order decides
            same = prev is not None and compare(titles[prev], titles[h]) == 0
            ranks[h] = ranks[prev] if same else place
            prev = h
        rank = [ranks[h] for h in heads]
    else:
        rank = [0] * n
    # (rank, head row, related, row) as one integer
    keys = [((r * n + h) * 2 + (row != h)) * n + row for row, (r, h) in enumerate(zip(rank, heads))]
    return sorted_rows(keys)


def with_inverse(order: list[int]) -> tuple[list[int], list[int]]:
    """``(order, at)``: ``at[source row]`` is the row's place in ``order``."""
    at = [-1] * len(order)
    for place, row in enumerate(order):
        at[row] = place
    return order, at


def background_sort(articles: list[Article], rows: dict[str, int], mode: str, still_wanted) -> tuple | None:
    """What a sort task runs: ``(order, at)``, or None when no longer wanted before it began."""
    if not still_wanted():
        return None
    collator = QCollator(QLocale("zh_CN"))  # one per thread: a QCollator is not shared
    collator.setNumericMode(True)
    return with_inverse(sort_order(articles, rows, mode, collator))
