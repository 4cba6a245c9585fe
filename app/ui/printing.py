"""Printing the current article, with Qt's print preview (QtPrintSupport)."""

from __future__ import annotations

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtWidgets import QWidget


def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    return printer


def print_document(document: QTextDocument, printer: QPrinter) -> None:
    document.print_(printer)


def open_print_preview(parent: QWidget, document: QTextDocument) -> QPrintPreviewDialog:
    """Open a window-modal preview (non-blocking); printing from it prints ``document``."""
    printer = make_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    document.setParent(dialog)
    dialog.paintRequested.connect(lambda p: print_document(document, p))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.resize(900, 1000)
    dialog.open()
    return dialog
