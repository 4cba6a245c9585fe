"""F1's list of keyboard shortcuts, and the About box."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QMessageBox, QTableView, QVBoxLayout, QWidget,
)



def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys and action.text():
            rows.append((action.text().replace("&", ""), "  ".join(dict.fromkeys(keys))))
    rows += [
        (QCoreApplication.translate("ShortcutsDialog", "Previous / next article"), "↑  ↓"),
        (QCoreApplication.translate("ShortcutsDialog", "Page up / down in the list"), "PgUp  PgDown"),
        (QCoreApplication.translate("ShortcutsDialog", "First / last article"), "Home  End"),
        (QCoreApplication.translate("ShortcutsDialog", "Select several articles"), "Shift+↑↓  Ctrl+Click"),
        (QCoreApplication.translate("ShortcutsDialog", "Move between list and reading pane"), "Tab"),
        (QCoreApplication.translate("ShortcutsDialog", "Clear the filter"), "Esc"),
    ]
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None, actions: list[QAction]):
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("ShortcutsDialog", "Keyboard Shortcuts"))
        model = QStandardItemModel(0, 2, self)
        model.setHorizontalHeaderLabels([QCoreApplication.translate("ShortcutsDialog", "Command"),
                                         QCoreApplication.translate("ShortcutsDialog", "Keys")])
        for command, keys in shortcut_rows(actions):
            model.appendRow([QStandardItem(command), QStandardItem(keys)])
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 520)


def about_text(version: str) -> str:
    return QCoreApplication.translate(
        "About",
        "Baozhi Reader {version}\n\nRead, search and export plain-text Chinese newspaper pages offline.",
    ).format(version=version)


def show_about(parent: QWidget, version: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("About", "About Baozhi Reader"),
                      about_text(version), QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
