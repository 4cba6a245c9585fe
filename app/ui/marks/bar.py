"""The bar over the article in the reading pane: star, tags, note and read state of the article
shown, the note set in light Markdown, and a line saying when highlighted passages are gone."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget


def note_html(text: str) -> str:
    """``text`` as light Markdown (emphasis, lists, headings, links), any HTML in it shown as
    typed: the note is the reader's, but it is never taken as markup beyond Markdown's own."""
    doc = QTextDocument()
    doc.setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownNoHTML)
    return doc.toHtml()


class MarksBar(QWidget):
    """Emits what the reader asked for; :meth:`show_marks` sets what it shows."""

    star_toggled = Signal(bool)
    tags_requested = Signal()
    note_requested = Signal()
    read_toggled = Signal(bool)  # True: mark read

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("marksBar")
        self.star_button = QToolButton(self)
        self.star_button.setObjectName("starButton")
        self.star_button.setCheckable(True)
        self.star_button.setAutoRaise(True)
        self.star_button.clicked.connect(self.star_toggled)
        self.tags_label = QLabel(self)
        self.tags_label.setObjectName("tagsLabel")
        self.tags_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tags_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.tags_button = QToolButton(self)
        self.tags_button.setAutoRaise(True)
        self.tags_button.clicked.connect(self.tags_requested)
        self.note_button = QToolButton(self)
        self.note_button.setAutoRaise(True)
        self.note_button.clicked.connect(self.note_requested)
        self.read_button = QToolButton(self)
        self.read_button.setAutoRaise(True)
        self.read_button.clicked.connect(lambda: self.read_toggled.emit(not self._read))
        self.note_view = QLabel(self)
        self.note_view.setObjectName("noteView")
        self.note_view.setWordWrap(True)
        self.note_view.setTextFormat(Qt.TextFormat.RichText)
        self.note_view.setOpenExternalLinks(False)
        self.note_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_view.setContentsMargins(8, 0, 8, 4)
        self.highlights_label = QLabel(self)  # the highlighted passages' notes
        self.highlights_label.setObjectName("highlightNotes")
        self.highlights_label.setWordWrap(True)
        self.highlights_label.setTextFormat(Qt.TextFormat.PlainText)
        self.highlights_label.setContentsMargins(8, 0, 8, 4)
        self.gone_label = QLabel(self)
        self.gone_label.setObjectName("goneHighlights")
        self.gone_label.setWordWrap(True)
        self.gone_label.setContentsMargins(8, 0, 8, 4)
        row = QHBoxLayout()
        row.setContentsMargins(8, 2, 8, 2)
        row.setSpacing(6)
        row.addWidget(self.star_button)
        row.addWidget(self.tags_label, 1)
        row.addWidget(self.tags_button)
        row.addWidget(self.note_button)
        row.addWidget(self.read_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.note_view)
        layout.addWidget(self.highlights_label)
        layout.addWidget(self.gone_label)
        self._starred, self._tags, self._note, self._read, self._gone = False, (), "", False, []
        self._notes: list[tuple[str, str]] = []
        self.retranslate()
        self.show_marks(None)

    def retranslate(self) -> None:
        self.star_button.setToolTip(self.tr("Star (S)"))
        self.tags_button.setText(self.tr("Tags…"))
        self.tags_button.setToolTip(self.tr("Tag the article (T)"))
        self.note_button.setToolTip(self.tr("Write a note on the article (N)"))
        self.read_button.setToolTip(self.tr("Mark as read or unread (U)"))
        self._show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_marks(self, marks, gone: list[str] | None = None, notes: list[tuple[str, str]] | None = None) -> None:
        """The marks of the article shown (None: no article, or none marked yet); ``gone``: the
        highlighted passages no longer found in it; ``notes``: (passage, note) of its highlights."""
        if marks is None:
            self._starred, self._tags, self._note, self._read = False, (), "", False
        else:
            self._starred, self._tags = bool(marks.starred), tuple(marks.tags)
            self._note, self._read = marks.note or "", bool(marks.read)
        self._gone = list(gone or [])
        self._notes = list(notes or [])
        self._show()

    def _show(self) -> None:
        self.star_button.setChecked(self._starred)
        self.star_button.setText("★" if self._starred else "☆")
        self.tags_label.setText("  ".join(f"#{t}" for t in self._tags))
        self.note_button.setText(self.tr("Edit Note…") if self._note else self.tr("Note…"))
        self.read_button.setText(self.tr("Mark as Unread") if self._read else self.tr("Mark as Read"))
        self.note_view.setVisible(bool(self._note))
        self.note_view.setText(note_html(self._note) if self._note else "")
        self.highlights_label.setText("\n".join(f"▍{_short(p)} — {n}" for p, n in self._notes))
        self.highlights_label.setVisible(bool(self._notes))
        if self._gone:
            passages = "、".join(f"“{_short(p)}”" for p in self._gone)
            text = (self.tr("A highlighted passage is no longer in this article: {passages}") if len(self._gone) == 1
                    else self.tr("{n} highlighted passages are no longer in this article: {passages}"))
            self.gone_label.setText(text.format(n=len(self._gone), passages=passages))
        self.gone_label.setVisible(bool(self._gone))

    @property
    def note_text(self) -> str:
        """The note as shown, without its markup."""
        doc = QTextDocument()
        doc.setHtml(self.note_view.text())
        return doc.toPlainText()


def _short(passage: str, chars: int = 20) -> str:
    passage = " ".join(passage.split())
    return passage[:chars] + ("…" if len(passage) > chars else "")
