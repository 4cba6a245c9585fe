"""Character features for the CRF: shared by training (build_scripts/train_ner.py) and tagging.

Every function here works on a *normalised* string of the same length as the input (one output
character per input code point), so CRF labels map straight back onto the original offsets.
The characters' types and ``normalise`` live in :mod:`.chars`, the word lists matched against a
sentence (``Gazetteer``, ``WordList``) in :mod:`.wordlists`; they are re-exported here, where
training and the tagger have always imported them from.
"""

from __future__ import annotations

import operator
import re
from collections import deque
from itertools import compress, repeat

from app.lexicon import (
    COMPOUND_SURNAMES,
    ORG_SUFFIX_SET,
    PLACE_SUFFIX_CHARS,
    SINGLE_SURNAMES,
    TITLES_BEFORE_NAME,
)

from .chars import normalise, types
from .wordlists import Gazetteer, WordList

__all__ = ["Gazetteer", "WordList", "normalise", "sentence_features"]


_ROLE_SET = frozenset(TITLES_BEFORE_NAME)

_FLAG_RES: list = []  # compiled on first use: keeps importing cheap


def _flag_res():
    if not _FLAG_RES:

        def alt(words):
            return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

        def overlapping(words):
            # every position where a word starts (overlapping matches, longest word first); the
            # leading class of first characters lets the regex engine reject most positions
            # at once instead of trying each alternative there (3-4x faster, same matches)
            firsts = "".join(sorted({re.escape(w[0]) for w in words}))
            return re.compile(f"(?=[{firsts}])(?=({alt(words)}))")

        _FLAG_RES[:] = [
            re.compile("[" + "".join(sorted(SINGLE_SURNAMES)) + "]"),
            re.compile("[" + "".join(sorted(PLACE_SUFFIX_CHARS)) + "]"),
            overlapping(ORG_SUFFIX_SET),
            overlapping(_ROLE_SET),
            overlapping(COMPOUND_SURNAMES),
        ]
    return _FLAG_RES


