"""Background work on the ``QThreadPool``: each task is a ``QRunnable`` with a signals ``QObject``.

Reading and splitting sources, exporting articles, updating the search index and searching run
off the GUI thread. ``run_now=True`` runs the same task body
directly (a single small page at start-up, the screenshot, tests): one code path either way.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from typing import Callable, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app import index_worker
from app.export import ExportCancelled, ExportError, ExportExists, ExportOptions, export_articles
from app.library import Library, expand_paths, open_sources
from app.model import Article, EntitySpan, PackedSpans
from app.sources import SourceError
from app.ui.process import keep_out_of_gc

log = logging.getLogger("baozhi.ui")

FREEZE_EVERY_FILES = 50  # loaded files between moves of the library out of the cyclic GC's reach
LOAD_STEP = 500  # files opened per step of a load (progress is reported, and a cancel seen, between steps)


class LoadSignals(QObject):
    """A load's reports. Made on the GUI thread, so its own slots below run there: the loaded
    articles leave the cyclic collector's reach on the GUI thread (:mod:`app.ui.process`), every
    :data:`FREEZE_EVERY_FILES` files and at the end, before the window takes them in."""

    progress = Signal(int, int)  # sources done, sources total
    finished = Signal(object, object)  # list[LoadedSource], list[SourceError]
    failed = Signal(str)  # an unexpected error, as text

    def __init__(self) -> None:
        super().__init__()
        self.progress.connect(self._keep_loaded_out_of_gc)  # connected first: runs before the window's slot
        self.finished.connect(self._keep_all_out_of_gc)

    def _keep_loaded_out_of_gc(self, done: int, total: int) -> None:
        if done % FREEZE_EVERY_FILES == 0:
            keep_out_of_gc()

    def _keep_all_out_of_gc(self, _loaded: object, _errors: object) -> None:
        keep_out_of_gc()


class LoadSourcesTask(QRunnable):
    """Read and split ``paths`` into a fresh :class:`Library`; report the loaded sources and errors."""

    def __init__(self, paths: list[str], expand_folders: bool = False):
        super().__init__()
        self.paths = list(paths)
        self.expand_folders = expand_folders
        self.signals = LoadSignals()
        self.cancelled = False
        self.setAutoDelete(False)  # Python keeps the reference until ``finished`` arrives

    def run(self) -> None:
        try:
            library = Library(lazy=True)
            files = expand_paths(self.paths) if self.expand_folders else [Path(p) for p in self.paths]
            store, corrections = library.article_store(), library.correction_store()
            loaded: list = []
            errors: list[SourceError] = []
            # Lazily: a source the article store keeps is not read or split, and its articles
            # come as heads (app.store.StoredArticle) whose paragraphs are read when shown,
            # searched or exported; new sources are split (in a pool of processes when many)
            # and kept. In steps of LOAD_STEP files, to report progress and stop when cancelled.
            # one pool for the whole load (its processes start only if a page needs splitting)
            with self._pool(len(files)) as executor:
                for start in range(0, len(files), LOAD_STEP):
                    if self.cancelled:
                        break
                    part = files[start:start + LOAD_STEP]

                    def progress(done: int, total: int, before: int = start, size: int = len(part)) -> None:
                        self.signals.progress.emit(before + done * size // max(total, 1), len(files))

                    got, errs = open_sources(part, store, corrections, lazy=True, heads=True, progress=progress,
                                             executor=executor)
                    loaded += got
                    errors += errs
                    self.signals.progress.emit(start + len(part), len(files))
            self.signals.finished.emit(loaded, errors)
        except Exception:  # noqa: BLE001 - anything else goes to the one error path
            details = traceback.format_exc()
            log.error("loading failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])


    @staticmethod
    def _pool(n_files: int):
        """A process pool for the splitting, or none (a few files, or one core)."""
        from contextlib import nullcontext

        from app.library import POOL_MIN_SOURCES, cpu_count, pool_context

        if n_files < POOL_MIN_SOURCES or cpu_count() < 2:
            return nullcontext(None)
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=cpu_count(), mp_context=pool_context())


class ExportSignals(QObject):
    progress = Signal(int, int)  # articles written, articles total
    finished = Signal(object)  # list[Path]: the files written
    failed = Signal(str)  # the ExportError's sentence (or an unexpected error, as text)
    exists = Signal(object)  # Path: a file to be written exists and overwriting was not allowed
    cancelled = Signal()  # stopped on request; nothing was left behind


class ExportTask(QRunnable):
    """Write ``articles`` with :func:`app.export.export_articles`; ``cancelled`` stops between articles."""

    def __init__(self, articles: list[Article], fmt: str, out: Path, options: ExportOptions):
        super().__init__()
        self.articles = list(articles)
        self.fmt = fmt
        self.out = Path(out)
        self.options = options
        self.signals = ExportSignals()
        self.cancelled = False
        self.setAutoDelete(False)

    def run(self) -> None:
        from app.store import load_paragraphs, unload_paragraphs

        # articles opened lazily: their paragraphs read in a few queries, not one per article,
        # and let go afterwards (an export of the whole library must not keep its text in memory)
        read = load_paragraphs(self.articles)
        try:
            paths = export_articles(self.articles, self.fmt, self.out, self.options,
                                    progress=self.signals.progress.emit, cancel=lambda: self.cancelled)
        except ExportCancelled:
            self.signals.cancelled.emit()
        except ExportExists as err:
            self.signals.exists.emit(Path(err.path))
        except ExportError as err:
            log.warning("export failed: %s", err)
            self.signals.failed.emit(str(err))
        except Exception:  # noqa: BLE001 - anything else goes to the one error path
            details = traceback.format_exc()
            log.error("export failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])
        else:
            self.signals.finished.emit(paths)
        finally:
            unload_paragraphs(read)


@dataclass(slots=True)
class EntityBatch:
    """Entities made in the writer thread for some articles, given to them on the GUI thread:
    ``spans[i]`` becomes ``articles[i].entities``. The GUI thread reads an article's entities (the
    reading pane, the list, the entity panel), so it is the only one that replaces them."""

    articles: list[Article] = field(default_factory=list)
    spans: list[list[EntitySpan]] = field(default_factory=list)
    given: int = 0  # articles given their entities so far

    STEP: ClassVar[int] = 1000  # articles given between looks at the clock (~0.1 ms)

    def __len__(self) -> int:
        return len(self.articles)

    @property
    def ids(self) -> list[str]:
        return [a.id for a in self.articles]

    def give(self, deadline: float) -> bool:
        """Give the articles their entities until ``deadline`` (a ``time.perf_counter()``; at least
        one step is given); whether all have them now."""
        articles, spans, n = self.articles, self.spans, self.given
        while n < len(articles):
            stop = min(n + self.STEP, len(articles))
            for i in range(n, stop):
                articles[i].entities = spans[i]
            n = stop
            if time.perf_counter() >= deadline:
                break
        self.given = n
        return n == len(articles)


class IndexSignals(QObject):
    progress = Signal(int, int)  # articles indexed, articles total
    entities_ready = Signal(object)  # EntityBatch: entities to give their articles on the GUI thread
    finished = Signal(object)  # app.search.UpdateStats
    failed = Signal(str)  # an unexpected error, as text


class IndexUpdateTask(QRunnable):
    """Bring the search index up to date with ``sources`` in a child process (app/index_worker.py).

    This thread only feeds the child and relays what it reports, so the GUI thread never competes
    with the recogniser or the index writer for the interpreter. With ``entity_cache`` the
    articles' entities are found first (the index's person:/place:/org: fields come from them);
    the child sends each source's as soon as it has them, this thread makes their spans, and
    ``entities_ready`` passes them on in batches (:class:`EntityBatch`), to be given to the
    articles on the GUI thread. ``refresh(stats)`` runs in this thread after a finished update (the window reloads its
    searcher there). :meth:`cancel` stops the child at once; the index is left as it was.
    Run only on the window's one-thread writer pool, so index writes never overlap.
    """

    ENTITY_BATCH_S = 0.25  # entities_ready at most this often while the child recognises
    # A large library's update (``queries``) starts this long after it is asked for: sending its
    # articles to the child is ~1.5 s of pickling at 100,000 articles, and begun at once it
    # shared the interpreter with the window's last steps of showing the library (50-57 ms gaps).
    # Queries asked meanwhile wait for the child (Worker.ask), as they do while the request is sent.
    START_DELAY_S = 0.3

    def __init__(self, index_dir: Path, sources: list, entity_cache: Path | None = None,
                 refresh: Callable[[object], None] | None = None, queries: bool = False):
        super().__init__()
        self.sources = list(sources)
        # with ``queries`` the child also answers searches while it works (worker.ask)
        self.worker = index_worker.Worker(index_dir, self.sources, entity_cache, queries=queries)
        self.refresh = refresh
        self.signals = IndexSignals()
        self.done = threading.Event()  # set when run() has ended (after refresh, before the signal)
        self.refreshed = False  # the update finished and refresh() ran: the index is current
        self._lock = threading.Lock()  # cancel() (GUI thread) against the start (this thread)
        self._cancel = threading.Event()  # set by cancel(); also ends the start delay early
        self.start_delay = self.START_DELAY_S if queries else 0.0
        self.setAutoDelete(False)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._cancel.set()
            self.worker.kill()

    def run(self) -> None:
        from app.search import UpdateStats

        try:
            if self.start_delay:
                self._cancel.wait(self.start_delay)
            with self._lock:
                if self.cancelled:  # cancelled while waiting its turn: the index is left as it was
                    self.signals.finished.emit(UpdateStats(cancelled=True))
                    return
                self.worker.start()
            outcome = self._relay()
            if self.cancelled:
                self.signals.finished.emit(UpdateStats(cancelled=True))
            elif isinstance(outcome, index_worker.Failed):
                log.error("indexing failed:\n%s", outcome.details or outcome.message)
                self.signals.failed.emit(outcome.message)
            else:
                fields = UpdateStats.__dataclass_fields__
                stats = UpdateStats(**{k: v for k, v in outcome.stats.items() if k in fields})
                if self.refresh is not None:
                    self.refresh(stats)
                self.refreshed = not stats.cancelled and not stats.locked
                self.done.set()
                self.signals.finished.emit(stats)
        except Exception:  # noqa: BLE001 - anything else goes to the one error path
            details = traceback.format_exc()
            log.error("indexing failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])
        finally:
            self.done.set()
            self.worker.close()

    def _relay(self) -> index_worker.Finished | index_worker.Failed:
        """Pass the child's reports on as signals; its last message (finished or failed)."""
        batch = EntityBatch()
        sent = time.monotonic()
        for event in self.worker.events():
            if isinstance(event, index_worker.Entities):
                self._add_spans(batch, event.source, event.spans)
                if batch and time.monotonic() - sent >= self.ENTITY_BATCH_S:
                    self.signals.entities_ready.emit(batch)
                    batch, sent = EntityBatch(), time.monotonic()
            elif isinstance(event, index_worker.Progress):
                if batch:
                    self.signals.entities_ready.emit(batch)
                    batch = EntityBatch()
                self.signals.progress.emit(event.done, event.total)
            elif isinstance(event, (index_worker.Finished, index_worker.Failed)):
                if batch:
                    self.signals.entities_ready.emit(batch)
                return event
        return index_worker.Failed("the indexer said nothing")  # not reached: events() always ends with one

    def _add_spans(self, batch: EntityBatch, number: int, spans: list) -> None:
        """Add source ``number``'s articles and the spans the child found for them to ``batch``
        (their entities are replaced on the GUI thread, not here)."""
        articles = self.sources[number].articles
        if len(spans) != len(articles):
            return
        # held compactly (PackedSpans: one string per name and type, not one per mention; the
        # numbers in an array): ~4 million spans at 100,000 articles took 0.4 GB as EntitySpans
        batch.articles.extend(articles)
        batch.spans.extend(map(PackedSpans, spans))


class CallSignals(QObject):
    finished = Signal(object)  # the function's result
    failed = Signal(str)


class CallTask(QRunnable):
    """Call ``function()`` off the GUI thread (a query, a library-wide count); ``generation``
    tells the caller which request it answers, so it can drop stale answers."""

    def __init__(self, generation: int, function: Callable[[], object]):
        super().__init__()
        self.generation = generation
        self.function = function
        self.signals = CallSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            self.signals.finished.emit(self.function())
        except Exception:  # noqa: BLE001
            details = traceback.format_exc()
            log.error("background call failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])


def start(task: QRunnable, run_now: bool = False) -> None:
    if run_now:
        task.run()
    else:
        QThreadPool.globalInstance().start(task)


__all__ = ["CallSignals", "CallTask", "EntityBatch", "ExportSignals", "ExportTask", "IndexSignals", "IndexUpdateTask",
           "LoadSignals", "LoadSourcesTask", "start"]
