"""Fast segment writing: gram postings are inverted in memory and written a term at a time.

Whoosh's generic path costs several microseconds per posting (pool, sort, per-posting codec
calls); an article has ~1,000 distinct unigrams+bigrams, so that path alone would take minutes
for 10,000 articles. Here each segment's gram postings are collected in compact arrays while the
documents are added and written into the codec's files a whole posting list at a time (see
:func:`app.search.whoosh_private.write_field`). Stored fields, deletions, the table of contents
and its atomic commit stay Whoosh's own.

Only segments written here hold gram postings, so commits never let Whoosh merge segments
(``merge=False``); the index compacts itself by rebuilding (see :mod:`app.search.index`).
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from functools import partial
from heapq import nlargest
from itertools import compress, islice
from zlib import crc32

from app.search import whoosh_private
from app.search.analysis import (
    bucket_term,
    gram_buckets,
    gram_counts,
    trigram_counts,
)
from app.search.segments import SOURCES_EXT, encode_source_runs, source_runs

_append = array.append
_LITTLE = sys.byteorder == "little"


_new_postings = partial(array, "Q")


def _unpack(packed: array) -> tuple[array, array]:
    """(docnums, term frequencies) from packed ``docnum << 32 | tf`` values."""
    halves = array("I")
    halves.frombytes(packed.tobytes())
    if _LITTLE:
        return halves[1::2], halves[0::2]
    return halves[0::2], halves[1::2]

TRIGRAM_FIELD = "tri"  # trigrams of the "all" text: exact terms for the common ones ...
TRIGRAM_MIN = 128  # ... (in more than this many of the segment's documents); the rarer ones have
                   # none (a literal holding one is found by its bigrams, checked against the text)
TRIGRAM_SAMPLE = 1000  # documents whose trigrams are counted to choose the common ones
HOT_FIELD = "hot"  # per segment, the HOT_KEEP documents with the highest term frequency ...
HOT_MIN = 256  # ... of every "all" gram and trigram term in more than this many documents:
HOT_KEEP = 48  # a ranking shortcut for common terms (no need to decode their whole posting list)
RARE_GRAM = 10  # unigrams and bigrams of the "all" and "title" texts in at most this many of the
               # segment's documents share bucket terms (a superset of their documents, checked
               # against the text): a term costs some 60 bytes in Whoosh's term table, and most
               # of them are rare. 6 -> 10 (format 8): the term tables at 100k 152 -> 127 MB; a
               # rare gram's bucket has more candidates (cold `扬尘` at 100k 5.6 -> 7.7 ms)
BUCKETED = ("all", "title")


class GramSegmentWriter:
    """Wraps one Whoosh ``SegmentWriter``; gram fields go through :meth:`add`."""

    def __init__(self, writer, gram_fields: tuple[str, ...]):
        self.writer = writer
        self.gram_fields = gram_fields
        self._postings: dict[str, defaultdict] = {f: defaultdict(_new_postings) for f in gram_fields}
        # Trigrams are counted as documents are added and posted at flush time, when it is
        # known which are common enough for a term of their own.
        self._texts: list[tuple[int, str]] | None = [] if "all" in gram_fields else None
        self._trigram_df: Counter = Counter()
        self._hot: dict[str, tuple] = {}
        whoosh_private.hook_flush(writer, self._flush_segment)  # our postings join Whoosh's at flush time
        self.count = 0
        self._sources: list[str] = []  # each document's source key (kept beside the segment as runs)

    def add(self, grams: dict[str, str], **fields) -> None:
        """``grams``: field name -> folded text; ``fields``: Whoosh's own (ids, stored values)."""
        writer = self.writer
        base = writer.docnum << 32
        writer.add_document(**fields)
        self._sources.append(fields["src"])
        for fieldname, text in grams.items():
            if not text:
                continue
            counts = gram_counts(text)
            # One packed (docnum << 32 | tf) per posting, appended without a Python-level loop.
            any(map(_append, map(self._postings[fieldname].__getitem__, counts.keys()),
                    map(base.__or__, counts.values())))
        text = grams.get("all")
        if text and self._texts is not None:
            self._texts.append((base >> 32, text))
            if len(self._texts) <= TRIGRAM_SAMPLE:
                self._trigram_df.update(trigram_counts(text).keys())
        self.count += 1

    def _flush_segment(self) -> None:
        def write_ours(fieldwriter) -> None:
            for fieldname in self.gram_fields:
                table = self._postings[fieldname]
                if fieldname in BUCKETED:
                    _bucket_rare(table, gram_buckets(self.count))
                self._write_field(fieldwriter, fieldname, table, packed=True, hot=fieldname == "all")
                table.clear()
            if self._texts:
                self._write_field(fieldwriter, TRIGRAM_FIELD, self._trigram_terms(), packed=True, hot=True)
            if self._hot:
                self._write_field(fieldwriter, HOT_FIELD, self._hot)
                self._hot = {}

        whoosh_private.flush_segment(self.writer, write_ours)
        # which sources the segment holds, beside it (app.search.segments): written before the
        # commit that makes the segment part of the index
        whoosh_private.write_segment_file(self.writer, SOURCES_EXT, encode_source_runs(source_runs(self._sources)))
        self._sources = []

    def _trigram_terms(self) -> dict[str, tuple]:
        """The common trigrams' postings. A rare trigram has no term: a literal holding one is
        found by its bigrams (and any common trigram of it), then checked against the text."""
        df = self._trigram_df
        # counted on the first TRIGRAM_SAMPLE documents: any choice is correct (a trigram not
        # given a term is answered by its bigrams), the sample only has to pick the common ones
        least = TRIGRAM_MIN * min(len(self._texts), TRIGRAM_SAMPLE) / max(1, len(self._texts))
        common = {gram for gram, n in df.items() if n > least}
        self._trigram_df = Counter()
        del df
        table: defaultdict = defaultdict(_new_postings)
        in_common = common.__contains__
        # Per trigram, everything runs in C (map/compress), not in a Python loop.
        for docnum, text in self._texts:
            counts = trigram_counts(text)
            flags = list(map(in_common, counts))
            base = docnum << 32
            any(map(_append, map(table.__getitem__, compress(counts, flags)),
                    map(base.__or__, compress(counts.values(), flags))))
        self._texts = []
        return dict(table)  # packed postings, unpacked one term at a time when written

    def _write_field(self, fieldwriter, fieldname: str, table: dict, packed: bool = False,
                     hot: bool = False) -> None:
        """``table``: term -> (docnums, term frequencies) ascending by docnum, or (``packed``)
        term -> ``docnum << 32 | tf`` values, or a trigram bucket's (gaps, None, count, first, last).
        With ``hot``, the terms in more than HOT_MIN documents get a hot list (their top
        HOT_KEEP documents by term frequency)."""
        hot_table = self._hot

        def long_term(gram: str, ids, tfs) -> None:
            if hot and len(ids) > HOT_MIN and gram[0] != "\n":
                hot_table[gram] = _top_postings(ids, tfs, HOT_KEEP)

        whoosh_private.write_field(fieldwriter, self.writer.schema, fieldname, table,
                                   _unpack if packed else None, long_term)


def _bucket_rare(table: dict, nbuckets: int) -> None:
    """Move the grams in at most RARE_GRAM documents into bucket terms (their documents only)."""
    mask = nbuckets - 1
    buckets: defaultdict = defaultdict(set)
    rare = [gram for gram, packed in table.items() if len(packed) <= RARE_GRAM]
    for gram in rare:
        buckets[crc32(gram.encode("utf-8")) & mask].update(p >> 32 for p in table.pop(gram))
    for number, docs in buckets.items():
        table[bucket_term(number)] = (array("I", sorted(docs)), None)


def _top_postings(ids, tfs, keep: int) -> tuple[array, array]:
    """The ``keep`` postings with the highest term frequencies (ties: the first), by docnum."""
    threshold = nlargest(keep, tfs)[-1]
    above = list(compress(zip(ids, tfs), map(threshold.__lt__, tfs)))
    equal = islice(compress(ids, map(threshold.__eq__, tfs)), keep - len(above))
    pairs = sorted(above + [(d, threshold) for d in equal])
    return array("I", [d for d, _ in pairs]), array("I", [t for _, t in pairs])
