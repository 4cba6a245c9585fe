"""Span arithmetic shared by the recogniser's steps: trimming a span's edges, and resolving
overlapping candidates by the priority of the rule or model that proposed them."""

from __future__ import annotations

import re
from typing import Iterable

Span = tuple[str, int, int]

# which proposal wins an overlap: higher first (then the longer span)
PRIORITY = {"date": 5, "money": 5, "byline": 4, "role": 4, "mou": 4, "namerun": 4, "known": 3, "org": 3, "place": 3, "crf": 2, "gaz": 1.5, "consistency": 1}

_OPENERS = {"(": ")", "（": "）", "“": "”", "《": "》", "‘": "’", "【": "】"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_TRIM = " \t\u3000,，。、;；:：!！?？\"'“”‘’()（）《》<>[]【】"


def trim(s: str, a: int, b: int) -> tuple[int, int]:
    """Strip spaces and punctuation off a span's edges, keeping balanced brackets/quotes."""
    while a < b and s[a] in _TRIM and not (s[a] in _OPENERS and _OPENERS[s[a]] in s[a + 1 : b]):
        a += 1
    while b > a and s[b - 1] in _TRIM and not (s[b - 1] in _CLOSERS and _CLOSERS[s[b - 1]] in s[a : b - 1]):
        b -= 1
    return a, b


def resolve(cands: Iterable[tuple[str, Span]], s: str) -> list[Span]:
    """Greedy overlap resolution: higher priority first, then longer spans."""
    items = []
    for src, (t, a, b) in cands:
        a, b = trim(s, a, b)
        if b > a:
            items.append((PRIORITY[src], b - a, -a, t, a, b))
    items.sort(reverse=True)
    taken = [False] * len(s)
    out: list[Span] = []
    for _, _, _, t, a, b in items:
        if any(taken[a:b]):
            continue
        for k in range(a, b):
            taken[k] = True
        out.append((t, a, b))
    out.sort(key=lambda x: x[1])
    return out


_BRACKET_RE = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_CLOSERS)) + "]")


def unbalanced(seg: str) -> bool:
    """Whether ``seg`` opens a bracket or quote it does not close, or closes one it did not open."""
    if not _BRACKET_RE.search(seg):
        return False  # (most spans hold no bracket or quote at all: skip the counting)
    return any(seg.count(o) != seg.count(c) for o, c in _OPENERS.items())
