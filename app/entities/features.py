"""Character features for the CRF: shared by training (build_scripts/train_ner.py) and tagging.

Every function here works on a *normalised* string of the same length as the input (one output
character per input code point), so CRF labels map straight back onto the original offsets.
"""

from __future__ import annotations

import operator
import re
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

    def marks(self, s: str, bigrams: list[str] | None = None) -> list[list[str]]:
        """Longest known entity starting at each position: gB/gM/gE + type marks.

        ``bigrams`` (``s[i:i+2]`` for each i < len(s) - 1) may be passed in when already made."""
        n = len(s)
        out: list[list[str]] = [[] for _ in range(n)]
        words, lens = self.words, self.lens
        if bigrams is None:
            bigrams = [a + b for a, b in zip(s, s[1:])]
        hits = [(i, ls) for i, ls in enumerate(map(lens.get, bigrams)) if ls]
        for i, ls in hits:
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

    def _index(self) -> None:
        # longest word per two-character prefix: built from the words sorted by length, so the
        # longest comes last and wins (C-level map/zip: this runs at every program start)
        by_len = sorted(self.words, key=len)
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
            wl.words = frozenset(text.split("\n"))
            if "" in wl.words:
                wl.words = wl.words - {""}
            wl.classes = {}
            wl._index()
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
        words, classes, longest = self.words, self.classes, self.longest
        if bigrams is None:
            bigrams = [a + b for a, b in zip(s, s[1:])]
        hits = [(i, m) for i, m in enumerate(map(longest.get, bigrams)) if m]
        for i, m in hits:
            for L in range(min(m, n - i), 1, -1):
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


_FLAG_RES: list = []  # compiled on first use: keeps importing cheap


def _flag_res():
    if not _FLAG_RES:

        def alt(words):
            return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

        _FLAG_RES[:] = [
            re.compile("[" + "".join(sorted(SINGLE_SURNAMES)) + "]"),
            re.compile("[" + "".join(sorted(PLACE_SUFFIX_CHARS)) + "]"),
            re.compile(f"(?=({alt(ORG_SUFFIX_SET)}))"),
            re.compile(f"(?=({alt(_ROLE_SET)}))"),
            re.compile(f"(?=({alt(COMPOUND_SURNAMES)}))"),
        ]
    return _FLAG_RES


class _TypeTable(dict):
    """Code point -> type letter for ``str.translate``, filled as characters are met (building
    it for the whole BMP up front took 0.08 s of the first call)."""

    def __missing__(self, cp: int) -> str:
        t = self[cp] = _ctype(chr(cp))
        return t


_TYPE_TABLE = _TypeTable({ord("^"): "^", ord("$"): "$"})


def _types(p: str) -> str:
    """One type letter per character of ``p`` (``^``/``$`` padding kept as is)."""
    ty = p.translate(_TYPE_TABLE)
    if not ty.isascii():  # characters outside the BMP
        ty = "".join(c if c.isascii() else _ctype(c) for c in ty)
    return ty


_MAX_LOOKAHEAD = 12
_PUNCT_RE = re.compile("[PDS]+")
# function words and the like after which a name usually starts
_STOP_CHARS = frozenset("的和与及在是为由等到对向从将被让给了同跟把并或而且这该其各每此我你他她它们个")
_BME = {L: ["B"] + ["M"] * (L - 2) + ["E"] for L in range(2, 64)}


