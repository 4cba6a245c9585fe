"""The reader's marks in the window: star, tags, note, read state and highlights of the article
shown, kept in :mod:`app.marks`' store and shown in the list and the reading pane.

The list paints from :attr:`WindowMarks.marks` (article id -> :class:`~app.marks.ArticleMarks`), a
dictionary in memory filled in one read when a library is taken in and updated entry by entry
when the reader marks something: painting a row never asks the database. Finding each mark's
article again after a load (:meth:`~app.marks.MarkStore.attach`, which may digest every article)
runs off the GUI thread. Another window's marks arrive within :data:`POLL_MS` (the store tells
when the database changed).

An article shown for :data:`READ_DELAY_MS` counts as read. Every change is a command on the
window's one undo stack (Edit ▸ Undo), the automatic "read" too.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QLabel, QMenu

from app.marks import ArticleMarks, MarksError, MarkStore, active_store
from app.model import Article
from app.ui import errors, workers
from app.ui.marks import dialogs

translate = QCoreApplication.translate  # lupdate reads translate("Marks", "…") calls

READ_DELAY_MS = 4000  # an article shown this long counts as read
POLL_MS = 2000  # how often the store is asked whether another window changed it


def open_store():
    """The data folder's marks store, and "" or why it could not be opened: then a store in a
    temporary folder stands in, so marking works but is not kept."""
    try:
        return active_store(), ""
    except (OSError, sqlite3.Error, MarksError) as err:
        folder = Path(tempfile.mkdtemp(prefix="baozhi-marks-"))
        problem = translate("Marks", "Your marks could not be opened ({error}); marks made now are not kept.")
        return MarkStore(folder / "marks.sqlite"), problem.format(error=err)


class MarkCommand(QUndoCommand):
    """One change of one article's marks: ``do()`` and ``undo()`` write it and its reverse."""

    def __init__(self, text: str, do, undo):
        super().__init__(text)
        self._do, self._undo = do, undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


def body_span(article: Article, start: int, end: int) -> list[tuple[int, int, int]]:
    """Offsets ``start..end`` of the article's body text (paragraphs joined by newlines) as
    ``(paragraph, from, to)`` pieces, one per paragraph the passage touches."""
    pieces, offset = [], 0
    for number, paragraph in enumerate(article.paragraphs):
        a, b = max(start, offset), min(end, offset + len(paragraph.text))
        if a < b:
            pieces.append((number, a - offset, b - offset))
        offset += len(paragraph.text) + 1
    return pieces


