"""Why a page split as it did, in the window: ``baozhi articles FILE --explain`` as a table.

Each line of the source with the role the splitter gave it (headline, kicker, byline, dateline,
subhead, caption, body, page header …) and why; the lines of the article being read are shown
first in view and in bold. The reader's own corrections come after the splitter and are not in
it: the table says how many there are.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout

from app.library import LoadedSource
from app.segment.explain import LineNote, Trace
from app.segment.source import split_source
from app.sources import display_path

translate = QCoreApplication.translate  # lupdate reads translate("ExplainView", "…") calls


def role_names() -> dict[str, str]:
    """The splitter's roles (app.segment.explain.ROLES) in the interface's language."""
    return {
        "headline": translate("ExplainView", "headline"), "kicker": translate("ExplainView", "kicker"),
        "subtitle": translate("ExplainView", "subtitle"), "byline": translate("ExplainView", "byline"),
        "dateline": translate("ExplainView", "dateline"), "subhead": translate("ExplainView", "subhead"),
        "caption": translate("ExplainView", "caption"), "body": translate("ExplainView", "body"),
        "marker": translate("ExplainView", "related marker"),
        "page header": translate("ExplainView", "page header"), "separator": translate("ExplainView", "separator"),
    }


def explain_source(loaded: LoadedSource) -> tuple[list[LineNote], list[str]]:
    """The source's lines with their roles, and the ids of the articles the splitter made (the
    trace numbers articles by their place in that list)."""
    source = loaded.source
    trace = Trace(source.text)
    articles = split_source(source.text, source=display_path(source.path), source_key=source.sha256, trace=trace)
    return trace.lines(), [a.id for a in articles]


class ExplainModel(QAbstractTableModel):
    """Columns: line number, article number, role, the line, why."""

    COLUMNS = 5

    def __init__(self, notes: list[LineNote], focus: int | None, parent=None):
        super().__init__(parent)
        self.notes = notes
        self.focus = focus  # the article (by its number in the split) whose lines stand out
        self.roles = role_names()
        self.bold = QFont()
        self.bold.setBold(True)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.notes)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (translate("ExplainView", "Line"), translate("ExplainView", "Article"),
                translate("ExplainView", "Role"), translate("ExplainView", "Text"),
                translate("ExplainView", "Why"))[section]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        note = self.notes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return str(note.line)
            if column == 1:
                return "" if note.article is None else str(note.article + 1)
            if column == 2:
                return self.roles.get(note.role, note.role)
            return note.text if column == 3 else note.why
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (3, 4):
            return note.text if index.column() == 3 else note.why
        if role == Qt.ItemDataRole.FontRole and self.focus is not None and note.article == self.focus:
            return self.bold
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 1):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def first_row_of_focus(self) -> int | None:
        return next((i for i, n in enumerate(self.notes) if n.article == self.focus), None)


class ExplainDialog(QDialog):
    """The table for one source, scrolled to the article being read."""

    def __init__(self, loaded: LoadedSource, article_id: str | None, parent=None):
        super().__init__(parent)
        self.setObjectName("explainDialog")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            notes, ids = explain_source(loaded)
        finally:
            QGuiApplication.restoreOverrideCursor()
        focus = ids.index(article_id) if article_id in ids else None
        name = Path(display_path(loaded.source.path)).name
        self.setWindowTitle(translate("ExplainView", "How {file} Was Split").format(file=name))
        self.model = ExplainModel(notes, focus, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(3, 360)
        text = translate("ExplainView", "Each line of the page with the role the splitter gave it, and why.")
        corrections = len(loaded.corrections)
        if corrections:
            text += " " + (translate("ExplainView", "Your correction of this page is applied after it.")
                           if corrections == 1 else
                           translate("ExplainView", "Your {n} corrections of this page are applied after it.")
                           .format(n=corrections))
        self.note = QLabel(text, self)
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(self.sizeHint())
        row = self.model.first_row_of_focus()
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(900, 560)
