"""Painting a row of the list: the headline over a muted line of page, date, authors and the first
words of the body (or the hit's snippet, its matches highlighted).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app import palette
from app.model import LEDE_CHARS, Article, Snippet
from app.ui.search.hit_marks import mark_ranges
from app.ui.article_list.model import ARTICLE_ROLE, IS_RELATED_ROLE, Index, SNIPPET_ROLE

SNIPPET_CHARS = LEDE_CHARS


def snippet(article: Article, chars: int = SNIPPET_CHARS) -> str:
    """The row's second line: the first words of the body (``Article.lede``: an article opened
    lazily has it from the article store, without reading its paragraphs)."""
    body = article.lede
    return body[:chars] + ("…" if len(body) > chars else "")


def page_label(article: Article) -> str:
    """Where a whole issue printed the article, compactly: ``A03 要闻``, ``3版 要闻``; "" for a single page."""
    page = " ".join((article.page or "").split())
    if page.isdigit():
        page += "版"  # a bare number would read as a count
    return " ".join(x for x in (page, " ".join((article.page_name or "").split())) if x)


def meta_line(article: Article, separator: str = " · ") -> str:
    """Page, date (the issue's when the article gives none) and authors."""
    parts = (page_label(article) if article.page or article.page_name else "",
             article.date or article.issue_date or "", "、".join(article.authors))
    return separator.join(x for x in parts if x)


def no_marks(_article_id: str):
    return None


class ArticleDelegate(QStyledItemDelegate):
    """Headline, then page · date · authors, then the first words of the body; related rows indented.

    The reader's marks come from :attr:`marks_of` (article id -> an object with ``starred``,
    ``tags``, ``note`` and ``read``, or None): a lookup in memory, never the database, so painting
    a row costs the same with thousands of marks. A star and a note sign end the headline, the
    tags stand as chips at the end of the second line, and an unread article's headline is bold."""

    PAD = 8
    INDENT = 24
    MAX_CHIPS = 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self.marks_of = no_marks
        # the list's font (its key) -> the headline's and the small lines' fonts and metrics
        self._fonts_for: dict[str, tuple[QFont, QFont, QFontMetrics, QFontMetrics]] = {}

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFontMetrics, QFontMetrics]:
        """The headline's and the small lines' fonts, and their metrics (made once per list font:
        made for each row, they were ~5 % of painting a list)."""
        fonts = self._fonts_for.get(option.font.key())
        if fonts is None:
            title = QFont(option.font)
            title.setBold(True)
            title.setPointSizeF(option.font.pointSizeF() * 1.05)
            small = QFont(option.font)
            small.setPointSizeF(option.font.pointSizeF() * 0.9)
            fonts = self._fonts_for[option.font.key()] = (title, small, QFontMetrics(title), QFontMetrics(small))
        return fonts

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        _title, _small, tfm, sfm = self._fonts(option)
        height = tfm.lineSpacing() + 2 * sfm.lineSpacing() + 2 * self.PAD + 4
        return QSize(max(200, option.rect.width()), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        article: Article | None = index.data(ARTICLE_ROLE)
        if article is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color) if selected else pal.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            muted.setAlphaF(0.8)
        title_font, small_font, tfm, sfm = self._fonts(opt)
        rect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)

        painter.save()
        if index.data(IS_RELATED_ROLE):
            rect.setLeft(rect.left() + self.INDENT)
            badge = QApplication.translate("ArticleDelegate", "Related")
            fm = sfm
            badge_rect = QRect(rect.left(), rect.top() + 1, fm.horizontalAdvance(badge) + 10, fm.height() + 2)
            accent = pal.color(QPalette.ColorRole.Highlight if not selected else QPalette.ColorRole.HighlightedText)
            painter.setPen(accent)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(badge_rect.adjusted(0, 0, -1, -1), 3, 3)
            painter.setFont(small_font)
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
            # a └ connector from the parent row above marks the attachment
            x = opt.rect.left() + self.PAD + 7
            mid = badge_rect.center().y()
            painter.setPen(muted)
            painter.drawLine(x, opt.rect.top() + 2, x, mid)
            painter.drawLine(x, mid, badge_rect.left() - 3, mid)
            title_left = badge_rect.right() + 6
        else:
            title_left = rect.left()

        marks = self.marks_of(article.id)
        if marks is not None and marks.read:
            title_font = QFont(title_font)  # (the shared one stays bold)
            title_font.setBold(False)
            tfm = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(text_color)
        title_right = rect.right()
        if marks is not None and (marks.starred or marks.note):
            title_right = self._paint_signs(painter, rect, tfm.lineSpacing(), title_font, marks, selected, pal)
            painter.setFont(title_font)
            painter.setPen(text_color)
        title_rect = QRect(title_left, rect.top(), title_right - title_left, tfm.lineSpacing())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         tfm.elidedText(article.title, Qt.TextElideMode.ElideRight, title_rect.width()))

        painter.setFont(small_font)
        y = title_rect.bottom() + 3
        painter.setPen(muted)
        meta = meta_line(article)
        source = Path(article.source).name
        meta = f"{meta}  ·  {source}" if meta and source else meta or source
        line_rect = QRect(rect.left(), y, rect.width(), sfm.lineSpacing())
        if marks is not None and marks.tags:
            left = self._paint_chips(painter, line_rect, small_font, marks.tags, selected, pal)
            line_rect.setRight(left - 6)
            painter.setFont(small_font)
            painter.setPen(muted)
        painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         sfm.elidedText(meta, Qt.TextElideMode.ElideRight, line_rect.width()))
        y += sfm.lineSpacing()
        painter.setPen(text_color if not selected else muted)
        line_rect = QRect(rect.left(), y, rect.width(), sfm.lineSpacing())
        hit_snippet = index.data(SNIPPET_ROLE)
        if hit_snippet is not None and hit_snippet.text:
            self._paint_snippet(painter, line_rect, small_font, sfm, hit_snippet, selected)
        else:
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             sfm.elidedText(snippet(article), Qt.TextElideMode.ElideRight, line_rect.width()))
        painter.restore()

    def _paint_signs(self, painter: QPainter, rect: QRect, height: int, font: QFont, marks, selected: bool,
                     pal: QPalette) -> int:
        """★ (starred) and ✎ (a note) at the right end of the headline line; the x left of them."""
        signs = ("★" if marks.starred else "") + ("✎" if marks.note else "")
        sign_font = QFont(font)
        sign_font.setBold(False)
        fm = QFontMetrics(sign_font)
        width = fm.horizontalAdvance(signs) + 4
        sign_rect = QRect(rect.right() - width, rect.top(), width, height)
        painter.setFont(sign_font)
        painter.setPen(pal.color(QPalette.ColorRole.HighlightedText) if selected else QColor(star_color(self.parent())))
        painter.drawText(sign_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, signs)
        return sign_rect.left() - 4

    def _paint_chips(self, painter: QPainter, rect: QRect, font: QFont, tags, selected: bool, pal: QPalette) -> int:
        """The first tags as rounded chips, right-aligned in ``rect``; the x left of them."""
        chip_font = QFont(font)
        chip_font.setPointSizeF(font.pointSizeF() * 0.95)
        fm = QFontMetrics(chip_font)
        shown = list(tags[:self.MAX_CHIPS]) + ([f"+{len(tags) - self.MAX_CHIPS}"] if len(tags) > self.MAX_CHIPS else [])
        x = rect.right()
        painter.setFont(chip_font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight)
        fill = QColor(accent)
        fill.setAlphaF(0.15)
        for tag in reversed(shown):
            width = fm.horizontalAdvance(tag) + 10
            if x - width < rect.left() + rect.width() // 3:
                break  # the meta line keeps two thirds of the row
            chip = QRect(x - width, rect.top() + 1, width, rect.height() - 2)
            painter.setPen(accent)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, 3, 3)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, tag)
            x = chip.left() - 4
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return x

    def _paint_snippet(self, painter: QPainter, rect: QRect, font: QFont, fm: QFontMetrics, hit: Snippet,
                       selected: bool) -> None:
        """One line of the hit's snippet, each mark on a highlight, elided at the right.

        One ``QTextLayout`` lays out the whole line with the marks as format ranges (UTF-16
        positions), so each highlight sits exactly under its characters."""
        text = fm.elidedText(hit.text, Qt.TextElideMode.ElideRight, rect.width())  # (as it is when it fits)
        # the ellipsis itself is never marked (measuring the text first to know was one more shaping)
        visible = len(text) if text == hit.text else len(text.rstrip("…"))
        mark_bg, mark_fg = mark_colors(self.parent())
        ranges = []
        for start, length in mark_ranges(hit, visible):
            fr = QTextLayout.FormatRange()
            fr.start, fr.length = start, length
            fmt = QTextCharFormat()
            fmt.setBackground(mark_bg)
            fmt.setForeground(mark_fg)
            fr.format = fmt
            ranges.append(fr)
        layout = QTextLayout(text, font)
        layout.setFormats(ranges)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width() + fm.maxWidth())
        layout.endLayout()
        top = rect.top() + (rect.height() - line.height()) / 2
        layout.draw(painter, QPointF(rect.left(), top))


STAR_COLORS = {False: "#a85400", True: "#ffb454"}  # amber: 5.2:1 on the light list, 9.6:1 on the dark


def star_color(widget) -> str:
    """The star's (and note sign's) colour, by the list's palette."""
    dark = widget is not None and widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return STAR_COLORS[dark]


def mark_colors(widget) -> tuple[QColor, QColor]:
    """The search highlight (background, text) for the list, light or dark by the palette."""
    dark = widget is not None and widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    colours = palette.palette(dark)
    return QColor(colours.hit), QColor(colours.hit_text)
