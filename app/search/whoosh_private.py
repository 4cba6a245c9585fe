"""Every use of Whoosh's private internals, in one place: the pin on whoosh has one file to check.

The index relies on Whoosh's public API for everything else (schemas, segment writers and
commits, readers, term infos, stored fields, deletions). What is here reaches below it, for
speed measured in :mod:`app.search.writer` and :mod:`app.search.index`'s docstrings:

- writing a segment's gram postings straight into the W3 codec (its postings file, its term
  table, its field ids, the term info's struct) from the segment writer's flush
  (``SegmentWriter._flush_segment``, replaced per writer);
- postings stored as machine arrays (:func:`encode_postings`) in place of Whoosh's pickled
  tuples: inlined in the term table, or a term's whole list as one blob in the postings file
  (the term info's extent) in place of Whoosh's blocks; read back from the term info or from
  the codec's postings file (``leaf._terms._postfile``);
- the on-disk lock files of a generation's folder (``whoosh.filedb.filestore.FileStorage``).

After upgrading whoosh, run tests/test_search*.py: each of these is exercised there.
"""

from __future__ import annotations

import mmap
import sys
import zlib
from array import array
from functools import partial
from itertools import accumulate, chain
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import W3FieldWriter, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_int, pack_long, pack_ushort

INLINE_LIMIT = 6  # terms in at most this many documents keep their postings in the term table


# ------------------------------------------------------------------------------ postings as bytes
#
# Whoosh pickles a block's docnum gaps and weights as tuples of Python ints and floats (a float
# costs 9 bytes before zlib) and an inlined term's postings as tuples too. Here both are one
# bytes string: a flag byte, the gaps as a machine array of the smallest unsigned type that
# holds them, then the term frequencies likewise (left out when all are 1). About a third of
# the size on disk, and decoded with ``array.frombytes`` instead of unpickling numbers one by one.
#
# Compressed (a term's whole posting list, a trigram bucket), the arrays' bytes are first laid
# out by plane (every value's low byte, then every high byte): most gaps of a 2-byte array are
# below 256 or just above, so its high plane is nearly all zeros and one or two values, which
# raw deflate (no zlib header or checksum: the blob's length is known) shrinks to little. The
# planes are put back together by two slice assignments (``bytearray[k::size] = plane``, in C).

_CODES = "BHI"
_SIZES = (1, 2, 4)
_ZLIB = 0x80  # raw deflate of the arrays laid out by plane
ZLIB_MIN = 24  # bodies shorter than this are never compressed


def _code(top: int) -> int:
    return 0 if top < 256 else 1 if top < 65536 else 2


def _planes(data: bytes, size: int) -> bytes:
    if size == 1:
        return data
    return b"".join(data[k::size] for k in range(size))


def _unplanes(data, size: int, n: int) -> bytes:
    if size == 1:
        return data
    out = bytearray(n * size)
    for k in range(size):
        out[k::size] = data[k * n:(k + 1) * n]
    return out


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def encode_postings(ids, tfs=None, compress: bool = False) -> bytes:
    """``ids`` (ascending docnums) and their term frequencies (None: all 1) as bytes."""
    gaps = array("I", map(sub, ids, chain((0,), ids)))
    gcode = _code(max(gaps))
    flag = gcode
    body = array(_CODES[gcode], gaps).tobytes() if gcode < 2 else gaps.tobytes()
    tbody = b""
    if tfs is not None and max(tfs) > 1:
        tcode = _code(max(tfs))
        flag |= (tcode + 1) << 2
        tbody = array(_CODES[tcode], tfs).tobytes()
    if compress and len(body) + len(tbody) >= ZLIB_MIN:
        packed = _deflate(_planes(body, _SIZES[gcode]) + _planes(tbody, _SIZES[tcode] if tbody else 1))
        if len(packed) < len(body) + len(tbody):
            return bytes((flag | _ZLIB,)) + packed
    return bytes((flag,)) + body + tbody


def decode_postings(blob: bytes) -> tuple[list[int], list[int]]:
    """(docnums, term frequencies) of :func:`encode_postings`' bytes."""
    flag = blob[0]
    body = blob[1:]
    gcode, tcode = flag & 3, (flag >> 2) & 7
    gsize = _SIZES[gcode]
    tsize = _SIZES[tcode - 1] if tcode else 0
    if flag & _ZLIB:
        body = zlib.decompress(body, -15)
    n = len(body) // (gsize + tsize)
    gaps = array(_CODES[gcode])
    if flag & _ZLIB:
        gaps.frombytes(_unplanes(body[:n * gsize], gsize, n))
    else:
        gaps.frombytes(body[:n * gsize])
    ids = list(accumulate(gaps))
    if not tcode:
        return ids, [1] * n
    tfs = array(_CODES[tcode - 1])
    if flag & _ZLIB:
        tfs.frombytes(_unplanes(body[n * gsize:], tsize, n))
    else:
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
    every term whose postings are too many to inline.

    A term too common to inline has its whole posting list as one compressed
    :func:`encode_postings` blob in the postings file, its term info pointing at it (Whoosh's
    extent): not Whoosh's blocks, each of which cost a pickled header (~30 bytes), a pickle of
    the data that writes bytes as Latin-1 text (those above 127 in two bytes) and zlib's header
    and checksum: about a third of the postings file at 100k articles, most of it for the many
    terms in a few dozen documents."""
    if not table:
        return
    fieldwriter.start_field(fieldname, schema[fieldname])
    postfile = fieldwriter._postfile
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
        blob = encode_postings(ids, tfs, compress=True)
        offset = postfile.tell()
        postfile.write(blob)
        info = pack_info(0, float(sum(tfs)), n, 1, 1, float(max(tfs)), ids[0], ids[-1])
        tindex_add(prefix + btext, info + pack_long(offset) + pack_int(len(blob)))
    fieldwriter.finish_field()


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
    """All docnums and term frequencies of a term (``info``: ``leaf.term_info(fieldname, btext)``),
    inlined in the term table or one blob in the postings file (see :func:`write_field`)."""
    if info.is_inlined():
        return decode_postings(info.inlined_postings())
    offset, length = info.extent()
    if type(length) is tuple:  # Whoosh's term info unpacks the length as a 1-tuple
        length = length[0]
    return decode_postings(leaf._terms._postfile.get(offset, length))


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

    if hasattr(view, "madvise") and hasattr(mmap, "MADV_RANDOM"):
        # A search reads its candidates' texts here and there: with the system's read-ahead, the
        # first touch of a part of the file not in its cache read megabytes around it (8 MB a
        # fault on this project's machines: one search of a just-opened 100k index read 190 MB of
        # these columns, 125-150 ms). Read-ahead is asked for again when every value is to be
        # read in order: ``get.read_through()``.
        view.madvise(mmap.MADV_RANDOM)
        get.read_through = partial(view.madvise, mmap.MADV_NORMAL)
    if hasattr(view, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
        # Once every value has been read and kept, the map's pages need not stay in the
        # process's resident memory: ``get.drop_pages()`` lets the system take them back (they are
        # the file's, still in its cache; a later read maps them again).
        get.drop_pages = partial(view.madvise, mmap.MADV_DONTNEED)
    return get


# ------------------------------------------------------------------------------ locks


def folder_lock(folder, name: str):
    """Whoosh's lock file ``name`` (``BUILDLOCK``, ``WRITELOCK``) in ``folder``: ``acquire(False)``
    and ``release()``."""
    return FileStorage(str(folder)).lock(name)
