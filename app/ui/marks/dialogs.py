"""Asking for tags (comma-separated, completed from the tags in use) and for a note (plain text,
light Markdown). Each is one function the window calls, so tests can stand in for the user."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter, QDialog, QDialogButtonBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
)

translate = QCoreApplication.translate  # lupdate reads translate("MarksDialogs", "…") calls

TAG_SPLIT = re.compile(r"[,，、;；\s]+")


def parse_tags(text: str) -> list[str]:
    """``政策, 调研，民生`` -> ["政策", "调研", "民生"]: split at commas (either width), 、, ; or
    spaces, each kept once in the order given."""
    return list(dict.fromkeys(t for t in TAG_SPLIT.split(text.strip()) if t))


class TagCompleter(QCompleter):
    """Completes the tag being typed (the text after the last separator), from ``tags``."""

    def __init__(self, tags: list[str], parent=None):
        super().__init__(parent)
        self.tags_model = QStringListModel(sorted(tags), self)  # owned here: the completer only uses it
        self.setModel(self.tags_model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802
        return [TAG_SPLIT.split(path)[-1]]

    def pathFromIndex(self, index) -> str:  # noqa: N802
        edit = self.widget()
        text = edit.text() if isinstance(edit, QLineEdit) else ""
        head = text[:len(text) - len(TAG_SPLIT.split(text)[-1])]
        return head + index.data() + ", "


def ask_tags(parent, title: str, current: list[str], known: list[str]) -> list[str] | None:
    """The article's tags as the reader edits them; None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(translate("MarksDialogs", "Tags"))
    label = QLabel(translate("MarksDialogs", "Tags of “{title}”, separated by commas:").format(title=title), dialog)
    label.setWordWrap(True)
    edit = QLineEdit(", ".join(current), dialog)
    edit.setObjectName("tagsEdit")
    edit.setCompleter(TagCompleter(known, edit))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(edit)
    layout.addWidget(buttons)
    dialog.resize(420, dialog.sizeHint().height())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return parse_tags(edit.text())


def ask_note(parent, title: str, current: str) -> str | None:
    """The note as the reader edits it (plain text; **bold**, *italic*, lists and links are shown
    as such); None when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(translate("MarksDialogs", "Note"))
    label = QLabel(translate("MarksDialogs", "Note on “{title}” (**bold**, *italic*, - lists):").format(title=title),
                   dialog)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    edit = QPlainTextEdit(current, dialog)
    edit.setObjectName("noteEdit")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(edit, 1)
    layout.addWidget(buttons)
    dialog.resize(480, 300)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return edit.toPlainText().strip()
