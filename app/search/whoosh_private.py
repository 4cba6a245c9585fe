"""Every use of Whoosh's private internals, in one place: the pin on whoosh has one file to check.

The index relies on Whoosh's public API for everything else (schemas, segment writers and
commits, readers, term infos, stored fields, deletions). What is here reaches below it, for
speed measured in :mod:`app.search.writer` and :mod:`app.search.index`'s docstrings:

- writing a segment's gram postings a whole block at a time into the W3 codec (its postings
  writer's buffers, its term table, its field ids, the term info's struct) from the segment
  writer's flush (``SegmentWriter._flush_segment``, replaced per writer);
- reading a posting list a block at a time (the W3 matcher's ``_read_data``/``_data``) and
  inlined postings straight from the term info;
- the on-disk lock files of a generation's folder (``whoosh.filedb.filestore.FileStorage``).

After upgrading whoosh, run tests/test_search*.py: each of these is exercised there.
"""

from __future__ import annotations

from array import array
from itertools import accumulate
from pickle import dumps

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_ushort

from app.search.postings import unpack_gaps

BLOCK_POSTINGS = 1024  # postings per block (Whoosh's default 128 costs a pickle+zlib per 128 ids)
INLINE_LIMIT = 6  # terms in at most this many documents keep their postings in the term table


# ------------------------------------------------------------------------------ writing


def hook_flush(writer, flush) -> None:
    """Have ``flush()`` write ``writer``'s segment (see :func:`flush_segment`)."""
    writer._flush_segment = flush


def flush_segment(w, write_ours) -> None:
    """What ``SegmentWriter._flush_segment`` does, with ``write_ours(fieldwriter)`` writing our own
    fields after Whoosh's (``id``, ``src``) when the codec is W3."""
    w.perdocwriter.close()
    pdr = w.per_document_reader() if w.codec.length_stats else None
    fieldwriter = w.fieldwriter
    # Whoosh's own postings (id, src) first, then ours under higher field ids.
    fieldwriter.add_postings(w.schema, pdr, w.pool.iter_postings())
    if isinstance(fieldwriter, W3FieldWriter):
        write_ours(fieldwriter)
    fieldwriter.close()
    if pdr:
        pdr.close()


def write_field(fieldwriter: W3FieldWriter, schema, fieldname: str, table: dict, unpack=None,
                long_term=None) -> None:
    """Write ``table`` as the postings of ``fieldname``: term -> (docnums, term frequencies)
    ascending by docnum (``unpack(entry)`` gives them for packed entries), or a trigram bucket's
    ``(gaps, None, count, first, last)``. ``long_term(term, ids, tfs)`` sees every term whose
    postings are too many to inline."""
    if not table:
        return
    fieldwriter.start_field(fieldname, schema[fieldname])
    pw: W3PostingsWriter = fieldwriter._postwriter
    limit = BLOCK_POSTINGS
    tindex_add = fieldwriter._tindex.add
    prefix = pack_ushort(fieldwriter._fieldid)
    pack_info = W3TermInfo._struct.pack
    for gram in sorted(table):  # code point order == UTF-8 byte order
        entry = table[gram]
        btext = gram.encode("utf-8")
        if type(entry) is tuple and entry[1] is None:  # a trigram bucket: only its documents count
            gaps, _none, n, first, last = entry
            info = pack_info(1, float(n), n, 1, 1, 1.0, first, last)
            tindex_add(prefix + btext, info + dumps((gaps, None, ()), 5))
            continue
        ids, tfs = unpack(entry) if unpack is not None else entry
        n = len(ids)
        if n <= INLINE_LIMIT:
            # Rare terms (most of them) live inside the term table: no postings block.
            info = pack_info(1, float(sum(tfs)), n, 1, 1, float(max(tfs)), ids[0], ids[-1])
            tindex_add(prefix + btext, info + dumps((tuple(ids), tuple(tfs), ()), 2))
            continue
        if long_term is not None:
            long_term(gram, ids, tfs)
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


# ------------------------------------------------------------------------------ reading


def read_postings(leaf, fieldname: str, info, btext: bytes) -> tuple[list[int], list]:
    """All docnums and term frequencies of a term (``info``: ``leaf.term_info(fieldname, btext)``)."""
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        if weights is None:  # a trigram bucket (see app.search.writer)
            ids = unpack_gaps(ids)
            return ids, [1] * len(ids)
        return list(ids), list(weights)
    return read_blocks(leaf.postings(fieldname, btext))


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


# ------------------------------------------------------------------------------ locks


def folder_lock(folder, name: str):
    """Whoosh's lock file ``name`` (``BUILDLOCK``, ``WRITELOCK``) in ``folder``: ``acquire(False)``
    and ``release()``."""
    return FileStorage(str(folder)).lock(name)
