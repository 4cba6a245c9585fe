"""Opening sources in the window: one code path for the menu, a drop, the recent list, a reload
and the command line, and the remembered sources that are missing.

A part of :class:`~app.ui.main_window.MainWindow` kept in its own file. Files are read and split
off the GUI thread (:class:`~app.ui.workers.LoadSourcesTask`); merging a load into the open
sources is :func:`app.library.merge_sources`; a large load is taken in over several event-loop
passes so the GUI thread is never held long.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData, QTimer
from PySide6.QtWidgets import QFileDialog

from app.library import MERGE_STEP, LoadedSource, merge_sources
from app.model import Article
from app.paths import sample_page
from app.sources import SourceError
from app.ui import errors, process, source_errors, workers
from app.ui.after_paint import after_paint
from app.ui.article_list.model import LONG_STEP_NEXT
from app.ui.article_list.missing_sources import relocated

translate = QCoreApplication.translate  # lupdate reads translate("MainWindow", "…") calls

STEPWISE_MIN = 20_000  # articles from which a load is taken in over several event-loop passes
PASS_BUDGET_S = 0.008  # of the GUI thread per pass, when a load is taken in over several
STEPWISE_STEP = 10_000  # articles per step of filling the list (~5 ms)
SOURCE_FILTER_SUFFIXES = "*.txt *.text"


class SourcesMixin:
    # Texts are translated in the "MainWindow" context, spelled out: at run time ``self.tr`` looks
    # them up under the window's class, but lupdate would file ``self.tr`` here under this class.
    # -- opening sources (one code path: menu, drop, recent, reload, command line) -----------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, translate("MainWindow", "Open Newspaper Pages"), self._last_dir(),
            translate("MainWindow", "Text files ({patterns});;All files (*)").format(patterns=SOURCE_FILTER_SUFFIXES))
        if paths:
            self.open_paths(paths)

    def choose_folder(self) -> None:
        title = translate("MainWindow", "Open a Folder of Pages")
        folder = QFileDialog.getExistingDirectory(self, title, self._last_dir())
        if folder:
            self.open_paths([folder], expand_folders=True)

    def _last_dir(self) -> str:
        recent = self.settings.recent_files
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_paths(self, paths: list[str], expand_folders: bool = False, replace: bool = False,
                   run_now: bool = False) -> None:
        """Read ``paths`` off the GUI thread (or at once with ``run_now``) and add them to the library.

        Paths are made absolute first: a file opened as ``pages/p.txt`` from one folder must be
        found again when the program next starts from another."""
        paths = [os.path.abspath(p) for p in paths]
        task = workers.LoadSourcesTask(paths, expand_folders)
        self._tasks[task.signals] = (task, replace)
        # bound methods of this window: the results arrive on the GUI thread, queued
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_loaded)
        task.signals.failed.connect(self._on_failed)
        self.statusBar().showMessage(translate("MainWindow", "Opening…"))
        workers.start(task, run_now=run_now)

    def reload(self) -> None:
        paths = [s.source.path for s in self.sources]
        if paths:
            self.open_paths(paths, replace=True)

    def handle_drop(self, mime: QMimeData) -> bool:
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if not paths:
            return False
        self.open_paths(paths, expand_folders=True)
        return True

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        if self.handle_drop(event.mimeData()):
            event.acceptProposedAction()

    def _on_progress(self, done: int, total: int) -> None:
        if total > 1:
            text = translate("MainWindow", "Opening {done} of {total}…").format(done=done, total=total)
            self.statusBar().showMessage(text)

    def _finish_task(self) -> bool:
        """Forget the task whose signal is being handled; return whether it replaces the library."""
        _task, replace = self._tasks.pop(self.sender(), (None, False))
        return replace

    def _on_loaded(self, loaded: list[LoadedSource], errs: list[SourceError]) -> None:
        self._loads.append((self._finish_task(), loaded, errs))
        if len(self._loads) == 1:  # else it waits for the one being shown (see _next_load)
            self._next_load()

    def _next_load(self) -> None:
        """Take in the first waiting load: at once when small, else over several event-loop passes
        (in one piece, taking in 100,000 articles held the GUI thread ~150 ms)."""
        replace, loaded, errs = self._loads[0]
        steps = self._take_in(replace, loaded, errs)
        size = sum(len(s.articles) for s in loaded) + (0 if replace else self.panel.model.rowCount())
        if size < STEPWISE_MIN:
            for _step in steps:
                pass
        else:
            self._run_in_passes(steps)

    def _run_in_passes(self, steps, long_next: bool = False) -> None:
        """Run ``steps`` (a generator) for up to PASS_BUDGET_S of this pass, the rest in later ones.
        A step that the last one's time says would end past the budget waits for the next pass:
        stopping only once past it, a pass ran its budget and then one more step, 16-21 ms at
        100k articles (steps of 4-13 ms), and Qt handled two such passes and a paint between two
        ticks of its timers (gaps of 47-52 ms on reopening 100k articles). A step announced as
        long (:data:`~app.ui.article_list.model.LONG_STEP_NEXT`: the list's reset) runs first in
        a pass of its own, and the next pass waits until the window has painted what it changed."""
        last = time.perf_counter()
        end = last + PASS_BUDGET_S
        for step in steps:
            if long_next:  # the long step just ran: its paint first, then the rest
                after_paint(self, lambda: self._run_in_passes(steps))
                return
            if step is LONG_STEP_NEXT:
                QTimer.singleShot(0, self, lambda: self._run_in_passes(steps, long_next=True))
                return
            now = time.perf_counter()
            if now + (now - last) >= end:
                QTimer.singleShot(0, self, lambda: self._run_in_passes(steps))
                return
            last = now

    def _take_in(self, replace: bool, loaded: list[LoadedSource], errs: list[SourceError]):
        """Add a load's sources to the open ones and show the library, as a generator of short
        steps; at the end the next waiting load starts. A load with a newer one waiting adds its
        sources but leaves showing them to that one."""
        try:
            sources = yield from merge_sources([] if replace else self.sources, loaded, MERGE_STEP)
            self.sources = sources
            if len(self._loads) > 1:  # the newer load shows these sources with its own
                self._note_loaded(loaded)
                self._end_loaded(errs)
                return
            keep = self.panel.current_id() or self._pending_article
            articles: list[Article] = []
            for start in range(0, len(sources), MERGE_STEP):
                articles.extend(a for s in sources[start:start + MERGE_STEP] for a in s.articles)
                yield
            yield from self.panel.set_articles_in_steps(articles, keep, STEPWISE_STEP)
            yield
            if self.panel.current_id() is None:
                self.panel.select_first()
                yield
            self._pending_article = ""
            self._note_loaded(loaded)
            yield
            # last, what starts work in other threads (indexing, searching, counting names): from
            # here on the GUI thread shares the interpreter with them
            self._hand_to_search(articles)
            yield
            if self.panel.search.query:
                self.search(self.panel.search.query)  # the new articles may match
            self._end_loaded(errs)
        finally:
            self._loads.pop(0)
            if self._loads:
                QTimer.singleShot(0, self, self._next_load)

    def _hand_to_search(self, articles: list[Article]) -> None:
        """The listed library's articles to the search, and its sources to the index update (a
        load taken in, sources closed, a page corrected). Then the lists that the list, its model,
        the search and the update keep of the library (100k references each at 100k articles)
        leave the cyclic collector's reach: the first full collection after a load, in whichever
        thread, walked them all (38-92 ms at 100k, the GUI thread waiting for the interpreter
        meanwhile; app.ui.process)."""
        self.library_search.set_articles(articles)
        if self._indexing:
            self.library_search.update_index(self.sources)
        process.keep_out_of_gc()

    def _note_loaded(self, loaded: list[LoadedSource]) -> None:
        """Remember the loaded files and update the status."""
        if loaded and self._remember:
            self.settings.add_recent([s.source.path for s in loaded])
        self.statusBar().clearMessage()
        self._update_status()
        self.corrections.note_loaded(loaded)  # corrections that no longer fit or could not be read
        self._save_sources()

    def _end_loaded(self, errs: list[SourceError]) -> None:
        """Tell about the files that could not be opened, and say the load is taken in."""
        if errs:
            title = (translate("MainWindow", "Cannot open a file") if len(errs) == 1
                     else translate("MainWindow", "Cannot open some files"))
            errors.show_error(self, title, self._describe(errs))
        self.loading_finished.emit()

    def _describe(self, errs: list[SourceError]) -> str:
        line = translate("MainWindow", "{file}: {reason}")
        lines = [line.format(file=e.path, reason=source_errors.reason(e)) for e in errs]
        others = translate("MainWindow", "The other files are open.") if self.sources else ""
        return "\n".join(lines + ([others] if others else []))

    def _on_failed(self, message: str) -> None:
        self._finish_task()
        self.statusBar().clearMessage()
        errors.show_error(self, translate("MainWindow", "Opening failed"), message)
        self.loading_finished.emit()

    def _fill_recent(self) -> None:
        self.menu_recent.clear()
        recent = self.settings.recent_files
        for path in recent:
            act = self.menu_recent.addAction(Path(path).name)
            act.setToolTip(path)
            act.setStatusTip(path)
            act.triggered.connect(lambda _=False, p=path: self.open_paths([p], expand_folders=True))
        if not recent:
            empty = self.menu_recent.addAction(translate("MainWindow", "No recent files"))
            empty.setEnabled(False)
        self.menu_recent.addSeparator()
        self.menu_recent.addAction(self.act_clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()

    def _save_sources(self) -> None:
        if not self._remember:
            return
        paths = [s.source.path for s in self.sources]
        if self._sample_stands_in(paths):
            paths = []  # the sample stood in for a library whose files are missing: not part of it
        self.settings.sources = paths + [p for p in self.missing_sources if p not in paths]

    def _sample_stands_in(self, paths: list[str] | None = None) -> bool:
        """The bundled sample is open (``paths``, the open sources' paths) only because every
        remembered source is missing."""
        if paths is None:
            paths = [s.source.path for s in self.sources]
        return bool(self.missing_sources) and paths == [str(sample_page())]

    # -- remembered sources that are missing -----------------------------------------------------
    def set_missing_sources(self, paths: list[str]) -> None:
        """Remembered sources not found at start: listed over the article list, kept in the settings."""
        self.missing_sources = list(dict.fromkeys(paths))
        self.missing_bar.set_missing(self.missing_sources)

    def locate_missing(self, path: str) -> None:
        """Ask where ``path`` went; the chosen file (and missing files found beside it) are opened."""
        folder = Path(path).parent
        while not folder.is_dir() and folder != folder.parent:  # the nearest folder still there
            folder = folder.parent
        start = str(folder) if folder.is_dir() else self._last_dir()
        chosen, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Locate {name}").format(name=Path(path).name), start,
            translate("MainWindow", "Text files ({patterns});;All files (*)").format(patterns=SOURCE_FILTER_SUFFIXES))
        if chosen:
            self.relocate(relocated(self.missing_sources, path, chosen))

    def relocate(self, moves: dict[str, str]) -> None:
        """Missing sources found again ({old path: new path}): open them, forget the old paths."""
        stand_in = self._sample_stands_in()
        self.set_missing_sources([p for p in self.missing_sources if p not in moves])
        self.open_paths(list(moves.values()), replace=stand_in)  # the files replace a stand-in sample

    def remove_missing(self, paths: list[str]) -> None:
        """Forget missing sources the user removed from the library."""
        self.set_missing_sources([p for p in self.missing_sources if p not in paths])
        self._save_sources()
