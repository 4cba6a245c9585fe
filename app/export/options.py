"""What an export is asked to do, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


class ExportError(Exception):
    """An export that could not be done; ``str()`` is one sentence fit to show the user."""


class ExportExists(ExportError):
    """A file to be written exists already and overwriting was not allowed."""

    def __init__(self, path) -> None:
        self.path = path
        super().__init__(f"{path} already exists; choose another name or allow overwriting.")


class ExportCancelled(ExportError):
    """The user cancelled; nothing was left behind."""


@dataclass(frozen=True)
class ExportOptions:
    """Choices shared by every format.

    ``per_article``: one file per article, ``out`` is then a folder (created if missing).
    ``metadata``: show kicker, subtitle, authors, date and source under each title (the title is
    always shown: it is what the outline, table of contents and chapters are made of).
    ``highlights``: mark entity spans (PDF, HTML, DOCX, EPUB; the other formats ignore it).
    ``force``: replace existing files; without it an existing file stops the export.
    ``title``: the combined document's title (default: derived from the articles).
    ``marks``: carry the reader's marks (:mod:`app.marks`): the note, tags, star and highlighted
    passages with their notes (highlighted in the text, and listed after the article) in PDF,
    HTML, Markdown, plain text, DOCX and EPUB; a ``marks`` object in JSON.
    ``article_marks``: the marks to use, by article id (an :class:`app.marks.ArticleMarks` each);
    None with ``marks``: :func:`app.export.export_articles` reads them from the marks store.
    """

    per_article: bool = False
    metadata: bool = True
    highlights: bool = False
    force: bool = False
    title: str | None = None
    marks: bool = False
    article_marks: Mapping[str, object] | None = field(default=None, compare=False, hash=False, repr=False)
