"""The log file: what would have gone to a console, kept in the user's data folder.

``run()`` installs :func:`install` (not for ``--screenshot``): a rotating ``baozhi.log`` under
``app.paths.data_dir()/logs`` (``BAOZHI_DATA_DIR`` moves it), the folder and file made only when
the first message is written. Tracebacks from the one error path (:mod:`app.ui.errors`) and the
workers land there, and so do Qt's own warnings. Help → Open Log File shows it through
:func:`open_in_viewer` (tests patch it).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from PySide6.QtCore import QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices

from app.paths import log_path

MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class LazyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler that creates its folder (and file) with the first record."""

    def __init__(self, path: Path):
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)

    def _open(self):
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def install(path: Path | None = None, qt_messages: bool = True) -> logging.Handler:
    """Send every warning and error (``baozhi.*``, Qt's) to the log file; returns the handler."""
    handler = LazyRotatingFileHandler(path or log_path())
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.getLogger().addHandler(handler)
    if qt_messages:
        qInstallMessageHandler(_qt_message)
    return handler


def _qt_message(kind, _context, message: str) -> None:
    logging.getLogger("baozhi.qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def open_in_viewer(url: QUrl) -> bool:
    """Open ``url`` in the desktop's viewer (the one place tests patch)."""
    return QDesktopServices.openUrl(url)


def open_log_file() -> tuple[bool, Path]:
    """Show the log file (made empty if nothing was logged yet); returns (opened, path)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return False, path
    return bool(open_in_viewer(QUrl.fromLocalFile(str(path)))), path
