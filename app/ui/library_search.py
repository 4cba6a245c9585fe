"""Searching the open library from the window: the index kept up to date, queries off the GUI thread.

:class:`LibrarySearch` owns the :class:`~app.search.SearchIndex` under the index folder. Index
updates go through one serial writer (a ``QThreadPool`` with one thread), so writes never
overlap; a newer update cancels the one before it. Queries run on a second one-thread pool and
carry a generation number: only the latest query's result is delivered, older ones are dropped.

Until the index is ready (first build, an update under way, cancelled, or another program holding
it) a query is answered by :func:`scan_articles`, a substring scan over the loaded articles with
the same query language and the same hits for plain text, so small libraries search at once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from itertools import compress, repeat
from heapq import nlargest
from operator import add, and_, attrgetter, contains, is_, itemgetter, mul, neg, or_
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.model import Article, SearchHit
from app.ui import workers

log = logging.getLogger("baozhi.ui")

ENTITY_FIELDS = {"person": "PERSON", "place": "PLACE", "org": "ORG"}
RESULT_LIMIT = 1000  # hits listed at most (the count says how many there are)
SCAN_CHUNK = 1000  # articles tested per C-level step of the scan (each step holds the interpreter: ~1-2 ms)
WARM_BATCH = 100  # articles the background warming goes through between pauses
RESULTS_QUIET_S = 0.5  # the background folding rests this long after results arrive
FREEZE_EVERY = 2000  # folded articles between moves of the cache out of the cyclic GC's reach
TITLE_BOOST = 3.0


@dataclass
class SearchOutcome:
    """A query's answer as the window receives it."""

    generation: int
    query: str
    result: object  # app.search.SearchResult
    via_index: bool


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


def run_query(index, articles: list[Article], query: str, cache: dict) -> tuple[object, bool]:
    """The search a :class:`~app.ui.workers.CallTask` runs: the index when given, else a scan."""
    if index is not None:
        return index.search(query, limit=RESULT_LIMIT), True
    before = len(cache)
    result = scan_articles(articles, query, RESULT_LIMIT, cache)
    if len(cache) - before >= FREEZE_EVERY:
        workers.keep_out_of_gc()  # the scan folded much of the library itself (see _start_warming)
    return result, False


