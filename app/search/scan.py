"""Searching loaded articles without an index: a substring scan with the index's query language.

Until the window's index is ready (first build, an update under way, cancelled, or another
program holding it), queries are answered by :func:`scan_articles` over the loaded articles:
the same query language and the same hits for plain text as the index, so small libraries
search at once. For a large library the indexer child process runs the scan
(:mod:`app.index_worker`), so the window's own interpreter stays free for its GUI thread; the
window scans itself only for small libraries or when no indexer is running.

Qt-free: the window and the indexer child both use it.
"""

from __future__ import annotations

import time
from heapq import nlargest
from itertools import compress, repeat
from operator import add, and_, attrgetter, contains, is_, itemgetter, mul, neg, or_

from app.model import Article, SearchHit

ENTITY_FIELDS = {"person": "PERSON", "place": "PLACE", "org": "ORG"}
RESULT_LIMIT = 1000  # hits listed at most (the count says how many there are)
SCAN_CHUNK = 1000  # articles tested per C-level step of the scan (each step holds the interpreter: ~1-2 ms)
TITLE_BOOST = 3.0

class _Folded:
    """An article's searchable texts, folded like the index folds them (kept for the next scan)."""

    # Only the folded whole text is kept of the article's body: the original text is made again
    # for the few hits whose snippet is shown, the body sliced off when a body: query asks (kept,
    # both were two more copies of every article's text: about 400 MB at 100,000 articles).
    __slots__ = ("article", "all", "body_start", "fields", "_entities")

    def __init__(self, article: Article):
        from app.search.analysis import fold
        from app.search.records import searchable_text

        self.article = article
        self.all = fold(searchable_text(article))
        # The body is the end of the whole text, after a line per head part; folding works char
        # by char, so its folded form is the folded text after the folded head parts (slicing it
        # off rather than folding the body again made this a third of its cost).
        head = [fold(p) for p in (article.kicker, article.title, article.subtitle, *article.authors) if p]
        self.body_start = sum(map(len, head)) + len(head) if article.paragraphs else len(self.all)
        self.fields = {
            "title": fold(article.title),
            "subtitle": fold(article.subtitle or ""),
            "authors": "\n".join(map(fold, article.authors)),
            "date": fold(article.date or ""),
            "source": fold(article.source),
        }
        self._entities = None  # the entity list the person:/place:/org: fields were made from

    @property
    def original(self) -> str:
        from app.search.records import searchable_text

        return searchable_text(self.article)

    def text(self, field: str) -> str:
        if field == "all":
            return self.all
        if field == "body":
            return self.all[self.body_start:]
        if field in ENTITY_FIELDS and self.article.entities is not self._entities:
            self._fold_entities()  # they arrived (or changed) since: only these fields are redone
        return self.fields.get(field, "")

    def _fold_entities(self) -> None:
        from app.search.analysis import fold

        entities = self.article.entities
        for field, kind in ENTITY_FIELDS.items():
            self.fields[field] = fold("\n".join(e.text for e in entities if e.type == kind))
        self._entities = entities


def folded(cache: dict, article: Article) -> _Folded:
    """``article``'s folded texts from ``cache``, made and kept there when missing or stale."""
    texts = cache.get(article.id)
    if texts is None or texts.article is not article:  # a reload makes new Article objects
        texts = cache[article.id] = _Folded(article)
    return texts


def scan_articles(articles: list[Article], query: str, limit: int | None = RESULT_LIMIT,
                  cache: dict | None = None):
    """Search ``articles`` directly (no index): the same query language and snippets as the index."""
    from app.search import SearchResult, parse_query
    from app.search.snippet import make_snippet

    start = time.perf_counter()
    plan = parse_query(query)
    cache = cache if cache is not None else {}
    if not plan.groups:
        return SearchResult(query, 0, round((time.perf_counter() - start) * 1000, 3), [])
    positives = plan.literals
    marked = [lit.text for lit in positives if lit.field in ("all", "title", "subtitle", "body")]
    articles = list(articles)
    texts = _all_folded(articles, cache)  # looked at once for both ways of scanning
    quick = _scan_whole_texts(articles, plan, texts, limit)
    if quick is not None:
        total, found = quick
    else:
        total, found = _scan_each(articles, plan, cache, texts, limit)
    hits = [
        SearchHit(id=a.id, ordinal=a.ordinal, source=a.source, title=a.title, score=round(score, 3),
                  snippet=make_snippet(texts.original, texts.all, marked, prefer_from=texts.body_start))
        for score, _order, a, texts in found
    ]
    return SearchResult(query, total, round((time.perf_counter() - start) * 1000, 3), hits)


