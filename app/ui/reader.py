"""The reading pane: one article set as a newspaper would, built with ``QTextCursor`` insertions.

Nothing from a source file is ever parsed as markup: all text goes in through
``QTextCursor.insertText`` with explicit formats, so a ``<script>`` or ``<b>`` in a page shows
literally. Links to the parent or related articles use the ``article:`` scheme and are handled
in the window, never opened externally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser

from app.model import Article
from app.ui.theme import Colors

LINK_SCHEME = "article"
BASE_POINT_SIZE = 12.0
LINE_HEIGHT = 165  # percent: generous, for dense Chinese text
MAX_TEXT_WIDTH_EM = 38  # a comfortable column; wider panes get side margins



@dataclass
class ReadingContext:
    """What the pane shows around the article: the related articles and the parent."""

    parent: Article | None = None
    related: list[Article] = field(default_factory=list)


def build_document(article: Article | None, context: ReadingContext, colors: Colors,
                   family: str | None, point_size: float = BASE_POINT_SIZE,
                   doc: QTextDocument | None = None) -> QTextDocument:
    """``article`` set into ``doc`` (a new document by default); used for the pane and printing."""
    doc = doc if doc is not None else QTextDocument()
    doc.clear()
    base = QFont()
    if family:
        base.setFamilies([family])
    base.setPointSizeF(point_size)
    doc.setDefaultFont(base)
    doc.setDocumentMargin(24)
    cursor = QTextCursor(doc)
    if article is None:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, top=point_size * 6), first=True)
        empty = QCoreApplication.translate(
            "ReaderView", "No article open. Use File → Open (Ctrl+O) or drop text files here.")
        cursor.insertText(empty, _chars(colors.muted, point_size))
        return doc
    em = point_size * 96 / 72  # the body font's em in pixels, for the two-character indent

    first = True
    if context.parent is not None:
        _block(cursor, _para(bottom=em * 0.6), first=first)
        first = False
        belongs = QCoreApplication.translate("ReaderView", "Related news, belonging to: ")
        cursor.insertText(belongs, _chars(colors.muted, point_size * 0.9))
        cursor.insertText(context.parent.title, _link(context.parent, colors, point_size * 0.9))
    if article.kicker:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, bottom=em * 0.3), first=first)
        first = False
        cursor.insertText(article.kicker, _chars(colors.muted, point_size * 1.1))
    _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, line_height=125, bottom=em * 0.3), first=first)
    cursor.insertText(article.title, _chars(colors.text, point_size * 1.75, bold=True))
    if article.subtitle:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, line_height=130, bottom=em * 0.2))
        cursor.insertText("—— " + article.subtitle, _chars(colors.text, point_size * 1.2))

    meta = [x for x in (article.date, "、".join(article.authors), Path(article.source).name) if x]
    if meta:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, top=em * 0.4, bottom=em * 0.4))
        cursor.insertText("   ·   ".join(meta), _chars(colors.muted, point_size * 0.85))
    _rule(cursor, colors, em)

    for paragraph in article.paragraphs:
        if paragraph.kind == "subhead":
            _block(cursor, _para(line_height=LINE_HEIGHT, top=em * 0.8, bottom=em * 0.4))
            cursor.insertText(paragraph.text, _chars(colors.text, point_size * 1.05, bold=True))
        elif paragraph.kind == "caption":
            _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, line_height=150, bottom=em * 0.6))
            cursor.insertText(paragraph.text, _chars(colors.muted, point_size * 0.85))
        elif paragraph.kind == "byline":
            _block(cursor, _para(align=Qt.AlignmentFlag.AlignRight, line_height=150, bottom=em * 0.6))
            cursor.insertText(paragraph.text, _chars(colors.muted, point_size * 0.9))
        else:
            _block(cursor, _para(line_height=LINE_HEIGHT, indent=2 * em, bottom=em * 0.5))
            cursor.insertText(paragraph.text, _chars(colors.text, point_size))

    if context.related:
        _rule(cursor, colors, em)
        _block(cursor, _para(bottom=em * 0.3))
        heading = QCoreApplication.translate("ReaderView", "Related news")
        cursor.insertText(heading, _chars(colors.accent, point_size, bold=True))
        for related in context.related:
            _block(cursor, _para(line_height=150, indent=em))
            cursor.insertText("› ", _chars(colors.muted, point_size))
            cursor.insertText(related.title, _link(related, colors, point_size))
    return doc


def _para(align=Qt.AlignmentFlag.AlignJustify, line_height: int = 100, indent: float = 0,
          top: float = 0, bottom: float = 0) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setAlignment(align)
    fmt.setLineHeight(line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    fmt.setTextIndent(indent)
    fmt.setTopMargin(top)
    fmt.setBottomMargin(bottom)
    return fmt


def _block(cursor: QTextCursor, fmt: QTextBlockFormat, first: bool = False) -> None:
    if first:
        cursor.setBlockFormat(fmt)
    else:
        cursor.insertBlock(fmt)


def _chars(color: str, size: float, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    fmt.setFontPointSize(size)
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    return fmt


def _link(article: Article, colors: Colors, size: float) -> QTextCharFormat:
    fmt = _chars(colors.accent, size)
    fmt.setAnchor(True)
    fmt.setAnchorHref(f"{LINK_SCHEME}:{article.id}")
    fmt.setFontUnderline(True)
    fmt.setToolTip(article.title)
    return fmt


def _rule(cursor: QTextCursor, colors: Colors, em: float) -> None:
    """A thin horizontal rule in its own empty block; the next ``_block`` starts a fresh one."""
    fmt = _para(top=em * 0.2, bottom=em * 0.6)
    fmt.setProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth, 1)
    fmt.setForeground(QColor(colors.rule))
    cursor.insertBlock(fmt)


class ReaderView(QTextBrowser):
    """Shows one article; emits ``article_link_activated(id)`` for parent/related links."""

    article_link_activated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.anchorClicked.connect(self._on_anchor)
        self._article: Article | None = None
        self._context = ReadingContext()
        self._colors: Colors | None = None
        self._family: str | None = None
        self._zoom = 100

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def zoom(self) -> int:
        return self._zoom

    def configure(self, colors: Colors, family: str | None, zoom: int) -> None:
        self._colors, self._family, self._zoom = colors, family, zoom
        self._render()

    def show_article(self, article: Article | None, context: ReadingContext | None = None) -> None:
        self._article = article
        self._context = context or ReadingContext()
        self._render()
        self.verticalScrollBar().setValue(0)

    def point_size(self) -> float:
        return BASE_POINT_SIZE * self._zoom / 100

    def print_document(self, colors: Colors) -> QTextDocument:
        """A fresh document of the current article for printing (always in ``colors``)."""
        return build_document(self._article, self._context, colors, self._family, self.point_size())

    def _render(self) -> None:
        if self._colors is None:
            return
        build_document(self._article, self._context, self._colors, self._family, self.point_size(),
                       doc=self.document())
        self._update_margins()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_margins()

    def _update_margins(self) -> None:
        doc = self.document()
        em = self.point_size() * 96 / 72
        width = self.viewport().width()
        side = max(24.0, (width - MAX_TEXT_WIDTH_EM * em) / 2)
        root = doc.rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 0.5:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == LINK_SCHEME:
            self.article_link_activated.emit(url.path())
