"""Printing the current article, with Qt's print preview (QtPrintSupport)."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget


def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    return printer


def print_document(document: QTextDocument, printer: QPrinter) -> None:
    document.print_(printer)


class PrintPreview(QPrintPreviewDialog):
    """A preview that owns its printer and its document.

    ``QPrinter`` is not a ``QObject``: nothing on the C++ side keeps it alive. Passed to the dialog
    as a local, Python freed it when the opening function returned, and the dialog's first paint
    used the freed printer — a segfault in libQt6Core under a real X server (offscreen happened
    not to touch the memory in time). Holding it here ties its life to the dialog's.
    """

    def __init__(self, parent: QWidget, document: QTextDocument):
        self.printer = make_printer()
        super().__init__(self.printer, parent)
        self.document = document
        document.setParent(self)
        self.paintRequested.connect(self._paint)

    def _paint(self, printer: QPrinter) -> None:
        print_document(self.document, printer)


def open_print_preview(parent: QWidget, document: QTextDocument) -> PrintPreview:
    """Open a window-modal preview (non-blocking); printing from it prints ``document``.

    The caller keeps the returned dialog (and so its printer) referenced while it is open."""
    dialog = PrintPreview(parent, document)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(900, 1000)
    dialog.open()
    return dialog