class _Made(dict):
    """``make(key)`` by key, made the first time it is asked for and kept."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


# feature names by length, made once each (formatting one per word start and end of every
# sentence showed in profiles)
_WS_NAMES = _Made(lambda k: "ws" + str(k))
_WE_NAMES = _Made(lambda k: "we" + str(k))
_MAX_LOOKAHEAD = 12
_PUNCT_RE = re.compile("[PDS]+")
# function words and the like after which a name usually starts
_STOP_CHARS = frozenset("的和与及在是为由等到对向从将被让给了同跟把并或而且这该其各每此我你他她它们个")
_BME = {L: ["B"] + ["M"] * (L - 2) + ["E"] for L in range(2, 64)}
_SGC = {x: "sgc=" + x for x in "BMES"}
_SGC_BYTES = {x: name.encode() for x, name in _SGC.items()}


_UTF8 = _Made(str.encode)  # character -> its UTF-8 bytes, filled as characters are met


def _prefixed(prefix, items):
    """One feature column: ``prefix`` + each item (``str`` or ``bytes`` alike)."""
    return [prefix + x for x in items]


def sentence_features(
    s: str,
    gaz: Gazetteer | None = None,
    words: WordList | None = None,
    trigrams: bool = False,
    extra: frozenset[str] | set[str] = frozenset(),
    as_bytes: bool = False,
) -> list[list[str | bytes]]:
    """Feature lists for each character of normalised string ``s``.

    ``extra`` switches on optional groups (recorded in config.json by train_ner.py):
    ``lookahead`` (distance to the end of the next organisation suffix within a run of Han
    characters; with ``lookahead2`` also for multi-character suffixes only; with ``chunk`` the
    same distance again where a chunk starts, after punctuation or a function word, plus role
    words ending 2-3 characters back), ``seg`` (forward-maximum-match word tags B/M/E/S over the word list, with the
    neighbours' tags), ``window3`` (characters at -3 and +3), ``lean`` (punctuation, digits and
    spaces get only their character, its neighbours and the type trigram), ``compact`` (fewer
    strings per character, made faster: see ``_compact_features``; with ``u2`` and ``b4``).

    ``as_bytes`` (for tagging): the features come as their UTF-8 bytes (the old layout: those
    of the character, type and segment columns). crfsuite sees the very same strings, but
    pycrfsuite then need not encode each one itself: that encoding was a fifth of the tagging time.
    """
    n = len(s)
    if n == 0:
        return []
    if "compact" in extra:
        return _compact_features(s, gaz, words, trigrams, extra, as_bytes)
    p = "^^" + s + "$$"
    ty = types(p)
    # columns built with zip over shifted strings: much faster than indexing per character
    bi = [a + b for a, b in zip(p, p[1:])]  # bi[k] == p[k : k + 2]
    if as_bytes:
        enc = str.encode
        chars = list(map(_UTF8.__getitem__, p))  # chars[k] == p[k], as UTF-8
        pairs = list(map(operator.add, chars, chars[1:]))  # pairs[k] == bi[k], as UTF-8
        tyx = ty.encode()
        sgc_names = _SGC_BYTES
    else:
        enc = str
        chars, pairs, tyx, sgc_names = p, bi, ty, _SGC
    t_name = enc("t=")
    cols = [
        _prefixed(enc("u0="), chars[2 : n + 2]),
        _prefixed(enc("u-1="), chars[1 : n + 1]),
        _prefixed(enc("u1="), chars[3 : n + 3]),
        _prefixed(enc("u-2="), chars[:n]),
        _prefixed(enc("u2="), chars[4 : n + 4]),
        _prefixed(enc("b-2="), pairs[:n]),
        _prefixed(enc("b-1="), pairs[1 : n + 1]),
        _prefixed(enc("b0="), pairs[2 : n + 2]),
        _prefixed(enc("b1="), pairs[3 : n + 3]),
        # (slicing three characters at once is faster than joining them; so for sg)
        [t_name + tyx[k : k + 3] for k in range(1, n + 1)],
    ]
    if trigrams:
        c3_name = enc("c3=")
        cols.append([c3_name + a + b for a, b in zip(pairs[1 : n + 1], chars[3 : n + 3])])
    if "window3" in extra:
        q = chars[:1] + chars + chars[-1:]  # "^" + p + "$"
        cols.append(_prefixed(enc("u-3="), q[:n]))
        cols.append(_prefixed(enc("u3="), q[6 : n + 6]))
    ws = we = wc = None
    if words is not None:
        ws, we, wc = words.boundaries(s, bi[2 : n + 1])
        if "seg" in extra:
            # forward maximum matching over the word list: B/M/E/S per character
            # (only word starts matter: a character no word starts at is S and moves on by one)
            sg = ["S"] * n
            pos = 0
            for i in compress(range(n), ws):
                if i >= pos:
                    pos = i + ws[i]
                    sg[i:pos] = _BME[ws[i]]
            t3 = "^" + "".join(sg) + "$"
            if as_bytes:
                t3 = t3.encode()
            sg_name = enc("sg=")
            cols.append([sg_name + t3[k : k + 3] for k in range(n)])
            cols.append([sgc_names[a] + c for a, c in zip(sg, chars[2 : n + 2])])
    feats = list(map(list, zip(*cols)))
    if "lean" in extra:
        # punctuation and digits are nearly always outside names: a short feature list for them
        # (the character, its neighbours, the type trigram) keeps tagging fast
        u0, um1, u1, tcol = cols[0], cols[1], cols[2], cols[9]
        for m in _PUNCT_RE.finditer(ty, 2, n + 2):
            for i in range(m.start() - 2, m.end() - 2):
                feats[i] = [u0[i], um1[i], u1[i], tcol[i]]
    _sparse_features(feats, s, ty, bi, n, gaz, words, extra, ws, we, wc, _OLD_NAMES, as_bytes)
    return feats


# names of the sparse features that are two characters long: a compact model (below) has
# unprefixed character pairs as features, which must not meet them ("sn" in Latin text)
_OLD_NAMES = ("sn", "ps", "os")
_COMPACT_NAMES = ("sn#", "ps#", "os#")


def _sparse_features(feats, s, ty, bi, n, gaz, words, extra, ws, we, wc, names, as_bytes=False) -> None:
    """The features only some characters have (surname, suffix and role flags, the distance to
    an organisation suffix, gazetteer marks, dictionary word starts and ends): appended to
    ``feats`` in place. The most frequent (surnames, word starts and ends) are appended by
    C-level ``map`` over the positions that have them."""
    sn_name, ps_name, os_name = names
    sn1_name, ps1_name, os1_name = sn_name + "-1", ps_name + "1", os_name + "1"
    ws_names, we_names = _WS_NAMES, _WE_NAMES
    if as_bytes:
        sn_name, ps_name, os_name, sn1_name, ps1_name, os1_name = map(
            _UTF8.__getitem__, (sn_name, ps_name, os_name, sn1_name, ps1_name, os1_name))
        ws_names, we_names = _WS_BYTES, _WE_BYTES
    sn_re, ps_re, org_re, role_re, comp_re = _flag_res()
    sn_at = [m.start() for m in sn_re.finditer(s)]
    if sn_at:
        _consume(map(list.append, map(feats.__getitem__, sn_at), repeat(sn_name)))
        if sn_at[-1] == n - 1:
            sn_at.pop()
        _consume(map(list.append, map(feats.__getitem__, map(_PLUS_ONE, sn_at)), repeat(sn1_name)))
    for m in ps_re.finditer(s):
        i = m.start()
        feats[i].append(ps_name)
        if i:
            feats[i - 1].append(ps1_name)
    ends: list[tuple[int, int]] = []
    for m in org_re.finditer(s):
        L = len(m.group(1))
        j = m.start() + L - 1
        feats[j].append(os_name)
        if j:
            feats[j - 1].append(os1_name)
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
        gm = gaz.sparse_marks(s, bi[2 : n + 1])
        for i in sorted(gm):
            marks = gm[i]
            feats[i].extend(marks)
            if i + 1 < n:
                feats[i + 1].extend(map(_PREV_MARK.__getitem__, marks))
            if i:
                feats[i - 1].extend(map(_NEXT_MARK.__getitem__, marks))
    if ws is not None:
        if any(wc):
            for i in compress(range(n), ws):
                L = ws[i]
                feats[i].append(ws_names[L])
                t = wc[i]
                if t:
                    feats[i].append("wB" + t)
                    for k in range(i + 1, i + L):
                        feats[k].append("wI" + t)
        else:  # (no proper-noun classes: the word starts alone)
            _consume(map(list.append, compress(feats, ws), map(ws_names.__getitem__, compress(ws, ws))))
        _consume(map(list.append, compress(feats, we), map(we_names.__getitem__, compress(we, we))))


_consume = deque(maxlen=0).extend  # runs an iterator of calls to its end
_PLUS_ONE = (1).__add__
_WS_BYTES = _Made(lambda k: _WS_NAMES[k].encode())
_WE_BYTES = _Made(lambda k: _WE_NAMES[k].encode())
_PREV_MARK = _Made(lambda x: "p" + x)  # gazetteer mark -> the same mark of the previous character
_NEXT_MARK = _Made(lambda x: "n" + x)


# the prefixes of the characters at -1, +1, -2 and +2 (str, and bytes for tagging): two
# characters, a different first one for each column, so that no name is the same as another
# column's (nor as a pair, nor as a sparse feature's name)
_U_NAMES = {False: ("a=", "c=", "A=", "C="), True: (b"a=", b"c=", b"A=", b"C=")}


def _compact_features(s, gaz, words, trigrams, extra, as_bytes):
    """``sentence_features`` of a compact model (``extra`` has ``compact``): fewer strings per
    character, and cheaper ones to make. The character itself and the pair it ends are features
    without a prefix (one character and two can never be the same string, and no other feature
    is one or two characters long); the other characters by offset have a two-character prefix;
    the character types and the word tags of the three characters around are one feature.
    ``u2`` adds the characters at -2 and +2, ``b4`` the pairs at -2 and +1 (c-2c-1, c1c2);
    ``trigrams`` adds the trigram c-1c0c1; no window of 3.
    Every column is made by C-level ``map`` calls (no Python code per character)."""
    n = len(s)
    p = "^^" + s + "$$"
    ty = types(p)
    add = operator.add
    bi = list(map(add, p, p[1:]))  # bi[k] == p[k : k + 2]
    if as_bytes:
        chars = list(map(_UTF8.__getitem__, p))
        pairs = list(map(add, chars, chars[1:]))
        tyx = ty.encode()
        sgc_names = _SGC_BYTES
        b0_name, b1_name, bm2_name, c3_name = b"b=", b"d=", b"B=", b"e="
    else:
        chars, pairs, tyx, sgc_names = p, bi, ty, _SGC
        b0_name, b1_name, bm2_name, c3_name = "b=", "d=", "B=", "e="
    um1_name, u1_name, um2_name, u2_name = _U_NAMES[as_bytes]
    cols = [
        chars[2 : n + 2],  # u0: the character
        list(map(add, repeat(um1_name, n), chars[1 : n + 1])),
        list(map(add, repeat(u1_name, n), chars[3 : n + 3])),
        pairs[1 : n + 1],  # b-1: the pair c-1c0
        list(map(add, repeat(b0_name, n), pairs[2 : n + 2])),
    ]
    if "u2" in extra:
        cols.append(list(map(add, repeat(um2_name, n), chars[:n])))
        cols.append(list(map(add, repeat(u2_name, n), chars[4 : n + 4])))
    if "b4" in extra:
        cols.append(list(map(add, repeat(bm2_name, n), pairs[:n])))
        cols.append(list(map(add, repeat(b1_name, n), pairs[3 : n + 3])))
    if trigrams:
        cols.append(list(map(add, map(add, repeat(c3_name, n), pairs[1 : n + 1]), chars[3 : n + 3])))
    ws = we = wc = None
    if words is not None:
        ws, we, wc = words.boundaries(s, bi[2 : n + 1])
    # the type letters of c-1 c0 c1 (and the word tags below) as str, then as UTF-8 from the
    # memo of encoded strings (few different ones)
    t_name = "t="
    tcol = list(map(add, repeat(t_name, n), map(add, map(add, ty[1 : n + 1], ty[2 : n + 2]), ty[3 : n + 3])))
    if words is not None and "seg" in extra:
        sg = ["S"] * n
        pos = 0
        for i in compress(range(n), ws):
            if i >= pos:
                pos = i + ws[i]
                sg[i:pos] = _BME[ws[i]]
        t3 = "^" + "".join(sg) + "$"
        # types and word tags of c-1 c0 c1 as one feature
        tcol = list(map(add, tcol, map(add, map(add, t3, t3[1:]), t3[2:])))
        if as_bytes:
            tcol = list(map(_UTF8.__getitem__, tcol))
        cols.append(tcol)
        cols.append(list(map(add, map(sgc_names.__getitem__, sg), chars[2 : n + 2])))
    else:
        if as_bytes:
            tcol = list(map(_UTF8.__getitem__, tcol))
        cols.append(tcol)
    feats = list(map(list, zip(*cols)))
    if "lean" in extra:
        u0, um1, u1 = cols[0], cols[1], cols[2]
        for m in _PUNCT_RE.finditer(ty, 2, n + 2):
            for i in range(m.start() - 2, m.end() - 2):
                feats[i] = [u0[i], um1[i], u1[i], tcol[i]]
    _sparse_features(feats, s, ty, bi, n, gaz, words, extra, ws, we, wc, _COMPACT_NAMES, as_bytes)
    return feats
