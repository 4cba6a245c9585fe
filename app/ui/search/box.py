"""The search box above the article list: debounced queries, recent searches, Esc and Enter.

Typing restarts a single-shot ``QTimer``; only when it fires (``DEBOUNCE_MS`` after the last
keystroke, ``QUICK_DEBOUNCE_MS`` while searches answer quickly, see :meth:`SearchBox.note_search_ms`)
is ``query_changed`` emitted, so a burst of keystrokes costs one search. Clearing the
box emits ``cleared`` at once. A ``QCompleter`` offers the recent searches.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

DEBOUNCE_MS = 150
QUICK_DEBOUNCE_MS = 60  # after a search answered within QUICK_SEARCH_MS: waiting costs more than searching
# Quick: a search that, were it started after the short wait and then made useless by the next
# keystroke, still ends no later than the full wait would have started the next one. So the short
# wait is never slower than the full one, and usually faster. (It was 40 ms: the index's first hits
# of one character at 10k articles take 18-40 ms in the window here, and flipped between the waits.)
QUICK_SEARCH_MS = DEBOUNCE_MS - QUICK_DEBOUNCE_MS


class SearchBox(QLineEdit):
    query_changed = Signal(str)  # the settled, non-empty query
    cleared = Signal()  # the box was emptied: show the whole list again
    next_hit_requested = Signal()  # Enter with the results in place
    query_committed = Signal(str)  # Enter or leaving the box: worth remembering

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._settle)
        # the last search of two characters or more answered quickly (None: none measured yet)
        self._quick: bool | None = None
        self._quick_one = False  # the last one-character search answered quickly
        self.textChanged.connect(self._on_text)
        self.editingFinished.connect(self._commit)
        self.recent_model = QStringListModel(self)
        completer = QCompleter(self.recent_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def note_search_ms(self, took_ms: float, query: str | None = None) -> None:
        """How long the last search (of ``query``) took: while they answer quickly (the index,
        warm), the box waits less after a keystroke; a slow one (a scan of a large library)
        restores the wait. One-character queries are measured apart: one matches most of a
        library, and even where the index lists its first hits at once (10k articles: ~10 ms) a
        scan of the same library takes far longer than of two characters, so neither kind of
        query sets the other's wait; until a first character has been searched quickly, the box
        waits the full time after one. Until a query of two characters or more has been measured,
        a quick first character stands for it too (it is the slower kind: at 100k articles the
        first two characters typed waited the full time after their first one answered in 60 ms)."""
        if query is not None and len(query) < 2:
            self._quick_one = took_ms < QUICK_SEARCH_MS
            return
        self._quick = took_ms < QUICK_SEARCH_MS
        self.debounce.setInterval(QUICK_DEBOUNCE_MS if self._quick else DEBOUNCE_MS)

    def set_recent(self, queries: list[str]) -> None:
        self.recent_model.setStringList(list(queries))

    def recent(self) -> list[str]:
        return self.recent_model.stringList()

    @property
    def query(self) -> str:
        return self.text().strip()

    def _on_text(self, _text: str) -> None:
        if not self.query:
            self.debounce.stop()
            self.cleared.emit()
        else:
            # (see note_search_ms)
            quick = self._quick_one if len(self.query) < 2 or self._quick is None else self._quick
            self.debounce.setInterval(QUICK_DEBOUNCE_MS if quick else DEBOUNCE_MS)
            self.debounce.start()

    def _settle(self) -> None:
        if self.query:
            self.query_changed.emit(self.query)

    def flush(self) -> bool:
        """Search now if a keystroke is still waiting out the debounce; return whether it was."""
        if self.debounce.isActive():
            self.debounce.stop()
            self._settle()
            return True
        return False

    def _commit(self) -> None:
        if self.query:
            self.query_committed.emit(self.query)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        popup = self.completer().popup()
        if popup is not None and popup.isVisible():
            return super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.query:
            if not self.flush():
                self.next_hit_requested.emit()
            self.query_committed.emit(self.query)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() == Qt.Key.Key_Down and not self.text() and self.recent():
            self.completer().setCompletionPrefix("")
            self.completer().complete()
            return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        # Esc must reach keyPressEvent even where a window shortcut would take it.
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape and self.text():
            event.accept()
            return True
        return super().event(event)
