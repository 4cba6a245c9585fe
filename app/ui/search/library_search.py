"""Searching the open library from the window: the index kept up to date, queries off the GUI thread.

:class:`LibrarySearch` owns the :class:`~app.search.SearchIndex` under the index folder. Index
updates go through one serial writer (a ``QThreadPool`` with one thread), so writes never
overlap; a newer update cancels the one before it. Queries run on a second one-thread pool and
carry a generation number: only the latest query's result is delivered, older ones are dropped.

Until the index is ready (first build, an update under way, cancelled, or another program holding
it) a query is answered by :func:`~app.search.scan.scan_articles`, a substring scan over the
loaded articles with the same query language and the same hits for plain text, so small libraries
search at once. From :data:`CHILD_SCAN_MIN` articles the indexer child runs that scan while it
works (:class:`app.index_worker.ScanServer`): in this process the scan and the folding it needs
competed with the GUI thread for the interpreter.

One module (~555 lines) because the updates and the queries share one state: the index object,
whether it is ready, the generation that drops stale answers, and the handover from the scan to
the index when an update ends; split in two, each half would reach into the other's fields.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.model import Article, SearchHit
from app.ui import workers
from app.ui.after_paint import after_paint
from app.ui.process import keep_out_of_gc

log = logging.getLogger("baozhi.ui")

WARM_BATCH = 100  # articles the background warming goes through between pauses
WARM_READ = 500  # lazily opened articles whose paragraphs the warming reads at a time
RESULTS_QUIET_S = 0.5  # the background folding rests this long after results arrive
FREEZE_EVERY = 2000  # folded articles between moves of the cache out of the cyclic GC's reach
# From this many articles the indexer child answers the queries asked while it works. Below it the
# scan here is a few milliseconds, and answers at once (the child needs ~1 s to start).
CHILD_SCAN_MIN = 2000
# The index's hits listed at once: more than a screenful. The others (up to RESULT_LIMIT) are made
# right after, in the search thread, and the list is given them all (each hit's title and snippet
# cost ~0.1-0.3 ms: a common character's 1,000 hits held its first results back 150-300 ms).
FIRST_HITS = 100
INDEX_SWITCH_WAIT_S = 30.0  # how long a query waits for a finished update's index to be loaded
# Of the GUI thread per event-loop pass while entities are given to their articles. A batch is what
# the writer thread made in ENTITY_BATCH_S (a few thousand articles, ~1 ms to give); a larger one
# is given over several passes, as the window takes in a large load (main_window.PASS_BUDGET_S).
ENTITY_PASS_S = 0.008
# After the index becomes ready, how long the probe of its speed (app.ui.search.probe) waits: past
# the other work a load starts (reopening 100k articles the index is ready ~0.2 s after the list
# shows, and the sources are sent to the indexer child from ~0.3 s to ~0.8 s), so that the
# probe's ~0.3 s of searching does not add to it; at 2 s, no gap near the probe in three reopenings.
PROBE_DELAY_MS = 2000
# At most this long the check of the index on disk waits for the window to paint the library just
# taken in (see LibrarySearch._check_current).
CHECK_AFTER_PAINT_S = 0.5


@dataclass
class SearchOutcome:
    """A query's answer as the window receives it."""

    generation: int
    query: str
    result: object  # app.search.SearchResult
    via_index: bool
    index: object = None  # the SearchIndex that answered (its result may have hits still to make)
    rest: bool = False  # the same search again with all its hits, after its first ones (FIRST_HITS)


def ask_child(update: workers.IndexUpdateTask, query: str):
    """The indexer child's scan for ``query`` as a ``SearchResult``; None when it cannot answer."""
    from app.search import SearchResult

    answer = update.worker.ask(query)
    if answer is None:
        return None
    hits = [SearchHit.from_dict(hit) for hit in answer.hits]
    return SearchResult(query, answer.total, answer.took_ms, hits)


def ask_index(index, query: str):
    """``query``'s result from ``index`` as the window lists it: its first FIRST_HITS hits made,
    the rest up to RESULT_LIMIT ranked and pending."""
    from app.search.scan import RESULT_LIMIT

    return index.search(query, limit=RESULT_LIMIT, first=FIRST_HITS)


