"""The reader's world as plain data: articles, their paragraphs, entity spans and search hits.

Everything here is Qt-free and JSON-friendly: ``to_dict()`` gives the shapes documented in the
README (and in ``../shared/DESIGN.md``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

ParagraphKind = Literal["body", "subhead", "caption", "byline"]
PARAGRAPH_KINDS: tuple[str, ...] = ("body", "subhead", "caption", "byline")

LEDE_CHARS = 60  # characters of the body's start an article's list row shows (Article.lede)

EntityType = Literal["PERSON", "PLACE", "ORG", "DATE", "MONEY"]
ENTITY_TYPES: tuple[str, ...] = ("PERSON", "PLACE", "ORG", "DATE", "MONEY")


@dataclass(slots=True)  # slots: a large library holds millions of these
class Paragraph:
    text: str
    kind: str = "body"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """An entity in one paragraph; ``start``/``end`` are Python (code point) offsets."""

    type: str
    text: str
    paragraph: int
    start: int
    end: int

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "text": self.text,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
        }


class PackedSpans(Sequence):
    """An article's entity spans held compactly: what the window keeps for every article of a
    large library (at 100,000 articles, ~4 million spans: 98 bytes each as ``EntitySpan`` objects,
    ~20 here). It reads as a list of :class:`EntitySpan` — iterated, indexed, compared, counted —
    each made when it is asked for; it cannot be changed in place (an article's spans are
    replaced whole)."""

    __slots__ = ("_names", "_numbers")
    _shared: dict = {}  # (type, text) -> that tuple, one per distinct name in the process

    def __init__(self, rows) -> None:
        """``rows``: ``EntitySpan`` objects or their ``to_dict()`` dictionaries."""
        shared = self._shared
        names: list[tuple[str, str]] = []
        numbers = array("i")  # (offsets in a paragraph: far below 2**31)
        for e in rows:
            if isinstance(e, dict):
                key = (e["type"], e["text"])
                numbers.extend((e["paragraph"], e["start"], e["end"]))
            else:
                key = (e.type, e.text)
                numbers.extend((e.paragraph, e.start, e.end))
            names.append(shared.setdefault(key, key))
        self._names = names
        self._numbers = numbers

    def __len__(self) -> int:
        return len(self._names)

    def _span(self, i: int) -> EntitySpan:
        (entity_type, text), k = self._names[i], 3 * i
        n = self._numbers
        return EntitySpan(entity_type, text, n[k], n[k + 1], n[k + 2])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._span(k) for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("span index out of range")
        return self._span(i)

    def __iter__(self):
        return map(self._span, range(len(self._names)))

    def __eq__(self, other) -> bool:
        if isinstance(other, (PackedSpans, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # (like a list)

    def __repr__(self) -> str:
        return f"PackedSpans({list(self)!r})"

    def __reduce__(self):
        # as its two parts: pickled as EntitySpan objects, the spans of a build's job (at 100k
        # articles, ~840,000 a job) took 2.5 times the room and the time
        return _unpickle_spans, (self._names, self._numbers.tobytes())


def _unpickle_spans(names: list, numbers: bytes) -> PackedSpans:
    spans = PackedSpans.__new__(PackedSpans)
    shared = PackedSpans._shared
    spans._names = [shared.setdefault(key, key) for key in names]
    spans._numbers = array("i")
    spans._numbers.frombytes(numbers)
    return spans


# slots: no per-article __dict__. Python makes one the first time something asks for it (pickling
# the articles for the indexer did), after the article was moved out of the GC's reach: at 100k
# articles, 100k new dicts for its full collections to walk (55-65 ms each, in the window).
@dataclass(slots=True)
class Article:
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    kicker: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None  # "YYYY-MM-DD", or "MM-DD" when the year is unknown
    source: str = ""
    ordinal: int = 0
    related_to: str | None = None  # id of the article a 相关新闻 item belongs to
    entities: list[EntitySpan] = field(default_factory=list)
    id: str = ""
    # each author's role as the byline gave it (记者, 通讯员, 实习生, 摄影 ...; "" when none), in
    # the order of ``authors``: names stay plain strings for search and the list
    author_roles: list[str] = field(default_factory=list)
    # where a whole issue printed it: the page's number (版次, "A03", "3") and name (版名, "要闻"),
    # the issue's date ("YYYY-MM-DD"), and the page's own lines (its header, masthead, 责任编辑 …:
    # page metadata, not article text; the same tuple for every article of the page)
    page: str | None = None
    page_name: str | None = None
    issue_date: str | None = None
    page_lines: tuple[str, ...] = ()

    @property
    def credits(self) -> list[tuple[str, str]]:
        """``(role, name)`` for each author, role "" when the page gave none."""
        roles = self.author_roles + [""] * (len(self.authors) - len(self.author_roles))
        return list(zip(roles, self.authors))

    def assign_id(self, source_key: str) -> None:
        """A stable id from the source's identity, the article's place on the page and its title."""
        digest = hashlib.sha1(f"{source_key}\x00{self.ordinal}\x00{self.title}".encode("utf-8"))
        self.id = digest.hexdigest()[:16]

    @property
    def body_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def lede(self) -> str:
        """The first words of the body, whitespace collapsed (the list's second line): up to
        :data:`LEDE_CHARS` characters and one more, so that a caller can tell it was cut."""
        body = next((p.text for p in self.paragraphs if p.kind == "body"), "")
        return " ".join(body[:4 * LEDE_CHARS].split())[:LEDE_CHARS + 1]

    def all_text(self) -> str:
        """Every piece of text the article holds, in reading order."""
        parts = [self.kicker, self.title, self.subtitle]
        return "\n".join([p for p in parts if p] + [p.text for p in self.paragraphs])

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "ordinal": self.ordinal,
            "source": self.source,
            "kicker": self.kicker,
            "title": self.title,
            "subtitle": self.subtitle,
            "authors": list(self.authors),
            "credits": [{"role": role, "name": name} for role, name in self.credits],
            "date": self.date,
            "related_to": self.related_to,
            "page": self.page,
            "page_name": self.page_name,
            "issue_date": self.issue_date,
            "page_lines": list(self.page_lines),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "entities": [e.to_dict() for e in self.entities],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        return cls(
            id=data.get("id", ""),
            ordinal=int(data.get("ordinal", 0)),
            source=data.get("source", ""),
            kicker=data.get("kicker"),
            title=data.get("title", ""),
            subtitle=data.get("subtitle"),
            authors=list(data.get("authors", [])),
            author_roles=[c.get("role", "") for c in data.get("credits", [])][:len(data.get("authors", []))],
            date=data.get("date"),
            related_to=data.get("related_to"),
            page=data.get("page"),
            page_name=data.get("page_name"),
            issue_date=data.get("issue_date"),
            page_lines=tuple(data.get("page_lines", ())),
            paragraphs=[Paragraph(p["text"], p.get("kind", "body")) for p in data.get("paragraphs", [])],
            entities=[EntitySpan(**e) for e in data.get("entities", [])],
        )


def credit_line(article: Article) -> str:
    """The authors as the paper credited them: ``记者 陈婵 通讯员 某甲、某乙`` (names without a
    role stand alone, joined by 、)."""
    groups: list[tuple[str, list[str]]] = []
    for role, name in article.credits:
        if groups and groups[-1][0] == role:
            groups[-1][1].append(name)
        else:
            groups.append((role, [name]))
    return " ".join(f"{role} {'、'.join(names)}" if role else "、".join(names) for role, names in groups)


@dataclass(frozen=True, slots=True)
class Snippet:
    """A one-line extract of an article as plain text, with its matches as spans.

    ``text`` is the article's own characters (newlines as spaces, ``…`` where it was cut): a
    ``<b>`` or ``&amp;`` in a source is text here, never markup. ``marks`` are the matches'
    ``(start, end)`` Python (code point) offsets into ``text``, sorted and not overlapping, so
    ``text[start:end]`` is what matched; whoever shows it (the list, the command line) escapes
    or highlights as its medium needs."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass
class SearchHit:
    id: str
    ordinal: int
    source: str
    title: str
    score: float
    snippet: Snippet

    @classmethod
    def of(cls, article: Article, score: float, snippet: Snippet) -> "SearchHit":
        """A list row for ``article`` (found by a search, a name, a pair or a timeline's range)."""
        return cls(id=article.id, ordinal=article.ordinal, source=article.source, title=article.title,
                   score=score, snippet=snippet)

    def to_dict(self) -> dict:
        """``snippet`` is plain text; ``marks`` the ``[start, end]`` code point spans of the
        matches in it (``snippet[start:end]``)."""
        return {
            "id": self.id,
            "ordinal": self.ordinal,
            "source": self.source,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet.text,
            "marks": [[start, end] for start, end in self.snippet.marks],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "SearchHit":
        """The hit :meth:`to_dict` gave (extra keys, such as the command line's ``number``, ignored)."""
        snippet = Snippet(data.get("snippet", ""), tuple((int(s), int(e)) for s, e in data.get("marks", ())))
        return cls(id=data["id"], ordinal=int(data.get("ordinal", 0)), source=data.get("source", ""),
                   title=data.get("title", ""), score=float(data.get("score", 0.0)), snippet=snippet)


# on text folded by NFKC and case: an optional 第, one or two letters, the number (digits, or 一 to
# 九十九), 版
_PAGE_NUMBER = re.compile(r"第?\s*([a-z]{0,2})\s*(\d{1,4}|[一二三四五六七八九]?十?[一二三四五六七八九]?)\s*版?")
_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", 1)}


def page_number(text: str | None) -> tuple[str, int] | None:
    """``("a", 3)`` for ``A03``, ``a3``, ``Ａ０３`` or ``第A03版``; ``("", 3)`` for ``3``, ``03``,
    ``第3版``, ``第三版``; None for anything else (a page name, an empty text). Search
    (``page:``) and the list's page order read page numbers alike through this."""
    m = _PAGE_NUMBER.fullmatch(unicodedata.normalize("NFKC", text or "").casefold().strip())
    if not m or not m.group(2):
        return None
    number = m.group(2)
    if number.isdigit():
        return m.group(1), int(number)
    tens, _ten, ones = number.rpartition("十")
    if not _ten:
        return (m.group(1), _DIGITS[ones]) if len(ones) == 1 else None
    return m.group(1), _DIGITS.get(tens, 1) * 10 + _DIGITS.get(ones, 0)
