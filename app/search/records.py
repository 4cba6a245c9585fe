"""What the index stores of an article: the schema, the stored record and the gram texts.

The stored record (:class:`StoredArticle`, kept in the index as a plain tuple so that the format
does not depend on this module's class names) holds everything needed to search, rank, show and
re-index an article without its source. :class:`DocMeta` is what searching keeps in memory of it.
"""

from __future__ import annotations

from bisect import bisect_left
from pickle import dumps, loads
from sys import intern
from typing import NamedTuple

from whoosh.columns import CompressedBytesColumn, NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, Schema

from app.model import Article
from app.search.analysis import GramField, changed_chars, fold, fold_table
from app.search.whoosh_private import decode_postings, encode_postings
from app.search.pages import date_text, page_text
from app.sources import display_path

GRAM_FIELDS = ("all", "title", "authors", "date", "source", "person", "place", "org", "page")
SMALL_FIELDS = ("authors", "date", "source", "person", "place", "org", "page")
SMALL_INDEX = {name: i for i, name in enumerate(SMALL_FIELDS)}


class Spans(NamedTuple):
    """Where the title, subtitle and body lie in the folded searchable text."""

    title_start: int
    title_end: int
    subtitle_start: int
    subtitle_end: int
    body_start: int


class StoredArticle(NamedTuple):
    """An article's stored record (9 fields; see :func:`pack_record`)."""

    id: str
    ordinal: int
    source: str
    title: str
    original: object  # how the searchable text differs from the folded one (see pack_original)
    folded: bytes | str | None  # None: the folded text is in the text column (field ``t``, see
    # pack_folded); a str where a record is handed around with its text (see with_text)
    spans: Spans
    small: tuple  # folded SMALL_FIELDS texts, in that order
    src: str  # the source's content hash


# The record is kept in a column of compressed bytes (field ``r``), pickled with protocol 5: Whoosh's
# stored fields pickle with protocol 2, which writes bytes as text half as big again. The
# original text (where it differs from the folded one) is in GB 18030, which encodes every
# Unicode character (a Chinese one in two bytes where UTF-8 takes three). A text it cannot
# encode (a lone surrogate) is kept as it is. The folded text's length has a column of its own
# (field ``n``), so that an index opens without reading a single record (see
# app.search.segments).
#
# The folded text, which a search checks its candidates against, has a column of its own (field
# ``t``), uncompressed, in UTF-16: reading a candidate's text is a slice of the file and a decode
# of a few microseconds. In the record, compressed, it cost 40-90 µs (zlib, the unpickling and
# GB 18030's decoder), which a just-opened index paid for each of a common phrase's candidates.
# Zlib saved a fifth of it only (Chinese text compresses little).

RECORD_FIELD = "r"
LENGTH_FIELD = "n"
TEXT_FIELD = "t"
_UTF16, _UTF8 = b"\x00", b"\x01"  # the text column's first byte: how the rest is encoded


def pack_folded(folded: str) -> bytes:
    """The text column's value: UTF-16 (little-endian); a text holding a lone surrogate (which
    UTF-16 cannot keep apart from a pair) in UTF-8 with the surrogates passed through."""
    try:
        return _UTF16 + folded.encode("utf-16-le")
    except UnicodeEncodeError:
        return _UTF8 + folded.encode("utf-8", "surrogatepass")


def unpack_folded(value: bytes) -> str:
    if value[:1] == _UTF16:
        return value[1:].decode("utf-16-le")
    return value[1:].decode("utf-8", "surrogatepass")


def index_fields(stored: tuple, folded: str) -> dict:
    """The stored columns of an article (its record without the folded text, the text, its
    length), as ``add_document`` takes them."""
    record = stored if stored[5] is None else (*stored[:5], None, *stored[6:])
    return {RECORD_FIELD: pack_record(record), TEXT_FIELD: pack_folded(folded), LENGTH_FIELD: len(folded)}


def pack_record(stored: tuple) -> bytes:
    return dumps(stored, 5)