class WindowMarks(QObject):
    """The marks part of a :class:`~app.ui.main_window.MainWindow`; ``changed`` after any change
    (the saved searches count again)."""

    changed = Signal()
    writes = 0  # marks written by any window of this process (they share one store)

    def __init__(self, window, read_delay_ms: int = READ_DELAY_MS):
        super().__init__(window)
        self.window = window
        self.store, problem = open_store()
        self._writes_seen = WindowMarks.writes
        self.marks: dict[str, ArticleMarks] = {}  # attached article id -> its marks (never replaced)
        self.orphans = 0  # marks whose article is gone
        self.orphans_label = QLabel(window.panel)  # over the list: "2 marked articles are gone"
        self.orphans_label.setObjectName("orphanedMarks")
        self.orphans_label.setWordWrap(True)
        self.orphans_label.setContentsMargins(4, 2, 4, 2)
        self.orphans_label.hide()
        self._orphan_titles: list[str] = []
        self._attach_generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._tasks: dict[QObject, workers.CallTask] = {}
        self._touched: dict[str, Article] = {}  # articles marked while a read of all marks ran
        window.panel.view.itemDelegate().marks_of = self.marks.get
        self.bar = window.reading_pane.marks_bar
        self.bar.star_toggled.connect(lambda on: self.set_starred(on))
        self.bar.tags_requested.connect(self.edit_tags)
        self.bar.note_requested.connect(self.edit_note)
        self.bar.read_toggled.connect(lambda read: self.set_read(read))
        window.reader.mark_actions = self.add_mark_actions
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.setInterval(read_delay_ms)
        self.read_timer.timeout.connect(self._read_now)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._poll)
        self.store.changed()  # the baseline for _poll
        self.poll.start()
        self.actions: dict[str, QAction] = {}
        for name, keys, slot in (("star", "S", lambda: self.set_starred(None)), ("tags", "T", self.edit_tags),
                                 ("note", "N", self.edit_note), ("read", "U", lambda: self.set_read(None)),
                                 ("highlight", "H", lambda: self.highlight_selection())):
            action = QAction(window)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            window.addAction(action)
            self.actions[name] = action
        window.panel.current_article_changed.connect(self._on_article)
        window.loading_finished.connect(self.attach)
        if problem or self.store.notice:
            window.statusBar().showMessage(problem or self.store.notice, 15000)
        self.retranslate()
        self._show_current()

    def install(self, menu: QMenu) -> None:
        """The marks' entries at the end of ``menu`` (the Article menu)."""
        menu.addSeparator()
        menu.addActions([self.actions[n] for n in ("star", "tags", "note", "read", "highlight")])
        menu.aboutToShow.connect(self._update_actions)

    def retranslate(self) -> None:
        self._show_orphans(self._orphan_titles)
        self.actions["tags"].setText(translate("Marks", "&Tags…"))
        self.actions["note"].setText(translate("Marks", "&Note…"))
        self.actions["highlight"].setText(translate("Marks", "&Highlight the Selected Passage…"))
        self._update_actions()

    def _update_actions(self) -> None:
        article = self.window.reader.article
        marks = self.marks.get(article.id) if article is not None else None
        self.actions["star"].setText(translate("Marks", "Remove the &Star") if marks and marks.starred
                                     else translate("Marks", "&Star"))
        self.actions["read"].setText(translate("Marks", "Mark as &Unread") if marks and marks.read
                                     else translate("Marks", "Mark as &Read"))
        for action in self.actions.values():
            action.setEnabled(article is not None)

    # -- the library -----------------------------------------------------------------------------
    def attach(self, gone: list[str] | tuple = ()) -> None:
        """Find every mark's article among the listed ones (off the GUI thread), then show them;
        ``gone``: source paths that were closed (their marks become orphaned, and reattach when
        the file is opened again)."""
        self._attach_generation += 1
        generation = self._attach_generation
        articles = self.window.panel.model.articles()
        store, gone = self.store, list(gone)

        def run():
            store.attach(articles, gone_sources=gone)
            return store.marks_by_id(), [m.title for m in store.orphans()]

        task = workers.CallTask(generation, run)
        self._tasks[task.signals] = task
        task.signals.finished.connect(self._on_attached)
        task.signals.failed.connect(self._on_attach_failed)
        self.pool.start(task)

    def _on_attached(self, found) -> None:
        task = self._tasks.pop(self.sender(), None)
        if task is None or task.generation != self._attach_generation:
            return
        by_id, titles = found
        if titles is not None:  # (None: a poll, which reads the marks only)
            self.orphans = len(titles)
            self._show_orphans(titles)
        self._take(by_id)

    def _on_attach_failed(self, message: str) -> None:
        self._tasks.pop(self.sender(), None)
        self.window.statusBar().showMessage(
            translate("Marks", "Your marks could not be read ({error}).").format(error=message), 15000)

    def _show_orphans(self, titles: list[str]) -> None:
        """Say how many marked articles are not in the library now (their marks are kept and come
        back with their file); their headlines in the tooltip."""
        self._orphan_titles = list(titles)
        n = len(titles)
        text = (translate("Marks", "1 marked article is no longer in the library; its marks are kept") if n == 1
                else translate("Marks", "{n} marked articles are no longer in the library; their marks are kept")
                .format(n=n))
        self.orphans_label.setText(text if n else "")
        self.orphans_label.setToolTip("\n".join(titles[:30]) + ("\n…" if n > 30 else ""))
        self.orphans_label.setVisible(n > 0)

    def _take(self, by_id: dict[str, ArticleMarks]) -> None:
        self.marks.clear()
        self.marks.update((i, m) for i, m in by_id.items() if not m.empty)
        for article in self._touched.values():  # marked while the marks were being read: as now
            marks = self.store.get(article)
            if marks.empty:
                self.marks.pop(article.id, None)
            else:
                self.marks[article.id] = marks
        if not self._tasks:
            self._touched.clear()
        self.window.panel.view.viewport().update()
        self._show_current()
        self.changed.emit()

    def _poll(self) -> None:
        """Another window (or the command line) changed the marks: read them again, in the
        worker (3,000 marks take ~30 ms to read)."""
        try:
            ours = WindowMarks.writes != self._writes_seen  # another window of this process
            self._writes_seen = WindowMarks.writes
            if not (self.store.changed() or ours) or self._tasks:
                return  # (an attach under way reads them anyway)
        except Exception:  # noqa: BLE001 - a busy or damaged database: try at the next poll
            return
        self._attach_generation += 1
        store = self.store
        task = workers.CallTask(self._attach_generation, lambda: (store.marks_by_id(), None))
        self._tasks[task.signals] = task
        task.signals.finished.connect(self._on_attached)
        task.signals.failed.connect(lambda _m, s=task.signals: self._tasks.pop(s, None))
        self.pool.start(task)

    def shut_down(self) -> None:
        """The window closes: no more polling, no "read" for the article left open."""
        self.poll.stop()
        self.read_timer.stop()

    def wait(self, ms: int = 30000) -> bool:
        """Wait for the marks to be attached (tests)."""
        return self.pool.waitForDone(ms)

    # -- the article shown -----------------------------------------------------------------------
    def _on_article(self, article: Article | None) -> None:
        self.read_timer.stop()
        self._show_current()
        if article is not None and not self._is_read(article):
            self.read_timer.start()

    def _is_read(self, article: Article) -> bool:
        marks = self.marks.get(article.id)
        return bool(marks and marks.read)

    def _read_now(self) -> None:
        article = self.window.reader.article
        if article is not None and not self._is_read(article):
            self._push(article, translate("Marks", "Mark as Read"),
                       lambda: self.store.set_read(article, True), lambda: self.store.set_read(article, False))

    def _show_current(self) -> None:
        article = self.window.reader.article
        self.bar.setVisible(article is not None)
        if article is None:
            self.bar.show_marks(None)
            self.window.reader.set_highlights([])
            self._update_actions()
            return
        marks = self.marks.get(article.id)
        spans, gone, notes = [], [], []
        for h in marks.highlights if marks else ():
            where = self.store.located(article, h)
            if where is None:
                gone.append(h.text)
                continue
            for number, a, b in body_span(article, where.start, where.end):
                start, end = self.window.reader.body_position(number, a), self.window.reader.body_position(number, b)
                if start is not None and end is not None:
                    spans.append((start, end, h.id))
            if h.note:
                notes.append((h.text, h.note))
        self.bar.show_marks(marks, gone, notes)
        self.window.reader.set_highlights(spans)
        self._update_actions()

    def _refresh(self, article: Article) -> None:
        if self._tasks:  # a read of all the marks under way may not have this change
            self._touched[article.id] = article
        marks = self.store.get(article)
        if marks.empty:
            self.marks.pop(article.id, None)
        else:
            self.marks[article.id] = marks
        self.store.changed()  # our own change: nothing for _poll to read again
        WindowMarks.writes += 1  # (but the other windows of this process are told)
        self._writes_seen = WindowMarks.writes
        self.window.panel.view.viewport().update()
        if self.window.reader.article is not None and self.window.reader.article.id == article.id:
            self._show_current()
        self.changed.emit()

    def _push(self, article: Article, text: str, do, undo) -> None:
        def step(fn):
            def run():
                try:
                    fn()
                except MarksError as err:
                    errors.show_error(self.window, translate("Marks", "Cannot change the marks"), str(err))
                self._refresh(article)
            return run

        self.window.corrections.undo_stack.push(MarkCommand(text, step(do), step(undo)))

    # -- marking ---------------------------------------------------------------------------------
    def _current(self) -> tuple[Article | None, ArticleMarks | None]:
        article = self.window.reader.article
        return article, (self.marks.get(article.id) if article is not None else None)

    def set_starred(self, starred: bool | None = None) -> None:
        """Star the article shown (None: toggle)."""
        article, marks = self._current()
        if article is None:
            return
        before = bool(marks and marks.starred)
        after = not before if starred is None else bool(starred)
        if after != before:
            self._push(article, translate("Marks", "Star") if after else translate("Marks", "Remove the Star"),
                       lambda: self.store.set_starred(article, after), lambda: self.store.set_starred(article, before))

    def set_read(self, read: bool | None = None) -> None:
        """Mark the article shown read or unread (None: the other way round)."""
        article, marks = self._current()
        if article is None:
            return
        self.read_timer.stop()  # the reader's choice stands
        before = bool(marks and marks.read)
        after = not before if read is None else bool(read)
        if after != before:
            self._push(article, translate("Marks", "Mark as Read") if after else translate("Marks", "Mark as Unread"),
                       lambda: self.store.set_read(article, after), lambda: self.store.set_read(article, before))

    def set_tags(self, tags: list[str]) -> None:
        article, marks = self._current()
        if article is None:
            return
        before = list(marks.tags) if marks else []
        if list(tags) != before:
            self._push(article, translate("Marks", "Tags"), lambda: self.store.set_tags(article, tags),
                       lambda: self.store.set_tags(article, before))

    def set_note(self, note: str) -> None:
        article, marks = self._current()
        if article is None:
            return
        before = marks.note if marks else ""
        if note != before:
            self._push(article, translate("Marks", "Note"), lambda: self.store.set_note(article, note),
                       lambda: self.store.set_note(article, before))

    def edit_tags(self) -> None:
        article, marks = self._current()
        if article is None:
            return
        tags = dialogs.ask_tags(self.window, article.title, list(marks.tags) if marks else [], self.store.all_tags())
        if tags is not None:
            self.set_tags(tags)

    def edit_note(self) -> None:
        article, marks = self._current()
        if article is None:
            return
        note = dialogs.ask_note(self.window, article.title, marks.note if marks else "")
        if note is not None:
            self.set_note(note)

    # -- highlights ------------------------------------------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        """The reading pane's selection as offsets in the article's body text, when it lies in
        the article's paragraphs."""
        cursor = self.window.reader.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.window.reader.body_offset(cursor.selectionStart())
        end = self.window.reader.body_offset(cursor.selectionEnd())
        if start is None or end is None or end <= start:
            return None
        return start, end

    def highlight_selection(self, note: str | None = None) -> bool:
        """Highlight the selected passage, asking for its note (``note`` given: that one)."""
        article = self.window.reader.article
        span = self.selected_span()
        if article is None or span is None:
            self.window.statusBar().showMessage(
                translate("Marks", "Select a passage of the article first, then highlight it (H)."), 5000)
            return False
        if note is None:
            note = dialogs.ask_note(self.window, article.title, "")
            if note is None:
                return False
        made: list = []

        def do():
            made[:] = [self.store.add_highlight(article, span[0], span[1], note=note)]

        def undo():
            if made:
                self.store.remove_highlight(made[0].id)

        self._push(article, translate("Marks", "Highlight"), do, undo)
        return True

    def _highlight(self, highlight_id: str):
        article, marks = self._current()
        return next((h for h in marks.highlights if h.id == highlight_id), None) if marks else None

    def edit_highlight_note(self, highlight_id: str) -> None:
        article, _marks = self._current()
        h = self._highlight(highlight_id)
        if h is None:
            return
        note = dialogs.ask_note(self.window, article.title, h.note)
        if note is not None and note != h.note:
            before = h.note
            self._push(article, translate("Marks", "Highlight Note"),
                       lambda: self.store.set_highlight_note(h.id, note),
                       lambda: self.store.set_highlight_note(h.id, before))

    def remove_highlight(self, highlight_id: str) -> None:
        article, _marks = self._current()
        h = self._highlight(highlight_id)
        if h is None:
            return
        kept: list = [h]

        def do():
            self.store.remove_highlight(kept[0].id)

        def undo():
            start = kept[0].start
            kept[0] = self.store.add_highlight(article, start, start + len(kept[0].text), note=kept[0].note)

        self._push(article, translate("Marks", "Remove Highlight"), do, undo)

    def add_mark_actions(self, menu: QMenu, position: int) -> None:
        """The reading pane's context menu: highlight the selection, or a highlight's note."""
        first = menu.actions()[0] if menu.actions() else None
        entries = []
        if self.selected_span() is not None:
            entries.append((translate("Marks", "Highlight the Selected Passage…"), lambda: self.highlight_selection()))
        key = self.window.reader.highlight_at(position)
        if key is not None:
            entries.append((translate("Marks", "Edit the Highlight's Note…"), lambda: self.edit_highlight_note(key)))
            entries.append((translate("Marks", "Remove the Highlight"), lambda: self.remove_highlight(key)))
        for text, slot in entries:
            action = QAction(text, menu)
            action.triggered.connect(lambda _=False, f=slot: f())
            menu.insertAction(first, action)
        if entries:
            menu.insertSeparator(first)
