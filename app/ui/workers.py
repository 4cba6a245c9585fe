"""Background work on the ``QThreadPool``: each task is a ``QRunnable`` with a signals ``QObject``.

Reading and splitting sources, exporting articles, updating the search index and searching run
off the GUI thread. ``run_now=True`` runs the same task body
directly (a single small page at start-up, the screenshot, tests): one code path either way.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.export import ExportCancelled, ExportError, ExportExists, ExportOptions, export_articles
from app.library import Library, expand_paths
from app.model import Article
from app.sources import SourceError

log = logging.getLogger("baozhi.ui")


class LoadSignals(QObject):
    progress = Signal(int, int)  # sources done, sources total
    finished = Signal(object, object)  # list[LoadedSource], list[SourceError]
    failed = Signal(str)  # an unexpected error, as text


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
            library = Library()
            files = expand_paths(self.paths) if self.expand_folders else [Path(p) for p in self.paths]
            errors: list[SourceError] = []
            for done, path in enumerate(files, 1):
                if self.cancelled:
                    break
                try:
                    library.add(path)
                except SourceError as err:
                    errors.append(err)
                self.signals.progress.emit(done, len(files))
            self.signals.finished.emit(list(library.sources), errors)
        except Exception:  # noqa: BLE001 - anything else goes to the one error path
            details = traceback.format_exc()
            log.error("loading failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])


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


class IndexSignals(QObject):
    progress = Signal(int, int)  # articles indexed, articles total
    entities_ready = Signal(object)  # list[str]: ids of articles whose entities were just filled
    finished = Signal(object)  # app.search.UpdateStats
    failed = Signal(str)  # an unexpected error, as text


class IndexUpdateTask(QRunnable):
    """Bring the search index up to date with ``sources``; ``cancelled`` stops between sources.

    ``open_index`` gives the :class:`~app.search.SearchIndex` (made on first use, in the writer
    thread). Run only on the window's one-thread writer pool, so index writes never overlap.
    With ``entity_cache`` the articles' entities are filled first (read from that cache folder,
    else recognised and cached), since the index's person:/place:/org: fields come from them;
    ``entities_ready`` reports each source's articles as soon as they have them.
    """

    def __init__(self, open_index: Callable[[], object], sources: list, entity_cache: Path | None = None):
        super().__init__()
        self.open_index = open_index
        self.sources = list(sources)
        self.entity_cache = entity_cache
        self.signals = IndexSignals()
        self.cancelled = False
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            if self.cancelled:  # cancelled while waiting its turn: the index is left as it was
                from app.search import UpdateStats

                self.signals.finished.emit(UpdateStats(cancelled=True))
                return
            index = self.open_index()
            if self.entity_cache is not None:
                self.annotate(set(index.indexed_sources()))
            stats = index.update(self.sources, progress=self.signals.progress.emit, cancel=lambda: self.cancelled)
            self.signals.finished.emit(stats)
        except Exception:  # noqa: BLE001 - anything else goes to the one error path
            details = traceback.format_exc()
            log.error("indexing failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])


    def annotate(self, indexed: set[str]) -> None:
        """Fill the entities of every source: those the index holds first (usually straight from
        the cache), then the new ones the index needs."""
        from app.library import annotate_sources

        ordered = sorted(self.sources, key=lambda s: s.source.sha256 not in indexed)
        for loaded in ordered:
            if self.cancelled:
                return
            before = [a.entities for a in loaded.articles]
            annotate_sources([loaded], self.entity_cache, cancel=lambda: self.cancelled)
            if any(a.entities is not b for a, b in zip(loaded.articles, before)):
                self.signals.entities_ready.emit([a.id for a in loaded.articles])


class SearchSignals(QObject):
    finished = Signal(object)  # the search function's result
    failed = Signal(str)


class SearchTask(QRunnable):
    """Call ``search()`` off the GUI thread; ``generation`` tells the window which query it was."""

    def __init__(self, generation: int, search: Callable[[], object]):
        super().__init__()
        self.generation = generation
        self.search = search
        self.signals = SearchSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            self.signals.finished.emit(self.search())
        except Exception:  # noqa: BLE001
            details = traceback.format_exc()
            log.error("search failed:\n%s", details)
            self.signals.failed.emit(details.strip().splitlines()[-1])


def start(task: QRunnable, run_now: bool = False) -> None:
    if run_now:
        task.run()
    else:
        QThreadPool.globalInstance().start(task)


__all__ = ["ExportSignals", "ExportTask", "IndexSignals", "IndexUpdateTask", "LoadSignals", "LoadSourcesTask",
           "SearchSignals", "SearchTask", "start"]
