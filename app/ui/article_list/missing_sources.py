"""A notice over the article list for remembered sources that are not where they were.

A file on an unplugged drive or a renamed folder must not vanish from the user's library: it stays
in the settings and is listed here, one at a time, with a way to locate it (the others in the
same folder follow when they are found beside it) or to remove it from the library.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout


def relocated(missing: list[str], old: str, new: str) -> dict[str, str]:
    """``old`` was found at ``new``: the other missing files that stand beside ``new`` under the same
    name (a moved or renamed folder), as {old path: new path}, ``old`` itself included."""
    found = {old: new}
    folder = Path(new).parent
    for path in missing:
        if path != old:
            candidate = folder / Path(path).name
            if candidate.is_file():
                found[path] = str(candidate)
    return found


class MissingSourcesBar(QFrame):
    """Shows the first missing source; ``locate_requested(path)`` and ``remove_requested(paths)``
    ask the window to act. Hidden when nothing is missing."""

    locate_requested = Signal(str)
    remove_requested = Signal(list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("missingSources")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.missing: list[str] = []
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.locate_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.remove_all_button = QPushButton(self)
        self.locate_button.clicked.connect(lambda: self.locate_requested.emit(self.missing[0]))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.missing[:1]))
        self.remove_all_button.clicked.connect(lambda: self.remove_requested.emit(list(self.missing)))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.locate_button)
        row.addWidget(self.remove_button)
        row.addWidget(self.remove_all_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.set_missing([])

    def set_missing(self, paths: list[str]) -> None:
        self.missing = list(paths)
        self.setVisible(bool(self.missing))
        self.retranslate()

    def retranslate(self) -> None:
        self.locate_button.setText(self.tr("Locate…"))
        self.remove_button.setText(self.tr("Remove from Library"))
        self.remove_all_button.setText(self.tr("Remove All Missing"))
        self.remove_all_button.setVisible(len(self.missing) > 1)
        if not self.missing:
            self.label.clear()
            return
        first = self.missing[0]
        if len(self.missing) == 1:
            text = self.tr("A file of your library is missing: {name}\n{path}")
        else:
            text = self.tr("{n} files of your library are missing. First: {name}\n{path}")
        self.label.setText(text.format(n=len(self.missing), name=Path(first).name, path=first))
        self.label.setToolTip("\n".join(self.missing))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
