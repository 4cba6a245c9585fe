"""Every use of Whoosh's private internals, in one place: the pin on whoosh has one file to check.

The index relies on Whoosh's public API for everything else (schemas, segment writers and
commits, readers, term infos, stored fields, deletions). What is here reaches below it, for
speed measured in :mod:`app.search.writer` and :mod:`app.search.index`'s docstrings:

- writing a segment's gram postings a whole block at a time into the W3 codec (its postings
  writer's buffers, its term table, its field ids, the term info's struct) from the segment
  writer's flush (``SegmentWriter._flush_segment``, replaced per writer);
- postings stored as machine arrays (:func:`encode_postings`) in place of Whoosh's pickled
  tuples, in blocks (the W3 postings writer's ``_mini_ids``/``_mini_weights``/``_mini_values``,
  replaced per writer) and inlined in the term table; read a block at a time from the codec's
  own matcher (``leaf._terms.matcher``, its ``_read_data``/``_data``);
- the on-disk lock files of a generation's folder (``whoosh.filedb.filestore.FileStorage``).

After upgrading whoosh, run tests/test_search*.py: each of these is exercised there.
"""

from __future__ import annotations

import mmap
import sys
import zlib
from array import array
from itertools import accumulate, chain
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_ushort

BLOCK_POSTINGS = 1024  # postings per block (Whoosh's default 128 costs a pickle+zlib per 128 ids)
INLINE_LIMIT = 6  # terms in at most this many documents keep their postings in the term table
ZLIB_INLINE = 96  # inlined postings (trigram buckets) longer than this many bytes are compressed


# ------------------------------------------------------------------------------ postings as bytes
#
# Whoosh pickles a block's docnum gaps and weights as tuples of Python ints and floats (a float
# costs 9 bytes before zlib) and an inlined term's postings as tuples too. Here both are one
# bytes string: a flag byte, the gaps as a machine array of the smallest unsigned type that
# holds them, then the term frequencies likewise (left out when all are 1). About a third of
# the size on disk, and decoded with ``array.frombytes`` instead of unpickling numbers one by one.

_CODES = "BHI"
_SIZES = (1, 2, 4)
_ZLIB = 0x80


def _code(top: int) -> int:
    return 0 if top < 256 else 1 if top < 65536 else 2


def encode_postings(ids, tfs=None, compress: bool = False) -> bytes:
    """``ids`` (ascending docnums) and their term frequencies (None: all 1) as bytes."""
    gaps = array("I", map(sub, ids, chain((0,), ids)))
    gcode = _code(max(gaps))
    flag = gcode
    body = array(_CODES[gcode], gaps).tobytes() if gcode < 2 else gaps.tobytes()
    if tfs is not None and max(tfs) > 1:
        tcode = _code(max(tfs))
        flag |= (tcode + 1) << 2
        body += array(_CODES[tcode], tfs).tobytes()
    if compress and len(body) > ZLIB_INLINE:
        flag |= _ZLIB
        body = zlib.compress(body, 6)
    return bytes((flag,)) + body


def decode_postings(blob: bytes) -> tuple[list[int], list[int]]:
    """(docnums, term frequencies) of :func:`encode_postings`' bytes."""
    flag = blob[0]
    body = blob[1:]
    if flag & _ZLIB:
        body = zlib.decompress(body)
    gcode, tcode = flag & 3, (flag >> 2) & 7
    gsize = _SIZES[gcode]
    n = len(body) // (gsize + (_SIZES[tcode - 1] if tcode else 0))
    gaps = array(_CODES[gcode])
    gaps.frombytes(body[:n * gsize])
    ids = list(accumulate(gaps))
    if not tcode:
        return ids, [1] * n
    tfs = array(_CODES[tcode - 1])
    tfs.frombytes(body[n * gsize:])
    return ids, tfs.tolist()


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


def write_segment_file(w, ext: str, data: bytes) -> None:
    """A file of our own beside the segment ``w`` is writing (``<segment id><ext>``): Whoosh
    removes it with the segment's own files when the segment is no longer in use."""
    f = w.newsegment.create_file(w.storage, ext)
    try:
        f.write(data)
    finally:
        f.close()


def write_field(fieldwriter: W3FieldWriter, schema, fieldname: str, table: dict, unpack=None,
                long_term=None) -> None:
    """Write ``table`` as the postings of ``fieldname``: term -> (docnums, term frequencies)
    ascending by docnum (``unpack(entry)`` gives them for packed entries), or a trigram bucket's
    ``(docnums, None)`` (inlined however long, compressed). ``long_term(term, ids, tfs)`` sees
    every term whose postings are too many to inline."""
    if not table:
        return
    fieldwriter.start_field(fieldname, schema[fieldname])
    pw: W3PostingsWriter = fieldwriter._postwriter
    block = []  # the block being written, as encode_postings' bytes (see _compact_blocks)
    _compact_blocks(pw, block)
    limit = BLOCK_POSTINGS
    tindex_add = fieldwriter._tindex.add
    prefix = pack_ushort(fieldwriter._fieldid)
    pack_info = W3TermInfo._struct.pack
    for gram in sorted(table):  # code point order == UTF-8 byte order
        entry = table[gram]
        btext = gram.encode("utf-8")
        if type(entry) is tuple and entry[1] is None:  # a trigram bucket: only its documents count
            ids = entry[0]
            n = len(ids)
            info = pack_info(1, float(n), n, 1, 1, 1.0, ids[0], ids[-1])
            tindex_add(prefix + btext, info + dumps(encode_postings(ids, None, compress=True), 3))
            continue
        ids, tfs = unpack(entry) if unpack is not None else entry
        n = len(ids)
        if n <= INLINE_LIMIT:
            # Rare terms (most of them) live inside the term table: no postings block.
            info = pack_info(1, float(sum(tfs)), n, 1, 1, float(max(tfs)), ids[0], ids[-1])
            tindex_add(prefix + btext, info + dumps(encode_postings(ids, tfs), 3))
            continue
        if long_term is not None:
            long_term(gram, ids, tfs)
        fieldwriter.start_term(btext)
        start = 0
        while True:
            end = min(start + limit, n)
            pw._ids = ids[start:end]
            block[:] = [encode_postings(pw._ids, tfs[start:end])]
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


