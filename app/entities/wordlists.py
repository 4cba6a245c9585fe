"""Word lists matched against a sentence for the CRF's features: the gazetteer of known entity
strings (``Gazetteer``) and the general vocabulary (``WordList``, from jieba's dictionary).

Both find candidates the same way: a table keyed by a word's first two characters says where a
word may start, so only those positions are tried.
"""

from __future__ import annotations

import operator
from itertools import compress
from typing import Iterable


def _candidates(table: dict, s: str, bigrams: list[str] | None):
    """``found, starts``: ``found[i]`` is ``table``'s value for ``s[i:i+2]`` (None when that is
    no key) and ``starts`` runs over the positions where it is not None, i.e. where a word may
    start (values must be true). ``bigrams`` (``s[i:i+2]`` for each i < len(s) - 1) may be passed
    in when already made. C-level map/compress: most positions start no word."""
    if bigrams is None:
        bigrams = [a + b for a, b in zip(s, s[1:])]
    found = list(map(table.get, bigrams))
    return found, compress(range(len(found)), found)


class Gazetteer:
    """Known entity strings by type; longest-match B/M/E features."""

    def __init__(self, entries: dict[str, str] | None = None) -> None:
        self.words: dict[str, str] = {}
        self.lens: dict[str, tuple[int, ...]] = {}
        if entries:
            for w, t in entries.items():
                self.add(w, t)
            self.freeze()

    def add(self, word: str, etype: str) -> None:
        if len(word) >= 2:
            self.words[word] = etype

    def freeze(self) -> None:
        by_prefix: dict[str, set[int]] = {}
        for w in self.words:
            by_prefix.setdefault(w[:2], set()).add(len(w))
        self.lens = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_prefix.items()}

    def marks(self, s: str, bigrams: list[str] | None = None) -> list[list[str]]:
        """Longest known entity starting at each position: gB/gM/gE + type marks.

        ``bigrams`` (``s[i:i+2]`` for each i < len(s) - 1) may be passed in when already made."""
        out: list[list[str]] = [[] for _ in range(len(s))]
        for i, m in self.sparse_marks(s, bigrams).items():
            out[i] = m
        return out

    def sparse_marks(self, s: str, bigrams: list[str] | None = None) -> dict[int, list[str]]:
        """``marks`` for the positions that have any (keys not in ascending order): most
        positions have none, and making an empty list for each cost more than the matching."""
        n = len(s)
        out: dict[int, list[str]] = {}
        words = self.words
        found, starts = _candidates(self.lens, s, bigrams)
        for i in starts:  # positions where some entity may start
            for L in found[i]:
                if i + L <= n:
                    t = words.get(s[i : i + L])
                    if t is not None:
                        out.setdefault(i, []).append("gB" + t)
                        for k in range(i + 1, i + L - 1):
                            out.setdefault(k, []).append("gM" + t)
                        out.setdefault(i + L - 1, []).append("gE" + t)
                        break
        return out


_FIRST_TWO = operator.itemgetter(slice(0, 2))


class WordList:
    """General-vocabulary words (from jieba's dictionary) for word-boundary features.

    ``words`` maps a word to a proper-noun class ("P" person, "L" place, "O" organisation) or "".
    """

    def __init__(self, words: dict[str, str] | Iterable[str] = ()) -> None:
        if isinstance(words, dict):
            self.classes = {w: t for w, t in words.items() if t and len(w) >= 2}
        else:
            self.classes = {}
        self.words = frozenset(w for w in words if len(w) >= 2)
        self._index()

    def _index(self, ordered: list[str] | None = None) -> None:
        # longest word per two-character prefix: built from the words sorted by length, so the
        # longest comes last and wins (C-level map/zip: this runs at every program start).
        # ``ordered``: the same words as read from a file; sorting those rather than the set
        # keeps words with one prefix together, which makes building the dict twice as fast.
        by_len = sorted(self.words if ordered is None else ordered, key=len)
        self.longest = dict(zip(map(_FIRST_TWO, by_len), map(len, by_len)))

    @property
    def tags(self) -> dict[str, str]:
        """Word -> proper-noun class ("" for none)."""
        return {w: self.classes.get(w, "") for w in self.words}

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> "WordList":
        text = lines if isinstance(lines, str) else "".join(lines)
        if "\t" not in text:  # no proper-noun classes: a plain list of words (2+ characters)
            wl = cls.__new__(cls)
            lines = list(filter(None, text.split("\n")))  # (no empty word from a blank line)
            wl.words = frozenset(lines)
            wl.classes = {}
            wl._index(lines)
            return wl
        d: dict[str, str] = {}
        for line in text.split("\n"):
            w, _, t = line.partition("\t")
            if w:
                d[w] = t
        return cls(d)

    def boundaries(self, s: str, bigrams: list[str] | None = None) -> tuple[list[int], list[int], list[str]]:
        """Per position: length of the longest word starting there, and ending there (0: none),
        and the proper-noun class of the longest word starting there ("" when none).
        ``bigrams`` as for ``Gazetteer.marks``."""
        n = len(s)
        start = [0] * n
        end = [0] * n
        cls = [""] * n
        words, classes = self.words, self.classes
        found, starts = _candidates(self.longest, s, bigrams)
        for i in starts:  # positions where some word may start
            for L in range(min(found[i], n - i), 1, -1):
                w = s[i : i + L]
                if w in words:
                    start[i] = L
                    if classes:
                        cls[i] = classes.get(w, "")
                    j = i + L - 1
                    if L > end[j]:
                        end[j] = L
                    break
        return start, end, cls
