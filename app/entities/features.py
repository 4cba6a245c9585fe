"""Character features for the CRF: shared by training (build_scripts/train_ner.py) and tagging.

Every function here works on a *normalised* string of the same length as the input (one output
character per input code point), so CRF labels map straight back onto the original offsets.
"""

from __future__ import annotations

from typing import Iterable

from .lexicon import (
    COMPOUND_SURNAMES,
    ORG_SUFFIX_SET,
    PLACE_SUFFIX_CHARS,
    ROLE_WORDS,
    SINGLE_SURNAMES,
)

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH.update({ord("\t"): 0x20, ord("\r"): 0x20})  # "\n" stays: the CRF tags line by line
_CN_NUM = frozenset("〇零一二三四五六七八九十百千万亿两")
_ROLE_SET = frozenset(ROLE_WORDS)


def normalise(text: str) -> str:
    """Fold full-width ASCII to half-width (the training data is folded); length is preserved."""
    return text.translate(_FULLWIDTH)


def _ctype(ch: str) -> str:
    if ch.isdigit():
        return "D"
    if ch in _CN_NUM:
        return "N"
    o = ord(ch)
    if ch.isascii():
        return "L" if ch.isalpha() else ("S" if ch == " " else "P")
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3FFFF:
        return "H"
    if ch.isalpha():
        return "A"
    return "P"


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

    def marks(self, s: str) -> list[list[str]]:
        """Longest known entity starting at each position: gB/gM/gE + type marks."""
        n = len(s)
        out: list[list[str]] = [[] for _ in range(n)]
        words, lens = self.words, self.lens
        for i in range(n - 1):
            ls = lens.get(s[i : i + 2])
            if not ls:
                continue
            for L in ls:
                if i + L <= n:
                    t = words.get(s[i : i + L])
                    if t is not None:
                        out[i].append("gB" + t)
                        for k in range(i + 1, i + L - 1):
                            out[k].append("gM" + t)
                        out[i + L - 1].append("gE" + t)
                        break
        return out


class WordList:
    """General-vocabulary words (from jieba's dictionary) for word-boundary features.

    ``words`` maps a word to a proper-noun class ("P" person, "L" place, "O" organisation) or "".
    """

    def __init__(self, words: dict[str, str] | Iterable[str] = ()) -> None:
        if not isinstance(words, dict):
            words = dict.fromkeys(words, "")
        self.tags = {w: t for w, t in words.items() if len(w) >= 2}
        self.words = frozenset(self.tags)
        longest: dict[str, int] = {}
        for w in self.words:
            if len(w) > longest.get(w[:2], 0):
                longest[w[:2]] = len(w)
        self.longest = longest

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> "WordList":
        d: dict[str, str] = {}
        for line in lines:
            w, _, t = line.rstrip("\n").partition("\t")
            if w:
                d[w] = t
        return cls(d)

    def boundaries(self, s: str) -> tuple[list[int], list[int], list[str]]:
        """Per position: length of the longest word starting there, and ending there (0: none),
        and the proper-noun class of the longest word starting there ("" when none)."""
        n = len(s)
        start = [0] * n
        end = [0] * n
        cls = [""] * n
        tags, longest = self.tags, self.longest
        for i in range(n - 1):
            m = longest.get(s[i : i + 2])
            if not m:
                continue
            for L in range(min(m, n - i), 1, -1):
                t = tags.get(s[i : i + L])
                if t is not None:
                    start[i] = L
                    cls[i] = t
                    j = i + L - 1
                    if L > end[j]:
                        end[j] = L
                    break
        return start, end, cls


_FLAG_RES: list = []  # compiled on first use: keeps importing cheap


def _flag_res():
    if not _FLAG_RES:
        import re

        def alt(words):
            return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

        _FLAG_RES[:] = [
            re.compile(f"(?=({alt(ORG_SUFFIX_SET)}))"),
            re.compile(f"(?=({alt(_ROLE_SET)}))"),
            re.compile(f"(?=({alt(COMPOUND_SURNAMES)}))"),
        ]
    return _FLAG_RES


_TYPE_TABLE: dict[int, str] = {}


def _types(p: str) -> str:
    """One type letter per character of ``p`` (``^``/``$`` padding kept as is)."""
    if not _TYPE_TABLE:
        _TYPE_TABLE.update({cp: _ctype(chr(cp)) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF})
        _TYPE_TABLE[ord("^")] = "^"
        _TYPE_TABLE[ord("$")] = "$"
    ty = p.translate(_TYPE_TABLE)
    if not ty.isascii():  # characters outside the BMP
        ty = "".join(c if c.isascii() else _ctype(c) for c in ty)
    return ty


def sentence_features(
    s: str, gaz: Gazetteer | None = None, words: WordList | None = None, trigrams: bool = False
) -> list[list[str]]:
    """Feature lists for each character of normalised string ``s``."""
    n = len(s)
    if n == 0:
        return []
    p = "^^" + s + "$$"
    ty = _types(p)
    feats = [
        [
            "u0=" + p[i + 2],
            "u-1=" + p[i + 1],
            "u1=" + p[i + 3],
            "u-2=" + p[i],
            "u2=" + p[i + 4],
            "b-2=" + p[i : i + 2],
            "b-1=" + p[i + 1 : i + 3],
            "b0=" + p[i + 2 : i + 4],
            "b1=" + p[i + 3 : i + 5],
            "t=" + ty[i + 1] + ty[i + 2] + ty[i + 3],
        ]
        for i in range(n)
    ]
    if trigrams:
        for i, f in enumerate(feats):
            f.append("c3=" + p[i + 1 : i + 4])
    sn = SINGLE_SURNAMES
    ps = PLACE_SUFFIX_CHARS
    for i, c in enumerate(s):
        if c in sn:
            feats[i].append("sn")
            if i + 1 < n:
                feats[i + 1].append("sn-1")
        if c in ps:
            feats[i].append("ps")
            if i:
                feats[i - 1].append("ps1")
    org_re, role_re, comp_re = _flag_res()
    for m in org_re.finditer(s):
        j = m.start() + len(m.group(1)) - 1
        feats[j].append("os")
        if j:
            feats[j - 1].append("os1")
    for m in role_re.finditer(s):
        j = m.start() + len(m.group(1))
        if j < n:
            feats[j].append("rl-1")
    for m in comp_re.finditer(s):
        feats[m.start()].append("sn2")
    if gaz is not None:
        gm = gaz.marks(s)
        for i, marks in enumerate(gm):
            if marks:
                feats[i].extend(marks)
                if i + 1 < n:
                    feats[i + 1].extend(["p" + x for x in marks])
                if i:
                    feats[i - 1].extend(["n" + x for x in marks])
    if words is not None:
        ws, we, wc = words.boundaries(s)
        for i in range(n):
            if ws[i]:
                feats[i].append("ws%d" % ws[i])
                if wc[i]:
                    t = wc[i]
                    feats[i].append("wB" + t)
                    for k in range(i + 1, i + ws[i]):
                        feats[k].append("wI" + t)
            if we[i]:
                feats[i].append("we%d" % we[i])
    return feats
