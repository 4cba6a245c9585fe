"""One export chosen in the Export dialog, run off the GUI thread with a progress dialog.

An existing file is never replaced without asking: the export first runs without ``force``, and
when the core reports that a target exists the user is asked (``errors.ask_yes_no``) before it
runs again with ``force=True``. Cancel stops between articles and leaves nothing behind (the core
guarantees it). At the end the status bar says what was written and the user may open the
folder (:func:`open_folder`, which tests patch so nothing is launched).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from app.model import Article
from app.ui import errors, workers
from app.ui.export.dialog import ExportChoice

STATUS_MS = 10000
PROGRESS_DELAY_MS = 400  # a quick export finishes without a progress dialog flashing up


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class ExportRun(QObject):
    """Writes ``articles`` as ``choice`` says; ``ended`` reports how it went.

    ``ended(outcome)``: "done", "cancelled", "declined" (the user would not replace a file) or
    "failed". ``written`` holds the paths written when it is "done".
    """

    ended = Signal(str)

    def __init__(self, window: QMainWindow, articles: list[Article], choice: ExportChoice, run_now: bool = False):
        super().__init__(window)
        self.window = window
        self.articles = list(articles)
        self.choice = choice
        self.run_now = run_now
        self.task: workers.ExportTask | None = None
        self._tasks: list[workers.ExportTask] = []  # kept until this run goes: a pool thread may still hold one
        self.progress: QProgressDialog | None = None
        self.written: list[Path] = []
        self.outcome = ""

    # -- running ---------------------------------------------------------------------------------
    def start(self, force: bool = False) -> None:
        options = dataclasses.replace(self.choice.options, force=force)
        task = workers.ExportTask(self.articles, self.choice.fmt, self.choice.out, options)
        # bound methods of this GUI-thread object: the worker's signals arrive queued
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        task.signals.failed.connect(self._on_failed)
        task.signals.exists.connect(self._on_exists)
        task.signals.cancelled.connect(self._on_cancelled)
        self.task = task
        self._tasks.append(task)
        self._show_progress()
        self.window.statusBar().showMessage(self.tr("Exporting…"))
        workers.start(task, run_now=self.run_now)

    def cancel(self) -> None:
        if self.task is not None and self.running:
            self.task.cancelled = True

    @property
    def running(self) -> bool:
        return not self.outcome

    def _show_progress(self) -> None:
        total = len(self.articles)
        dialog = QProgressDialog(self.window)
        dialog.setWindowTitle(self.tr("Exporting"))
        dialog.setMinimumWidth(360)
        dialog.setLabelText(self.tr("Exporting 1 article…") if total == 1
                            else self.tr("Exporting {n} articles…").format(n=total))
        dialog.setRange(0, total)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        self.progress = dialog

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _end(self, outcome: str) -> None:
        self.outcome = outcome
        self.ended.emit(outcome)

    # -- what the worker reports -----------------------------------------------------------------
    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None and not self.progress.wasCanceled():
            if done < total:
                self.progress.setLabelText(self.tr("Writing article {done} of {total}…").format(
                    done=done + 1, total=total))
            self.progress.setValue(done)  # last: a shown modal progress dialog processes events here

    def _on_exists(self, path: Path) -> None:
        self._close_progress()
        self.window.statusBar().clearMessage()
        if self.choice.options.per_article:
            question = self.tr("Some of these files already exist in {folder}, for example “{name}”.\n\n"
                               "Do you want to replace them?").format(folder=path.parent, name=path.name)
        else:
            question = self.tr("{path} already exists.\n\nDo you want to replace it?").format(path=path)
        if errors.ask_yes_no(self.window, self.tr("Replace Existing Files?"), question):
            self.start(force=True)
        else:
            self.window.statusBar().showMessage(self.tr("Nothing was exported; the existing files are unchanged."),
                                                STATUS_MS)
            self._end("declined")

    def _on_finished(self, paths: list[Path]) -> None:
        self._close_progress()
        self.written = list(paths)
        folder = self.choice.out if self.choice.options.per_article else self.choice.out.parent
        if len(paths) == 1:
            done = self.tr("Exported to {path}").format(path=paths[0])
        else:
            done = self.tr("Exported {n} files to {folder}").format(n=len(paths), folder=folder)
        self.window.statusBar().showMessage(done, STATUS_MS)
        self._end("done")
        if errors.ask_yes_no(self.window, self.tr("Export Finished"),
                             done + "\n\n" + self.tr("Open the folder that holds the export?")):
            open_folder(folder)

    def _on_failed(self, message: str) -> None:
        self._close_progress()
        self.window.statusBar().clearMessage()
        self._end("failed")
        errors.show_error(self.window, self.tr("Export failed"), message)

    def _on_cancelled(self) -> None:
        self._close_progress()
        self.window.statusBar().showMessage(self.tr("Export cancelled; no file was written."), STATUS_MS)
        self._end("cancelled")
