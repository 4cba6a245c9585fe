"""The one ranking formula, for the index and the scan alike (BM25 with a title boost).

Both give :func:`score` the same figures of the same documents, so a query ranks its hits the same
before the index is ready (the scan, :mod:`app.search.scan`) and after: the number of live
articles, their average folded length, each literal's document frequency, and per document its
folded length, the literal's count in its field and whether the title holds it. Every step runs
over whole columns with C-level iterators (a one-character query may score 100,000 articles).
"""

from __future__ import annotations

import math
from itertools import repeat
from operator import add, mul, truediv
from typing import Protocol

from app.search.pinyin import NO_MATCH, PinyinMatch
from app.search.query import Literal

K1, B = 1.2, 0.75
TITLE_BOOST = 3.0
PINYIN_NAME_BONUS = 0.01  # per Chinese text a pinyin query matched in the document


class Scorable(Protocol):
    """What :func:`score` reads of a set of documents (the index's, or the scan's articles)."""

    live: int  # live documents in all
    avg_len: float  # their average folded length

    def lengths(self, docs: list[int]) -> list[int]: ...

    def counts(self, docs: list[int], lit: Literal) -> list[int]:
        """Occurrences of the literal in its field, per document."""

    def in_title(self, docs: list[int], lit: Literal) -> list[bool]:
        """Whether the document's title holds a literal of the whole text."""

    def pinyin_docs(self, lit: Literal) -> dict[int, PinyinMatch]: ...


def idf(live: int, df: int) -> float:
    n = max(1, live)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def score(docs: list[int], lits: list[Literal], df: dict[Literal, int], of: Scorable) -> list[float]:
    """The score of each of ``docs`` for the positive literals ``lits`` (rounded to 3 places)."""
    scores = [0.0] * len(docs)
    norms = None
    for lit in lits:
        weight = idf(of.live, df.get(lit, 1))
        if lit.field == "pinyin":
            found = of.pinyin_docs(lit)
            matches = [found.get(d, NO_MATCH) for d in docs]
            scores = [s + (weight * (TITLE_BOOST if m.in_title else 1.0) + PINYIN_NAME_BONUS * len(m.texts))
                      for s, m in zip(scores, matches)]
            continue
        if norms is None:  # K1 * (1 - B + B * length / average)
            norms = list(map(mul, repeat(K1), map(add, repeat(1 - B), map(
                truediv, map(mul, repeat(B), of.lengths(docs)), repeat(of.avg_len)))))
        tfs = of.counts(docs, lit)
        # weight * tf * (K1 + 1) / (tf + norm); nothing where the field does not hold it
        scores = list(map(add, scores, map(truediv, map(mul, map(mul, repeat(weight), tfs), repeat(K1 + 1)),
                                           map(add, tfs, norms))))
        if lit.field == "all":
            titled = of.in_title(docs, lit)
        elif lit.field == "title":
            titled = list(map(bool, tfs))
        else:
            continue
        scores = list(map(add, scores, map(mul, titled, repeat(TITLE_BOOST * weight))))
    return list(map(round, scores, repeat(3)))
