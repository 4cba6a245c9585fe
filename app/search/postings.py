"""Reading gram postings fast, checking a segment, picking top documents by weight."""

from __future__ import annotations

from heapq import nlargest
from itertools import accumulate, compress, islice, repeat
from operator import and_, le


class IndexUnusable(Exception):
    """The index on disk cannot be used (damaged, foreign, other version); it is rebuilt."""


class IndexOutdated(IndexUnusable):
    """The index was made by another version of the program (its format version differs), or
    with another entity model or fold table (``what`` names them)."""

    def __init__(self, message: str, what: list[str] | None = None):
        super().__init__(message)
        self.what = list(what or [])


def top_by_weight(hint: tuple, among: set[int] | None, keep: int) -> list[int]:
    """About ``keep`` docnums (of ``among``, or of all) with the highest weights, without a
    Python-level loop."""
    ids, weights = hint
    if among is None:
        top = nlargest(keep, weights)
        if not top:
            return []
        good = compress(ids, map(le, repeat(top[-1]), weights))
        return list(islice(good, 2 * keep))
    inside = list(map(among.__contains__, ids))
    top = nlargest(keep, compress(weights, inside))
    if not top:
        return []
    threshold = top[-1]
    good = compress(ids, map(and_, inside, map(le, repeat(threshold), weights)))
    return list(islice(good, 2 * keep))


def probe_segment(leaf, folded: list, meta: list) -> None:
    """Cheap integrity check of a newly opened segment: its first live document's terms exist."""
    for docnum, text in enumerate(folded):
        if leaf.is_deleted(docnum):
            continue
        src = meta[docnum][6]
        grams = [c for c in text[:64] if not c.isspace()][:1]
        if leaf.doc_frequency("src", src) < 1 or any(leaf.doc_frequency("all", g) < 1 for g in grams):
            raise IndexUnusable("its term table does not match its documents")
        return


def read_blocks(matcher) -> tuple[list[int], list[float]]:
    """All ids and weights of a posting list, a block at a time (W3 codec), else one by one."""
    ids: list[int] = []
    weights: list[float] = []
    if not hasattr(matcher, "_read_data") or getattr(matcher, "_byteids", False):
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while not matcher._atend:
        matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        block_ids = list(accumulate(raw_ids))
        ids.extend(block_ids)
        if raw_weights is None:
            weights.extend([1.0] * len(block_ids))
        elif isinstance(raw_weights, float):
            weights.extend([raw_weights] * len(block_ids))
        else:
            weights.extend(raw_weights)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return ids, weights
