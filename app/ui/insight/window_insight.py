"""The window's views of the archive: the timeline strip under the list, the network dock and
dossier windows (issue 20). Counting and layout run off the GUI thread (``app.insight``, in a
pool of one thread); the GUI thread only draws what arrives, and drops what a newer request
superseded (generation numbers, as the search does).

What the timeline counts follows what the list shows (:attr:`ArticlePanel.showing`): every
article, a search's hits (all of them, not the first thousand listed: ids from the index or the
scan), or a name's articles. A query of two or three parts split by `` | `` is compared: each
part is a series of its own, while the list shows them all. Choosing a bar or a range lists
only those articles; Esc, the strip's × or choosing again brings back what the list showed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QDialog, QDockWidget, QVBoxLayout

from app.model import Article, SearchHit, Snippet
from app.ui import errors, process, workers
from app.ui.after_paint import after_paint
from app.ui.article_list.panel import Showing

NETWORK_RECOUNT_MS = 2000  # while entities pour in, the network follows them at most this often
MAX_SERIES = 3
DOSSIER_SIZE = (900, 700)


def compared_queries(query: str) -> list[str]:
    """``扬尘 | 食品安全`` -> the parts to compare (two or three); one part -> [query]."""
    parts = [p.strip() for p in query.split(" | ") if p.strip()]
    return parts if 2 <= len(parts) <= MAX_SERIES else [query]


def plain_hits(articles: list[Article]) -> list[SearchHit]:
    """List rows for ``articles`` (no snippet: the list shows each article's first words)."""
    no_snippet = Snippet("", ())
    return [SearchHit.of(a, 0.0, no_snippet) for a in articles]


def dossier_of(articles: list[Article], entity_type: str, text: str):
    """``make_dossier`` with the paragraphs of the lazily opened articles that mention the name
    read in a few queries first (its sentences come from them), and let go after."""
    from app.insight.dossier import make_dossier
    from app.store import load_paragraphs, unload_paragraphs

    read = load_paragraphs(a for a in articles if any(e.type == entity_type and e.text == text for e in a.entities))
    try:
        return make_dossier(articles, entity_type, text)
    finally:
        unload_paragraphs(read)


class WindowInsight(QObject):
    """Owns the timeline strip, the network dock and the dossier windows of one main window.

    ``panel`` is the article list's panel, ``library_search`` the window's search (for every id
    a query matches), ``entities`` the entity browser (a node of the network lists a name's
    articles through it), ``reader`` the reading pane's view (its "Dossier of …" menu)."""

    def __init__(self, window, panel, library_search, entities, reader):
        super().__init__(window)
        from app.ui.insight.network_view import NetworkView
        from app.ui.insight.timeline_view import TimelineView

        self.window = window  # the parent of the dock and the dossier windows
        self.panel = panel
        self.library_search = library_search
        self.entities = entities
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running: dict[QObject, workers.CallTask] = {}
        self._timeline_generation = 0
        self._network_generation = 0
        self._pair_generation = 0
        self._library_version = 0  # bumped when the articles change
        self._entities_version = 0  # bumped when entities arrive
        # ((library version, entities version), ArchiveFacts), made in the counting thread
        self._facts: tuple[tuple[int, int], object] | None = None
        self._frozen_version: tuple[int, int] | None = None
        self._base: Showing | None = None  # what the list showed before a range was chosen
        self.dossiers: list[QDialog] = []
        self._shut = False  # shut_down() was called: the window is closing, nothing more is counted

        self.timeline = TimelineView(panel)
        self.timeline.setObjectName("timelineStrip")
        self.timeline.range_chosen.connect(self._on_range)
        self.timeline.range_cleared.connect(self._on_range_cleared)
        panel.layout().addWidget(self.timeline)

        self.network = NetworkView()
        self.network_dock = QDockWidget(window)
        self.network_dock.setObjectName("networkDock")
        self.network_dock.setWidget(self.network)
        self.network_dock.hide()
        self.network_dock.visibilityChanged.connect(self._on_network_shown)
        self.network.node_activated.connect(entities.filter_by)
        self.network.pair_activated.connect(self.show_pair)
        self.network.dossier_requested.connect(self.open_dossier)
        self.network.top_changed.connect(lambda _n: self.recount_network())
        self.network.scope_changed.connect(lambda _s: self.recount_network())
        self._network_timer = QTimer(self)
        self._network_timer.setSingleShot(True)
        self._network_timer.setInterval(NETWORK_RECOUNT_MS)
        self._network_timer.timeout.connect(self.recount_network)

        panel.showing_changed.connect(self._on_showing)
        entities.panel.dossier_requested.connect(self.open_dossier)
        reader.dossier_requested.connect(self.open_dossier)
        self.retranslate()

    def retranslate(self) -> None:
        self.network_dock.setWindowTitle(self.tr("Who Appears with Whom"))
        self.network_dock.toggleViewAction().setText(self.tr("&Who Appears with Whom"))

    # -- running off the GUI thread --------------------------------------------------------------
    def _run(self, generation: int, function, done, current=None) -> None:
        """Run ``function`` in the pool, then ``done(generation, result)`` here. With ``current``
        (the generation now), a task a newer one superseded while it waited does nothing: each
        search typed queued a count, and at 100k articles every one ran in turn (each reading
        every hit's record and the library's names), the window's close waiting for them all."""
        if current is not None:
            work = function

            def function():
                return work() if current() == generation else None
        task = workers.CallTask(generation, function)
        self._running[task.signals] = task
        task.signals.finished.connect(lambda result, t=task: self._finished(t, done, result))
        task.signals.failed.connect(lambda _message, t=task: self._running.pop(t.signals, None))
        self.pool.start(task)

    def _finished(self, task: workers.CallTask, done, result) -> None:
        self._running.pop(task.signals, None)
        if self._facts is not None and self._facts[0] != self._frozen_version:
            # the library's facts (200,000 tuples at 100k) are long-lived: out of the cyclic
            # collector's reach, as the articles are (a full collection over them took 36 ms)
            self._frozen_version = self._facts[0]
            process.keep_out_of_gc()
        done(task.generation, result)

    def shut_down(self) -> None:
        self._shut = True
        self._timeline_generation += 1  # (the counts still waiting are skipped)
        self._network_generation += 1
        self._pair_generation += 1
        self.pool.waitForDone(10000)

    # -- the timeline ----------------------------------------------------------------------------
    def library_loaded(self) -> None:
        """The library changed: its timeline (when the list shows it), and its network."""
        self._library_version += 1
        if self.panel.showing.kind in ("all", "search", "entity"):
            self._on_showing(self.panel.showing)
        self._recount_network_soon()

    def _on_showing(self, showing: Showing) -> None:
        if showing.kind == "range":
            return  # a range of this timeline: the strip stays as it is, the range marked
        self._base = None
        # counted once the window has painted the new list (app.ui.after_paint), unless it closed meanwhile
        after_paint(self.window, lambda: None if self._shut else self.refresh_timeline(showing))

    def refresh_timeline(self, showing: Showing | None = None) -> None:
        showing = showing or self.panel.showing
        self._timeline_generation += 1
        facts = self._facts_call(names=False)
        if showing.kind == "search":
            queries = compared_queries(showing.key.query)
            match = self.library_search.matching_ids_call(queries)
            listed = [h.id for h in showing.key.result.hits]

            def count():
                found = match()
                if found is None:  # not yet: the listed hits stand in until the index is ready
                    return facts().timeline([("", listed)])
                return facts().timeline([(q if len(queries) > 1 else "", ids) for q, ids in zip(queries, found)])
        else:
            listed = None if showing.kind == "all" else self._listed_ids()

            def count():
                return facts().timeline([("", listed)])
        self._run(self._timeline_generation, count, self._show_timeline, lambda: self._timeline_generation)

    def _facts_call(self, names: bool = True):
        """A function for the counting thread: the library's :class:`~app.insight.facts.ArchiveFacts`
        (each article's full date and names, read once: 0.4 s at 100k), made again only when the
        library changed since it was made, or, for the ``names`` it holds (the network, a pair),
        when entities arrived since. The timeline reads only dates: made again for each batch of
        entities while the indexer works (one every second or so), the facts of 100k articles were
        a thread taking the interpreter from the GUI thread at every search typed."""
        from app.insight.facts import ArchiveFacts

        library, entities = self._library_version, self._entities_version
        # the list's own (a reset replaces it, never changes it): a copy for every count was a
        # list of 100,000 the cyclic collector walked at each full collection until it was freed
        articles = self.panel.model.snapshot()[0]

        def facts():
            made = self._facts
            if made is None or made[0][0] != library or (names and made[0][1] != entities):
                # the old facts let go first: at 100k articles both at once were ~100 MB more
                self._facts = made = None
                made = self._facts = ((library, entities), ArchiveFacts(articles))
            return made[1]
        return facts

    def _listed_ids(self) -> list[str]:
        """The ids the list shows now, in its order (C-level lookups)."""
        proxy = self.panel.proxy
        return [a.id for a in proxy.articles_at(list(range(proxy.rowCount())))]

    def _show_timeline(self, generation: int, timeline) -> None:
        if generation == self._timeline_generation:
            self.timeline.set_timeline(timeline)

    def _on_range(self, ids: list, description: str) -> None:
        """Bars chosen: list only their articles; what the list showed comes back on clearing."""
        showing = self.panel.showing
        if showing.kind != "range":
            self._base = showing  # what comes back when the range is cleared
        model = self.panel.model
        found = [a for a in map(model.article, ids) if a is not None]
        base_terms = self._base.terms if self._base else ()
        if len(found) == 1:
            text = self.tr("1 article in {range} · Esc shows all").format(range=description)
        else:
            text = self.tr("{n} articles in {range} · Esc shows all").format(n=len(found), range=description)
        self.panel.show_results(plain_hits(found), text, Showing("range", description, base_terms))

    def _on_range_cleared(self) -> None:
        if self.panel.showing.kind != "range":
            return
        base, self._base = self._base, None
        if base is not None and base.kind == "search":
            self.window.show_search_outcome(base.key)  # its hits, listed again as they came
        elif base is not None and base.kind == "entity":
            self.entities.filter_by(*base.key)
        elif base is not None and base.kind == "pair":
            self.show_pair(*base.key)
        else:
            self.panel.clear_results()

    # -- the network -----------------------------------------------------------------------------
    def entities_arrived(self, _ids=None) -> None:
        self._entities_version += 1
        self._recount_network_soon()

    def _recount_network_soon(self) -> None:
        if not self.network_dock.isHidden() and not self._network_timer.isActive():
            self._network_timer.start()

    def _on_network_shown(self, visible: bool) -> None:
        if visible:
            self.recount_network()

    def recount_network(self) -> None:
        from app.insight.network import layout

        if self.network_dock.isHidden():  # counted when it is opened
            return
        self._network_generation += 1
        listed = self._listed_ids() if getattr(self.network, "scope", "library") == "list" else None
        top = getattr(self.network, "top", 30)
        facts = self._facts_call()

        def count():
            network = facts().network(ids=listed, top=top)
            return network, layout(network)
        self._run(self._network_generation, count, self._show_network, lambda: self._network_generation)

    def _show_network(self, generation: int, result) -> None:
        if generation == self._network_generation:
            self.network.set_network(*result)

    def show_pair(self, key_a: tuple, key_b: tuple) -> None:
        """List the articles naming both ends of an edge (found off the GUI thread)."""

        key_a, key_b = tuple(key_a), tuple(key_b)
        facts = self._facts_call()
        self._pair_generation += 1
        self._run(self._pair_generation, lambda: facts().ids_naming(key_a, key_b),
                  lambda generation, ids: self._show_pair(generation, key_a, key_b, ids),
                  lambda: self._pair_generation)

    def _show_pair(self, generation: int, key_a: tuple, key_b: tuple, ids: list[str]) -> None:
        from app.search.analysis import fold

        if generation != self._pair_generation:
            return
        found = [a for a in map(self.panel.model.article, ids) if a is not None]
        if len(found) == 1:
            text = self.tr("1 article names {a} and {b} · Esc shows all").format(a=key_a[1], b=key_b[1])
        else:
            text = self.tr("{n} articles name {a} and {b} · Esc shows all").format(
                n=len(found), a=key_a[1], b=key_b[1])
        self.panel.show_results(plain_hits(found), text,
                                Showing("pair", (tuple(key_a), tuple(key_b)), (fold(key_a[1]), fold(key_b[1]))))

    # -- dossiers --------------------------------------------------------------------------------
    def open_dossier(self, entity_type: str, text: str) -> QDialog:
        """A window with the dossier of ``text``, made off the GUI thread."""
        from app.ui.insight.dossier_view import DossierView

        dialog = QDialog(self.window)
        dialog.setObjectName("dossierWindow")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Dossier: {name}").format(name=text))
        view = DossierView(dialog)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        dialog.resize(*DOSSIER_SIZE)
        view.article_requested.connect(self._show_article)
        view.name_requested.connect(self.open_dossier)
        view.export_requested.connect(lambda fmt, path, v=view: self.export_dossier(v, fmt, Path(path)))
        dialog.view = view
        self.dossiers.append(dialog)
        dialog.destroyed.connect(lambda _=None, d=dialog: self.dossiers.remove(d) if d in self.dossiers else None)
        articles = self.panel.model.articles()
        self._run(0, lambda: dossier_of(articles, entity_type, text),
                  lambda _g, dossier, v=view: self._show_dossier(v, dossier))
        dialog.show()
        return dialog

    def _show_dossier(self, view, dossier) -> None:
        try:
            view.set_dossier(dossier)
        except RuntimeError:  # the window was closed before the dossier was made
            pass

    def _show_article(self, article_id: str) -> None:
        self.panel.select_article(article_id)
        self.window.raise_()
        self.window.activateWindow()

    def export_dossier(self, view, fmt: str, path: Path) -> None:
        """Write the dossier shown in ``view`` to ``path`` off the GUI thread."""
        dossier = view.dossier()
        if dossier is None:
            return

        def write():
            from app.export import ExportOptions, export_articles
            from app.insight.dossier import dossier_articles, mentions_csv

            if fmt == "csv":
                from app.export import write_text

                return [write_text(mentions_csv(dossier), path, force=True)]
            return export_articles(dossier_articles(dossier), fmt, path, ExportOptions(force=True))

        def done(_generation, written) -> None:
            self.window.statusBar().showMessage(self.tr("Dossier exported to {path}").format(
                path=written[0] if written else path), 8000)

        task = workers.CallTask(0, write)
        self._running[task.signals] = task
        task.signals.finished.connect(lambda result, t=task: self._finished(t, done, result))
        task.signals.failed.connect(lambda message, t=task: (self._running.pop(t.signals, None), errors.show_error(
            self.window, self.tr("The dossier could not be exported"), message)))
        self.pool.start(task)