def unpack_record(value: bytes) -> tuple:
    return loads(value)


def pack_text(text: str) -> bytes | str:
    try:
        return text.encode("gb18030")
    except UnicodeEncodeError:
        return text


def unpack_text(value: bytes | str) -> str:
    return value if type(value) is str else value.decode("gb18030")


def pack_original(text: str, folded: str):
    """The searchable text as it differs from ``folded``: None when it does not; when few
    characters changed (full-width punctuation, Traditional characters, an ellipsis), their
    positions and themselves, ``(positions, characters)``; else the whole text (see
    :func:`pack_text`)."""
    if text == folded:
        return None
    where = [m.start() for m in changed_chars(text)]
    if where and len(where) * 4 < len(text):
        return (encode_postings(where), "".join(text[i] for i in where))
    return pack_text(text)


def unpack_original(value, folded: str) -> str:
    if value is None:
        return folded
    if type(value) is tuple:
        table = fold_table()
        positions = decode_postings(value[0])[0]
        chars = value[1]
        if len(chars.translate(table)) == len(chars):
            # each changed character folded to one: the folded text has the original's offsets
            out = list(folded)
            for pos, ch in zip(positions, chars):
                out[pos] = ch
            return "".join(out)
        out = []
        fpos = opos = 0
        for pos, ch in zip(positions, chars):
            n = pos - opos  # characters folding did not change map one to one
            out.append(folded[fpos:fpos + n])
            out.append(ch)
            fpos += n + len(table.get(ord(ch), ch))
            opos = pos + 1
        out.append(folded[fpos:])
        return "".join(out)
    return unpack_text(value)


class PatchedText:
    """An original text kept as a patch of few characters (see :func:`pack_original`), none of
    which folded to several: the folded text with those characters put back, made a slice at a
    time (what a snippet reads of it) instead of whole (a fifth of a warm search's time went to
    making each hit's whole original text)."""

    __slots__ = ("folded", "positions", "chars")

    def __init__(self, folded: str, positions: list[int], chars: str):
        self.folded, self.positions, self.chars = folded, positions, chars

    def __len__(self) -> int:
        return len(self.folded)

    def __getitem__(self, key) -> str:
        if not isinstance(key, slice):
            return self[key:key + 1] if key >= 0 else self[len(self) + key:len(self) + key + 1]
        start, stop, step = key.indices(len(self.folded))
        if step != 1:
            return str(self)[key]
        lo, hi = bisect_left(self.positions, start), bisect_left(self.positions, stop)
        if lo == hi:
            return self.folded[start:stop]
        out = list(self.folded[start:stop])
        for k in range(lo, hi):
            out[self.positions[k] - start] = self.chars[k]
        return "".join(out)

    def __str__(self) -> str:
        return self[:]


def original_text(value, folded: str):
    """The original text of a record's ``original`` field, as a str or (a patch of characters
    that each folded to one) a :class:`PatchedText`, which a snippet slices as it would the str."""
    if type(value) is tuple and len(value[1].translate(fold_table())) == len(value[1]):
        return PatchedText(folded, decode_postings(value[0])[0], value[1])
    return unpack_original(value, folded)


def with_text(stored: tuple, folded: str) -> tuple:
    """A record with its folded text in it (as :func:`grams_of_stored` takes it)."""
    return (*stored[:5], folded, *stored[6:])


def stored_folded(stored: tuple) -> str:
    return unpack_text(stored[5])


def stored_original(stored: tuple) -> str:
    return unpack_original(stored[4], unpack_text(stored[5]))


