"""A dossier for one name, shown: who or what it is, its mentions over time, every sentence that
names it (the concordance), the names most often beside it, and Export….

The view only displays a :class:`~app.insight.dossier.Dossier` the caller computed off the GUI
thread, and only asks what to export: ``export_requested(fmt, path)`` leaves the writing to the
caller (``app.insight.dossier.dossier_articles`` + ``app.export.export_articles``, or
``mentions_csv`` for ``csv``), in a worker. The concordance (a model, its delegate and its table)
is in :mod:`app.ui.insight.dossier_table`. Choosing bars on the timeline narrows the concordance to
their articles; clearing shows all again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMenu, QPushButton, QSplitter, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app import palette
from app.export import FORMATS
from app.export.filenames import names_for
from app.insight.dossier import Dossier
from app.ui.entities import marks as entity_marks
from app.ui.entities.legend import is_dark
from app.ui.insight.dossier_table import (  # the concordance, re-exported (see __all__)
    DATE, HEADLINE, MARK_ROLE, MENTION_ROLE, SENTENCE, SPELLING, ConcordanceModel, SentenceDelegate, concordance_table,
    fit_sentence, size_columns,
)
from app.ui.insight.timeline_view import TimelineView

# what Export… offers, in menu order; csv is the mentions as a table, the others the articles
EXPORT_FORMATS = ("pdf", "md", "html", "docx", "csv")
SUFFIXES = {**{fmt: FORMATS[fmt] for fmt in EXPORT_FORMATS if fmt in FORMATS}, "csv": ".csv"}

SWATCH = 14


def swatch_pixmap(entity_type: str, dark: bool, size: int = SWATCH) -> QPixmap:
    """A square in the type's tint, edged and underlined in its line colour (as the legend's)."""
    colours = palette.palette(dark).entities.get(entity_type)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    if colours is None:
        return pixmap
    pixmap.fill(QColor(colours.tint))
    painter = QPainter(pixmap)
    painter.setPen(QColor(colours.line))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.fillRect(0, size - 3, size, 3, QColor(colours.line))
    painter.end()
    return pixmap


class DossierView(QWidget):
    """Shows a :class:`Dossier` (``set_dossier``); the caller opens articles, other names' dossiers
    and writes exports when asked:

    - ``article_requested(article_id)``: a concordance row was activated (double-click or Enter);
    - ``name_requested(entity_type, text)``: a name beside it was activated;
    - ``export_requested(fmt, path)``: Export… chose a format (``pdf``, ``md``, ``html``, ``docx`` or
      ``csv``) and a file (the save dialog has already asked before replacing one).
    """

    article_requested = Signal(str)
    name_requested = Signal(str, str)
    export_requested = Signal(str, object)  # fmt, pathlib.Path

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("DossierView")
        self._dossier: Dossier | None = None
        self._range: tuple[frozenset[str], str] | None = None  # the timeline's chosen (ids, description)
        self._dark: bool | None = None
        self.export_folder = Path.home()  # where the save dialog starts; the last export's folder after one

        # header: swatch, name, type, then counts and spellings; Export… on the right
        self.swatch = QLabel(self)
        self.name_label = QLabel(self)
        self.name_label.setObjectName("dossierName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.type_label = QLabel(self)
        self.type_label.setObjectName("dossierType")
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("dossierCounts")
        self.spellings_label = QLabel(self)
        self.spellings_label.setObjectName("dossierSpellings")
        self.spellings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.spellings_label.setWordWrap(True)
        self.spellings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("dossierExport")
        self.export_menu = QMenu(self.export_button)
        self.export_actions = {}
        for fmt in EXPORT_FORMATS:
            action = self.export_menu.addAction("")
            action.setData(fmt)
            action.triggered.connect(lambda _checked=False, fmt=fmt: self.export_as(fmt))
            self.export_actions[fmt] = action
        self.export_button.setMenu(self.export_menu)
        # never a dialog's default button: Enter on a row or a name (which the views pass on after
        # acting on it) would open this menu too
        self.export_button.setAutoDefault(False)
        self.export_button.setEnabled(False)

        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        title_row.addWidget(self.swatch, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.name_label, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.type_label, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        title_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignVCenter)

        # mentions over time: the timeline strip, one series
        self.timeline = self._make_timeline()

        # the concordance
        self.sentences_label = QLabel(self)
        self.model = ConcordanceModel(self)
        self.table, self.delegate = concordance_table(self, self.model)
        self.sentences_label.setBuddy(self.table)
        self.table.activated.connect(self._on_row_activated)  # double-click, or Enter
        copy = QAction(self.table)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_current_row)
        self.table.addAction(copy)

        # the names most often beside it
        self.companions_label = QLabel(self)
        self.companions = QTreeWidget(self)
        self.companions.setObjectName("dossierCompanions")
        self.companions.setColumnCount(2)
        self.companions.setRootIsDecorated(False)
        self.companions.setUniformRowHeights(True)
        self.companions.setAllColumnsShowFocus(True)
        self.companions.header().setStretchLastSection(False)
        self.companions.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.companions.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.companions.setIconSize(QSize(SWATCH - 2, SWATCH - 2))
        self.companions_label.setBuddy(self.companions)
        self.companions.itemActivated.connect(self._on_companion_activated)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        left_layout.addWidget(self.sentences_label)
        left_layout.addWidget(self.table, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(4)
        right_layout.addWidget(self.companions_label)
        right_layout.addWidget(self.companions, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([640, 220])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addLayout(title_row)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.spellings_label)
        layout.addWidget(self.timeline)
        layout.addWidget(self.splitter, 1)

        order = [self.export_button, self.timeline, self.table, self.companions]
        for first, second in zip(order, order[1:]):
            self.setTabOrder(first, second)
        self._size_columns()
        self._recolor()
        self.retranslate()

    # -- the parts ----------------------------------------------------------------------------------
    def _make_timeline(self) -> TimelineView:
        """The timeline strip over the dossier's one series; a bar or a range narrows the concordance."""
        view = TimelineView(self)
        view.setObjectName("dossierTimeline")
        view.range_chosen.connect(self.show_range)  # a bar or a range: the concordance narrows to it
        view.range_cleared.connect(self.show_all)
        return view

    def _size_columns(self) -> None:
        size_columns(self.table, self.model, self._dossier.spellings if self._dossier else ())

    # -- showing a dossier --------------------------------------------------------------------------
    def dossier(self) -> Dossier | None:
        return self._dossier

    def set_dossier(self, dossier: Dossier) -> None:
        """Show ``dossier`` (computed elsewhere: this only fills the views)."""
        self._dossier = dossier
        self._range = None
        self.delegate.entity_type = dossier.type
        self.name_label.setText(dossier.name)
        self.model.set_mentions(dossier.mentions)
        self._fill_companions()
        self.timeline.set_timeline(dossier.timeline)
        self.export_button.setEnabled(bool(dossier.mentions))  # a name no article names: nothing to export
        self._size_columns()
        self._recolor(force=True)
        self.retranslate()
        if self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(self.model.index(0, DATE),
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollToTop()

    def show_range(self, ids, description: str = "") -> None:
        """Show only the sentences of the articles ``ids`` (the timeline's chosen bars)."""
        if self._dossier is None:
            return
        self._range = (frozenset(ids), description)
        self.model.set_mentions(m for m in self._dossier.mentions if m.article_id in self._range[0])
        self._after_filter()

    def show_all(self) -> None:
        """Every sentence again (the timeline's range was cleared)."""
        if self._dossier is None or self._range is None:
            return
        self._range = None
        self.model.set_mentions(self._dossier.mentions)
        self._after_filter()

    def _after_filter(self) -> None:
        self._retranslate_sentences_label()
        if self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(self.model.index(0, DATE),
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollToTop()

    def _retranslate_sentences_label(self) -> None:
        if self._range is None or self._dossier is None:
            self.sentences_label.setText(self.tr("&Sentences naming it, by date"))
            return
        self.sentences_label.setText(self.tr("&Sentences naming it in {range}: {shown} of {total}").format(
            range=self._range[1], shown=self.model.rowCount(), total=len(self._dossier.mentions)))

    def _fill_companions(self) -> None:
        self.companions.clear()
        if self._dossier is None:
            return
        dark = is_dark(self)
        items = []
        for entity_type, text, count in self._dossier.companions:
            item = QTreeWidgetItem([text, str(count)])
            item.setData(0, Qt.ItemDataRole.UserRole, (entity_type, text))
            item.setIcon(0, QIcon(swatch_pixmap(entity_type, dark, SWATCH - 2)))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        self.companions.addTopLevelItems(items)
        self._retranslate_companions()
        if items:  # where the keyboard starts; nothing looks chosen until the user moves
            self.companions.setCurrentItem(items[0], 0, QItemSelectionModel.SelectionFlag.NoUpdate)

    def spelling_counts(self) -> list[tuple[str, int]]:
        """Each spelling with the mentions that use it, in the dossier's order (most used first)."""
        if self._dossier is None:
            return []
        used = Counter(m.spelling for m in self._dossier.mentions)
        names = list(self._dossier.spellings) + [s for s in used if s not in self._dossier.spellings]
        return [(s, used.get(s, 0)) for s in names]

    # -- language and theme -------------------------------------------------------------------------
    def retranslate(self) -> None:
        d = self._dossier
        self.setAccessibleName(self.tr("Dossier"))
        self.export_button.setText(self.tr("&Export…"))
        self.export_button.setToolTip(self.tr("Save the articles naming it, or its mentions as a table"))
        self.export_button.setAccessibleName(self.tr("Export the dossier"))
        labels = {fmt: self.format_label(fmt) for fmt in EXPORT_FORMATS}
        for fmt, action in self.export_actions.items():
            action.setText(labels[fmt])
        self._retranslate_sentences_label()
        self.companions_label.setText(self.tr("Names &beside it"))
        self.companions.setHeaderLabels([self.tr("Name"), self.tr("Articles")])
        self.companions.setAccessibleName(self.tr("Names most often beside it"))
        self.companions.setAccessibleDescription(self.tr("Enter opens that name's dossier"))
        self.table.setAccessibleName(self.tr("Concordance"))
        self.table.setAccessibleDescription(self.tr("Every sentence that names it, by date; Enter opens the article"))
        self.timeline.setAccessibleName(self.tr("Mentions over time"))
        self.model.retranslate()
        if d is None:
            self.name_label.setText(self.tr("No name chosen"))
            self.type_label.clear()
            self.counts_label.clear()
            self.spellings_label.clear()
            self.swatch.setAccessibleName("")
            return
        type_name = entity_marks.type_name(d.type)
        self.type_label.setText(type_name)
        self.swatch.setToolTip(type_name)
        self.swatch.setAccessibleName(type_name)
        articles = self.tr("1 article") if d.articles == 1 else self.tr("{n} articles").format(n=d.articles)
        mentions = (self.tr("1 mention") if len(d.mentions) == 1
                    else self.tr("{n} mentions").format(n=len(d.mentions)))
        self.counts_label.setText(f"{articles} · {mentions}")
        spellings = self.tr(", ").join(self.tr("{spelling} ({n})").format(spelling=s, n=n)
                                      for s, n in self.spelling_counts())
        self.spellings_label.setText(self.tr("Spellings: {spellings}").format(spellings=spellings))
        self._retranslate_companions()

    def _retranslate_companions(self) -> None:
        for n in range(self.companions.topLevelItemCount()):
            item = self.companions.topLevelItem(n)
            entity_type, text = item.data(0, Qt.ItemDataRole.UserRole)
            tip = self.tr("{name} ({type}): named with it in {n} articles").format(
                name=text, type=entity_marks.type_name(entity_type), n=item.text(1))
            item.setToolTip(0, tip)
            item.setToolTip(1, tip)

    def format_label(self, fmt: str) -> str:
        """The Export… menu's entry for ``fmt``."""
        return {
            "pdf": self.tr("PDF Document…"), "md": self.tr("Markdown Text…"), "html": self.tr("Web Page (HTML)…"),
            "docx": self.tr("Word Document (DOCX)…"), "csv": self.tr("Mentions as a CSV Table…"),
        }[fmt]

    def format_filter(self, fmt: str) -> str:
        """The save dialog's file type for ``fmt``."""
        name = {"pdf": self.tr("PDF document"), "md": self.tr("Markdown text"), "html": self.tr("Web page"),
                "docx": self.tr("Word document"), "csv": self.tr("CSV table")}[fmt]
        return f"{name} (*{SUFFIXES[fmt]})"

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._size_columns()
        elif event.type() == QEvent.Type.PaletteChange:
            self._recolor()
        super().changeEvent(event)

    def _recolor(self, force: bool = False) -> None:
        dark = is_dark(self)
        if dark == self._dark and not force:
            return
        self._dark = dark
        if self._dossier is not None:
            self.swatch.setPixmap(swatch_pixmap(self._dossier.type, dark, SWATCH + 2))
            for n in range(self.companions.topLevelItemCount()):
                item = self.companions.topLevelItem(n)
                item.setIcon(0, QIcon(swatch_pixmap(item.data(0, Qt.ItemDataRole.UserRole)[0], dark, SWATCH - 2)))
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for label in (self.type_label, self.counts_label, self.spellings_label):
            pal = label.palette()
            pal.setColor(QPalette.ColorRole.WindowText, muted)
            label.setPalette(pal)
        self.table.viewport().update()

    # -- what the user asks for ---------------------------------------------------------------------
    def _on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.article_requested.emit(self.model.mention(index.row()).article_id)

    def copy_current_row(self) -> None:
        """Ctrl+C on the concordance: the current row's date, headline, sentence and spelling,
        tab-separated (as a spreadsheet pastes them)."""
        index = self.table.currentIndex()
        if index.isValid():
            QApplication.clipboard().setText("\t".join(
                str(self.model.index(index.row(), column).data()) for column in range(self.model.columnCount())))

    def _on_companion_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entity_type, text = item.data(0, Qt.ItemDataRole.UserRole)
        self.name_requested.emit(entity_type, text)

    def export_as(self, fmt: str) -> Path | None:
        """Ask where to save the dossier as ``fmt``; emit ``export_requested`` and return the path,
        or None when the dialog was cancelled."""
        if self._dossier is None or not self._dossier.mentions or fmt not in SUFFIXES:
            return None
        suffix = SUFFIXES[fmt]
        suggested = self.export_folder / names_for([(self._dossier.name, 0)], suffix)[0]
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the Dossier of {name}").format(name=self._dossier.name), str(suggested),
            self.format_filter(fmt))
        if not path:
            return None
        out = Path(path)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        self.export_folder = out.parent
        self.export_requested.emit(fmt, out)
        return out


# the concordance's names stay importable from here, where they were before dossier_table.py
__all__ = ["DATE", "EXPORT_FORMATS", "HEADLINE", "MARK_ROLE", "MENTION_ROLE", "SENTENCE", "SPELLING", "SUFFIXES",
           "ConcordanceModel", "DossierView", "SentenceDelegate", "fit_sentence", "swatch_pixmap"]
