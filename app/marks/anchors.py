"""How a mark finds its article and its passage again: the article's stable key (its title and
the start of its body, normalised), the similarity used within a source, and a highlight's
passage re-found by its text and context after a re-split. Plain data and functions, no
database (:mod:`app.marks` keeps them)."""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field

from app.model import Article

KEY_BODY_CHARS = 120  # body characters (normalised) in an article's key


# ---------------------------------------------------------------------- keys and text


def normalise(text: str | None) -> str:
    """NFKC, case-folded, without whitespace: what keys and matching compare."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(text.split())


def fold_tag(tag: str) -> str:
    """A tag as stored and compared: NFKC, trimmed, inner whitespace single, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", tag or "").casefold().split())


def article_body(article: Article) -> str:
    """The text highlight offsets count in: the paragraphs joined by newlines."""
    return "\n".join(p.text for p in article.paragraphs)


def body_start(article: Article) -> str:
    """The first :data:`KEY_BODY_CHARS` characters of the normalised body, normalising no more
    of a long body than that needs."""
    n = KEY_BODY_CHARS
    parts: list[str] = []
    size = 0
    for p in article.paragraphs:
        if len(p.text) > 4 * n:
            parts.append(p.text[:4 * n])
            start = normalise("\n".join(parts))
            if len(start) >= n:
                return start[:n]
            return normalise(article_body(article))[:n]  # mostly whitespace: the whole body
        parts.append(p.text)
        size += len(p.text)
        if size >= 4 * n:
            start = normalise("\n".join(parts))
            if len(start) >= n:
                return start[:n]
    return normalise("\n".join(parts))[:n]


def article_key(article: Article) -> str:
    """The stable key of an article: its normalised title and body start, digested (an article
    opened lazily has it from the article store, without reading its paragraphs)."""
    kept = getattr(article, "mark_key", None)
    if kept is not None:
        return kept
    data = f"{normalise(article.title)}\x00{body_start(article)}".encode("utf-8")
    return hashlib.sha1(data).hexdigest()[:20]


def similarity(title_a: str, start_a: str, title_b: str, start_b: str) -> float:
    """0..1: how alike two articles' normalised titles and body starts are."""
    t = difflib.SequenceMatcher(None, title_a, title_b, autojunk=False).ratio() if (title_a or title_b) else 1.0
    b = difflib.SequenceMatcher(None, start_a, start_b, autojunk=False).ratio() if (start_a or start_b) else 1.0
    return 0.5 * t + 0.5 * b


# ---------------------------------------------------------------------- plain data


@dataclass
class Highlight:
    """A highlighted passage and its note. ``start``/``end`` are where it was last found in
    :func:`article_body` (a hint; :func:`locate` says where it is now)."""

    id: str
    text: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    note: str = ""
    created: float = 0.0
    updated: float = 0.0

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArticleMarks:
    """One article's marks (all empty when it has none)."""

    key: str = ""
    article_id: str | None = None
    source: str = ""
    title: str = ""
    starred: bool = False
    tags: list[str] = field(default_factory=list)
    note: str = ""
    read: bool = False
    read_at: float | None = None
    highlights: list[Highlight] = field(default_factory=list)
    updated: float = 0.0

    @property
    def empty(self) -> bool:
        return not (self.starred or self.tags or self.note or self.read or self.highlights)

    def to_dict(self) -> dict:
        return {"key": self.key, "article_id": self.article_id, "source": self.source, "title": self.title,
                "starred": self.starred, "tags": list(self.tags), "note": self.note, "read": self.read,
                "read_at": self.read_at, "highlights": [h.to_dict() for h in self.highlights]}


@dataclass
class SavedSearch:
    id: int
    name: str
    query: str
    position: int


@dataclass
class Located:
    """Where a highlight's passage is now: offsets in :func:`article_body`, and in its paragraph."""

    start: int
    end: int
    paragraph: int
    para_start: int
    para_end: int
    exact: bool  # the text and its context as they were


def locate(article: Article, h: Highlight) -> Located | None:
    """Find a highlight's passage in the article's body now; None when it is gone."""
    body = article_body(article)
    found = _find_exact(body, h)
    exact = found is not None
    if found is None:
        found = _find_loose(body, h)
    if found is None:
        return None
    start, end = found
    para, offset = 0, 0
    for i, p in enumerate(article.paragraphs):
        if start <= offset + len(p.text):
            para = i
            break
        offset += len(p.text) + 1
    else:
        para = max(0, len(article.paragraphs) - 1)
    return Located(start, end, para, start - offset, min(end - offset, len(article.paragraphs[para].text)) if
                   article.paragraphs else end - offset, exact)


def _find_exact(body: str, h: Highlight) -> tuple[int, int] | None:
    if not h.text:
        return None
    best = None
    i = body.find(h.text)
    while i >= 0:
        before = body[max(0, i - len(h.prefix)):i]
        after = body[i + len(h.text):i + len(h.text) + len(h.suffix)]
        score = (_common_suffix(before, h.prefix) + _common_prefix(after, h.suffix), -abs(i - h.start))
        if best is None or score > best[0]:
            best = (score, i)
        i = body.find(h.text, i + 1)
    if best is None:
        return None
    return best[1], best[1] + len(h.text)


def _find_loose(body: str, h: Highlight) -> tuple[int, int] | None:
    """The passage with whitespace differences (a re-wrapped paragraph)."""
    target = "".join(h.text.split())
    if not target:
        return None
    chars = [(i, c) for i, c in enumerate(body) if not c.isspace()]
    squeezed = "".join(c for _, c in chars)
    j = squeezed.find(target)
    if j < 0:
        return None
    return chars[j][0], chars[j + len(target) - 1][0] + 1


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n
