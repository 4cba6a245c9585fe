"""Why a source could not be read, in the interface's language.

The core (:mod:`app.sources`) names each problem by a key with parameters and says it in English
for the command line; this module holds the window's translatable sentence for every key, so a
user who chose 中文 is not told "this looks like a PNG image, not a text file".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.sources import REASONS, SourceError


def _reasons() -> dict[str, str]:
    # literal strings, so that lupdate finds them; each key of app.sources.REASONS appears once
    return {
        "missing": QCoreApplication.translate("SourceError", "no such file"),
        "folder": QCoreApplication.translate("SourceError", "this is a folder, not a text file"),
        "not_regular": QCoreApplication.translate("SourceError", "this is not a regular file"),
        "too_large": QCoreApplication.translate("SourceError", "the file is {mb} MB; newspaper pages larger than {limit} MB are not read"),
        "grew_too_large": QCoreApplication.translate("SourceError", "the file is larger than {limit} MB; newspaper pages that large are not read"),
        "permission": QCoreApplication.translate("SourceError", "permission denied"),
        "unreadable": QCoreApplication.translate("SourceError", "cannot be read ({error})"),
        "empty": QCoreApplication.translate("SourceError", "the file is empty"),
        "binary_kind": QCoreApplication.translate("SourceError", "this looks like {kind}, not a text file"),
        "binary": QCoreApplication.translate("SourceError", "this looks like a binary file, not a text file"),
        "mixed_encodings": QCoreApplication.translate("SourceError", "line {line} is not UTF-8 although the text before it is (the file mixes encodings)"),
        "unknown_encoding": QCoreApplication.translate("SourceError", "the text encoding could not be recognised (expected UTF-8, GB18030/GBK, Big5 or UTF-16)"),
        "invalid_bytes": QCoreApplication.translate("SourceError", "the file contains bytes that are not valid {encoding} text"),
    }


def _kinds() -> dict[str, str]:
    return {
        "a PDF document": QCoreApplication.translate("SourceError", "a PDF document"),
        "a PNG image": QCoreApplication.translate("SourceError", "a PNG image"),
        "a JPEG image": QCoreApplication.translate("SourceError", "a JPEG image"),
        "a GIF image": QCoreApplication.translate("SourceError", "a GIF image"),
        "a ZIP archive (or a Word/EPUB file)": QCoreApplication.translate("SourceError", "a ZIP archive (or a Word/EPUB file)"),
        "an old Microsoft Office document": QCoreApplication.translate("SourceError", "an old Microsoft Office document"),
        "a program": QCoreApplication.translate("SourceError", "a program"),
        "a Windows program": QCoreApplication.translate("SourceError", "a Windows program"),
        "a gzip archive": QCoreApplication.translate("SourceError", "a gzip archive"),
        "a bzip2 archive": QCoreApplication.translate("SourceError", "a bzip2 archive"),
        "a 7-Zip archive": QCoreApplication.translate("SourceError", "a 7-Zip archive"),
        "a RAR archive": QCoreApplication.translate("SourceError", "a RAR archive"),
        "a media file": QCoreApplication.translate("SourceError", "a media file"),
        "an SQLite database": QCoreApplication.translate("SourceError", "an SQLite database"),
    }


def reason(err: SourceError) -> str:
    """``err``'s reason in the interface's language (its English sentence for an unknown key)."""
    template = _reasons().get(getattr(err, "key", ""))
    if template is None:
        return err.reason
    params = dict(err.params)
    if "kind" in params:
        params["kind"] = _kinds().get(params["kind"], params["kind"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
        return REASONS[err.key].format(**err.params)
