"""Background work on the ``QThreadPool``: each task is a ``QRunnable`` with a signals ``QObject``.

Reading and splitting sources runs off the GUI thread. ``run_now=True`` runs the same task body
directly (a single small page at start-up, the screenshot, tests): one code path either way.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.library import Library, expand_paths
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


def start(task: QRunnable, run_now: bool = False) -> None:
    if run_now:
        task.run()
    else:
        QThreadPool.globalInstance().start(task)


__all__ = ["LoadSourcesTask", "LoadSignals", "start"]
