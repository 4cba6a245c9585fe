"""What searching and updating return: :class:`SearchResult` and :class:`UpdateStats` (Whoosh-free,
so the scan can return them before the index is ever imported)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from app.model import SearchHit


@dataclass
class UpdateStats:
    sources_added: int = 0
    sources_removed: int = 0
    sources_unchanged: int = 0
    articles_added: int = 0
    articles_indexed: int = 0  # live articles in the index afterwards
    rebuilt: bool = False
    cancelled: bool = False
    locked: bool = False  # another program held the index; nothing was changed
    notice: str | None = None  # a sentence for the user (index rebuilt, busy, ...)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PendingHits:
    """The ranked documents of a result whose hits (title, snippet) are not made yet: a search
    asked for its first hits only (the window lists the first screenful at once and the rest a
    moment later). ``make(doc, score)`` makes one hit; ``owner`` is what the documents are numbered
    in (the index's open state), so they are made only while it is still the one open."""

    best: list[tuple[float, int]]  # (negated score, document), best first
    make: Callable[[int, float], SearchHit]
    owner: object = None


class HitList(list):
    """The hits made so far, with the ranked documents still to make (:class:`PendingHits`)."""

    pending: PendingHits | None = None


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    hits: list[SearchHit] = field(default_factory=list)
    notice: str | None = None
    # The folded texts to mark in the hits: the query's literals, and for pinyin the Chinese
    # texts it matched (``jiangmen`` -> ["江门"]), most frequent first.
    marks: list[str] = field(default_factory=list)
    pinyin: bool = False  # some hits were found by pinyin (explicit pinyin: or the fallback)
    # the ranked hits not made yet when only the first were asked for (see PendingHits)
    pending: "PendingHits | None" = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        out = {
            "query": self.query,
            "total": self.total,
            "took_ms": self.took_ms,
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.pinyin:
            out["pinyin"] = True
            out["marks"] = list(self.marks)
        return out
