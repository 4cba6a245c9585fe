"""Reading newspaper source files: bytes -> normalised text, with clear errors.

Real archives hold UTF-8 (with or without BOM), GB18030/GBK, Big5 and UTF-16 files with any line
endings. Byte-order marks and strict UTF-8 are checked first (cheap and certain); everything
else goes to charset-normalizer, restricted to the encodings newspapers actually use so that a
short GBK page is not mistaken for, say, a Cyrillic code page.

Every problem surfaces as :class:`SourceError` with one human sentence that the command line
prints and the window shows in a dialog.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

_SURROGATES = re.compile("[\ud800-\udfff]")

MAX_SOURCE_BYTES = 32 * 1024 * 1024
"""A newspaper page is tens of kilobytes and a whole issue a few megabytes; 32 MB is a generous
limit that still keeps a mistaken multi-gigabyte file from being read into memory."""

# Tried, in this order, by charset-normalizer for files that are not BOM-marked or strict UTF-8.
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16_le", "utf_16_be"]

# What each problem says, by key: the sentence the command line prints; the window shows its own
# translation of the same key (app/ui/source_errors.py), with the same parameters.
REASONS = {
    "missing": "no such file",
    "folder": "this is a folder, not a text file",
    "not_regular": "this is not a regular file",
    "too_large": "the file is {mb} MB; newspaper pages larger than {limit} MB are not read",
    "grew_too_large": "the file is larger than {limit} MB; newspaper pages that large are not read",
    "permission": "permission denied",
    "unreadable": "cannot be read ({error})",
    "empty": "the file is empty",
    "binary_kind": "this looks like {kind}, not a text file",
    "binary": "this looks like a binary file, not a text file",
    "mixed_encodings": "line {line} is not UTF-8 although the text before it is (the file mixes encodings)",
    "unknown_encoding": "the text encoding could not be recognised (expected UTF-8, GB18030/GBK, Big5 or UTF-16)",
    "invalid_bytes": "the file contains bytes that are not valid {encoding} text",
}

_BINARY_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/EPUB file)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"RIFF", "a media file"),
    (b"SQLite format 3", "an SQLite database"),
]


class SourceError(Exception):
    """A source file that cannot be read as a newspaper page; ``str(err)`` is one clear sentence.

    ``key`` names the problem in :data:`REASONS` and ``params`` fill its sentence, so the window
    can say it in the user's language."""

    def __init__(self, path: str | Path, key: str, **params):
        self.path = str(path)
        self.key = key
        self.params = params
        self.reason = REASONS[key].format(**params)
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self):  # crosses process boundaries (the indexer child) intact
        return _rebuild_source_error, (self.path, self.key, self.params)


def _rebuild_source_error(path: str, key: str, params: dict) -> SourceError:
    return SourceError(path, key, **params)


@dataclass(eq=False)
class SourceText:
    """A decoded source: ``path``, ``text`` (line endings normalised to "\\n", no BOM),
    ``encoding`` and ``sha256`` (of the raw bytes: the source's identity for caches and the index).

    ``text`` may be given as None when the source is known from the article store's stat cache:
    it is then read from the file the first time something asks for it (a re-split after a
    correction, ``--explain``), so an unchanged library is opened without reading its files."""

    path: str
    text: str | None  # (a property, see below: read from the file when it was given as None)
    encoding: str
    sha256: str

    @property
    def text_loaded(self) -> bool:
        """True when the text is in memory (reading ``text`` costs nothing)."""
        return self.__dict__.get("_text") is not None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceText):
            return NotImplemented
        return (self.path, self.encoding, self.sha256) == (other.path, other.encoding, other.sha256)

    def __hash__(self) -> int:
        return hash((self.path, self.sha256))


def _get_text(self: SourceText) -> str:
    text = self.__dict__.get("_text")
    if text is None:
        fresh = read_source(self.path)
        if fresh.sha256 != self.sha256:  # changed since it was opened: shown as it is now
            import logging

            logging.getLogger("baozhi.sources").info("%s changed since it was opened", display_path(self.path))
        text = self.__dict__["_text"] = fresh.text
    return text


def _set_text(self: SourceText, text: str | None) -> None:
    self.__dict__["_text"] = text


SourceText.text = property(_get_text, _set_text, doc="The decoded text (read from the file on first use when absent).")


def display_path(path: str | Path) -> str:
    """``path`` as text that can always be shown, indexed and written as UTF-8.

    A file name that is not valid UTF-8 (a GBK name from a Windows archive, say) reaches Python
    with lone surrogates (``os.fsdecode``); those are replaced by U+FFFD here. ``SourceText.path``
    keeps the real name so the file can be opened again."""
    text = str(path)
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def read_source(path: str | Path, max_bytes: int = MAX_SOURCE_BYTES) -> SourceText:
    """Read one source file; raise :class:`SourceError` with a clear reason on any problem."""
    p = Path(path)
    if not p.exists():
        raise SourceError(p, "missing")
    if p.is_dir():
        raise SourceError(p, "folder")
    if not p.is_file():
        raise SourceError(p, "not_regular")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise SourceError(
                p, "too_large", mb=f"{size / 1024 / 1024:.1f}", limit=max_bytes // 1024 // 1024,
            )
        with open(p, "rb") as fh:  # bounded: the file may have grown, or not know its size (/proc)
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SourceError(p, "grew_too_large", limit=max_bytes // 1024 // 1024)
    except PermissionError:
        raise SourceError(p, "permission") from None
    except OSError as err:
        raise SourceError(p, "unreadable", error=err.strerror or str(err)) from None
    text, encoding = decode_bytes(data, p)
    return SourceText(
        path=str(p),
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a source file's bytes; return (text with "\\n" line endings, encoding name)."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SourceError(path, "empty")
    kind = _binary_kind(data)
    if kind:
        raise SourceError(path, "binary_kind", kind=kind)
    text, encoding = _decode(data, path)
    if _looks_binary(text):
        raise SourceError(path, "binary")
    text = normalise_newlines(text)
    if not text.strip():
        raise SourceError(path, "empty")
    return text, encoding


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def _binary_kind(data: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return _strict(data, "utf-32", path), "utf-32"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        if _utf8_behind_utf16_bom(data[2:]):
            return data[2:].decode("utf-8"), "utf-8"
        return _strict(data, "utf-16", path), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, utf16, path), utf16

    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        prefix = data[: utf8_error.start]
        if len(prefix) >= 16 and not prefix.isascii():  # UTF-8 text up to here: mixed encodings
            line = prefix.count(b"\n") + 1 if b"\n" in data else prefix.count(b"\r") + 1
            raise SourceError(path, "mixed_encodings", line=line)
        raise SourceError(path, "unknown_encoding")
    encoding = best.encoding
    return _strict(data, encoding, path), encoding


def _utf8_behind_utf16_bom(rest: bytes) -> bool:
    """A UTF-16 byte-order mark in front of UTF-8 text (an editor's mislabel).

    Real UTF-16 text has a zero byte in every line ending and every ASCII character; UTF-8 text
    has none. Decoding such a file as UTF-16 would not fail but silently give nonsense."""
    if b"\x00" in rest or rest.isascii():
        return False
    try:
        rest.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text (newlines, digits) is zero."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) // 2)
    odd_zero = sample[1::2].count(0) / (len(sample) // 2)
    if odd_zero > 0.2 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.2 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise SourceError(path, "invalid_bytes", encoding=encoding.upper()) from None


def _looks_binary(text: str) -> bool:
    """Control characters other than tab/newline/form feed are rare in text and common in binaries."""
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    return controls > max(8, len(sample) // 100)
