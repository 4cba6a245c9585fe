"""The one error path: every failure the user must hear about goes through :func:`report_error`.

Worker failures, unreadable sources and unexpected exceptions (via :func:`install_excepthook`)
all end here: the message is logged (to the log file, :mod:`app.ui.log_file`), then shown in a window-modal box that does not block the
GUI thread. Tests patch ``app.ui.errors.report_error`` (callers look it up at call time).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("baozhi.ui")


def report_error(parent: QWidget | None, title: str, message: str) -> None:
    """Log ``message`` (with the traceback when called while handling an exception) and show it
    to the user without waiting for the answer."""
    log.error("%s: %s", title, message, exc_info=sys.exc_info()[0] is not None)
    if QApplication.instance() is None:
        print(f"baozhi: {title}: {message}", file=sys.stderr)
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and reasons are never markup
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question and wait for the answer (No is the default).

    The one place the window asks before doing something it cannot undo, such as replacing a
    file; tests patch ``app.ui.errors.ask_yes_no`` (callers look it up at call time).
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Call the current :func:`report_error` (looked up at call time so tests can patch it)."""
    this_module = sys.modules[__name__]
    this_module.report_error(parent, title, message)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
    show_error(
        QApplication.activeWindow(),
        QCoreApplication.translate("errors", "Unexpected error"),
        QCoreApplication.translate("errors", "Something went wrong: {error}\nThe details are in the log.").format(
            error=f"{kind.__name__}: {value}"
        ),
    )


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to the one error path."""
    sys.excepthook = _excepthook