def _compact_blocks(pw: W3PostingsWriter, block: list) -> None:
    """Have ``pw`` write each block's postings as ``block[0]`` (:func:`encode_postings`' bytes) in
    place of Whoosh's tuples (its block header, zlib and term statistics stay its own)."""
    pw._mini_ids = lambda: block[0]
    pw._mini_weights = _none
    pw._mini_values = _none


def _none():
    return None


# ------------------------------------------------------------------------------ segments written apart


def segment_writer(folder: str):
    """A writer of one new segment of the index in ``folder`` that takes no lock: the process
    that commits the segments holds it (what Whoosh's own multi-process writer does)."""
    from whoosh import index as whoosh_index
    from whoosh.writing import SegmentWriter

    return SegmentWriter(whoosh_index.open_dir(folder), _lk=False, compound=False)


def finish_segment(writer):
    """Close the segment of :func:`segment_writer` and return it (picklable) for
    :func:`commit_segments`."""
    segment = writer._finalize_segment()
    # not writer._finish(): it would remove the temporary folder the other processes' writers
    # share (``<index>.tmp``); the committing writer's _finish removes it (commit_segments)
    writer.is_closed = True
    return segment


def commit_segments(writer, segments: list) -> None:
    """Commit the index's segments and ``segments`` (written by other processes) in one new table
    of contents, with ``writer`` (holding the lock, nothing added to it), and release the lock."""
    writer._close_segment()
    writer._commit_toc(list(writer.segments) + list(segments))
    writer._finish()


# ------------------------------------------------------------------------------ reading


def read_postings(leaf, fieldname: str, info, btext: bytes) -> tuple[list[int], list]:
    """All docnums and term frequencies of a term (``info``: ``leaf.term_info(fieldname, btext)``)."""
    if info.is_inlined():
        return decode_postings(info.inlined_postings())
    # the codec's own matcher: the reader's would wrap it in a filter of the deleted documents
    # (callers leave those out themselves), hiding its blocks
    return read_blocks(leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format))


def read_blocks(matcher) -> tuple[list[int], list[int]]:
    """All ids and term frequencies of a posting list written by :func:`write_field`, a block
    at a time."""
    ids: list[int] = []
    weights: list[int] = []
    while not matcher._atend:
        matcher._read_data()
        block_ids, block_tfs = decode_postings(matcher._data[0])
        ids.extend(block_ids)
        weights.extend(block_tfs)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return ids, weights


def numeric_column(reader, doccount: int):
    """The values of a ``NumericColumn`` (``leaf.column_reader(field, translate=False)``) as an
    array, read in one piece: Whoosh's ``load()`` unpacks them one by one in Python (100,000 at
    100k articles, on every open). Whoosh's own where the layout is not the one expected."""
    try:
        typecode, size, stored = reader._typecode, reader._fixedlen, reader._count
        values = array(typecode)
        if values.itemsize != size or stored > doccount:
            raise ValueError(typecode)
        values.frombytes(reader._dbfile.get(reader._basepos, stored * size))
        if sys.byteorder == "little":
            values.byteswap()  # Whoosh writes them big-endian ("!" + typecode)
        values.extend([reader._default] * (doccount - stored))  # trailing defaults are not written
        return values
    except (AttributeError, ValueError, OverflowError, TypeError):
        return reader.load()


def column_getter(reader):
    """``docnum -> bytes`` of a column of variable-length bytes (``leaf.column_reader(field,
    translate=False)`` of a ``VarBytesColumn``), sliced from a memory map of its file: Whoosh's
    own reader seeks and reads the file for each value (four Python calls and two system calls),
    which a just-opened index paid for each candidate whose text it checks. Whoosh's reader
    where the file cannot be mapped."""
    try:
        dbfile, base = reader._dbfile, reader._basepos
        offsets, lengths = reader._offsets, reader._lengths
        if not getattr(dbfile, "is_real", False):
            return reader.__getitem__
        view = mmap.mmap(dbfile.file.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):
        return reader.__getitem__

    def get(docnum: int) -> bytes:
        start = base + offsets[docnum]
        return view[start:start + lengths[docnum]]

    return get


# ------------------------------------------------------------------------------ locks


def folder_lock(folder, name: str):
    """Whoosh's lock file ``name`` (``BUILDLOCK``, ``WRITELOCK``) in ``folder``: ``acquire(False)``
    and ``release()``."""
    return FileStorage(str(folder)).lock(name)
