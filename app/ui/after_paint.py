"""Background work that waits until the window has painted what was just put on it.

When a search's results arrive, the GUI thread lists them and paints the list and the first
article (10-25 ms of Python and Qt at 10k articles). Work started in a background thread at that
moment (the rest of a query's hits, the timeline's counts for it) takes the interpreter from the
GUI thread at every call the paint makes into Qt: the paint took twice its own time (25 ms of CPU
over 50-70 ms). Started after the paint, that work costs the reader nothing they can see.

:func:`after_paint` calls a function on the GUI thread once the widget's window has handled its
next update request (the paint of everything changed before the call), or after
:data:`FALLBACK_MS` when none comes (a hidden or minimised window paints nothing).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 100  # the longest a function waits when the window does not paint


class _PaintWatch(QObject):
    """The functions waiting on one top-level window's next paint."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self.waiting: list[Callable[[], None]] = []
        self.watched: list[QObject] = []
        self.fallback = QTimer(self)
        self.fallback.setSingleShot(True)
        self.fallback.setInterval(FALLBACK_MS)
        self.fallback.timeout.connect(self.run)

    def add(self, function: Callable[[], None]) -> None:
        self.waiting.append(function)
        if not self.watched:
            # the widget (offscreen) or its native window (a real screen) gets the update request
            self.watched = [o for o in (self.window, self.window.windowHandle()) if o is not None]
            for o in self.watched:
                o.installEventFilter(self)
            self.fallback.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.UpdateRequest and self.waiting:
            # called before the paint: the zero timer fires once the paint is done
            QTimer.singleShot(0, self, self.run)
        return False

    def run(self) -> None:
        self.fallback.stop()
        for o in self.watched:
            try:
                o.removeEventFilter(self)
            except RuntimeError:  # its native window was destroyed meanwhile (its filters with it)
                pass
        self.watched = []
        waiting, self.waiting = self.waiting, []
        for function in waiting:
            function()


def after_paint(widget: QObject | None, function: Callable[[], None]) -> None:
    """Call ``function`` on the GUI thread after ``widget``'s window next paints (see the module's
    docstring); at once when ``widget`` is not a widget (no window to wait for)."""
    if not isinstance(widget, QWidget):
        function()
        return
    window = widget.window()
    watch = window.findChild(_PaintWatch, "", Qt.FindChildOption.FindDirectChildrenOnly)
    if watch is None:
        watch = _PaintWatch(window)
    watch.add(function)