def run_query(index, articles: list[Article], query: str, cache: dict) -> tuple[object, bool]:
    """The search a :class:`~app.ui.workers.CallTask` runs: the index when given, else a scan."""
    from app.search.scan import RESULT_LIMIT, scan_articles  # app.search (Whoosh) is kept off the start-up path
    if index is not None:
        return ask_index(index, query), True
    return scan_articles(articles, query, RESULT_LIMIT, cache), False


class LibrarySearch(QObject):
    """The window's search: the background index and the latest query's results.

    Updates run in a child process (:mod:`app.index_worker`), fed and followed from the writer
    thread; this process only reads the index it writes."""

    index_started = Signal()
    index_progress = Signal(int, int)  # articles done, articles total
    # articles given their entities, articles total: while the indexer child finds names, before
    # it writes (at 100k articles ~15 minutes in which the window had no count to show)
    names_progress = Signal(int, int)
    index_finished = Signal(object)  # UpdateStats of the latest update (cancelled ones too)
    index_failed = Signal(str)
    results_ready = Signal(object)  # SearchOutcome of the latest query only
    search_failed = Signal(str)
    entities_ready = Signal(object)  # list[str]: ids of articles whose entities were just filled
    probed = Signal(object)  # [(query, took_ms)]: the index's speed, learnt before any search (probe)
    # From the folding and search threads: the scan's folded texts leave the cyclic collector's
    # reach on the GUI thread (app.ui.process), queued there by this signal.
    _folded = Signal()

    def __init__(self, index_dir: Path | None = None, parent=None):
        super().__init__(parent)
        if index_dir is None:  # resolved now, on the GUI thread, not later in the writer
            from app.paths import default_index_dir

            index_dir = default_index_dir()
        self.index_dir = Path(index_dir)
        self._index = None  # SearchIndex, made in the writer thread on first use
        self._ready = False
        self._articles: list[Article] = []
        self._cache: dict[str, object] = {}  # article id -> app.search.scan folded texts
        self._generation = 0
        self._update: workers.IndexUpdateTask | None = None
        self._named, self._naming_total = 0, 0  # articles of the update given entities, of all
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
        self._arriving: deque[workers.EntityBatch] = deque()  # entities not yet given to their articles
        # (update, index) when the index on disk was found to hold the library being updated
        self._current_on_disk: tuple | None = None
        self._shut = False  # shut_down() was called: the window is closing
        self._folded.connect(self._keep_folded_out_of_gc)

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
        # an index opens without reading its articles' texts; read them here, off the search
        # thread, so that no search in the window waits for them. They go out of the cyclic
        # collector's reach as they are read, not only at the end: at 100k articles, full
        # collections walking those read so far were two gaps of 54 and 92 ms, and still 58 and
        # 87 ms with a freeze once the whole read was done.
        frozen = 0

        def read_so_far(read: int) -> None:
            nonlocal frozen
            if read - frozen >= FREEZE_EVERY:
                frozen = read
                self._ask_to_freeze()

        self._index.preload(read_so_far=read_so_far)
        self._ask_to_freeze()

    def set_articles(self, articles: list[Article]) -> None:
        """The loaded articles, for the scan used until the index is ready."""
        self._articles = list(articles)
        if self._cache:  # (empty while the indexer child scans: no set of 100,000 ids made here)
            live = set(map(attrgetter("id"), self._articles))
            # a scan in the search thread may be adding to the cache right now: copy it first (one
            # C call under the GIL) rather than iterate it here ("dictionary changed size" otherwise)
            cache = self._cache.copy()
            self._cache = {k: v for k, v in cache.items() if k in live}
        self._warm_generation += 1
        # decided once update_index() has been called too (right after this, when a library loads)
        QTimer.singleShot(0, self, self._plan_warming)

    def _child_scans(self) -> bool:
        """Whether queries go to the running indexer child (see :data:`CHILD_SCAN_MIN`)."""
        update = self._update
        return update is not None and update.worker.queries and not update.cancelled

    def _plan_warming(self) -> None:
        """Fold the library here ahead of the first scan, unless the indexer child scans or the
        window is closing (its cancelled update ending would otherwise hand the scans back here:
        the whole library folded while the window closed, ~300 MB at 100,000 articles)."""
        if not self._shut and not self._child_scans() and len(self._articles) > len(self._cache):
            self._start_warming()

    def _start_warming(self) -> None:
        """Fold the articles for the scan in a background thread, last first: the first search
        typed before the index is ready (which folds from the first article on) meets it half
        way instead of folding the whole library itself (a minute at 100,000 articles)."""
        generation = self._warm_generation
        articles, cache = self._articles, self._cache

        def warm() -> None:
            from app.search.scan import folded
            from app.store import load_paragraphs, unload_paragraphs

            read: list = []
            for n, article in enumerate(reversed(articles), 1):
                if generation != self._warm_generation:
                    break  # other articles now: a newer warming has started
                if n % WARM_READ == 1:
                    # articles opened lazily: their paragraphs read WARM_READ at a time in a few
                    # queries (one query each was most of the folding), let go once folded
                    unload_paragraphs(read)
                    start = len(articles) - n
                    read = load_paragraphs(a for a in articles[max(0, start - WARM_READ + 1):start + 1]
                                           if a.id not in cache)
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
                    self._ask_to_freeze()
            unload_paragraphs(read)
            if generation == self._warm_generation:
                self._ask_to_freeze()

        self._call(self.warm_pool, generation, warm)

    def update_index(self, sources: list) -> None:
        """Bring the index in line with ``sources`` in the background (cancelling an older update)."""
        self._ready = False
        self._current_on_disk = None
        self.cancel_indexing()
        from app.entity_cache import entity_cache_dir

        counts = [s.article_count() for s in sources]
        total = sum(counts)
        queries = total >= CHILD_SCAN_MIN
        task = workers.IndexUpdateTask(self.index_dir, sources, entity_cache_dir(self.index_dir), refresh=self._reload,
                                       queries=queries)
        self._check_current(task, sources, counts)
        self._running[task.signals] = task
        self._update = task
        self._named, self._naming_total = 0, total
        task.signals.progress.connect(self._on_index_progress)
        task.signals.entities_ready.connect(self._on_entities_ready)
        task.signals.finished.connect(self._on_index_finished)
        task.signals.failed.connect(self._on_index_failed)
        self.index_started.emit()
        self.writer_pool.start(task)

    def _check_current(self, update: workers.IndexUpdateTask, sources: list, counts: list[int]) -> None:
        """Search the index on disk at once if it already holds exactly ``sources`` (each one's
        index key and article count, ``counts``), made with this entity model and folding: a library opened
        again unchanged is searched by its index from the first second, while ``update`` only
        brings the entities to the window. Checked in the search thread, so a query typed
        meanwhile waits for the answer rather than for the indexer child's scan; and only once
        the window has painted the library it was called for (app.ui.after_paint): the check's
        ~30 ms of Python at 100k articles took the interpreter from the window's last steps of
        showing it (gaps of 51-57 ms in 4 of 4 reopenings)."""
        painted = threading.Event()
        after_paint(self.parent(), painted.set)

        def check():
            from app.search import SearchIndex

            painted.wait(CHECK_AFTER_PAINT_S)

            index = self._index if self._index is not None else SearchIndex(self.index_dir)
            # (made here, not on the GUI thread: 6 ms for 10,000 sources)
            wanted = {s.index_key: n for s, n in zip(sources, counts)}
            current = index.indexed_sources() == wanted
            if current:  # seen at once by the searches queued behind this check (same thread)
                self._current_on_disk = (update, index)
            return index, current

        def checked(found) -> None:
            self._running.pop(task.signals, None)
            index, current = found
            if current and update is self._update and not update.cancelled:
                if self._index is None:  # (else the writer thread made it meanwhile: the same index)
                    self._index = index
                self._ready = True
                self._plan_probe()

        task = self._call(self.search_pool, self._generation, check, finished=checked)

    def annotate_now(self, sources: list) -> None:
        """Fill the entities here and now, caching nothing (the screenshot run, which writes nothing)."""
        from app.entity_cache import annotate_sources

        annotate_sources(sources)  # on this thread: the articles are given their entities here
        self.entities_ready.emit([a.id for s in sources for a in s.articles])

    def _on_entities_ready(self, batch: workers.EntityBatch) -> None:
        """Entities the writer thread made: given to their articles here, on the GUI thread that
        reads them, then ``entities_ready`` with their ids. Batches are given in the order they
        came, at most ENTITY_PASS_S of each event-loop pass."""
        self._arriving.append(batch)
        if len(self._arriving) == 1:  # else it waits for the one being given
            self._give_entities()

    def _give_entities(self) -> None:
        end = time.perf_counter() + ENTITY_PASS_S
        while self._arriving:
            batch = self._arriving[0]
            if not batch.give(end):
                QTimer.singleShot(0, self, self._give_entities)
                return
            self._arriving.popleft()
            keep_out_of_gc()  # the new spans live as long as their articles (app.ui.process)
            # the scan's folded texts redo their person:/place:/org: fields when next read; the
            # folded body stays (dropping it made every scan during indexing refold the library)
            self.entities_ready.emit(batch.ids)
            if self._update is not None and not self._update.cancelled and self._naming_total:
                self._named = min(self._named + len(batch.ids), self._naming_total)
                self.names_progress.emit(self._named, self._naming_total)

    def _ask_to_freeze(self) -> None:
        """From the folding or search thread: have the GUI thread move the folded texts out of the
        cyclic collector's reach (:mod:`app.ui.process`)."""
        try:
            self._folded.emit()
        except RuntimeError:  # the window is gone (this object with it): nothing is kept
            pass

    def _keep_folded_out_of_gc(self) -> None:
        keep_out_of_gc()

    def cancel_indexing(self) -> None:
        if self._update is not None:
            self._update.cancel()

    def _call(self, pool: QThreadPool, generation: int, function, finished=None, failed=None) -> workers.CallTask:
        """Run ``function()`` on ``pool`` as a task kept in ``_running`` until it reports; its
        answer goes to ``finished``, its failure to ``failed`` (each of which drops the task, as
        :meth:`_take` does); without them the report only drops it."""
        task = workers.CallTask(generation, function)
        self._running[task.signals] = task

        def drop(_report, signals=task.signals) -> None:
            self._running.pop(signals, None)

        task.signals.finished.connect(finished or drop)
        task.signals.failed.connect(failed or drop)
        pool.start(task)
        return task

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
        was_ready = self._ready  # (found current on disk when the update began: probed then)
        self._ready = not stats.cancelled and not stats.locked
        if stats.notice:
            log.warning("search index: %s", stats.notice)
        if not self._ready:
            self._plan_warming()  # scans are made here again
        elif not was_ready:
            self._plan_probe()
        self.index_finished.emit(stats)

    def _on_index_failed(self, message: str) -> None:
        task = self._take()
        if task is None or task is not self._update:
            return
        self._update = None
        self._ready = False
        self._plan_warming()
        self.index_failed.emit(message)

    def shut_down(self) -> None:
        """Cancel the update and close the index after the writer's last task, never waiting here."""
        self.cancel_indexing()
        self._generation += 1
        self._warm_generation += 1  # the warming stops at its next article
        self._ready = False
        self._shut = True

        def close() -> None:
            if self._index is not None:
                self._index.close()

        self.writer_pool.start(close)

    def _plan_probe(self) -> None:
        """Learn how fast the index, now ready, answers, before the reader's first search
        (:mod:`app.ui.search.probe`); unless a search is asked meanwhile."""
        generation = self._generation
        QTimer.singleShot(PROBE_DELAY_MS, self, lambda: self._probe(generation))

    def _probe(self, generation: int) -> None:
        index = self._index if self._ready else None
        if index is None or self._shut or generation != self._generation:
            return  # not ready any more, closing, or a search has been asked: it measures itself
        from app.ui.search.probe import PROBE_TITLES, probe_queries, time_queries

        queries = probe_queries(a.title for a in self._articles[:PROBE_TITLES])
        if not queries:
            return  # no Chinese in the headlines: nothing a reader would type first

        def probe() -> list[tuple[str, float]]:
            from app.search.analysis import prepare_folding

            prepare_folding()  # (else made by the first search)
            return time_queries(lambda q: ask_index(index, q).took_ms, queries,
                                stop=lambda: generation != self._generation or self._shut)

        self._call(self.search_pool, generation, probe, finished=self._on_probed)

    def _on_probed(self, timings: list[tuple[str, float]]) -> None:
        self._take()
        if timings and not self._shut:
            self.probed.emit(timings)

    # -- queries ---------------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    def search(self, query: str) -> int:
        """Start searching ``query`` off the GUI thread; returns its generation number."""
        self._generation += 1
        generation = self._generation
        index = self._index if self._ready else None
        update = self._update if index is None and self._child_scans() else None
        articles, cache = self._articles, self._cache

        def search() -> SearchOutcome | None:
            nonlocal index, update
            if generation != self._generation:
                return None  # a newer query came while this one waited its turn: skip it
            early = self._current_on_disk
            if index is None and early is not None and early[0] is self._update:
                index, update = early[1], None  # the index on disk holds this library (_check_current)
            # The GUI thread folds the query to mark its hits when they arrive; the table that
            # takes (80 ms to build, once) and the expression (~20 ms to compile) are made here,
            # not there, when the child scans.
            from app.search.analysis import prepare_folding

            prepare_folding()
            if update is not None:
                result = ask_child(update, query)
                if result is not None:
                    return SearchOutcome(generation, query, result, False)
                if generation != self._generation:
                    return None  # cleared, closed or superseded meanwhile
                if update.worker.ended and update.done.wait(INDEX_SWITCH_WAIT_S) and update.refreshed:
                    index = self._index  # the update finished meanwhile: its index answers
            self._scanning = index is None
            before = len(cache)
            try:
                result, via_index = run_query(index, articles, query, cache)
            finally:
                self._scanning = False
            if len(cache) - before >= FREEZE_EVERY:
                self._ask_to_freeze()  # the scan folded much of the library itself (see _start_warming)
            return SearchOutcome(generation, query, result, via_index, index if via_index else None)

        self._call(self.search_pool, generation, search, self._on_searched, self._on_search_failed)
        return generation

    def matching_ids_call(self, queries: list[str]):
        """A function for a worker thread: every article id each of ``queries`` matches (not only
        the first ones listed), from the index when it is ready, else by the scan here; while the
        indexer child scans a large library, None (the caller waits for the index, after which the
        window searches again)."""
        index = self._index if self._ready else None
        if index is None and self._child_scans():
            return lambda: None
        articles, cache = self._articles, self._cache

        def match() -> list[list[str]] | None:
            from app.search.scan import matching_ids

            if self._shut:  # the window is closing: its index closed, nothing to count for
                return None
            if index is not None:
                return [index.matching_ids(q) for q in queries]
            return [matching_ids(articles, q, cache) for q in queries]
        return match

    def drop_pending(self) -> None:
        """Forget the queries under way, and the rest of hits still being made (the search was
        cleared, or typed on: the next query is waiting out the box's debounce)."""
        self._generation += 1

    def _on_searched(self, outcome: SearchOutcome | None) -> None:
        self._take()
        if outcome is None or outcome.generation != self._generation:
            return  # a newer query was asked meanwhile: this answer is stale
        self._quiet_until = time.monotonic() + RESULTS_QUIET_S
        self.results_ready.emit(outcome)
        if getattr(outcome.result, "pending", None) is not None and outcome.index is not None:
            # once the window has painted the first hits: made meanwhile, the rest took the
            # interpreter from that paint (app.ui.after_paint)
            after_paint(self.parent(), lambda: self._complete(outcome))

    def _complete(self, outcome: SearchOutcome) -> None:
        """Make the rest of ``outcome``'s hits in the search thread and deliver them all, as a
        second answer to the same query (dropped, like any, once a newer query is asked)."""
        generation = outcome.generation

        def complete() -> SearchOutcome | None:
            if generation != self._generation:
                return None
            full = outcome.index.complete(outcome.result, cancel=lambda: generation != self._generation)
            if full is None:  # cancelled (dropped below), or the index changed: the first hits are all
                full = replace(outcome.result, pending=None)
            return replace(outcome, result=full, rest=True)

        self._call(self.search_pool, generation, complete, self._on_searched, self._on_search_failed)

    def _on_search_failed(self, message: str) -> None:
        task = self._take()
        if task is not None and task.generation == self._generation:
            self.search_failed.emit(message)
