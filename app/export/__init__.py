"""Export of selected articles: PDF, HTML, Markdown, plain text, JSON, DOCX and EPUB.

Every format is fed the same :class:`~app.model.Article` objects and lives in its own module
(``app.export.<format>``) with ``SUFFIX`` and ``write(articles, path, options, step)``; this
package picks the module, names the files, and makes the writes all-or-nothing. Nothing here
imports Qt: the PDF module imports PySide6 only when it runs.

    from app.export import export_articles, FORMATS, ExportOptions, ExportError
    paths = export_articles(articles, "pdf", Path("out.pdf"), ExportOptions(highlights=True))

``progress(done, total)`` is called as articles are written and ``cancel()`` is polled between
articles, so the window can run an export in a worker thread; a cancelled or failed export
leaves no file behind (see :mod:`app.export.atomic`).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from app.export.atomic import Staging, describe_os_error
from app.export.filenames import inside, names_for
from app.export.options import ExportCancelled, ExportError, ExportExists, ExportOptions
from app.model import Article

__all__ = ["FORMATS", "ExportCancelled", "ExportError", "ExportExists", "ExportOptions", "export_articles"]

# format name -> file suffix; the name is also the module in this package
FORMATS: dict[str, str] = {
    "pdf": ".pdf",
    "html": ".html",
    "md": ".md",
    "txt": ".txt",
    "json": ".json",
    "docx": ".docx",
    "epub": ".epub",
}

# the third-party package each format needs, for a plain message when it is missing
_NEEDS = {"docx": "python-docx", "epub": "ebooklib", "pdf": "PySide6 and pypdf"}

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class _Ticker:
    """Counts written articles, reports progress and turns a cancel request into ExportCancelled."""

    def __init__(self, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
        self.total, self.done = total, 0
        self._progress, self._cancel = progress, cancel

    def check(self) -> None:
        if self._cancel is not None and self._cancel():
            raise ExportCancelled("The export was cancelled; no file was written.")

    def step(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total)
        self.check()


def _writer(fmt: str):
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    try:
        return importlib.import_module(f"app.export.{fmt}")
    except ImportError as err:
        raise ExportError(f"Exporting to {fmt} needs {_NEEDS.get(fmt, err.name)}, which is not installed.") from err


def plan(articles: Sequence[Article], fmt: str, out: Path, options: ExportOptions) -> list[tuple[Path, list[Article]]]:
    """Which articles go into which file: one combined file, or one file per article in ``out``."""
    suffix = FORMATS[fmt]
    if not options.per_article:
        return [(out, list(articles))]
    names = names_for(((a.title, a.ordinal) for a in articles), suffix)
    return [(inside(out, name), [a]) for name, a in zip(names, articles)]


def _check_targets(out: Path, jobs: list[tuple[Path, list[Article]]], options: ExportOptions) -> None:
    if options.per_article:
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out} is a file; with one file per article the output must be a folder.")
    else:
        if out.is_dir():
            raise ExportError(f"{out} is a folder; give a file name to export to.")
        if not out.parent.is_dir():
            raise ExportError(f"The folder {out.parent} does not exist.")
    for target, _ in jobs:
        _check_target(target, options.force)


def _check_target(target: Path, force: bool) -> None:
    """A file may be written at ``target``: it is no folder, and it is new unless ``force``."""
    if target.is_dir():
        raise ExportError(f"{target} is a folder, so the file cannot be written there.")
    if not force and os.path.lexists(target):
        raise ExportExists(target)


def write_text(text: str, out: Path | str, force: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``out`` all-or-nothing, as the exports are written (a CSV of a
    dossier's mentions, a timeline); :class:`ExportExists` when it exists and not ``force``."""
    out = Path(out).expanduser().absolute()
    _check_target(out, force)
    staging = Staging()
    try:
        staging.make_dir(out.parent)
        temp = staging.temp_for(out)
        try:
            temp.write_text(text, encoding="utf-8")
        except OSError as err:
            raise ExportError(describe_os_error(err, out)) from err
        return staging.commit(force)[0]
    except BaseException:
        staging.rollback()
        raise


def _marks_of(articles: Sequence[Article]) -> dict:
    """The reader's marks of ``articles`` from the data folder's marks store (:mod:`app.marks`)."""
    import sqlite3

    from app.marks import active_store

    try:
        store = active_store()
        return {a.id: store.get(a) for a in articles}
    except (sqlite3.Error, OSError) as err:
        raise ExportError(f"The marks could not be read ({err}); export without them.") from None


def export_articles(
    articles: Sequence[Article],
    fmt: str,
    out: Path | str,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[Path]:
    """Write ``articles`` as ``fmt`` to ``out`` (a file, or a folder with ``per_article``).

    Returns the written paths. Raises :class:`ExportError` (one clear sentence) when nothing
    could be written, :class:`ExportCancelled` when ``cancel()`` returned true; in both cases no
    file, temporary or partial, is left behind.
    """
    options = options or ExportOptions()
    articles = list(articles)
    if not articles:
        raise ExportError("There are no articles to export; select at least one.")
    if options.marks and options.article_marks is None:
        options = replace(options, article_marks=_marks_of(articles))
    writer = _writer(fmt)
    out = Path(out).expanduser().absolute()
    jobs = plan(articles, fmt, out, options)
    _check_targets(out, jobs, options)

    ticker = _Ticker(len(articles), progress, cancel)
    ticker.check()
    if progress is not None:
        progress(0, ticker.total)
    staging = Staging()
    try:
        if options.per_article:
            staging.make_dir(out)
        for target, group in jobs:
            temp = staging.temp_for(target)
            try:
                writer.write(group, temp, options, ticker.step)
            except OSError as err:
                raise ExportError(describe_os_error(err, target)) from err
        ticker.check()
        return staging.commit(options.force)
    except BaseException:
        staging.rollback()
        raise