class LibrarySearch(QObject):
    """The window's search: the background index and the latest query's results.

    Updates run in a child process (:mod:`app.index_worker`), fed and followed from the writer
    thread; this process only reads the index it writes."""

    index_started = Signal()
    index_progress = Signal(int, int)  # articles done, articles total
    index_finished = Signal(object)  # UpdateStats of the latest update (cancelled ones too)
    index_failed = Signal(str)
    results_ready = Signal(object)  # SearchOutcome of the latest query only
    search_failed = Signal(str)
    entities_ready = Signal(object)  # list[str]: ids of articles whose entities were just filled

    def __init__(self, index_dir: Path | None = None, parent=None):
        super().__init__(parent)
        if index_dir is None:  # resolved now, on the GUI thread, not later in the writer
            from app.paths import default_index_dir

            index_dir = default_index_dir()
        self.index_dir = Path(index_dir)
        self._index = None  # SearchIndex, made in the writer thread on first use
        self._ready = False
        self._articles: list[Article] = []
        self._cache: dict[str, _Folded] = {}
        self._generation = 0
        self._update: workers.IndexUpdateTask | None = None
        self._running: dict[QObject, QObject] = {}  # signals -> task, kept alive until they report
        self.writer_pool = QThreadPool(self)  # the one serial index writer
        self.writer_pool.setMaxThreadCount(1)
        self.search_pool = QThreadPool(self)
        self.search_pool.setMaxThreadCount(1)
        self.warm_pool = QThreadPool(self)  # folds the articles for the scan ahead of the first search
        self.warm_pool.setMaxThreadCount(1)
        self._warm_generation = 0
        self._scanning = False  # a scan is running in the search thread (the warming waits)
        self._quiet_until = 0.0  # time.monotonic() until which the warming rests (results being shown)

    # -- the index -------------------------------------------------------------------------------
    @property
    def index_ready(self) -> bool:
        return self._ready

    @property
    def indexing(self) -> bool:
        return self._update is not None

    def _reload(self, stats) -> None:
        """Called in the writer thread after the child process updated the index: the searcher
        follows it (a new generation is opened, new commits are loaded beside the segments
        already in memory)."""
        if stats.cancelled:
            return
        if self._index is None:
            from app.search import SearchIndex

            self._index = SearchIndex(self.index_dir)
        self._index.refresh()

    def set_articles(self, articles: list[Article]) -> None:
        """The loaded articles, for the scan used until the index is ready."""
        self._articles = list(articles)
        live = {a.id for a in self._articles}
        # a scan in the search thread may be adding to the cache right now: copy it first (one C
        # call under the GIL) rather than iterate it here ("dictionary changed size" otherwise)
        cache = self._cache.copy()
        self._cache = {k: v for k, v in cache.items() if k in live}
        self._warm_generation += 1
        if len(self._articles) > len(self._cache):
            self._start_warming()

    def _start_warming(self) -> None:
        """Fold the articles for the scan in a background thread, last first: the first search
        typed before the index is ready (which folds from the first article on) meets it half
        way instead of folding the whole library itself (a minute at 100,000 articles)."""
        generation = self._warm_generation
        articles, cache = self._articles, self._cache

        def warm() -> None:
            for n, article in enumerate(reversed(articles), 1):
                if generation != self._warm_generation:
                    break  # other articles now: a newer warming has started
                while (self._scanning or time.monotonic() < self._quiet_until) and generation == self._warm_generation:
                    # A scan folds what it needs itself, and two threads folding share one
                    # interpreter (no faster together); a third thread wanting it only made the
                    # GUI thread wait longer for it, above all while it lays out the results
                    # (a call into Python per row), so the warming also rests for a moment then.
                    time.sleep(0.005)
                folded(cache, article)
                if n % WARM_BATCH == 0:
                    time.sleep(0.001)  # let the GUI thread have the interpreter now and then
                if n % FREEZE_EVERY == 0:
                    # the cache lives as long as the library: left to the collector, its full
                    # passes walked it with the interpreter held (60-200 ms at 100,000 articles)
                    workers.keep_out_of_gc()
            workers.keep_out_of_gc()

        task = workers.CallTask(generation, warm)
        self._running[task.signals] = task
        task.signals.finished.connect(lambda _n, signals=task.signals: self._running.pop(signals, None))
        task.signals.failed.connect(lambda _m, signals=task.signals: self._running.pop(signals, None))
        self.warm_pool.start(task)

    def update_index(self, sources: list) -> None:
        """Bring the index in line with ``sources`` in the background (cancelling an older update)."""
        self._ready = False
        self.cancel_indexing()
        from app.library import entity_cache_dir

        task = workers.IndexUpdateTask(self.index_dir, sources, entity_cache_dir(self.index_dir), refresh=self._reload)
        self._running[task.signals] = task
        self._update = task
        task.signals.progress.connect(self._on_index_progress)
        task.signals.entities_ready.connect(self._on_entities_ready)
        task.signals.finished.connect(self._on_index_finished)
        task.signals.failed.connect(self._on_index_failed)
        self.index_started.emit()
        self.writer_pool.start(task)

    def annotate_now(self, sources: list) -> None:
        """Fill the entities here and now, caching nothing (the screenshot run, which writes nothing)."""
        from app.library import annotate_sources

        annotate_sources(sources)
        self._on_entities_ready([a.id for s in sources for a in s.articles])

    def _on_entities_ready(self, ids: list[str]) -> None:
        # the scan's folded texts redo their person:/place:/org: fields when next read; the
        # folded body stays (dropping it made every scan during indexing refold the library)
        self.entities_ready.emit(ids)

    def cancel_indexing(self) -> None:
        if self._update is not None:
            self._update.cancel()

    def _take(self):
        return self._running.pop(self.sender(), None)

    def _on_index_progress(self, done: int, total: int) -> None:
        task = self._running.get(self.sender())
        if task is not None and task is self._update and not task.cancelled:
            self.index_progress.emit(done, total)

    def _on_index_finished(self, stats) -> None:
        task = self._take()
        if task is None or task is not self._update:
            return  # an update a newer one replaced
        self._update = None
        self._ready = not stats.cancelled and not stats.locked
        if stats.notice:
            log.warning("search index: %s", stats.notice)
        self.index_finished.emit(stats)

    def _on_index_failed(self, message: str) -> None:
        task = self._take()
        if task is None or task is not self._update:
            return
        self._update = None
        self._ready = False
        self.index_failed.emit(message)

    def shut_down(self) -> None:
        """Cancel the update and close the index after the writer's last task, never waiting here."""
        self.cancel_indexing()
        self._generation += 1
        self._warm_generation += 1  # the warming stops at its next article
        self._ready = False

        def close() -> None:
            if self._index is not None:
                self._index.close()

        self.writer_pool.start(close)

    # -- queries ---------------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    def search(self, query: str) -> int:
        """Start searching ``query`` off the GUI thread; returns its generation number."""
        self._generation += 1
        generation = self._generation
        index = self._index if self._ready else None
        articles, cache = self._articles, self._cache

        def search() -> SearchOutcome | None:
            if generation != self._generation:
                return None  # a newer query came while this one waited its turn: skip it
            self._scanning = index is None
            try:
                result, via_index = run_query(index, articles, query, cache)
            finally:
                self._scanning = False
            return SearchOutcome(generation, query, result, via_index)

        task = workers.CallTask(generation, search)
        self._running[task.signals] = task
        task.signals.finished.connect(self._on_searched)
        task.signals.failed.connect(self._on_search_failed)
        self.search_pool.start(task)
        return generation

    def drop_pending(self) -> None:
        """Forget the queries under way (the search was cleared)."""
        self._generation += 1

    def _on_searched(self, outcome: SearchOutcome | None) -> None:
        self._take()
        if outcome is None or outcome.generation != self._generation:
            return  # a newer query was asked meanwhile: this answer is stale
        self._quiet_until = time.monotonic() + RESULTS_QUIET_S
        self.results_ready.emit(outcome)

    def _on_search_failed(self, message: str) -> None:
        task = self._take()
        if task is not None and task.generation == self._generation:
            self.search_failed.emit(message)
