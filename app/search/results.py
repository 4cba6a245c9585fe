"""What searching and updating return: :class:`SearchResult` and :class:`UpdateStats` (Whoosh-free,
so the scan can return them before the index is ever imported)."""

from __future__ import annotations

from dataclasses import dataclass, field

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
