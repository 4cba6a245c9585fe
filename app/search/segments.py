"""What searching keeps in memory of an open index: per Whoosh segment, its articles' text lengths,
and the folded text and :class:`~app.search.records.DocMeta` of those read so far (an index opens
without reading any), and the reader they came from.

A document is its global docnum (segment offset + docnum in the segment). Segments already in
memory are reused when the reader is reopened after a commit (only their deletions are read
again), so following another program's small update costs the new segment only.

Which sources a segment holds is kept beside it, written with it: ``<segment>.srcs``, its
documents' source keys as runs (``[[key, first docnum, count], ...]`` in docnum order, JSON). A
segment never changes its documents, only its deletions (read from the table of contents), so
the live count per source is the run less its deleted documents, without reading a posting.
A segment without the file (an index written before it, or a file found damaged) is read from
its ``src`` postings once, and the file is written for the next time (when the folder allows).
The sum over the segments, the live articles per source, is kept too, per commit of the index:
``MAIN_toc<generation>.counts`` (see :data:`COUNTS_NAME`).
"""

from __future__ import annotations

import json
import marshal
import os
import uuid
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

from app.search.pinyin import NameCells, cells, document_text
from app.search.postings import IndexUnusable, probe_segment
from app.search.records import LENGTH_FIELD, RECORD_FIELD, TEXT_FIELD, DocMeta, unpack_folded, unpack_record
from app.search.whoosh_private import column_getter, numeric_column


@dataclass(slots=True)
class Segment:
    """What searching needs of one Whoosh segment. Opening reads only its documents' lengths; a
    document's folded text (its own column) and its record (:class:`DocMeta`) are each read the
    first time a search needs them and kept while the segment lives, so a search on a
    just-opened index reads its candidates' texts, and the records of those it ranks, only."""

    key: str
    count: int  # documents, deleted ones included
    lengths: list  # length of the folded searchable text per docnum
    folded: list  # folded searchable text per docnum (None: not read yet)
    meta: list  # DocMeta per docnum (None: not read yet)
    records: object = None  # the segment's record column (docnum -> bytes)
    texts: object = None  # its folded text column: docnum -> bytes (see records.pack_folded)
    deleted: frozenset = frozenset()
    pinyin: NameCells | None = None  # its titles and names as pinyin cells, made on first use
    sources: list | None = None  # its source runs (see SOURCES_EXT), read on first use

    def record(self, local: int) -> tuple:
        """The stored record of a document (see app.search.records)."""
        return unpack_record(self.records[local])

    def text(self, local: int) -> str:
        text = self.folded[local]
        if text is None:
            text = self.folded[local] = unpack_folded(self.texts(local))
        return text

    def doc_meta(self, local: int) -> DocMeta:
        meta = self.meta[local]
        if meta is None:
            meta = self.meta[local] = DocMeta.of(self.record(local))
        return meta

    def reading_through(self) -> None:
        """Say that the texts are about to be read in order (the system reads ahead again; see
        :func:`app.search.whoosh_private.column_getter`)."""
        read_through = getattr(self.texts, "read_through", None)
        if read_through is not None:
            read_through()

    def read(self, local: int) -> None:
        """Read a document's text and record, those not read yet."""
        if self.folded[local] is None:
            self.folded[local] = unpack_folded(self.texts(local))
        if self.meta[local] is None:
            self.meta[local] = DocMeta.of(self.record(local))

    def read_all(self) -> None:
        """Read every text and record not read yet (what a scan of all texts or names needs)."""
        self.reading_through()
        read = self.read
        for local in range(self.count):
            read(local)


class Placed(NamedTuple):
    seg: Segment
    offset: int  # global docnum of its first document
    leaf: object  # its Whoosh leaf reader


class FoldedTexts:
    """Global docnum -> folded searchable text, read on first use: a flat list of those read so
    far (a search's inner loops index it directly), filled from the segments."""

    __slots__ = ("_loaded", "_flat")

    def __init__(self, loaded: "Loaded"):
        self._loaded = loaded
        self._flat: list = []
        for placed in loaded.segments:
            self._flat.extend(placed.seg.folded)

    def __len__(self) -> int:
        return len(self._flat)

    def __getitem__(self, docnum: int) -> str:
        text = self._flat[docnum]
        if text is None:
            placed, local = self._loaded.locate(docnum)
            text = self._flat[docnum] = placed.seg.text(local)
        return text


def joined(parts: list) -> list | array:
    """The values of ``parts`` one after another: one array, copied in C, when they are arrays
    of one type (the segments' length columns: at 100k articles, 100,000 values on every open,
    0.02 ms so against ~6 ms as lists)."""
    if parts and all(type(p) is array for p in parts) and len({p.typecode for p in parts}) == 1:
        out = array(parts[0].typecode)
        for part in parts:
            out.extend(part)
        return out
    return [n for part in parts for n in part]


