"""Postings as plain lists: picking top documents by weight, packing bucket postings, checking a
segment. (Reading them from Whoosh's codec is :mod:`app.search.whoosh_private`.)"""

from __future__ import annotations

from array import array
from heapq import nlargest
from itertools import accumulate, compress, islice, repeat
from operator import and_, le, sub


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
        src = meta[docnum].src
        grams = [c for c in text[:64] if not c.isspace()][:1]
        if leaf.doc_frequency("src", src) < 1 or any(leaf.doc_frequency("all", g) < 1 for g in grams):
            raise IndexUnusable("its term table does not match its documents")
        return


def pack_gaps(ids) -> tuple[str, bytes]:
    """Ascending docnums as (array typecode, the machine bytes of their differences)."""
    gaps = [ids[0], *map(sub, ids[1:], ids[:-1])]
    top = max(gaps)
    code = "B" if top < 256 else "H" if top < 65536 else "I"
    return code, array(code, gaps).tobytes()


def unpack_gaps(packed: tuple[str, bytes]) -> list[int]:
    code, data = packed
    gaps = array(code)
    gaps.frombytes(data)
    return list(accumulate(gaps))
