"""Search-hit snippets by direct substring marking: ``…严格按照扬尘污染防治…`` with 扬尘 marked.

The match is found in the folded text (what the index searched) and marked in the original text;
folding is per character, so offsets carry over (through a map where a character folds to several).
A snippet is a :class:`~app.model.Snippet`: plain text and the marks' spans, no markup (a ``<b>``
in an article stays text; the window and the command line need not parse anything back).
"""

from __future__ import annotations

from app.model import Snippet
from app.search.analysis import OffsetMap

BEFORE = 24
AFTER = 56


def make_snippet(original: str, folded: str, literals: list[str], prefer_from: int = 0) -> Snippet:
    """A one-line extract of ``original`` around the first match of any of ``literals``."""
    literals = [lit for lit in dict.fromkeys(literals) if lit]
    first = -1
    for lo in (prefer_from, 0):
        for lit in literals:
            at = folded.find(lit, lo)
            if at >= 0 and (first < 0 or at < first):
                first = at
        if first >= 0:
            break
    if first < 0:
        start = prefer_from if prefer_from < len(folded) else 0
        line_end = folded.find("\n", start)
        end = min(len(folded), start + BEFORE + AFTER, line_end if line_end >= 0 else len(folded))
        return _render(original, folded, start, end, [])
    line_start = folded.rfind("\n", 0, first) + 1
    line_end = folded.find("\n", first)
    if line_end < 0:
        line_end = len(folded)
    start = max(line_start, first - BEFORE)
    end = min(line_end, first + AFTER)
    spans: list[list[int]] = []
    for lit in literals:
        at = folded.find(lit, start)
        while 0 <= at < end:
            spans.append([at, min(at + len(lit), end)])
            at = folded.find(lit, at + 1)
    return _render(original, folded, start, end, merge_spans(spans))


def merge_spans(spans) -> list[list[int]]:
    """``(start, end)`` spans sorted, with overlapping ones merged into one."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def _render(original: str, folded: str, start: int, end: int, marks: list[list[int]]) -> Snippet:
    if len(original) == len(folded):
        def ostart(i: int) -> int:
            return i
        oend = ostart
    else:
        omap = OffsetMap(original)
        ostart, oend = omap.start, omap.end
    out = ["…" if start > 0 else ""]
    size = len(out[0])  # code points in out so far (a mark's offset in the snippet)
    spans: list[tuple[int, int]] = []
    cursor = ostart(start)
    for s, e in marks:
        ms = max(cursor, ostart(s))
        me = max(ms, oend(e))
        if me == ms:
            continue
        out.append(original[cursor:me])
        size += me - cursor
        spans.append((size - (me - ms), size))
        cursor = me
    out.append(original[cursor:max(cursor, oend(end))])
    if end < len(folded):
        out.append("…")
    return Snippet("".join(out).replace("\n", " "), tuple(spans))
