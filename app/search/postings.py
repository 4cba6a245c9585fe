"""Postings as plain lists: picking top documents by weight, checking a segment. (Reading and
writing them in Whoosh's codec is :mod:`app.search.whoosh_private`.)"""

from __future__ import annotations

from heapq import nlargest
from itertools import compress, islice, repeat
from operator import and_, le

from app.search.analysis import gram_buckets, trigram_bucket


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


def probe_segment(leaf, seg) -> None:
    """Cheap integrity check of a newly opened segment: its first live document's terms exist."""
    for docnum in range(seg.count):
        if leaf.is_deleted(docnum):
            continue
        text = seg.text(docnum)
        if len(text) != seg.lengths[docnum]:
            raise IndexUnusable("its records do not match its documents")
        src = seg.doc_meta(docnum).src
        grams = [c for c in text[:64] if not c.isspace()][:1]
        if leaf.doc_frequency("src", src) < 1 or any(
                leaf.doc_frequency("all", g) < 1
                and leaf.doc_frequency("all", trigram_bucket(g, gram_buckets(seg.count))) < 1 for g in grams):
            raise IndexUnusable("its term table does not match its documents")
        return
