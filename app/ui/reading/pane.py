"""The reading pane: a notice when no font covers Chinese, the entity legend, the article view
and a small status line for the search hits (``3/12``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.ui.entities.legend import EntityLegend, is_dark
from app.ui.marks.bar import MarksBar
from app.ui.reading.reader import ReaderView


class HitBar(QWidget):
    """``Match 3/12`` with previous/next buttons; shown while a search is active."""

    def __init__(self, reader: ReaderView, parent=None):
        super().__init__(parent)
        self.setObjectName("hitBar")
        self.counter = QLabel(self)
        self.counter.setObjectName("hitCounter")
        self.previous_button = QToolButton(self)
        self.previous_button.setArrowType(Qt.ArrowType.UpArrow)
        self.previous_button.setAutoRaise(True)
        self.previous_button.clicked.connect(reader.previous_hit)
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.setAutoRaise(True)
        self.next_button.clicked.connect(reader.next_hit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addStretch(1)
        layout.addWidget(self.counter)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        self._current, self._total = 0, 0
        reader.hits_changed.connect(self.show_hits)
        self.retranslate()

    def retranslate(self) -> None:
        self.previous_button.setToolTip(self.tr("Previous match (Shift+F3)"))
        self.next_button.setToolTip(self.tr("Next match (F3)"))
        self.show_hits(self._current, self._total)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_hits(self, current: int, total: int) -> None:
        self._current, self._total = current, total
        if total:
            self.counter.setText(self.tr("Match {current}/{total} in this article").format(
                current=current, total=total))
        else:
            self.counter.setText(self.tr("No matches in this article"))
        self.previous_button.setEnabled(total > 0)
        self.next_button.setEnabled(total > 0)

    @property
    def counter_text(self) -> str:
        """``3/12``: the current hit and the hits in the article."""
        return f"{self._current}/{self._total}"


class FontNotice(QLabel):
    """A banner that stays while no installed font covers Chinese, saying how to fix it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("fontNotice")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the command can be copied
        self.setContentsMargins(12, 8, 12, 8)
        self._dark = None
        self._restyle()
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr(
            "No installed font covers Chinese, so the text may show as empty boxes. Install a Chinese "
            "font, for example with 'sudo apt install fonts-noto-cjk' (Debian, Ubuntu) or by installing "
            "Noto Sans CJK SC, then restart Baozhi Reader."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        dark = is_dark(self)
        if dark != self._dark:
            self._dark = dark
            colors = ("#4a3b00", "#ffe9a8", "#8a6d00") if dark else ("#fff3cd", "#4d3a00", "#e0c36a")
            self.setStyleSheet("QLabel#fontNotice {{ background: {}; color: {}; border-bottom: 1px solid {}; }}"
                               .format(*colors))


class ReadingPane(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.reader = ReaderView(self)
        self.hit_bar = HitBar(self.reader, self)
        self.hit_bar.hide()
        self.font_notice = FontNotice(self)
        self.font_notice.hide()
        self.legend = EntityLegend(self)
        self.reader.entities_shown.connect(self.legend.set_counts)
        self.legend.types_changed.connect(self.reader.set_entity_types)
        self.marks_bar = MarksBar(self)  # star, tags, note and read state of the article shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.font_notice)
        layout.addWidget(self.legend)
        layout.addWidget(self.marks_bar)
        layout.addWidget(self.reader, 1)
        layout.addWidget(self.hit_bar)

    def show_font_notice(self, missing: bool) -> None:
        self.font_notice.setVisible(missing)

    def set_search_terms(self, terms: list[str]) -> None:
        self.reader.set_search_terms(terms)
        self.hit_bar.setVisible(bool(terms))
