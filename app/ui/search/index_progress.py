"""The status bar's indexing progress: a label, a ``QProgressBar`` and a cancel button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget


class IndexProgress(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.cancel_button = QToolButton(self)
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._done, self._total = 0, 0
        self._named, self._naming = 0, 0  # articles given their names, of all (before writing)
        self.retranslate()

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop indexing; searching goes on through the open articles"))
        self._show_label()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def start(self) -> None:
        self._done, self._total = 0, 0
        self._named, self._naming = 0, 0
        self.bar.setRange(0, 0)
        self._show_label()
        self.show()

    def set_names_progress(self, done: int, total: int) -> None:
        """Articles given their entities so far, before the index is written: a count to show
        (and a still bar: Qt's busy bar repaints 60 times a second, for the ~15 minutes the
        names of 100k articles take)."""
        if self._total:
            return  # writing has begun: its count is shown
        self._named, self._naming = done, total
        self._show(done, total)

    def set_progress(self, done: int, total: int) -> None:
        self._done, self._total = done, total
        self._show(done, total)

    def _show(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(min(done, total))
        self._show_label()

    def _show_label(self) -> None:
        if self._total:
            self.label.setText(self.tr("Indexing {done} of {total} articles…").format(
                done=self._done, total=self._total))
        elif self._naming:
            self.label.setText(self.tr("Finding names in {done} of {total} articles…").format(
                done=self._named, total=self._naming))
        else:
            self.label.setText(self.tr("Indexing…"))
