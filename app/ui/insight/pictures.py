"""What the insight pictures (the timeline strip and the network) share: a tooltip answered from
what is under the pointer, and Save as PNG or SVG. Each picture keeps its own words (``self.tr``
in its class, for the translations) and passes them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QHelpEvent, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QToolTip, QWidget

from app.ui import errors


def show_tooltip(widget: QWidget, event: QHelpEvent, text: str) -> bool:
    """Answer a tooltip ``event`` with ``text``, or hide the tooltip (and let the event go on)
    where there is nothing to say. Returns True: the event was handled."""
    if text:
        QToolTip.showText(event.globalPos(), text, widget)
    else:
        QToolTip.hideText()
        event.ignore()
    return True


def ask_and_save(widget: QWidget, fmt: str, caption: str, name: str, filters: str,
                 save: Callable[[str], None], error_title: str) -> None:
    """Ask where to save the picture as ``fmt`` ("png" or "svg"; the suffix is added when the
    name has none) and ``save`` it there; a failure (OSError) is reported under ``error_title``."""
    path, _ = QFileDialog.getSaveFileName(widget, caption, name, filters)
    if not path:
        return
    if not path.lower().endswith("." + fmt):
        path += "." + fmt
    try:
        save(path)
    except OSError as exc:
        errors.report_error(widget, error_title, str(exc))


def write_svg(path: str | Path, size: QSize, title: str, description: str, paint: Callable[[QPainter], None],
              error: str) -> None:
    """An SVG drawing ``size`` big (text stays text) painted by ``paint``; raises OSError(``error``)
    when it cannot be started."""
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription(description)
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(error)
    paint(painter)
    painter.end()
