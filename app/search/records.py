"""What the index stores of an article: the schema, the stored record and the gram texts.

The stored record (:class:`StoredArticle`, kept in the index as a plain tuple so that the format
does not depend on this module's class names) holds everything needed to search, rank, show and
re-index an article without its source. :class:`DocMeta` is what searching keeps in memory of it.
"""

from __future__ import annotations

from typing import NamedTuple

from whoosh.fields import ID, STORED, Schema

from app.model import Article
from app.search.analysis import GramField, fold
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
    """An article's stored record (9 fields)."""

    id: str
    ordinal: int
    source: str
    title: str
    original: str | None  # the searchable text when folding changed it, else None
    folded: str  # the folded searchable text
    spans: Spans
    small: tuple  # folded SMALL_FIELDS texts, in that order
    src: str  # the source's content hash


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
        return cls(d.id, d.ordinal, d.source, d.title, Spans._make(d.spans), d.small, d.src, d.original is not None)

    def small_field(self, fieldname: str) -> str:
        return self.small[SMALL_INDEX[fieldname]]


def make_schema() -> Schema:
    # "tri" and "hot" are written by app.search.writer from the "all" text
    grams = {f: GramField() for f in (*GRAM_FIELDS, "tri", "hot")}
    return Schema(id=ID(unique=True), src=ID, d=STORED, **grams)


def searchable_text(article: Article) -> str:
    """What a plain query searches: kicker, title, subtitle, authors and paragraphs, one per line."""
    parts = [article.kicker, article.title, article.subtitle, *article.authors]
    return "\n".join([p for p in parts if p] + [p.text for p in article.paragraphs])


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
        None if folded == text else text,
        folded,
        (t0, t1, s0, s1, b0),
        small,
        src,
    )
    return tuple(stored), grams_of_stored(stored)


def grams_of_stored(stored: tuple) -> dict[str, str]:
    d = StoredArticle._make(stored)
    t0, t1 = d.spans[:2]
    grams = {"all": d.folded, "title": d.folded[t0:t1]}
    grams.update(zip(SMALL_FIELDS, d.small))
    return grams
