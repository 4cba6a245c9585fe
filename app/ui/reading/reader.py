"""The reading pane: one article set as a newspaper would, built with ``QTextCursor`` insertions.

Nothing from a source file is ever parsed as markup: all text goes in through
``QTextCursor.insertText`` with explicit formats, so a ``<script>`` or ``<b>`` in a page shows
literally. Links to the parent or related articles use the ``article:`` scheme and are handled
in the window, never opened externally.

While a search is active the pane marks every match of the query's words in the article itself
(kicker, title, subtitle, byline and paragraphs; not the related-news links) with extra
selections, and F3 / Shift+F3 step through them (``hits_changed(current, total)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction, QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat,
)
from PySide6.QtWidgets import QMenu, QTextBrowser

from app import palette
from app.model import ENTITY_TYPES, Article, Paragraph, credit_line
from app.ui.entities import marks as entity_marks
from app.ui.settings.theme import Colors

LINK_SCHEME = "article"
BASE_POINT_SIZE = 12.0
LINE_HEIGHT = 165  # percent: generous, for dense Chinese text
MAX_TEXT_WIDTH_EM = 38  # a comfortable column; wider panes get side margins
ARTICLE_FIRST_BLOCK = "articleFirstBlock"  # document properties: where the article itself stands
ARTICLE_END = "articleEnd"
# a block's user state says which line of the article it sets: a paragraph's number (0, 1, …), or
# one of these for the headline's lines (-1, Qt's default, is anything else: links, rules, metadata)
HEADLINE_STATES = {"kicker": -2, "title": -3, "subtitle": -4}
RENDERS_PER_CLEAR = 200  # articles shown between two clearings of the pane's document (its formats)
LINE_OF_STATE = {state: line for line, state in HEADLINE_STATES.items()}
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# (dark theme, current hit) -> (background, text) of a marked search hit
# (dark, current) -> (background, text) of a search hit: the palette's (app/palette.py)
HIT_COLORS = {
    (dark, current): ((p.current_hit, p.current_hit_text) if current else (p.hit, p.hit_text))
    for dark, p in ((False, palette.LIGHT), (True, palette.DARK)) for current in (False, True)
}


def highlight_format(dark: bool) -> QTextCharFormat:
    """A reader's highlight: the palette's third series colour (bluish green) as a thick underline
    over a pale wash of it, so it reads apart from the entity tints and the yellow search hits."""
    colour = QColor(palette.palette(dark).series[2])
    fmt = QTextCharFormat()
    wash = QColor(colour)
    wash.setAlphaF(0.35 if dark else 0.28)
    fmt.setBackground(wash)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(colour)
    return fmt


def page_header(article: Article) -> str:
    """Where a whole issue printed the article: ``第A03版 要闻 · 2023年10月31日`` ("" when unknown)."""
    parts = []
    if article.page:
        number = article.page.removeprefix("第").removesuffix("版")
        parts.append(QCoreApplication.translate("ReaderView", "Page {page}").format(page=number))
    if article.page_name:
        parts.append(article.page_name)
    when = article.issue_date or ""
    m = ISO_DATE_RE.match(when)
    if m:
        year, month, day = m.groups()
        when = QCoreApplication.translate("ReaderView", "{year}-{mm}-{dd}").format(
            year=year, mm=month, dd=day, month=int(month), day=int(day))
    return " · ".join(x for x in (" ".join(parts), when) if x)


@dataclass
class ReadingContext:
    """What the pane shows around the article: the related articles and the parent."""

    parent: Article | None = None
    related: list[Article] = field(default_factory=list)


def build_document(article: Article | None, context: ReadingContext, colors: Colors,
                   family: str | None, point_size: float = BASE_POINT_SIZE,
                   doc: QTextDocument | None = None) -> QTextDocument:
    """``article`` set into ``doc`` (a new document by default); used for the pane and printing."""
    if doc is None:
        doc = QTextDocument()
    else:
        _empty(doc)
    base = QFont()
    if family:
        base.setFamilies([family])
    base.setPointSizeF(point_size)
    if doc.defaultFont() != base:  # setting it lays the document out at once, even in an edit block
        doc.setDefaultFont(base)
    if doc.documentMargin() != 24:
        doc.setDocumentMargin(24)
    doc.setProperty(ARTICLE_FIRST_BLOCK, 0)
    doc.setProperty(ARTICLE_END, 0)
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
        doc.setProperty(ARTICLE_FIRST_BLOCK, 1)
    header = page_header(article)
    if header:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, bottom=em * 0.5), first=first)
        first = False
        cursor.insertText(header, _chars(colors.muted, point_size * 0.85))
        doc.setProperty(ARTICLE_FIRST_BLOCK, cursor.block().blockNumber() + 1)
    if article.kicker:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, bottom=em * 0.3), first=first)
        first = False
        cursor.insertText(article.kicker, _chars(colors.muted, point_size * 1.1))
        cursor.block().setUserState(HEADLINE_STATES["kicker"])
    _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, line_height=125, bottom=em * 0.3), first=first)
    cursor.insertText(article.title, _chars(colors.text, point_size * 1.75, bold=True))
    cursor.block().setUserState(HEADLINE_STATES["title"])
    if article.subtitle:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, line_height=130, bottom=em * 0.2))
        cursor.insertText("—— " + article.subtitle, _chars(colors.text, point_size * 1.2))
        cursor.block().setUserState(HEADLINE_STATES["subtitle"])

    meta = [x for x in (article.date, credit_line(article), Path(article.source).name) if x]
    if meta:
        _block(cursor, _para(align=Qt.AlignmentFlag.AlignCenter, top=em * 0.4, bottom=em * 0.4))
        cursor.insertText("   ·   ".join(meta), _chars(colors.muted, point_size * 0.85))
    _rule(cursor, colors, em)

    for number, paragraph in enumerate(article.paragraphs):
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
        cursor.block().setUserState(number)  # where entity offsets (per paragraph) apply

    doc.setProperty(ARTICLE_END, cursor.position())
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


def _empty(doc: QTextDocument) -> None:
    """Take everything out of ``doc`` as an edit (not ``clear()``): inside the reader's edit block
    the layout then hears only of the new article. ``clear()`` emptied the document at once, the
    pane's scroll bar went away and came back, and the long article was laid out at two widths
    (a third of showing it)."""
    cursor = QTextCursor(doc)
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.removeSelectedText()
    cursor.setBlockFormat(QTextBlockFormat())  # the one block left keeps nothing of the last article
    cursor.setBlockCharFormat(QTextCharFormat())
    cursor.block().setUserState(-1)


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
    hits_changed = Signal(int, int)  # the current hit (1-based, 0 for none), the hits in the article
    entities_shown = Signal(object)  # dict type -> mentions in the article shown (all types)
    dossier_requested = Signal(str, str)  # type, text: the reader asked for a name's dossier

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
        self._terms: list[str] = []
        self._hits: list[tuple[int, int]] = []  # document positions (UTF-16) of each match
        self._current_hit = -1
        self._entity_types: frozenset[str] = frozenset(ENTITY_TYPES)  # the types highlighted
        self._entities: list[tuple[str, int, int]] = []  # (type, start, end) document positions
        # adds entries for a line of the article to the context menu: (menu, article, line)
        self.line_actions: Callable[[QMenu, Article, str | int], None] | None = None
        # adds the reader's marks' entries (highlight the selection, a highlight's note): (menu, position)
        self.mark_actions: Callable[[QMenu, int], None] | None = None
        self._highlights: list[tuple[int, int, object]] = []  # (start, end, key) document positions
        self._renders = 0

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def zoom(self) -> int:
        return self._zoom

    def configure(self, colors: Colors, family: str | None, zoom: int) -> None:
        self._colors, self._family, self._zoom = colors, family, zoom
        self._render()

    def warm_up(self) -> None:
        """Lay out an article-like page of Chinese in a document of its own, in the pane's fonts:
        otherwise the first article shown pays for loading them (~20 ms of the GUI thread, and
        at 100,000 articles it comes right after the library is taken in)."""
        if self._colors is None:
            return
        sample = Article(title="报纸阅读器", subtitle="江门日报讯", authors=["记者"], source="报纸.txt",
                         paragraphs=[Paragraph("10月31日,区委书记在会上说:今年投入4250万元。"),
                                     Paragraph("小标题", "subhead"), Paragraph("图为现场。", "caption"),
                                     Paragraph("文/图 记者", "byline")])
        doc = build_document(sample, ReadingContext(), self._colors, self._family, self.point_size())
        doc.setTextWidth(max(self.viewport().width(), 400))
        doc.size()  # lays it out

    def show_article(self, article: Article | None, context: ReadingContext | None = None) -> None:
        self._article = article
        self._context = context or ReadingContext()
        self._current_hit = 0  # its first hit, if it has any (``_mark_hits`` makes it -1 if not)
        self._highlights = []  # the new article's are set by the window (app.ui.marks)
        self._render()
        self.verticalScrollBar().setValue(0)
        if self._hits:  # drawn current already: only scrolled to (drawing the marks twice cost ~1 ms)
            self._scroll_to_current_hit()

    # -- entities --------------------------------------------------------------------------------
    @property
    def entity_types(self) -> frozenset[str]:
        return self._entity_types

    @property
    def entity_marks(self) -> list[tuple[str, int, int]]:
        """``(type, start, end)`` document positions of the entities highlighted now."""
        return list(self._entities)

    def entity_at(self, position: int) -> tuple[str, str] | None:
        """The highlighted entity (type, text) at document position ``position``, if any."""
        for entity_type, start, end in self._entities:
            if start <= position < end:
                cursor = QTextCursor(self.document())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                return entity_type, cursor.selectedText()
        return None

    def line_at(self, position: int) -> str | int | None:
        """The article's line at document position ``position``: a paragraph's number, "kicker",
        "title" or "subtitle"; None elsewhere (links, rules, the metadata lines)."""
        if self._article is None:
            return None
        state = self.document().findBlock(position).userState()
        if state >= 0:
            return state if state < len(self._article.paragraphs) else None
        return LINE_OF_STATE.get(state)

    def current_line(self) -> str | int | None:
        """The line the text cursor is in (where the reader last clicked)."""
        return self.line_at(self.textCursor().position())

    def position_of_line(self, line: str | int) -> int | None:
        """The document position where ``line`` (as :meth:`line_at` names it) starts."""
        state = line if isinstance(line, int) else HEADLINE_STATES.get(line)
        block = self.document().begin()
        while block.isValid():
            if block.userState() == state:
                return block.position()
            block = block.next()
        return None

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu at viewport point ``pos``: the usual entries, "Dossier of …" first when the
        pointer is on a name, and what :attr:`line_actions` adds for the line under it (the
        reader's corrections)."""
        menu = self.createStandardContextMenu(pos)
        position = self.cursorForPosition(pos).position()
        entity = self.entity_at(position)
        if entity is not None:
            action = QAction(self.tr("Dossier of {name}…").format(name=entity[1]), menu)
            action.triggered.connect(lambda: self.dossier_requested.emit(*entity))
            first = menu.actions()[0] if menu.actions() else None
            menu.insertAction(first, action)
            menu.insertSeparator(first)
        if self.mark_actions is not None and self._article is not None:
            self.mark_actions(menu, position)
        line = self.line_at(position)
        if self.line_actions is not None and line is not None:
            self.line_actions(menu, self._article, line)
        return menu

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def set_entity_types(self, types) -> None:
        types = frozenset(types)
        if types != self._entity_types:
            self._entity_types = types
            self.refresh_entities()

    def refresh_entities(self) -> None:
        """Show the article's entities as they are now (they may have just arrived), in place."""
        bar = self.verticalScrollBar()
        value = bar.value()
        self._render()
        bar.setValue(value)

    def _mark_entities(self) -> None:
        dark = self._colors is not None and QColor(self._colors.paper).lightness() < 128
        doc = self.document()
        self._entities = entity_marks.entity_positions(doc, self._article, self._entity_types)
        formats: dict[str, QTextCharFormat] = {}  # one per type, not one per mention
        for entity_type, start, end in self._entities:
            fmt = formats.get(entity_type)
            if fmt is None:
                fmt = formats[entity_type] = entity_marks.entity_format(entity_type, dark)
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        self.entities_shown.emit(entity_marks.type_counts(self._article))

    # -- the reader's highlights -----------------------------------------------------------------
    def body_position(self, paragraph: int, offset: int) -> int | None:
        """The document position of code point ``offset`` of paragraph ``paragraph`` (UTF-16)."""
        from app.ui.search.hit_marks import utf16_offset

        start = self.position_of_line(paragraph)
        if start is None:
            return None
        text = self.document().findBlock(start).text()
        return start + utf16_offset(text, max(0, min(offset, len(text))))

    def body_offset(self, position: int) -> int | None:
        """Where document ``position`` is in the article's body text (its paragraphs joined by
        newlines, counted in code points); None outside the paragraphs."""
        line = self.line_at(position)
        if not isinstance(line, int) or self._article is None:
            return None
        block = self.document().findBlock(position)
        text = block.text()
        units, points = position - block.position(), 0
        while units > 0 and points < len(text):  # UTF-16 units back to code points
            units -= 2 if ord(text[points]) > 0xFFFF else 1
            points += 1
        before = sum(len(p.text) + 1 for p in self._article.paragraphs[:line])
        return before + points

    @property
    def highlights(self) -> list[tuple[int, int, object]]:
        """``(start, end, key)`` document positions of the reader's highlighted passages."""
        return list(self._highlights)

    def set_highlights(self, spans: list[tuple[int, int, object]]) -> None:
        """Draw the reader's highlights (document positions); search hits are drawn over them."""
        self._highlights = list(spans)
        self._apply_selections()

    def highlight_at(self, position: int):
        """The key of the highlight at document ``position``, or None."""
        for start, end, key in self._highlights:
            if start <= position < end:
                return key
        return None

    # -- search hits -----------------------------------------------------------------------------
    @property
    def hits(self) -> list[tuple[int, int]]:
        return list(self._hits)

    @property
    def current_hit(self) -> int:
        return self._current_hit

    def set_search_terms(self, terms: list[str]) -> None:
        """Mark every occurrence of the (folded) ``terms`` in the article; [] removes the marks."""
        terms = list(terms)
        if terms == self._terms:
            return
        self._terms = terms
        self._current_hit = -1
        self._mark_hits()
        if self._hits:
            self.go_to_hit(0)

    def next_hit(self) -> None:
        if self._hits:
            self.go_to_hit((self._current_hit + 1) % len(self._hits))

    def previous_hit(self) -> None:
        if self._hits:
            self.go_to_hit((self._current_hit - 1) % len(self._hits) if self._current_hit >= 0 else -1)

    def go_to_hit(self, number: int) -> None:
        """Make hit ``number`` (0-based; negative counts from the end) current and scroll it into view."""
        if not self._hits:
            return
        self._current_hit = number % len(self._hits)
        self._apply_selections()
        self._scroll_to_current_hit()
        self.hits_changed.emit(self._current_hit + 1, len(self._hits))

    def _scroll_to_current_hit(self) -> None:
        start, end = self._hits[self._current_hit]
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        rect = self.cursorRect(cursor)
        viewport = self.viewport().rect()
        if rect.top() < viewport.top() + rect.height() or rect.bottom() > viewport.bottom() - rect.height():
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.center().y() - viewport.height() // 3)

    def _find_hits(self) -> list[tuple[int, int]]:
        from app.ui.search.hit_marks import find_terms, utf16_offset

        doc = self.document()
        if self._article is None or not self._terms:
            return []
        end = int(doc.property(ARTICLE_END) or 0)
        block = doc.findBlockByNumber(int(doc.property(ARTICLE_FIRST_BLOCK) or 0))
        hits: list[tuple[int, int]] = []
        while block.isValid() and block.position() < end:
            text = block.text()
            base = block.position()
            for s, e in find_terms(text, self._terms):
                hits.append((base + utf16_offset(text, s), base + utf16_offset(text, e)))
            block = block.next()
        return hits

    def _mark_hits(self) -> None:
        self._hits = self._find_hits()
        if self._current_hit >= len(self._hits):
            self._current_hit = -1
        self._apply_selections()
        self.hits_changed.emit(self._current_hit + 1 if self._hits else 0, len(self._hits))

    def _apply_selections(self) -> None:
        selections = []
        dark = self._colors is not None and QColor(self._colors.paper).lightness() < 128
        for start, end, _key in self._highlights:
            selection = QTextBrowser.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = highlight_format(dark)
            selections.append(selection)
        hit_formats = []  # [other hits', the current hit's]
        for current in (False, True):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(HIT_COLORS[(dark, current)][0]))
            fmt.setForeground(QColor(HIT_COLORS[(dark, current)][1]))
            hit_formats.append(fmt)
        for i, (start, end) in enumerate(self._hits):
            selection = QTextBrowser.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = hit_formats[i == self._current_hit]
            selections.append(selection)
        self.setExtraSelections(selections)

    def point_size(self) -> float:
        return BASE_POINT_SIZE * self._zoom / 100

    def print_document(self, colors: Colors) -> QTextDocument:
        """A fresh document of the current article for printing (always in ``colors``)."""
        return build_document(self._article, self._context, colors, self._family, self.point_size())

    def _render(self) -> None:
        if self._colors is None:
            return
        self._renders += 1
        if self._renders % RENDERS_PER_CLEAR == 0:
            # the document keeps every format it was given, and a related article's link is one
            # of its own (its address and tooltip): cleared now and then, at the cost of one
            # layout more (build_document empties it without clearing, see _empty)
            self.document().clear()
        # one edit block: the document's layout hears of the article once, not after each of its
        # blocks and entity marks (about 2 ms of the GUI thread per long article with entities)
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        try:
            build_document(self._article, self._context, self._colors, self._family, self.point_size(),
                           doc=self.document())
            self._update_margins()
            self._mark_entities()
        finally:
            edit.endEditBlock()
        self._mark_hits()

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
