"""The reading window: the article panel beside the reading pane, menus, status and memory.

Opening or reloading sources brings the search index up to date in the background
(:class:`~app.ui.library_search.LibrarySearch`, progress and cancel in the status bar). The search
box's settled queries run off the GUI thread; the latest one's hits replace the list and are
marked in the reading pane.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMainWindow, QMenu, QSplitter

from app.library import MERGE_STEP, Library, LoadedSource, merge_sources
from app.model import Article
from app.paths import sample_page
from app.sources import SourceError
from app.ui import errors, fonts, source_errors, theme, workers
from app.ui.article_panel import ArticlePanel, Showing
from app.ui.entity_browser import DOCK_WIDTH, EntityBrowser
from app.ui.hit_marks import longest_first, marked_terms
from app.ui.index_progress import IndexProgress
from app.ui.missing_sources import MissingSourcesBar, relocated
from app.ui.library_search import LibrarySearch, SearchOutcome
from app.ui.export_dialog import ExportChoice, ExportDialog
from app.ui.export_run import ExportRun
from app.ui.i18n import LANGUAGE_NAMES, Translations
from app.ui.reader import ReadingContext
from app.ui.reading_pane import ReadingPane
from app.ui.settings import ZOOM_DEFAULT, ZOOM_MAX, ZOOM_MIN, Settings

ZOOM_STEP = 10
STEPWISE_MIN = 20_000  # articles from which a load is taken in over several event-loop passes
PASS_BUDGET_S = 0.008  # of the GUI thread per pass, when a load is taken in over several
STEPWISE_STEP = 10_000  # articles per step of filling the list (~5 ms)
WARM_UP_MS = 300  # after the window is made: the reading pane loads its fonts (see ReaderView.warm_up)
SOURCE_FILTER_SUFFIXES = "*.txt *.text"


class MainWindow(QMainWindow):
    loading_finished = Signal()  # after every batch of sources has been taken in

    def __init__(self, settings: Settings, translations: Translations | None = None, parent=None,
                 index_dir: Path | None = None):
        super().__init__(parent)
        self.settings = settings
        self.translations = translations or Translations(QApplication.instance())
        self.library = Library()  # the open sources, in the order they were opened
        self._tasks: dict[workers.LoadSignals, tuple[workers.LoadSourcesTask, bool]] = {}
        # loads to take in, oldest first: (replace the library?, its sources, its errors); the
        # first is being taken in (see _next_load)
        self._loads: list[tuple[bool, list[LoadedSource], list[SourceError]]] = []
        self._pending_article = settings.last_article
        self._remember = True  # the screenshot run leaves the user's settings alone
        self._font_missing = not fonts.has_chinese_font()
        self._dark = False
        self._preview = None
        self._theme_name = settings.theme
        self._export_dialog: ExportDialog | None = None
        self._export_run: ExportRun | None = None
        self._indexing = True  # the screenshot run searches without writing an index
        self.library_search = LibrarySearch(index_dir, self)

        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.setFont(fonts.ui_font(QApplication.font().pointSizeF()))

        self.panel = ArticlePanel(self)
        # remembered sources not found at start: kept in the settings, listed over the list
        self.missing_sources: list[str] = []
        self.missing_bar = MissingSourcesBar(self.panel)
        self.panel.layout().insertWidget(0, self.missing_bar)
        self.missing_bar.locate_requested.connect(self.locate_missing)
        self.missing_bar.remove_requested.connect(self.remove_missing)
        self.reading_pane = ReadingPane(self)
        self.reader = self.reading_pane.reader
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(self.reading_pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([380, 900])
        self.setCentralWidget(self.splitter)

        self.index_progress = IndexProgress(self)
        self.index_progress.hide()
        self.statusBar().addPermanentWidget(self.index_progress)
        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)

        self.panel.current_article_changed.connect(self._show_article)
        self.panel.sort_mode_changed.connect(self._sync_sort_actions)
        self.reader.article_link_activated.connect(self.panel.select_article)
        search = self.panel.search
        search.set_recent(settings.recent_searches)
        search.query_changed.connect(self.search)
        search.cleared.connect(self.clear_search)
        search.next_hit_requested.connect(self.reader.next_hit)
        search.query_committed.connect(self._remember_query)
        self.library_search.results_ready.connect(self._on_results)
        self.library_search.search_failed.connect(self._on_search_failed)
        self.library_search.index_started.connect(self.index_progress.start)
        self.library_search.index_progress.connect(self.index_progress.set_progress)
        self.library_search.index_finished.connect(self._on_index_finished)
        self.library_search.index_failed.connect(self._on_index_failed)
        self.index_progress.cancel_requested.connect(self.library_search.cancel_indexing)

        self._create_actions()
        self._create_menus()
        self.entities = EntityBrowser(self, self.panel, self.reader)  # the dock; the list narrowed to a name
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.entities.dock)
        self.resizeDocks([self.entities.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.entities.dock.toggleViewAction())
        self.library_search.entities_ready.connect(self.entities.on_entities_ready)
        self.loading_finished.connect(self.entities.on_loaded)
        self.panel.showing_changed.connect(self._on_showing)
        self.reading_pane.show_font_notice(self._font_missing)
        self.retranslate()
        self._restore()
        self.apply_theme(settings.theme, save=False)
        QApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self.panel.view.setFocus()  # arrow keys and Page Up/Down work at once
        # the reading fonts loaded while the window is idle, not when the first article is shown
        QTimer.singleShot(WARM_UP_MS, self.reader, self.reader.warm_up)
        if settings.problem:  # told once, when the window starts; the old file was kept
            errors.show_error(self, self.tr("Settings could not be read"), settings.problem)

    @property
    def sources(self) -> list[LoadedSource]:
        return self.library.sources

    @sources.setter
    def sources(self, value: list[LoadedSource]) -> None:
        self.library.sources = value

    # -- actions and menus -----------------------------------------------------------------------
    def _declared_actions(self) -> list[tuple[str, str, tuple, object]]:
        """Every plain action once: (attribute, text, shortcuts, slot). Read when the actions are
        made, and again by :meth:`retranslate` for their texts in the new language."""
        K = QKeySequence.StandardKey
        return [
            ("act_open", self.tr("&Open Files…"), (K.Open,), self.choose_files),
            ("act_open_folder", self.tr("Open &Folder…"), ("Ctrl+Shift+O",), self.choose_folder),
            ("act_reload", self.tr("Re&load"), ("F5", "Ctrl+R"), self.reload),
            ("act_clear_recent", self.tr("&Clear List"), (), self._clear_recent),
            ("act_print", self.tr("&Print Article…"), (K.Print,), self.print_preview),
            ("act_export", self.tr("&Export Selected…"), ("Ctrl+E",), self.export_selected),
            ("act_quit", self.tr("&Quit"), ("Ctrl+Q",), self.close),
            ("act_find", self.tr("&Find"), (K.Find,), self.focus_search),
            ("act_find_next", self.tr("Find &Next"), ("F3",), self.reader.next_hit),
            ("act_find_previous", self.tr("Find &Previous"), ("Shift+F3",), self.reader.previous_hit),
            ("act_select_results", self.tr("Select &All Results"), ("Ctrl+Shift+A",), self.select_all_results),
            ("act_zoom_in", self.tr("Zoom &In"), ("Ctrl+=", "Ctrl++"),
             lambda: self.set_zoom(self.reader.zoom + ZOOM_STEP)),
            ("act_zoom_out", self.tr("Zoom &Out"), (K.ZoomOut,), lambda: self.set_zoom(self.reader.zoom - ZOOM_STEP)),
            ("act_zoom_reset", self.tr("&Actual Size"), ("Ctrl+0",), lambda: self.set_zoom(ZOOM_DEFAULT)),
            ("act_shortcuts", self.tr("&Keyboard Shortcuts"), ("F1",), self.show_shortcuts),
            ("act_about", self.tr("&About Baozhi Reader"), (), self.show_about),
            ("act_open_log", self.tr("Open &Log File"), (), self.open_log_file),
        ]

    def _choice_texts(self) -> dict[str, dict[str, str]]:
        """The texts of the checkable choices, by group and value (languages name themselves)."""
        return {
            "sort": {"page": self.tr("&Page Order"), "date": self.tr("&Date"), "title": self.tr("&Title")},
            "theme": {"system": self.tr("Follow &System"), "light": self.tr("&Light"), "dark": self.tr("&Dark")},
            "language": {"system": self.tr("Follow &System"), **LANGUAGE_NAMES},
        }

    def _action(self, slot, shortcuts=(), checkable=False) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _create_actions(self) -> None:
        for name, _text, shortcuts, slot in self._declared_actions():
            setattr(self, name, self._action(slot, shortcuts))
        self.act_select_results.setEnabled(False)
        slots = {"sort": lambda m: self.panel.set_sort_mode(m), "theme": self.apply_theme,
                 "language": self.set_language}
        self.choice_actions: dict[str, dict[str, QAction]] = {}
        for group_name, texts in self._choice_texts().items():
            group = QActionGroup(self)
            actions = self.choice_actions[group_name] = {}
            for value in texts:
                act = self._action(lambda _=False, f=slots[group_name], v=value: f(v), checkable=True)
                group.addAction(act)
                actions[value] = act
        self.sort_actions = self.choice_actions["sort"]
        self.theme_actions = self.choice_actions["theme"]
        self.language_actions = self.choice_actions["language"]
        self.sort_actions[self.panel.proxy.sort_mode].setChecked(True)
        self.language_actions[self.settings.language].setChecked(True)

    def _menu_texts(self) -> dict[str, str]:
        return {"menu_file": self.tr("&File"), "menu_edit": self.tr("&Edit"), "menu_view": self.tr("&View"),
                "menu_help": self.tr("&Help"), "menu_recent": self.tr("Open &Recent"),
                "menu_sort": self.tr("&Sort By"), "menu_theme": self.tr("&Theme"),
                "menu_language": self.tr("&Language")}

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_recent = QMenu(self)
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        for item in (self.act_open, self.act_open_folder, self.menu_recent, None, self.act_reload, None,
                     self.act_print, self.act_export, None, self.act_quit):
            self._add_to(self.menu_file, item)
        self.menu_edit = bar.addMenu("")
        for item in (self.act_find, self.act_find_next, self.act_find_previous, None, self.act_select_results):
            self._add_to(self.menu_edit, item)
        self.menu_view = bar.addMenu("")
        self.menu_sort = QMenu(self)
        self.menu_sort.addActions(list(self.sort_actions.values()))
        self.menu_theme = QMenu(self)
        self.menu_theme.addActions(list(self.theme_actions.values()))
        self.menu_language = QMenu(self)
        self.menu_language.addActions(list(self.language_actions.values()))
        for item in (self.menu_sort, None, self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset,
                     None, self.menu_theme, self.menu_language):
            self._add_to(self.menu_view, item)
        self.menu_help = bar.addMenu("")
        self.menu_help.addActions([self.act_shortcuts, self.act_open_log, self.act_about])

    @staticmethod
    def _add_to(menu: QMenu, item) -> None:
        if item is None:
            menu.addSeparator()
        elif isinstance(item, QMenu):
            menu.addMenu(item)
        else:
            menu.addAction(item)

    def retranslate(self) -> None:
        self._update_title()
        for name, text in self._menu_texts().items():
            getattr(self, name).setTitle(text)
        for name, text, _shortcuts, _slot in self._declared_actions():
            getattr(self, name).setText(text)
        for group_name, texts in self._choice_texts().items():
            for value, text in texts.items():
                self.choice_actions[group_name][value].setText(text)
        self._update_status()
        showing = self.panel.showing
        if showing.kind == "search":
            self.panel.set_count_text(self._count_text(showing.key))
        elif showing.kind == "entity":
            self.panel.set_count_text(self.entities.count_text(*showing.key, self.panel.proxy.rowCount()))
        self.reader.configure(theme.colors(self._dark), fonts.reading_family(), self.reader.zoom)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- opening sources (one code path: menu, drop, recent, reload, command line) -----------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open Newspaper Pages"), self._last_dir(),
            self.tr("Text files ({patterns});;All files (*)").format(patterns=SOURCE_FILTER_SUFFIXES))
        if paths:
            self.open_paths(paths)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a Folder of Pages"), self._last_dir())
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
        self.statusBar().showMessage(self.tr("Opening…"))
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
            self.statusBar().showMessage(self.tr("Opening {done} of {total}…").format(done=done, total=total))

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

    def _run_in_passes(self, steps) -> None:
        """Run ``steps`` (a generator) for up to PASS_BUDGET_S of this pass, the rest in later ones."""
        end = time.perf_counter() + PASS_BUDGET_S
        for _step in steps:
            if time.perf_counter() >= end:
                QTimer.singleShot(0, self, lambda: self._run_in_passes(steps))
                return

    def _take_in(self, replace: bool, loaded: list[LoadedSource], errs: list[SourceError]):
        """Add a load's sources to the open ones and show the library, as a generator of short
        steps; at the end the next waiting load starts. A load with a newer one waiting adds its
        sources but leaves showing them to that one."""
        try:
            sources = yield from merge_sources([] if replace else self.sources, loaded)
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
            self.library_search.set_articles(articles)
            if self._indexing:
                self.library_search.update_index(self.sources)
            yield
            if self.panel.search.query:
                self.search(self.panel.search.query)  # the new articles may match
            self._end_loaded(errs)
        finally:
            self._loads.pop(0)
            if self._loads:
                QTimer.singleShot(0, self, self._next_load)

    def _note_loaded(self, loaded: list[LoadedSource]) -> None:
        """Remember the loaded files and update the status."""
        if loaded and self._remember:
            self.settings.add_recent([s.source.path for s in loaded])
        self.statusBar().clearMessage()
        self._update_status()
        self._save_sources()

    def _end_loaded(self, errs: list[SourceError]) -> None:
        """Tell about the files that could not be opened, and say the load is taken in."""
        if errs:
            title = self.tr("Cannot open a file") if len(errs) == 1 else self.tr("Cannot open some files")
            errors.show_error(self, title, self._describe(errs))
        self.loading_finished.emit()

    def _describe(self, errs: list[SourceError]) -> str:
        lines = [self.tr("{file}: {reason}").format(file=e.path, reason=source_errors.reason(e)) for e in errs]
        others = self.tr("The other files are open.") if self.sources else ""
        return "\n".join(lines + ([others] if others else []))

    def _on_failed(self, message: str) -> None:
        self._finish_task()
        self.statusBar().clearMessage()
        errors.show_error(self, self.tr("Opening failed"), message)
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
            empty = self.menu_recent.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
        self.menu_recent.addSeparator()
        self.menu_recent.addAction(self.act_clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()

    # -- reading ---------------------------------------------------------------------------------
    def _show_article(self, article: Article | None) -> None:
        context = ReadingContext()
        if article is not None:
            context = ReadingContext(parent=self.panel.model.parent_of(article),
                                     related=self.panel.model.related_to(article))
            if self._remember:
                self.settings.last_article = article.id
        self.reader.show_article(article, context)
        self._update_title()

    def _update_title(self) -> None:
        """The article's headline; Qt adds the application's display name ("… — 报纸阅读器 Baozhi
        Reader"), which stands alone when no article is shown (the name said once, not twice)."""
        article = self.reader.article
        self.setWindowTitle(article.title if article is not None and article.title else "")

    def _sync_sort_actions(self, mode: str) -> None:
        self.sort_actions[mode].setChecked(True)

    # -- searching -------------------------------------------------------------------------------
    def search(self, query: str) -> int:
        """Search ``query`` off the GUI thread (the index when ready, else the open articles)."""
        return self.library_search.search(query)

    def clear_search(self) -> None:
        self.library_search.drop_pending()
        self.panel.clear_results()

    def _on_results(self, outcome: SearchOutcome) -> None:
        if not self.panel.search.query:
            return  # cleared while it ran
        result = outcome.result
        if getattr(result, "pinyin", False):  # found by pinyin: mark the Chinese it matched
            terms = longest_first(result.marks)
        else:
            terms = marked_terms(outcome.query)
        self.panel.show_results(result.hits, self._count_text(outcome), Showing("search", outcome, tuple(terms)))
        if outcome.result.notice:
            self.statusBar().showMessage(self.tr(
                "The search index could not be read; it is rebuilt when the sources are next opened."), 10000)

    def _on_showing(self, showing: Showing) -> None:
        """The list shows something else: the reading pane marks its terms, and its rows can be
        selected at once when it is a list of hits."""
        self.reading_pane.set_search_terms(list(showing.terms))
        self.act_select_results.setEnabled(showing.kind != "all" and self.panel.proxy.rowCount() > 0)

    def _count_text(self, outcome: SearchOutcome) -> str:
        result = outcome.result
        took = self.tr("{ms} ms").format(ms=f"{result.took_ms:.1f}")
        if result.total == 0:
            found = self.tr("No articles found")
        elif getattr(result, "pinyin", False):
            found = (self.tr("1 article by pinyin") if result.total == 1
                     else self.tr("{n} articles by pinyin").format(n=result.total))
        elif result.total > len(result.hits):
            found = self.tr("Showing {shown} of {total} articles").format(shown=len(result.hits), total=result.total)
        elif result.total == 1:
            found = self.tr("1 article")
        else:
            found = self.tr("{n} articles").format(n=result.total)
        return f"{found} · {took}"

    def _on_search_failed(self, message: str) -> None:
        errors.show_error(self, self.tr("Search failed"), message)

    def _remember_query(self, query: str) -> None:
        if self._remember:
            self.settings.add_recent_search(query)
            self.panel.search.set_recent(self.settings.recent_searches)
        else:
            recent = [query] + [q for q in self.panel.search.recent() if q != query]
            self.panel.search.set_recent(recent[:10])

    def select_all_results(self) -> None:
        if not self.panel.proxy.showing_results:
            return
        self.panel.select_all_rows()
        self.panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        n = len(self.panel.selected_articles())
        message = (self.tr("1 result selected; Export Selected… (Ctrl+E) exports it") if n == 1
                   else self.tr("{n} results selected; Export Selected… (Ctrl+E) exports them").format(n=n))
        self.statusBar().showMessage(message, 5000)

    def _on_index_finished(self, stats) -> None:
        self.index_progress.hide()
        if stats.cancelled:
            self.statusBar().showMessage(self.tr(
                "Indexing cancelled; searching goes on through the open articles."), 10000)
        elif stats.locked:
            self.statusBar().showMessage(self.tr(
                "Another Baozhi Reader is updating the search index; searching the open articles directly."), 15000)
        elif stats.notice:
            self.statusBar().showMessage(self.tr(
                "The search index was damaged or unusable and has been rebuilt."), 15000)
        if self.library_search.index_ready and self.panel.search.query:
            self.search(self.panel.search.query)  # the same query, now through the index

    def _on_index_failed(self, message: str) -> None:
        self.index_progress.hide()
        self.statusBar().showMessage(self.tr("Indexing failed ({error}); searching the open articles directly.")
                                     .format(error=message), 15000)

    def set_indexing(self, enabled: bool) -> None:
        self._indexing = enabled

    def focus_search(self) -> None:
        self.panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.panel.search.selectAll()

    def set_zoom(self, percent: int) -> None:
        percent = max(ZOOM_MIN, min(ZOOM_MAX, int(percent)))
        self.reader.configure(theme.colors(self._dark), fonts.reading_family(), percent)
        if self._remember:
            self.settings.zoom = percent
        self.statusBar().showMessage(self.tr("Zoom {percent}%").format(percent=percent), 2000)

    def print_preview(self) -> None:
        from app.ui.printing import open_print_preview

        self._preview = open_print_preview(self, self.reader.print_document(theme.LIGHT))

    # -- export ----------------------------------------------------------------------------------
    def export_selected(self) -> None:
        """Ask how to export the selected articles (or the current one when none is selected)."""
        if self._export_run is not None and self._export_run.running:
            return
        selected = self.panel.selected_articles()
        current = self.panel.current_article()
        articles = selected or ([current] if current is not None else [])
        if not articles:
            self.statusBar().showMessage(self.tr("There is no article to export."), 5000)
            return
        dialog = ExportDialog(self.settings, articles, from_selection=bool(selected), parent=self)
        dialog.accepted.connect(self._on_export_chosen)
        dialog.finished.connect(dialog.deleteLater)
        self._export_dialog = dialog
        dialog.open()  # window-modal; the GUI thread goes on

    def _on_export_chosen(self) -> None:
        dialog = self.sender()
        self.start_export(dialog.articles, dialog.choice())

    def start_export(self, articles: list[Article], choice: ExportChoice, run_now: bool = False) -> ExportRun:
        if self._export_run is not None and not self._export_run.running:
            self._export_run.deleteLater()
        run = ExportRun(self, articles, choice, run_now=run_now)
        run.ended.connect(self._on_export_ended)
        self._export_run = run
        self._update_export_action()
        run.start()
        return run

    def _on_export_ended(self, _outcome: str) -> None:
        self._update_export_action()

    def _update_export_action(self) -> None:
        busy = self._export_run is not None and self._export_run.running
        self.act_export.setEnabled(self.panel.model.rowCount() > 0 and not busy)

    # -- theme and language ----------------------------------------------------------------------
    def apply_theme(self, name: str, save: bool = True) -> None:
        self._dark = theme.apply_theme(QApplication.instance(), name)
        self.theme_actions.get(name, self.theme_actions["system"]).setChecked(True)
        self._theme_name = name
        if save and self._remember:
            self.settings.theme = name
        self.reader.configure(theme.colors(self._dark), fonts.reading_family(), self.reader.zoom)
        self.panel.view.viewport().update()

    def _on_system_scheme(self, *_args) -> None:
        if self._theme_name == "system":
            self.apply_theme("system", save=False)

    def set_language(self, language: str) -> None:
        self.translations.apply(language)  # Qt sends LanguageChange: every widget retranslates
        self.language_actions[language].setChecked(True)
        if self._remember:
            self.settings.language = language

    # -- status, help ----------------------------------------------------------------------------
    def _update_status(self) -> None:
        n_articles = self.panel.model.rowCount()
        n_sources = len(self.sources)
        articles = self.tr("1 article") if n_articles == 1 else self.tr("{n} articles").format(n=n_articles)
        sources = self.tr("1 source") if n_sources == 1 else self.tr("{n} sources").format(n=n_sources)
        self.count_label.setText(self.tr("{articles} from {sources}").format(articles=articles, sources=sources))
        self._update_export_action()

    def show_shortcuts(self) -> None:
        from app.ui.help_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self, self.actions())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_log_file(self) -> None:
        from app.ui import log_file

        opened, path = log_file.open_log_file()
        if not opened:
            errors.show_error(self, self.tr("Cannot open the log file"), str(path))

    def show_about(self) -> None:
        from app import __version__
        from app.ui.help_dialog import show_about

        show_about(self, __version__)

    # -- memory ----------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.geometry
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = self.settings.splitter
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        docks = self.settings.window_state
        if not docks.isEmpty():
            self.restoreState(docks)
        self.reader.configure(theme.colors(False), fonts.reading_family(), self.settings.zoom)
        # the list's order and the legend's ticks, as the user left them
        self.panel.set_sort_mode(self.settings.sort_mode)
        self.reading_pane.legend.set_shown_types(self.settings.shown_entity_types)
        self.panel.sort_mode_changed.connect(self._remember_sort_mode)
        self.reading_pane.legend.types_changed.connect(self._remember_entity_types)

    def _remember_sort_mode(self, mode: str) -> None:
        if self._remember:
            self.settings.sort_mode = mode

    def _remember_entity_types(self, types) -> None:
        if self._remember:
            self.settings.shown_entity_types = types

    def _save_sources(self) -> None:
        if not self._remember:
            return
        paths = [] if self._sample_stands_in() else [s.source.path for s in self.sources]
        self.settings.sources = paths + [p for p in self.missing_sources if p not in paths]

    def _sample_stands_in(self) -> bool:
        """The bundled sample is open only because every remembered source is missing."""
        return bool(self.missing_sources) and [s.source.path for s in self.sources] == [str(sample_page())]

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
            self, self.tr("Locate {name}").format(name=Path(path).name), start,
            self.tr("Text files ({patterns});;All files (*)").format(patterns=SOURCE_FILTER_SUFFIXES))
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

    def save_state(self) -> None:
        if not self._remember:
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter = self.splitter.saveState()
        self.settings.window_state = self.saveState()
        self.settings.zoom = self.reader.zoom
        self._save_sources()
        if self.panel.current_id():
            self.settings.last_article = self.panel.current_id()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for task, _replace in self._tasks.values():
            task.cancelled = True
        if self._export_run is not None:
            self._export_run.cancel()
        self.library_search.shut_down()
        self.save_state()
        super().closeEvent(event)

    def set_remember(self, remember: bool) -> None:
        self._remember = remember