@dataclass(slots=True)
class Loaded:
    """An open reader's segments and the figures ranking needs."""

    reader: object
    segments: list[Placed]
    doc_count: int  # documents, deleted ones included
    live: int
    avg_len: float
    folded: object = None  # FoldedTexts
    lengths: list = None  # global docnum -> length of its folded text
    folder: Path | None = None  # the generation's folder (where each segment's source runs are)

    def __post_init__(self):
        self.folded = FoldedTexts(self)
        self.lengths = joined([placed.seg.lengths for placed in self.segments])

    @classmethod
    def load(cls, reader, cache: dict[str, Segment], folder: Path | None = None) -> "Loaded":
        """Segments of ``reader``, reusing those in ``cache`` (replaced by this reader's);
        ``folder``: the generation's, where the segments' source runs are kept."""
        segments: list[Placed] = []
        kept: dict[str, Segment] = {}
        total_len = 0
        live = 0
        for leaf, offset in reader.leaf_readers():
            seg = getattr(leaf, "segment", lambda: None)()
            key = seg.segment_id() if seg is not None else f"{id(leaf)}"
            cached = cache.get(key)
            count = leaf.doc_count_all()
            # (an index of no articles is an empty reader, with no columns)
            records = leaf.column_reader(RECORD_FIELD, translate=False) if count else None
            texts = column_getter(leaf.column_reader(TEXT_FIELD, translate=False)) if count else None
            if cached is None or cached.count != count:
                lengths = numeric_column(leaf.column_reader(LENGTH_FIELD, translate=False), count) \
                    if count else []
                if len(lengths) != count:
                    raise IndexUnusable("its length column does not match its documents")
                cached = Segment(key, count, lengths, [None] * count, [None] * count, records, texts)
                probe_segment(leaf, cached)
            deleted = frozenset(
                i for i in range(count) if leaf.is_deleted(i)
            ) if leaf.has_deletions() else frozenset()
            cached = Segment(key, count, cached.lengths, cached.folded, cached.meta, records, texts, deleted,
                             cached.pinyin, cached.sources)
            kept[key] = cached
            segments.append(Placed(cached, offset, leaf))
            live += count - len(deleted)
            if deleted:
                total_len += sum(n for i, n in enumerate(cached.lengths) if i not in deleted)
            else:
                total_len += sum(cached.lengths)
        cache.clear()
        cache.update(kept)
        return cls(reader, segments, reader.doc_count_all(), live, (total_len / live) if live else 1.0,
                   folder=folder)

    def length(self, docnum: int) -> int:
        return self.lengths[docnum]

    def locate(self, docnum: int) -> tuple[Placed, int]:
        """The segment holding a global docnum, and its docnum there."""
        for placed in reversed(self.segments):
            if docnum >= placed.offset:
                return placed, docnum - placed.offset
        raise IndexError(docnum)

    def meta(self, docnum: int) -> DocMeta:
        placed, local = self.locate(docnum)
        return placed.seg.doc_meta(local)

    def field_text(self, docnum: int, fieldname: str) -> tuple[str, int, int]:
        """The text a field of a document is, as ``(text, start, end)``."""
        placed, local = self.locate(docnum)
        folded = placed.seg.text(local)
        if fieldname == "all":  # the text alone: its record is not read
            return folded, 0, len(folded)
        meta = placed.seg.doc_meta(local)
        if fieldname == "title":
            return folded, meta.spans.title_start, meta.spans.title_end
        if fieldname == "subtitle":
            return folded, meta.spans.subtitle_start, meta.spans.subtitle_end
        if fieldname == "body":
            return folded, meta.spans.body_start, len(folded)
        small = meta.small_field(fieldname)
        return small, 0, len(small)

    def indexed_sources(self) -> dict[str, int]:
        """Content hash -> number of live articles: from each segment's source runs (see
        :data:`SOURCES_EXT`) less its deleted documents; a segment without them is read from its
        ``src`` postings (and given them). No record is read. Kept per commit (:data:`COUNTS_NAME`):
        read so, a just-opened index of 10,000 sources answers in ~1 ms instead of ~8."""
        generation = getattr(self.reader, "generation", lambda: None)()
        if type(generation) is int:
            kept = read_source_counts(self.folder, generation, self.live)
            if kept is not None:
                return kept
        out = self._count_sources()
        if type(generation) is int and sum(out.values()) == self.live:
            write_source_counts(self.folder, generation, out)
        return out

    def _count_sources(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for placed in self.segments:
            seg = placed.seg
            if seg.sources is None:
                seg.sources = read_source_runs(self.folder, seg.key, seg.count)
            if seg.sources is None:
                seg.sources = _walk_sources(placed.leaf, seg)
                if seg.sources is not None and self.folder is not None:
                    write_source_runs(self.folder, seg.key, seg.sources)
                else:  # deletions hide which documents were a source's: counted, not kept
                    seg.sources, counts = None, _live_counts_by_postings(placed.leaf, seg)
                    for src, n in counts.items():
                        out[src] = out.get(src, 0) + n
                    continue
            deleted = sorted(seg.deleted) if seg.deleted else None
            for src, start, n in seg.sources:
                if deleted is not None:
                    n -= bisect_left(deleted, start + n) - bisect_left(deleted, start)
                if n:
                    out[src] = out.get(src, 0) + n
        return out


SOURCES_EXT = ".srcs"  # beside a segment's files: its documents' sources, as runs
# The live articles per source of one commit (the index's table of contents' generation), as a
# marshalled dict. Named like a segment's file that is never current, so Whoosh's own clean-up
# removes it at the next commit; a reader writes the present one when it first counts.
COUNTS_NAME = "MAIN_toc{generation}.counts"


def read_source_counts(folder: Path | None, generation: int, live: int) -> dict[str, int] | None:
    """The counts :func:`write_source_counts` kept for ``generation``; None when there are none
    usable (missing, damaged, or not adding up to the ``live`` articles)."""
    if folder is None:
        return None
    try:
        counts = marshal.loads((Path(folder) / COUNTS_NAME.format(generation=generation)).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    # (checked a type at a time, in C: a generator over 10,000 items was 2 ms of every command)
    if type(counts) is not dict or counts and (set(map(type, counts)) != {str}
                                               or set(map(type, counts.values())) != {int}
                                               or min(counts.values()) <= 0):
        return None
    return counts if sum(counts.values()) == live else None


def write_source_counts(folder: Path | None, generation: int, counts: dict[str, int]) -> None:
    """Keep the counts of ``generation`` beside its segments, atomically; a folder that cannot be
    written to is left as it is."""
    if folder is not None:
        _write_beside(Path(folder), COUNTS_NAME.format(generation=generation), marshal.dumps(counts))


def _write_beside(folder: Path, name: str, data: bytes) -> None:
    """``data`` into ``folder / name`` all or nothing, through a temporary file whose name starts
    with a dot (Whoosh's clean-up leaves those be); a folder that cannot be written to is left
    as it is."""
    tmp = folder / f".{name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        tmp.write_bytes(data)
        os.replace(tmp, folder / name)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def source_runs(keys: list[str]) -> list[list]:
    """``[[key, first docnum, count], ...]`` of the documents' source keys, in docnum order."""
    runs: list[list] = []
    for docnum, key in enumerate(keys):
        if runs and runs[-1][0] == key:
            runs[-1][2] += 1
        else:
            runs.append([key, docnum, 1])
    return runs


def encode_source_runs(runs: list[list]) -> bytes:
    return json.dumps({"runs": runs}, separators=(",", ":")).encode("utf-8")


def write_source_runs(folder: Path, segment_id: str, runs: list[list]) -> None:
    """Keep a segment's source runs beside it, atomically; a folder that cannot be written to
    is left as it is (the runs are read from the postings again next time)."""
    _write_beside(Path(folder), f"{segment_id}{SOURCES_EXT}", encode_source_runs(runs))


def read_source_runs(folder: Path | None, segment_id: str, count: int) -> list[list] | None:
    """A segment's source runs, or None when there are none usable (missing, damaged, or not
    covering its ``count`` documents one after the other)."""
    if folder is None:
        return None
    try:
        runs = json.loads((Path(folder) / f"{segment_id}{SOURCES_EXT}").read_bytes())["runs"]
        at = 0
        for src, start, n in runs:
            if type(src) is not str or start != at or type(n) is not int or n < 1:
                return None
            at += n
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return runs if at == count else None


def _walk_sources(leaf, seg: Segment) -> list[list] | None:
    """A segment's source runs from its ``src`` postings; None when it has deletions (the
    postings then leave the deleted documents out)."""
    if seg.deleted:
        return None
    keys: list = [None] * seg.count
    for btext in leaf.lexicon("src"):
        src = btext.decode("utf-8")
        for d in leaf.postings("src", btext).all_ids():
            keys[d] = src
    if any(k is None for k in keys):
        return None
    return source_runs(keys)


def _live_counts_by_postings(leaf, seg: Segment) -> dict[str, int]:
    out: dict[str, int] = {}
    for btext in leaf.lexicon("src"):
        n = sum(1 for d in leaf.postings("src", btext).all_ids() if d not in seg.deleted)
        if n:
            out[btext.decode("utf-8")] = n
    return out


def name_lines(seg: Segment, local: int) -> list[str]:
    """What pinyin reads of a document: its title, then its person, place and org names (folded;
    a field's several names joined by spaces, so each stays one line)."""
    meta = seg.doc_meta(local)
    return [seg.text(local)[meta.spans.title_start:meta.spans.title_end],
            *(meta.small_field(f).replace("\n", " ") for f in ("person", "place", "org"))]


def pinyin_cells(seg: Segment) -> NameCells:
    """A segment's titles and names as pinyin cells; made on first use, kept while it lives."""
    if seg.pinyin is None:
        seg.read_all()
        docs = "\x00".join(document_text(name_lines(seg, local)) for local in range(seg.count))
        seg.pinyin = NameCells(cells(docs), partial(name_lines, seg))
    return seg.pinyin
