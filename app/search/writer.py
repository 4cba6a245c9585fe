"""Fast segment writing: gram postings are inverted in memory and written block by block.

Whoosh's generic path costs several microseconds per posting (pool, sort, per-posting codec
calls); an article has ~1,000 distinct unigrams+bigrams, so that path alone would take minutes
for 10,000 articles. Here each segment's gram postings are collected in compact arrays while the
documents are added and handed to the codec's postings writer a whole block (128 postings) at a
time. Stored fields, deletions, the table of contents and its atomic commit stay Whoosh's own.

Only segments written here hold gram postings, so commits never let Whoosh merge segments
(``merge=False``); the index compacts itself by rebuilding (see :mod:`app.search.index`).
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict

from pickle import dumps

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.system import pack_ushort

from app.search.analysis import gram_counts

_append = array.append
_LITTLE = sys.byteorder == "little"


def _new_postings() -> array:
    return array("Q")


def _unpack(packed: array) -> tuple[array, array]:
    """(docnums, term frequencies) from packed ``docnum << 32 | tf`` values."""
    halves = array("I")
    halves.frombytes(packed.tobytes())
    if _LITTLE:
        return halves[1::2], halves[0::2]
    return halves[0::2], halves[1::2]

BLOCK_POSTINGS = 1024  # postings per block (Whoosh's default 128 costs a pickle+zlib per 128 ids)
INLINE_LIMIT = 6  # terms in at most this many documents keep their postings in the term table


class GramSegmentWriter:
    """Wraps one Whoosh ``SegmentWriter``; gram fields go through :meth:`add`."""

    def __init__(self, writer, gram_fields: tuple[str, ...]):
        self.writer = writer
        self.gram_fields = gram_fields
        self._postings: dict[str, defaultdict] = {f: defaultdict(_new_postings) for f in gram_fields}
        writer._flush_segment = self._flush_segment  # our postings join Whoosh's at flush time
        self.count = 0

    def add(self, grams: dict[str, str], **fields) -> None:
        """``grams``: field name -> folded text; ``fields``: Whoosh's own (ids, stored values)."""
        writer = self.writer
        base = writer.docnum << 32
        writer.add_document(**fields)
        for fieldname, text in grams.items():
            if not text:
                continue
            counts = gram_counts(text)
            # One packed (docnum << 32 | tf) per posting, appended without a Python-level loop.
            any(map(_append, map(self._postings[fieldname].__getitem__, counts.keys()),
                    map(base.__or__, counts.values())))
        self.count += 1

    def _flush_segment(self) -> None:
        w = self.writer
        w.perdocwriter.close()
        pdr = w.per_document_reader() if w.codec.length_stats else None
        fieldwriter = w.fieldwriter
        # Whoosh's own postings (id, src) first, then ours under higher field ids.
        fieldwriter.add_postings(w.schema, pdr, w.pool.iter_postings())
        if isinstance(fieldwriter, W3FieldWriter):
            for fieldname in self.gram_fields:
                self._write_field(fieldwriter, fieldname)
        fieldwriter.close()
        if pdr:
            pdr.close()

    def _write_field(self, fieldwriter: W3FieldWriter, fieldname: str) -> None:
        table = self._postings[fieldname]
        if not table:
            return
        fieldobj = self.writer.schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        pw: W3PostingsWriter = fieldwriter._postwriter
        limit = BLOCK_POSTINGS
        tindex_add = fieldwriter._tindex.add
        prefix = pack_ushort(fieldwriter._fieldid)
        pack_info = W3TermInfo._struct.pack
        for gram in sorted(table):  # code point order == UTF-8 byte order
            ids, tfs = _unpack(table[gram])
            n = len(ids)
            btext = gram.encode("utf-8")
            if n <= INLINE_LIMIT:
                # Rare terms (most of them) live inside the term table: no postings block.
                weights = tuple(map(float, tfs))
                info = pack_info(1, float(sum(tfs)), n, 1, 1, float(max(tfs)), ids[0], ids[-1])
                tindex_add(prefix + btext, info + dumps((tuple(ids), weights, ()), 2))
                continue
            fieldwriter.start_term(btext)
            start = 0
            while True:
                end = min(start + limit, n)
                pw._ids = ids[start:end]
                weights = array("f", tfs[start:end])
                pw._weights = weights
                pw._values = []
                pw._maxweight = max(weights)
                pw._minlength = 1
                pw._maxlength = 1
                if end == n:
                    break  # finish_term() writes the last block and the term info
                pw._write_block()
                start = end
            fieldwriter.finish_term()
        fieldwriter.finish_field()
        table.clear()
