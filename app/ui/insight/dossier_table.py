"""The dossier's concordance: one row per sentence naming the name, as a model (not a table of
widgets), the delegate that paints each sentence with its name on the type's tint (light or dark,
from :mod:`app.palette`), trimmed around the name when it is long, and the table showing them with
fixed row heights and column widths, so thousands of sentences show at once.
:mod:`app.ui.insight.dossier_view` puts it in the dossier.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView,
    QWidget,
)

from app import palette
from app.insight.dossier import Mention
from app.ui.entities.legend import is_dark
from app.ui.search.hit_marks import utf16_offset

Index = QModelIndex | QPersistentModelIndex

DATE, HEADLINE, SENTENCE, SPELLING = range(4)
MENTION_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's Mention
MARK_ROLE = Qt.ItemDataRole.UserRole + 2  # (start, end) of the name in the sentence, code points

MARK_AT = 0.4  # a long sentence is trimmed on the left so that its name ends by this part of the cell


def fit_sentence(sentence: str, start: int, end: int, fm: QFontMetrics, width: int) -> tuple[str, int, int]:
    """What of ``sentence`` a cell ``width`` pixels wide shows, and where the name is in it.

    A sentence that fits is shown whole. Otherwise its left is cut (behind a ``…``) until the name
    ends within the first ``MARK_AT`` of the cell, and its right is elided: the name is always in
    view, with as much context before it as the cell allows. The returned range is clipped to the
    characters shown (never the ellipsis)."""
    start, end = max(0, min(start, len(sentence))), max(0, min(end, len(sentence)))
    if fm.horizontalAdvance(sentence) <= width:
        return sentence, start, end
    text, shift = sentence, 0
    room = max(1, int(width * MARK_AT))
    if fm.horizontalAdvance(sentence[:end]) > room:
        lo, hi = 1, start  # the smallest cut that brings the name's end within room (at most: cut to the name)
        while lo < hi:
            mid = (lo + hi) // 2
            if fm.horizontalAdvance("…" + sentence[mid:end]) <= room:
                hi = mid
            else:
                lo = mid + 1
        if lo > 0:
            text, shift = "…" + sentence[lo:], 1 - lo
    if fm.horizontalAdvance(text) > width:
        elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
        visible = len(elided) - 1 if elided.endswith("…") and elided != text else len(elided)
        text = elided
    else:
        visible = len(text)
    lo = max(0, min(start + shift, visible))
    return text, lo, max(lo, min(end + shift, visible))


class ConcordanceModel(QAbstractTableModel):
    """One row per mention, in the dossier's (date) order: date, headline, sentence, spelling."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._mentions: tuple[Mention, ...] = ()

    def set_mentions(self, mentions) -> None:
        self.beginResetModel()
        self._mentions = tuple(mentions)
        self.endResetModel()

    def mention(self, row: int) -> Mention:
        return self._mentions[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._mentions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Date"), self.tr("Headline"), self.tr("Sentence"), self.tr("Spelling"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        m = self._mentions[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == DATE:
                return m.date or self.undated_text()
            return (m.title or self.tr("(untitled)"), m.sentence, m.spelling)[column - 1] if column else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == HEADLINE:
                return m.title or None
            if column == SENTENCE:
                return m.sentence
            if column == DATE and not m.date:
                return self.tr("The article gives no date")
            return None
        if role == MENTION_ROLE:
            return m
        if role == MARK_ROLE:
            return (m.start, m.end)
        return None

    def undated_text(self) -> str:
        return self.tr("undated")

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
        if self._mentions:
            self.dataChanged.emit(self.index(0, DATE), self.index(len(self._mentions) - 1, HEADLINE))


class SentenceDelegate(QStyledItemDelegate):
    """The sentence on one line, its name in bold on the type's tint, trimmed around the name."""

    PAD = 4

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entity_type = "PERSON"

    def mark_colors(self) -> tuple[QColor, QColor]:
        """The name's (background, text): the type's tint behind the palette's text colour, which
        the tints are checked for contrast against (light or dark by the view's palette)."""
        colours = palette.palette(is_dark(self.parent()) if self.parent() is not None else False)
        entity = colours.entities.get(self.entity_type)
        return QColor(entity.tint if entity else colours.hit), QColor(colours.text)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        sentence = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        start, end = index.data(MARK_ROLE) or (0, 0)
        rect = opt.rect.adjusted(self.PAD, 0, -self.PAD, 0)
        fm = QFontMetrics(opt.font)
        text, start, end = fit_sentence(sentence, start, end, fm, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        layout = QTextLayout(text, opt.font)
        if end > start:
            background, foreground = self.mark_colors()
            fmt = QTextCharFormat()
            fmt.setBackground(background)
            fmt.setForeground(foreground)
            fmt.setFontWeight(QFont.Weight.Bold)
            mark = QTextLayout.FormatRange()
            mark.start = utf16_offset(text, start)
            mark.length = utf16_offset(text, end) - mark.start
            mark.format = fmt
            layout.setFormats([mark])
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width() + fm.maxWidth())  # fit_sentence already made it fit
        layout.endLayout()
        painter.save()
        painter.setClipRect(opt.rect)
        painter.setPen(text_colour)
        layout.draw(painter, QPointF(rect.left(), rect.top() + (rect.height() - line.height()) / 2))
        painter.restore()



def concordance_table(parent: QWidget, model: ConcordanceModel) -> tuple[QTableView, SentenceDelegate]:
    """A table over ``model`` with the sentence delegate: whole rows chosen, nothing edited, rows of
    one fixed height (no row is measured: thousands show at once)."""
    table = QTableView(parent)
    table.setObjectName("dossierConcordance")
    table.setModel(model)
    delegate = SentenceDelegate(table)
    table.setItemDelegateForColumn(SENTENCE, delegate)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no row is measured: thousands show at once
    columns = table.horizontalHeader()
    columns.setHighlightSections(False)
    columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    columns.setSectionResizeMode(SENTENCE, QHeaderView.ResizeMode.Stretch)
    columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table, delegate


def size_columns(table: QTableView, model: ConcordanceModel, spellings) -> None:
    """Fixed widths from the font (never from measuring every row): the date and the ``spellings``
    fit, the headline has a reading width, and the sentence takes the rest."""
    fm = QFontMetrics(table.font())
    table.verticalHeader().setDefaultSectionSize(fm.height() + 10)
    pad = 20
    header_fm = QFontMetrics(table.horizontalHeader().font())
    date_width = max(fm.horizontalAdvance("2000-00-00"), fm.horizontalAdvance(model.undated_text()),
                     header_fm.horizontalAdvance(model.headerData(DATE, Qt.Orientation.Horizontal)))
    table.setColumnWidth(DATE, date_width + pad)
    table.setColumnWidth(HEADLINE, fm.horizontalAdvance("中") * 14 + pad)
    spelling_width = max([fm.horizontalAdvance(s) for s in spellings]
                         + [header_fm.horizontalAdvance(model.headerData(SPELLING, Qt.Orientation.Horizontal)),
                            fm.horizontalAdvance("中") * 3])
    table.setColumnWidth(SPELLING, min(spelling_width + pad, fm.horizontalAdvance("中") * 10 + pad))
