"""The window's entities: the entity dock, the list narrowed to one name, and fresh highlights.

Entities are filled in the background index job (:class:`~app.ui.workers.IndexUpdateTask`); as
each source's arrive (``LibrarySearch.entities_ready``) the reading pane re-marks the article it
shows and the dock recounts. Opening an article never waits for them.

Activating a name in the dock lists only the articles mentioning it (as the index would find
with ``person:``/``place:``/``org:``, but exact, and for dates and amounts too), marks it in the
text like a search hit (F3 steps through), and "Show All Articles" or Esc brings the list back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget

from app.model import Article, SearchHit, Snippet
from app.ui import workers
from app.ui.article_list.panel import Showing
from app.ui.entities.marks import type_name
from app.ui.entities.panel import EntityPanel, LibraryTally, articles_mentioning

DOCK_WIDTH = 250
LIBRARY_RECOUNT_MS = 1000  # entities arrive in batches: the library tab follows them once a second
BACKGROUND_FILTER_ARTICLES = 2000  # from this many articles a name's list is made off the GUI thread


class EntityDock(QDockWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("entityDock")
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.panel = EntityPanel(self)
        self.setWidget(self.panel)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Entities"))
        self.toggleViewAction().setText(self.tr("&Entities Panel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def hits_for(found: list[Article], text: str) -> list[SearchHit]:
    """The list's rows for the articles mentioning ``text``, each with its snippet around it (the
    texts of lazily opened articles read in a few queries, as plain strings, and not kept)."""
    from app.store import paragraph_texts

    texts = paragraph_texts(found)
    return [SearchHit.of(a, 0.0, entity_snippet(a, text, texts.get(a.id))) for a in found]


def entity_snippet(article: Article, text: str, paragraphs: list[str] | None = None) -> Snippet:
    """The article's snippet around ``text``, marked as the list marks search hits; ``paragraphs``:
    its paragraphs' texts when they were read without the article (:func:`app.store.paragraph_texts`)."""
    from app.search.analysis import fold
    from app.search.records import searchable_text
    from app.search.snippet import make_snippet

    original = searchable_text(article, paragraphs)
    return make_snippet(original, fold(original), [fold(text)])


