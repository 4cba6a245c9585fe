"""The reading window: the article panel beside the reading pane, menus, status and memory.

Opening or reloading sources brings the search index up to date in the background
(:class:`~app.ui.search.library_search.LibrarySearch`, progress and cancel in the status bar). The search
box's settled queries run off the GUI thread; the latest one's hits replace the list and are
marked in the reading pane. Its actions and menus (:mod:`app.ui.window_actions`) and the
opening of sources (:mod:`app.ui.window_sources`) and exporting (:mod:`app.ui.export.window_export`)
are parts of it kept in their own files.

Still ~500 lines: what is left is the wiring between the window's parts (list, reading pane,
search, entities, insight, marks) and the slots that pass one's signals to another; each slot is
short, and moved elsewhere it would need the window back to reach the others.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter

from app.library import Library, LoadedSource
from app.model import Article
from app.sources import SourceError
from app.ui import errors, workers
from app.ui.article_list.missing_sources import MissingSourcesBar
from app.ui.article_list.panel import ArticlePanel, Showing
from app.ui.corrections import WindowCorrections
from app.ui.entities.browser import DOCK_WIDTH, EntityBrowser
from app.ui.export.dialog import ExportDialog
from app.ui.export.run import ExportRun
from app.ui.export.window_export import ExportMixin
from app.ui.insight.window_insight import WindowInsight
from app.ui.reading import fonts
from app.ui.reading.pane import ReadingPane
from app.ui.reading.reader import ReadingContext
from app.ui.search.hit_marks import longest_first, marked_terms
from app.ui.search.index_progress import IndexProgress
from app.ui.search.library_search import LibrarySearch, SearchOutcome
from app.ui.settings import theme
from app.ui.settings.i18n import Translations
from app.ui.settings.store import ZOOM_MAX, ZOOM_MIN, Settings
from app.ui.window_actions import ActionsMixin
from app.ui.marks.saved_searches import SavedSearchCounts, SavedSearchPanel
from app.ui.marks.window_marks import WindowMarks
from app.ui.watch import WindowWatch
from app.ui.window_sources import STEPWISE_MIN, STEPWISE_STEP, SourcesMixin

WARM_UP_MS = 300  # after the window is made: the reading pane loads its fonts (see ReaderView.warm_up)


class MainWindow(ActionsMixin, SourcesMixin, ExportMixin, QMainWindow):
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
        search.textChanged.connect(lambda _text: self.library_search.drop_pending())  # typing: what is under way is stale
        search.cleared.connect(self.clear_search)
        search.next_hit_requested.connect(self.reader.next_hit)
        search.query_committed.connect(self._remember_query)
        self.library_search.results_ready.connect(self._on_results)
        self.library_search.search_failed.connect(self._on_search_failed)
        # the index's speed, once ready, before the first keystroke (and over what scans took before)
        self.library_search.probed.connect(lambda timings: [search.note_search_ms(ms, q) for q, ms in timings])
        self.library_search.index_started.connect(self.index_progress.start)
        self.library_search.index_progress.connect(self.index_progress.set_progress)
        self.library_search.names_progress.connect(self.index_progress.set_names_progress)
        self.library_search.index_finished.connect(self._on_index_finished)
        self.library_search.index_failed.connect(self._on_index_failed)
        self.index_progress.cancel_requested.connect(self.library_search.cancel_indexing)

        self.watch = WindowWatch(self)  # the watched folder (File ▸ Watch Folder…)
        self._create_actions()
        self._create_menus()
        # the reader's corrections of the splitter: the Article menu, the reading pane's context
        # menu, Edit ▸ Undo / Redo
        self.corrections = WindowCorrections(self)
        self.corrections.install(self.menuBar(), self.menu_edit, self.menu_view)
        # the reader's marks: star, tags, note, read state, highlights (the Article menu, S T N U H)
        self.marks = WindowMarks(self)
        self.marks.install(self.corrections.menu)
        # saved searches over the list, each with its live count
        self.saved_searches = SavedSearchPanel(self.marks.store, lambda: self.panel.search.query, self.panel)
        self.panel.layout().insertWidget(self.panel.layout().indexOf(self.panel.view), self.saved_searches)
        self.panel.layout().insertWidget(self.panel.layout().indexOf(self.panel.view), self.marks.orphans_label)
        self.saved_searches.run_requested.connect(self.run_saved_search)
        self.saved_counts = SavedSearchCounts(self.saved_searches, self.library_search, self)
        for signal in (self.saved_searches.changed, self.loading_finished, self.marks.changed,
                       self.library_search.index_finished):
            signal.connect(self.saved_counts.schedule)
        self.marks.changed.connect(self.saved_searches.reload)  # (another window may have saved one)
        self.saved_counts.schedule()
        self.entities = EntityBrowser(self, self.panel, self.reader)  # the dock; the list narrowed to a name
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.entities.dock)
        self.resizeDocks([self.entities.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.entities.dock.toggleViewAction())
        self.library_search.entities_ready.connect(self.entities.on_entities_ready)
        self.loading_finished.connect(self.entities.on_loaded)
        self.panel.showing_changed.connect(self._on_showing)
        # seeing the archive: the timeline under the list, the network dock, dossiers
        self.insight = WindowInsight(self, self.panel, self.library_search, self.entities, self.reader)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.insight.network_dock)
        self.menu_view.addAction(self.insight.network_dock.toggleViewAction())
        self.act_timeline = self._action(self._show_timeline, ["Ctrl+T"], checkable=True)
        self.menu_view.addAction(self.act_timeline)
        self.loading_finished.connect(self.insight.library_loaded)
        self.library_search.entities_ready.connect(self.insight.entities_arrived)
        self.reading_pane.show_font_notice(self._font_missing)
        self.retranslate()
        self._restore()
        self.apply_theme(settings.theme, save=False)
        QApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self.panel.view.setFocus()  # arrow keys and Page Up/Down work at once
        # the reading fonts loaded while the window is idle, not when the first article is shown
        QTimer.singleShot(WARM_UP_MS, self.reader, self.reader.warm_up)
        self.watch.restore()
        if settings.problem:  # told once, when the window starts; the old file was kept
            errors.show_error(self, self.tr("Settings could not be read"), settings.problem)

    @property
    def sources(self) -> list[LoadedSource]:
        return self.library.sources

    @sources.setter
    def sources(self, value: list[LoadedSource]) -> None:
        self.library.sources = value

    def retranslate(self) -> None:
        self._update_title()
        self.act_timeline.setText(self.tr("&Timeline"))
        self.insight.retranslate()
        self.corrections.retranslate()
        self.marks.retranslate()
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

    # -- closing sources (a watched file removed) -----------------------------------------------
    def close_sources(self, paths: list[str]) -> int:
        """Take the sources at ``paths`` out of the library and the list (their marks stay, orphaned);
        the number of articles that leave. A large library is listed again over several
        event-loop passes, as a load is."""
        gone = set(paths)
        kept = [s for s in self.sources if s.source.path not in gone]
        n = sum(len(s.articles) for s in self.sources if s.source.path in gone)
        if len(kept) == len(self.sources):
            return 0
        self.sources = kept
        steps = self._close_steps(kept, list(paths))
        if sum(len(s.articles) for s in kept) < STEPWISE_MIN:
            for _step in steps:
                pass
        else:
            self._run_in_passes(steps)
        return n

    def _close_steps(self, kept: list[LoadedSource], paths: list[str]):
        articles = [a for s in kept for a in s.articles]
        yield
        yield from self.panel.set_articles_in_steps(articles, None, STEPWISE_STEP)
        if self.panel.current_id() is None:
            self.panel.select_first()
        yield
        self._hand_to_search(articles)
        if self.panel.search.query:
            self.search(self.panel.search.query)
        self._update_status()
        self._save_sources()
        self.marks.attach(gone=paths)  # their marks stay, orphaned, until the files return
        self.show_new_arrivals(0)

    def show_new_arrivals(self, _n: int) -> None:
        """Articles came or went: what counts them (the saved searches) counts again."""
        self.saved_counts.schedule()

    def run_saved_search(self, query: str) -> None:
        """Show a saved search's hits: its query in the search box, searched at once."""
        self.panel.search.setText(query)
        self.panel.search.flush()

    def update_watch_actions(self) -> None:
        watching = self.watch.watch.active
        self.act_stop_watching.setEnabled(watching)
        self.act_watch_subfolders.setChecked(self.settings.watch_subfolders if not watching
                                             else self.watch.watch.subfolders)
        folder = str(self.watch.watch.folder) if watching else ""
        self.act_stop_watching.setToolTip(folder)
        self.act_stop_watching.setStatusTip(folder)

    # -- searching -------------------------------------------------------------------------------
    def search(self, query: str) -> int:
        """Search ``query`` off the GUI thread (the index when ready, else the open articles)."""
        return self.library_search.search(query)

    def clear_search(self) -> None:
        self.library_search.drop_pending()
        self.panel.clear_results()

    def show_search_outcome(self, outcome: SearchOutcome) -> None:
        """List ``outcome``'s hits again (the timeline's range over them was cleared)."""
        self._on_results(replace(outcome, rest=False))

    def _on_results(self, outcome: SearchOutcome) -> None:
        if not self.panel.search.query:
            return  # cleared while it ran
        result = outcome.result
        self.panel.search.note_search_ms(result.took_ms, outcome.query)  # quick answers: a shorter wait
        if getattr(result, "pinyin", False):  # found by pinyin: mark the Chinese it matched
            terms = longest_first(result.marks)
        else:
            terms = marked_terms(outcome.query)
        showing = Showing("search", outcome, tuple(terms))
        if outcome.rest:  # the rest of the hits listed first: added, if the list still shows them
            shown = self.panel.showing
            if shown.kind == "search" and shown.key.generation == outcome.generation:
                self.panel.extend_results(result.hits, self._count_text(outcome), showing)
            return
        self.panel.show_results(result.hits, self._count_text(outcome), showing,
                                more_coming=getattr(result, "pending", None) is not None)
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
        from app.ui.reading.printing import open_print_preview

        self._preview = open_print_preview(self, self.reader.print_document(theme.LIGHT))

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
        self.act_timeline.setChecked(self.settings.show_timeline)
        self.insight.timeline.setVisible(self.settings.show_timeline)
        self.reading_pane.legend.set_shown_types(self.settings.shown_entity_types)
        self.panel.sort_mode_changed.connect(self._remember_sort_mode)
        self.reading_pane.legend.types_changed.connect(self._remember_entity_types)

    def _show_timeline(self, shown: bool) -> None:
        self.insight.timeline.setVisible(shown)
        if self._remember:
            self.settings.show_timeline = shown

    def _remember_sort_mode(self, mode: str) -> None:
        if self._remember:
            self.settings.sort_mode = mode

    def _remember_entity_types(self, types) -> None:
        if self._remember:
            self.settings.shown_entity_types = types

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
        self.insight.shut_down()
        self.watch.watch.stop()  # (the setting stays: watched again at the next start)
        self.marks.shut_down()
        self.save_state()
        super().closeEvent(event)

    def set_remember(self, remember: bool) -> None:
        self._remember = remember