def _scan_each(articles: list[Article], plan, cache: dict, folded_texts: list[_Folded] | None,
               limit: int | None):
    """``(total, [(score, order, article, texts), ...] best first)``: any query, an article at a
    time (folding those not folded yet; ``folded_texts`` from :func:`_all_folded`)."""
    positives = plan.literals
    found: list[tuple[float, int, Article, _Folded]] = []
    for order, article in enumerate(_candidates(articles, plan, folded_texts)):
        texts = folded(cache, article)
        if not all(any(lit.text in texts.text(lit.field) for lit in group) for group in plan.groups):
            continue
        if any(lit.text in texts.text(lit.field) for lit in plan.exclude):
            continue
        score = 0.0
        for lit in positives:
            score += texts.text(lit.field).count(lit.text)
            if lit.field == "all":
                score += TITLE_BOOST * texts.fields["title"].count(lit.text)
        found.append((score, order, article, texts))
    found.sort(key=lambda x: (-x[0], x[1]))
    return len(found), found[:limit] if limit is not None else found


def _all_folded(articles: list[Article], cache: dict) -> list[_Folded] | None:
    """Every article's folded texts from ``cache``, in order; None when some are missing or stale."""
    texts = list(map(cache.get, map(attrgetter("id"), articles)))
    if None in texts or not all(map(is_, map(attrgetter("article"), texts), articles)):
        return None
    return texts


def _containing(texts: list[str], group) -> list[bool]:
    """For each of ``texts``, whether it holds one of ``group``'s literals (C-level iterators)."""
    hit = [False] * len(texts)
    for lit in group:
        hit = list(map(or_, hit, map(contains, texts, repeat(lit.text))))
    return hit


def _scan_whole_texts(articles: list[Article], plan, folded_texts: list[_Folded] | None, limit: int | None):
    """``(total, [(score, order, article, texts), ...] best first)`` for a query of plain text
    only (every literal searches the whole text, nothing excluded) over a library folded
    already (``folded_texts``: :func:`_all_folded`); None for any other query or a library not
    all folded, which the per-article loop answers.

    Tests, counts and ranking all go through C-level iterators :data:`SCAN_CHUNK` articles at a
    time, and only the best ``limit`` are kept between steps: typed before the index is ready,
    a one-character query matches nearly every article, and the per-article loop then ran
    Python for each of 100,000 of them while the GUI thread waited its turn for the interpreter."""
    if folded_texts is None or plan.exclude or any(lit.field != "all" for lit in plan.literals):
        return None
    total = 0
    best: list[tuple[float, int]] = []  # (score, -order) of the best so far
    for start in range(0, len(articles), SCAN_CHUNK):
        part = folded_texts[start:start + SCAN_CHUNK]
        alls = list(map(attrgetter("all"), part))
        ok = [True] * len(part)
        for group in plan.groups:
            ok = list(map(and_, ok, _containing(alls, group)))
        rows = list(compress(range(len(part)), ok))
        if not rows:
            continue
        total += len(rows)
        alls = list(map(alls.__getitem__, rows))
        titles = list(map(itemgetter("title"), map(attrgetter("fields"), map(part.__getitem__, rows))))
        scores = [0.0] * len(rows)
        for lit in plan.literals:  # occurrences in the whole text, the title's weighed again
            scores = list(map(add, scores, map(str.count, alls, repeat(lit.text))))
            scores = list(map(add, scores, map(mul, repeat(TITLE_BOOST), map(str.count, titles, repeat(lit.text)))))
        keys = list(zip(scores, map(neg, map(add, rows, repeat(start)))))
        best = nlargest(limit, best + keys) if limit is not None else best + keys
    best.sort(reverse=True)  # score down, then page order
    found = [(score, -neg_order, articles[-neg_order], folded_texts[-neg_order]) for score, neg_order in best]
    return total, found


def _candidates(articles: list[Article], plan, folded_texts: list[_Folded] | None) -> list[Article]:
    """The articles that can match ``plan``, in their order: when every article is folded and
    some group of the query looks only at the whole text, those containing one of its literals,
    found by C-level iterators a few thousand articles at a time (a Python test per article cost
    0.3 s per keystroke at 100,000 articles, all of it holding the interpreter the GUI needs)."""
    group = next((g for g in plan.groups if all(lit.field == "all" for lit in g)), None)
    if group is None:
        return articles
    if folded_texts is None:
        return articles  # not all folded yet: the caller's loop folds as it goes
    keep: list[Article] = []
    for start in range(0, len(folded_texts), SCAN_CHUNK):
        part = list(map(attrgetter("all"), folded_texts[start:start + SCAN_CHUNK]))
        keep.extend(compress(articles[start:start + SCAN_CHUNK], _containing(part, group)))
    return keep