class EntityBrowser(QObject):
    """The entity dock and the list narrowed to one name. It works through the article list's
    panel (``list_panel``) and the reader it is given; the window places the dock and passes on
    arriving entities (:meth:`on_entities_ready`) and finished loads (:meth:`on_loaded`)."""

    filter_shown = Signal(object)  # list[str]: the ids listed for a name, once the list shows them

    def __init__(self, parent, list_panel, reader):
        super().__init__(parent)
        self.list_panel = list_panel
        self.reader = reader
        self.dock = EntityDock(parent)
        self.panel = self.dock.panel
        self._filter: tuple[str, str] | None = None  # (type, text) the list is narrowed to
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(LIBRARY_RECOUNT_MS)
        self._recount.timeout.connect(self._count_arrivals)
        self._arrived: set[str] = set()  # ids whose entities arrived since the last count
        self._filter_generation = 0  # a background list for an older request is not shown
        self._finding: dict[QObject, workers.CallTask] = {}  # kept alive until they report

        list_panel.current_article_changed.connect(self.panel.set_article)
        list_panel.showing_changed.connect(self._on_showing)
        list_panel.search.query_changed.connect(self._on_search_typed)
        list_panel.view.installEventFilter(self)  # Esc in the list brings every article back
        self.panel.entity_activated.connect(self.filter_by)
        self.panel.show_all_requested.connect(self.show_all)

    @property
    def filter(self) -> tuple[str, str] | None:
        return self._filter

    # -- entities arriving -----------------------------------------------------------------------
    def on_entities_ready(self, ids: list[str]) -> None:
        current = self.reader.article
        if current is not None and current.id in set(ids):
            self.reader.refresh_entities()
            self.panel.set_article(current)
        self._arrived.update(ids)
        if not self._recount.isActive():  # counted at most once a second while entities pour in
            self._recount.start()

    def recount_library(self) -> None:
        self._recount.stop()
        self._arrived.clear()
        self.panel.set_library(self.list_panel.model.articles())

    def _count_arrivals(self) -> None:
        model = self.list_panel.model
        arrived = [a for a in map(model.article, self._arrived) if a is not None]
        self._arrived.clear()
        self.panel.add_to_library(arrived)

    def on_loaded(self) -> None:
        self.recount_library()
        if self._filter is not None:
            self.filter_by(*self._filter)  # the same name over the sources as they are now

    # -- narrowing the list ----------------------------------------------------------------------
    def filter_by(self, entity_type: str, text: str) -> list[str] | None:
        """List only the articles mentioning ``text`` as ``entity_type``; returns their ids.

        From :data:`BACKGROUND_FILTER_ARTICLES` articles the list is made in the entity panel's
        counting thread, from the library's tally of who mentions what, with the snippets (at
        100,000 articles walking every entity list and making the snippets here held the GUI
        thread for 0.4 s): then None is returned and ``filter_shown`` brings the ids as the list
        shows them. Until then the list shows what it showed."""
        if self.list_panel.search.text():
            self.list_panel.search.clear()  # the list shows one thing at a time: the name, not a search
        self._filter = (entity_type, text)
        self._filter_generation += 1
        articles = self.list_panel.model.articles()
        if len(articles) < BACKGROUND_FILTER_ARTICLES:
            found = articles_mentioning(articles, entity_type, text)
            self._show_filtered(hits_for(found, text))
            return [a.id for a in found]
        if self._arrived:  # the tally first takes the entities that arrived since its last count
            self._recount.stop()
            self._count_arrivals()

        def find(tally: LibraryTally) -> list[SearchHit]:
            return hits_for(tally.mentioning(articles, entity_type, text), text)

        task = workers.CallTask(self._filter_generation, self.panel.tally_call(find))
        self._finding[task.signals] = task
        task.signals.finished.connect(self._on_found)
        task.signals.failed.connect(self._on_find_failed)
        self.panel.start_with_tally(task)
        return None

    def _on_found(self, hits: list[SearchHit]) -> None:
        task = self._finding.pop(self.sender(), None)
        if task is not None and task.generation == self._filter_generation and self._filter is not None:
            self._show_filtered(hits)

    def _on_find_failed(self, _message: str) -> None:
        self._finding.pop(self.sender(), None)  # logged by the task; the list stays as it was

    def count_text(self, entity_type: str, text: str, n: int) -> str:
        if n == 1:
            return self.tr("1 article mentions {name} ({type}) · Esc shows all").format(
                name=text, type=type_name(entity_type))
        return self.tr("{n} articles mention {name} ({type}) · Esc shows all").format(
            n=n, name=text, type=type_name(entity_type))

    def _show_filtered(self, hits: list[SearchHit]) -> None:
        from app.search.analysis import fold

        entity_type, text = self._filter
        showing = Showing("entity", self._filter, (fold(text),))
        self.list_panel.show_results(hits, self.count_text(entity_type, text, len(hits)), showing)
        self.panel.show_filter((entity_type, text, len(hits)))
        self.filter_shown.emit([h.id for h in hits])

    def show_all(self) -> None:
        self._drop_filter()
        self.list_panel.clear_results()

    def _drop_filter(self) -> None:
        self._filter = None
        self._filter_generation += 1
        self.panel.show_filter(None)

    def _on_showing(self, showing: Showing) -> None:
        """The list shows something else than the name (a search, every article after a link to
        a hidden one): the name's list is over."""
        if self._filter is not None and (showing.kind != "entity" or showing.key != self._filter):
            self._drop_filter()

    def _on_search_typed(self, _query: str) -> None:
        if self._filter is not None:  # the search's results replace the name's list
            self._drop_filter()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape
                and self._filter is not None and not self.list_panel.search.text()):
            self.show_all()
            return True
        return super().eventFilter(watched, event)
