"""File → Export Selected…: the format, one file or one per article, what to include, and where.

The dialog only chooses; :mod:`app.ui.export.run` does the writing. It starts from the last
choices (kept in :class:`~app.ui.settings.store.Settings`) and saves them again when accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from app.export import FORMATS, ExportOptions
from app.export.filenames import names_for
from app.export.layout import document_title
from app.model import Article
from app.ui.settings.store import Settings

HIGHLIGHT_FORMATS = frozenset({"pdf", "html", "docx", "epub"})  # the formats that can colour entities


@dataclass(frozen=True)
class ExportChoice:
    """What the user chose: ``out`` is a file, or a folder when ``options.per_article``."""

    fmt: str
    out: Path
    options: ExportOptions


def with_suffix_for(path: Path, fmt: str) -> Path:
    """``path`` ending in the suffix of ``fmt`` (another format's suffix is replaced, else added)."""
    suffix = FORMATS[fmt]
    if path.suffix.lower() == suffix:
        return path
    if path.suffix.lower() in FORMATS.values():
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


def _absolute(text: str) -> Path:
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else Path.home() / path


class ExportDialog(QDialog):
    """Asks how to export ``articles``; ``from_selection`` says whether they are the selected rows
    (else they are the current article, exported because nothing is selected)."""

    def __init__(self, settings: Settings, articles: list[Article], from_selection: bool,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ExportDialog")
        self.settings = settings
        self.articles = list(articles)
        self.from_selection = from_selection
        self._want_highlights = settings.export_highlights
        self._file = self._suggested_file(settings.export_format)
        self._folder = str(self._start_folder())

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)  # titles are never markup

        self.format_box = QComboBox(self)
        for fmt in FORMATS:
            self.format_box.addItem("", fmt)
        self.combined_radio = QRadioButton(self)
        self.per_article_radio = QRadioButton(self)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.combined_radio)
        self.mode_group.addButton(self.per_article_radio)
        self.metadata_box = QCheckBox(self)
        self.highlights_box = QCheckBox(self)
        self.destination = QLineEdit(self)
        self.destination.setClearButtonEnabled(True)
        self.browse_button = QPushButton(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)

        mode_column = QVBoxLayout()
        mode_column.addWidget(self.combined_radio)
        mode_column.addWidget(self.per_article_radio)
        include_column = QVBoxLayout()
        include_column.addWidget(self.metadata_box)
        include_column.addWidget(self.highlights_box)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(self.browse_button)
        self.format_label, self.mode_label = QLabel(self), QLabel(self)
        self.include_label, self.destination_label = QLabel(self), QLabel(self)
        self.format_label.setBuddy(self.format_box)
        self.destination_label.setBuddy(self.destination)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.addRow(self.format_label, self.format_box)
        form.addRow(self.mode_label, mode_column)
        form.addRow(self.include_label, include_column)
        form.addRow(self.destination_label, where)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        # the remembered choices, then the signals (so restoring does not overwrite them)
        self.format_box.setCurrentIndex(list(FORMATS).index(settings.export_format))
        (self.per_article_radio if settings.export_per_article else self.combined_radio).setChecked(True)
        self.metadata_box.setChecked(settings.export_metadata)
        self._show_destination()
        self._sync_highlights()
        self.format_box.currentIndexChanged.connect(self._on_format)
        self.per_article_radio.toggled.connect(self._on_mode)
        self.highlights_box.toggled.connect(self._on_highlights_toggled)
        self.destination.textChanged.connect(self._on_destination_edited)
        self.browse_button.clicked.connect(self.browse)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.retranslate()
        self.setMinimumWidth(560)

    # -- texts -----------------------------------------------------------------------------------
    def format_name(self, fmt: str) -> str:
        names = {
            "pdf": self.tr("PDF document"),
            "html": self.tr("Web page"),
            "md": self.tr("Markdown text"),
            "txt": self.tr("Plain text"),
            "json": self.tr("JSON data"),
            "docx": self.tr("Word document"),
            "epub": self.tr("EPUB e-book"),
        }
        return names[fmt]

    def intro_text(self) -> str:
        if not self.from_selection:
            return self.tr("No articles are selected, so the current article will be exported:\n{title}").format(
                title=self.articles[0].title)
        if len(self.articles) == 1:
            return self.tr("Export the selected article:\n{title}").format(title=self.articles[0].title)
        return self.tr("Export the {n} selected articles.").format(n=len(self.articles))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export Articles"))
        self.intro.setText(self.intro_text())
        for row, fmt in enumerate(FORMATS):
            self.format_box.setItemText(row, f"{self.format_name(fmt)} ({FORMATS[fmt]})")
        self.format_label.setText(self.tr("&Format:"))
        self.mode_label.setText(self.tr("Files:"))
        self.combined_radio.setText(self.tr("One &combined file"))
        self.per_article_radio.setText(self.tr("One file &per article, in a folder"))
        self.include_label.setText(self.tr("Include:"))
        self.metadata_box.setText(self.tr("&Metadata header (subtitle, authors, date, source)"))
        self.metadata_box.setToolTip(self.tr("The title is always included; this adds the lines under it"))
        self.highlights_box.setText(self.tr("&Highlight names of people, places and organisations"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Export"))
        self._sync_highlights()
        self._label_destination()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the choices -----------------------------------------------------------------------------
    @property
    def fmt(self) -> str:
        return self.format_box.currentData()

    @property
    def per_article(self) -> bool:
        return self.per_article_radio.isChecked()

    def _sync_highlights(self) -> None:
        can = self.fmt in HIGHLIGHT_FORMATS
        self.highlights_box.blockSignals(True)
        self.highlights_box.setEnabled(can)
        self.highlights_box.setChecked(can and self._want_highlights)
        self.highlights_box.blockSignals(False)
        self.highlights_box.setToolTip(
            self.tr("Colours the names found in the text") if can else
            self.tr("{format} cannot show highlights").format(format=self.format_name(self.fmt)))

    def _on_highlights_toggled(self, checked: bool) -> None:
        self._want_highlights = checked

    def _on_format(self, _row: int) -> None:
        self._sync_highlights()
        if not self.per_article and self.destination.text().strip():
            self._file = str(with_suffix_for(_absolute(self.destination.text()), self.fmt))
            self._show_destination()

    def _on_mode(self, _checked: bool) -> None:
        self._show_destination()

    def _on_destination_edited(self, text: str) -> None:
        if self.per_article:
            self._folder = text
        else:
            self._file = text

    def _show_destination(self) -> None:
        self.destination.blockSignals(True)
        self.destination.setText(self._folder if self.per_article else self._file)
        self.destination.blockSignals(False)
        self._label_destination()

    def _label_destination(self) -> None:
        self.destination_label.setText(self.tr("F&older:") if self.per_article else self.tr("&Save as:"))

    def _start_folder(self) -> Path:
        """The last folder exported into, else the folder of the last file, else home."""
        if self.settings.export_folder:
            return Path(self.settings.export_folder)
        if self.settings.export_file:
            return Path(self.settings.export_file).parent
        return Path.home()

    def _suggested_file(self, fmt: str) -> str:
        last = self.settings.export_file
        folder = Path(last).parent if last and Path(last).parent.is_dir() else Path.home()
        title = document_title(self.articles) if self.articles else "articles"
        ordinal = self.articles[0].ordinal if self.articles else 0
        return str(folder / names_for([(title, ordinal)], FORMATS[fmt])[0])

    def browse(self) -> None:
        current = self.destination.text().strip()
        if self.per_article:
            folder = QFileDialog.getExistingDirectory(self, self.tr("Export into Folder"),
                                                      current or str(self._start_folder()))
            if folder:
                self._folder = folder
                self._show_destination()
            return
        name = self.format_name(self.fmt)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to File"), current or self._file,
            f"{name} (*{FORMATS[self.fmt]})",
            options=QFileDialog.Option.DontConfirmOverwrite)  # the export itself asks before replacing
        if path:
            self._file = str(with_suffix_for(Path(path), self.fmt))
            self._show_destination()

    def choice(self) -> ExportChoice:
        text = self.destination.text().strip()
        out = _absolute(text) if text else Path()
        if not self.per_article and text:
            out = with_suffix_for(out, self.fmt)
        options = ExportOptions(per_article=self.per_article, metadata=self.metadata_box.isChecked(),
                                highlights=self.highlights_box.isEnabled() and self.highlights_box.isChecked())
        return ExportChoice(self.fmt, out, options)

    def accept(self) -> None:
        if not self.destination.text().strip():
            self.browse()
            if not self.destination.text().strip():
                return
        choice = self.choice()
        self.settings.export_format = choice.fmt
        self.settings.export_per_article = choice.options.per_article
        self.settings.export_metadata = choice.options.metadata
        self.settings.export_highlights = self._want_highlights
        if choice.options.per_article:
            self.settings.export_folder = str(choice.out)
        else:
            self.settings.export_file = str(choice.out)
        super().accept()
