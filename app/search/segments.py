"""What searching keeps in memory of an open index: per Whoosh segment, its articles' text lengths,
and the folded text and :class:`~app.search.records.DocMeta` of those read so far (an index opens
without reading any), and the reader they came from.

A document is its global docnum (segment offset + docnum in the segment). Segments already in
memory are reused when the reader is reopened after a commit (only their deletions are read
again), so following another program's small update costs the new segment only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from app.search.pinyin import NameCells, cells, document_text
from app.search.postings import IndexUnusable, probe_segment
from app.search.records import LENGTH_FIELD, RECORD_FIELD, DocMeta, stored_folded, unpack_record


@dataclass(slots=True)
class Segment:
    """What searching needs of one Whoosh segment. Opening reads only its documents' lengths; a
    document's record (folded text and :class:`DocMeta`) is read the first time a search needs
    it and kept while the segment lives, so a search on a just-opened index reads its candidates
    only."""

    key: str
    count: int  # documents, deleted ones included
    lengths: list  # length of the folded searchable text per docnum
    folded: list  # folded searchable text per docnum (None: not read yet)
    meta: list  # DocMeta per docnum (None: not read yet)
    records: object = None  # the segment's record column (docnum -> bytes)
    deleted: frozenset = frozenset()
    pinyin: NameCells | None = None  # its titles and names as pinyin cells, made on first use

    def record(self, local: int) -> tuple:
        """The stored record of a document (see app.search.records)."""
        return unpack_record(self.records[local])

    def _read(self, local: int) -> None:
        stored = self.record(local)
        self.folded[local] = stored_folded(stored)
        self.meta[local] = DocMeta.of(stored)

    def text(self, local: int) -> str:
        text = self.folded[local]
        if text is None:
            self._read(local)
            text = self.folded[local]
        return text

    def doc_meta(self, local: int) -> DocMeta:
        meta = self.meta[local]
        if meta is None:
            self._read(local)
            meta = self.meta[local]
        return meta

    def read_all(self) -> None:
        """Read every record not read yet (what a scan of all texts or names needs)."""
        folded, read = self.folded, self._read
        for local in range(self.count):
            if folded[local] is None:
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

    def __post_init__(self):
        self.folded = FoldedTexts(self)
        self.lengths = [n for placed in self.segments for n in placed.seg.lengths]

    @classmethod
    def load(cls, reader, cache: dict[str, Segment]) -> "Loaded":
        """Segments of ``reader``, reusing those in ``cache`` (replaced by this reader's)."""
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
            if cached is None or cached.count != count:
                lengths = list(leaf.column_reader(LENGTH_FIELD, translate=False).load()) if count else []
                if len(lengths) != count:
                    raise IndexUnusable("its length column does not match its documents")
                cached = Segment(key, count, lengths, [None] * count, [None] * count, records)
                probe_segment(leaf, cached)
            deleted = frozenset(
                i for i in range(count) if leaf.is_deleted(i)
            ) if leaf.has_deletions() else frozenset()
            cached = Segment(key, count, cached.lengths, cached.folded, cached.meta, records, deleted, cached.pinyin)
            kept[key] = cached
            segments.append(Placed(cached, offset, leaf))
            live += count - len(deleted)
            if deleted:
                total_len += sum(n for i, n in enumerate(cached.lengths) if i not in deleted)
            else:
                total_len += sum(cached.lengths)
        cache.clear()
        cache.update(kept)
        return cls(reader, segments, reader.doc_count_all(), live, (total_len / live) if live else 1.0)

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
        meta = placed.seg.doc_meta(local)
        if fieldname == "all":
            return folded, 0, len(folded)
        if fieldname == "title":
            return folded, meta.spans.title_start, meta.spans.title_end
        if fieldname == "subtitle":
            return folded, meta.spans.subtitle_start, meta.spans.subtitle_end
        if fieldname == "body":
            return folded, meta.spans.body_start, len(folded)
        small = meta.small_field(fieldname)
        return small, 0, len(small)

    def indexed_sources(self) -> dict[str, int]:
        """Content hash -> number of live articles (from the ``src`` postings, no record read)."""
        out: dict[str, int] = {}
        for placed in self.segments:
            seg, leaf = placed.seg, placed.leaf
            for btext in leaf.lexicon("src"):
                n = sum(1 for d in leaf.postings("src", btext).all_ids() if d not in seg.deleted)
                if n:
                    src = btext.decode("utf-8")
                    out[src] = out.get(src, 0) + n
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