class DocMeta(NamedTuple):
    """What searching keeps in memory of an article besides its folded text."""

    id: str
    ordinal: int
    source: str
    title: str
    spans: Spans
    small: tuple
    src: str
    differs: bool  # the original text differs from the folded one (read from disk for a snippet)

    @classmethod
    def of(cls, stored: tuple) -> "DocMeta":
        d = StoredArticle._make(stored)
        # what every article of a page repeats (its path twice, its hash, its date) held once: a
        # window keeps a record per article (~26 MB less at 100k articles)
        small = d.small
        small = (small[0], intern(small[1]), intern(small[2]), *small[3:])
        return cls(d.id, d.ordinal, intern(d.source), d.title, Spans._make(d.spans), small, intern(d.src),
                   d.original is not None)

    def small_field(self, fieldname: str) -> str:
        return self.small[SMALL_INDEX[fieldname]]


class RecordColumn(CompressedBytesColumn):
    """The record column: compressed bytes with the offsets of its values written beside their
    lengths, as Whoosh does only past 32,768 values a segment (below that its reader adds the
    lengths up in a Python loop each time a segment is opened: 20,000 a segment at 100k)."""

    def writer(self, dbfile):
        writer = super().writer(dbfile)
        writer.cutoff = 0
        return writer


def make_schema() -> Schema:
    # "tri" and "hot" are written by app.search.writer from the "all" text
    grams = {f: GramField() for f in (*GRAM_FIELDS, "tri", "hot")}
    return Schema(id=ID(unique=True), src=ID, **{RECORD_FIELD: COLUMN(RecordColumn(level=6)),
                                                  TEXT_FIELD: COLUMN(VarBytesColumn(write_offsets_cutoff=0)),
                                                  LENGTH_FIELD: COLUMN(NumericColumn("I"))}, **grams)


def searchable_text(article: Article, paragraphs: list[str] | None = None) -> str:
    """What a plain query searches: kicker, title, subtitle, authors and paragraphs, one per line
    (``paragraphs``: the paragraphs' texts when they were read without the article,
    :func:`app.store.paragraph_texts`)."""
    parts = [article.kicker, article.title, article.subtitle, *article.authors]
    if paragraphs is None:
        paragraphs = [p.text for p in article.paragraphs]
    return "\n".join([p for p in parts if p] + paragraphs)


def article_record(article: Article, src: str, source_path: str):
    """The stored record (as a plain tuple) and the gram fields' folded texts of one article."""
    text = searchable_text(article)
    folded = fold(text)
    # Offsets of title, subtitle and body inside the folded text. Folding works char by char,
    # so the folded text is the folded parts joined by newlines (their lengths may differ).
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    head = [("kicker", article.kicker), ("title", article.title), ("subtitle", article.subtitle)]
    for name, value in head + [("author", a) for a in article.authors]:
        if value:
            n = len(fold(value))
            spans.setdefault(name, (pos, pos + n))
            pos += n + 1
    t0, t1 = spans.get("title", (0, 0))
    s0, s1 = spans.get("subtitle", (t1, t1))
    b0 = pos
    ents: dict[str, list[str]] = {"PERSON": [], "PLACE": [], "ORG": []}
    for span in article.entities:
        if span.type in ents and span.text not in ents[span.type]:
            ents[span.type].append(span.text)
    small = (
        fold("\n".join(article.authors)),
        date_text(article),
        fold(display_path(source_path)),
        *(fold("\n".join(ents[kind])) for kind in ("PERSON", "PLACE", "ORG")),
        page_text(article),
    )
    stored = StoredArticle(
        article.id,
        article.ordinal,
        article.source or display_path(source_path),
        article.title,
        pack_original(text, folded),
        None,  # the folded text is kept in the text column (see index_fields)
        (t0, t1, s0, s1, b0),
        small,
        src,
    )
    return tuple(stored), grams_of(folded, stored)  # grams["all"] is the folded text


def grams_of_stored(stored: tuple) -> dict[str, str]:
    """The gram texts of a record with its folded text in it (see :func:`with_text`)."""
    return grams_of(stored_folded(stored), stored)


def grams_of(folded: str, stored: tuple) -> dict[str, str]:
    d = StoredArticle._make(stored)
    t0, t1 = d.spans[:2]
    grams = {"all": folded, "title": folded[t0:t1]}
    grams.update(zip(SMALL_FIELDS, d.small))
    return grams