def sentence_features(
    s: str,
    gaz: Gazetteer | None = None,
    words: WordList | None = None,
    trigrams: bool = False,
    extra: frozenset[str] | set[str] = frozenset(),
) -> list[list[str]]:
    """Feature lists for each character of normalised string ``s``.

    ``extra`` switches on optional groups (recorded in config.json by train_ner.py):
    ``lookahead`` (distance to the end of the next organisation suffix within a run of Han
    characters; with ``lookahead2`` also for multi-character suffixes only; with ``chunk`` the
    same distance again where a chunk starts, after punctuation or a function word, plus role
    words ending 2-3 characters back), ``seg`` (forward-maximum-match word tags B/M/E/S over the word list, with the
    neighbours' tags), ``window3`` (characters at -3 and +3), ``lean`` (punctuation, digits and
    spaces get only their character, its neighbours and the type trigram).
    """
    n = len(s)
    if n == 0:
        return []
    p = "^^" + s + "$$"
    ty = _types(p)
    # columns built with zip over shifted strings: much faster than indexing per character
    bi = [a + b for a, b in zip(p, p[1:])]  # bi[k] == p[k : k + 2]
    tt = [a + b + c for a, b, c in zip(ty, ty[1:], ty[2:])]  # tt[k] == ty[k : k + 3]
    cols = [
        ["u0=" + c for c in s],
        ["u-1=" + c for c in p[1 : n + 1]],
        ["u1=" + c for c in p[3 : n + 3]],
        ["u-2=" + c for c in p[:n]],
        ["u2=" + c for c in p[4 : n + 4]],
        ["b-2=" + x for x in bi[:n]],
        ["b-1=" + x for x in bi[1 : n + 1]],
        ["b0=" + x for x in bi[2 : n + 2]],
        ["b1=" + x for x in bi[3 : n + 3]],
        ["t=" + x for x in tt[1 : n + 1]],
    ]
    if trigrams:
        cols.append(["c3=" + a + b for a, b in zip(bi[1 : n + 1], p[3 : n + 3])])
    if "window3" in extra:
        q = "^" + p + "$"
        cols.append(["u-3=" + c for c in q[:n]])
        cols.append(["u3=" + c for c in q[6 : n + 6]])
    if words is not None:
        ws, we, wc = words.boundaries(s, bi[2 : n + 1])
        if "seg" in extra:
            # forward maximum matching over the word list: B/M/E/S per character
            # (only word starts matter: a character no word starts at is S and moves on by one)
            sg = ["S"] * n
            pos = 0
            for i in [i for i, x in enumerate(ws) if x]:
                if i >= pos:
                    pos = i + ws[i]
                    sg[i:pos] = _BME[ws[i]]
            t3 = "^" + "".join(sg) + "$"
            cols.append(["sg=" + a + b + c for a, b, c in zip(t3, t3[1:], t3[2:])])
            cols.append(["sgc=" + a + c for a, c in zip(sg, s)])
    feats = list(map(list, zip(*cols)))
    if "lean" in extra:
        # punctuation and digits are nearly always outside names: a short feature list for them
        # (the character, its neighbours, the type trigram) keeps tagging fast
        u0, um1, u1, tcol = cols[0], cols[1], cols[2], cols[9]
        for m in _PUNCT_RE.finditer(ty, 2, n + 2):
            for i in range(m.start() - 2, m.end() - 2):
                feats[i] = [u0[i], um1[i], u1[i], tcol[i]]
    sn_re, ps_re, org_re, role_re, comp_re = _flag_res()
    for m in sn_re.finditer(s):
        i = m.start()
        feats[i].append("sn")
        if i + 1 < n:
            feats[i + 1].append("sn-1")
    for m in ps_re.finditer(s):
        i = m.start()
        feats[i].append("ps")
        if i:
            feats[i - 1].append("ps1")
    ends: list[tuple[int, int]] = []
    for m in org_re.finditer(s):
        L = len(m.group(1))
        j = m.start() + L - 1
        feats[j].append("os")
        if j:
            feats[j - 1].append("os1")
        ends.append((j, L))
    chunk = "chunk" in extra
    if "lookahead" in extra and ends:
        # distance to the end of the nearest organisation suffix ahead, within a run of Han
        # characters: where a long organisation name may start (中国驻洛杉矶总领事馆).
        # Ends come in ascending order, so the first to reach a position is the nearest.
        for name, min_len in (("oa", 1), ("oA", 2)) if "lookahead2" in extra else (("oa", 1),):
            reached: set[int] = set()
            for j, L in sorted(ends):
                if L < min_len:
                    continue
                for i in range(j, max(j - _MAX_LOOKAHEAD, 0) - 1, -1):
                    if ty[i + 2] != "H":
                        break
                    if i not in reached:
                        reached.add(i)
                        feats[i].append(name + str(j - i))
                        if chunk and (i == 0 or ty[i + 1] != "H" or s[i - 1] in _STOP_CHARS):
                            # ... and a chunk starts here (after punctuation or a function word)
                            feats[i].append("c" + name + str(j - i))
    for m in role_re.finditer(s):
        j = m.start() + len(m.group(1))
        if j < n:
            feats[j].append("rl-1")
            if chunk:
                if j + 1 < n:
                    feats[j + 1].append("rl-2")
                if j + 2 < n:
                    feats[j + 2].append("rl-3")
    for m in comp_re.finditer(s):
        feats[m.start()].append("sn2")
    if gaz is not None:
        gm = gaz.marks(s, bi[2 : n + 1])
        for i, marks in enumerate(gm):
            if marks:
                feats[i].extend(marks)
                if i + 1 < n:
                    feats[i + 1].extend(["p" + x for x in marks])
                if i:
                    feats[i - 1].extend(["n" + x for x in marks])
    if words is not None:
        for i in [i for i, x in enumerate(ws) if x]:
            L = ws[i]
            feats[i].append("ws%d" % L)
            t = wc[i]
            if t:
                feats[i].append("wB" + t)
                for k in range(i + 1, i + L):
                    feats[k].append("wI" + t)
        for i in [i for i, x in enumerate(we) if x]:
            feats[i].append("we%d" % we[i])
    return feats
