"""Where a query's words stand in a text, and where a snippet's marks are painted.

The reading pane marks every place the current query matched. The words to mark come from the
search core's own parser (:func:`app.search.query.parse_query`): plain words, phrases as a whole,
without field prefixes, operators or excluded words. Matching is done on the folded text
(full-width, Traditional and case folded as the index does), then mapped back to the original.

Qt counts positions in UTF-16 code units; Python in code points. :func:`utf16_offset` converts,
so a mark after an emoji or a rare CJK character (outside the BMP, e.g. 𠀋) does not shift.
"""

from __future__ import annotations

MARKABLE_FIELDS = ("all", "title", "subtitle", "body")


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 position of the Python (code point) offset ``index`` in ``text``."""
    head = text[:max(0, index)]
    # (counted by the codec: a Python loop over the characters cost a third of showing an
    # article, once per entity and hit; a lone surrogate stays one unit, as before)
    return len(head) if head.isascii() else len(head.encode("utf-16-le", "surrogatepass")) >> 1


def marked_terms(query: str) -> list[str]:
    """The folded literal texts a query looks for, longest first (never the excluded ones)."""
    from app.search.query import parse_query

    plan = parse_query(query)
    return longest_first(lit.text for lit in plan.literals if lit.field in MARKABLE_FIELDS)


def longest_first(terms) -> list[str]:
    """The non-empty ``terms`` once each, longest first (so a longer match is marked whole)."""
    return sorted(dict.fromkeys(t for t in terms if t), key=len, reverse=True)


def find_terms(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Python ``(start, end)`` offsets in ``text`` of every occurrence of the (folded) ``terms``,
    overlapping ones merged, in order."""
    if not text or not terms:
        return []
    from app.search.analysis import fold_with_map
    from app.search.snippet import merge_spans

    folded, starts = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        at = folded.find(term)
        while at >= 0:
            spans.append((at, at + len(term)))
            at = folded.find(term, at + len(term))
    merged = merge_spans(spans)
    if starts is None:
        return [(s, e) for s, e in merged]
    return [(starts[s], starts[e - 1] + 1) for s, e in merged]


def mark_ranges(snippet, visible: int | None = None) -> list[tuple[int, int]]:
    """The UTF-16 ``(start, length)`` of each of ``snippet``'s marks (an :class:`app.model.Snippet`),
    cut at its first ``visible`` characters (the rest elided): the list's highlights."""
    text = snippet.text
    visible = len(text) if visible is None else visible
    ranges = []
    for start, end in snippet.marks:
        start, end = min(start, visible), min(end, visible)
        if start < end:
            at = utf16_offset(text, start)
            ranges.append((at, utf16_offset(text, end) - at))
    return ranges
