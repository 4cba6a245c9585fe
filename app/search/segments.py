"""What searching keeps in memory of an open index: per Whoosh segment, every article's folded text
and :class:`~app.search.records.DocMeta`, and the reader they came from.

A document is its global docnum (segment offset + docnum in the segment). Segments already in
memory are reused when the reader is reopened after a commit (only their deletions are read
again), so following another program's small update costs the new segment only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from app.search.pinyin import NameCells, cells, document_text
from app.search.postings import probe_segment
from app.search.records import DocMeta


@dataclass(slots=True)
class Segment:
    """What searching needs of one Whoosh segment, held in memory."""

    key: str
    folded: list  # folded searchable text per docnum
    meta: list  # DocMeta per docnum
    deleted: frozenset = frozenset()
    pinyin: NameCells | None = None  # its titles and names as pinyin cells, made on first use


class Placed(NamedTuple):
    seg: Segment
    offset: int  # global docnum of its first document
    leaf: object  # its Whoosh leaf reader


@dataclass(slots=True)
class Loaded:
    """An open reader's segments and the figures ranking needs."""

    reader: object
    segments: list[Placed]
    folded: list  # global docnum -> folded searchable text
    doc_count: int  # documents, deleted ones included
    live: int
    avg_len: float

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
            if cached is None or len(cached.folded) != count:
                folded: list = [None] * count
                meta: list = [None] * count
                for docnum in range(count):
                    d = leaf.stored_fields(docnum)["d"]
                    folded[docnum] = d[5]
                    meta[docnum] = DocMeta.of(d)
                probe_segment(leaf, folded, meta)
                cached = Segment(key, folded, meta)
            deleted = frozenset(
                i for i in range(count) if leaf.is_deleted(i)
            ) if leaf.has_deletions() else frozenset()
            cached = Segment(key, cached.folded, cached.meta, deleted, cached.pinyin)
            kept[key] = cached
            segments.append(Placed(cached, offset, leaf))
            live += count - len(deleted)
            if deleted:
                total_len += sum(len(t) for i, t in enumerate(cached.folded) if i not in deleted)
            else:
                total_len += sum(map(len, cached.folded))
        cache.clear()
        cache.update(kept)
        flat: list = []
        for placed in segments:
            flat.extend(placed.seg.folded)
        return cls(reader, segments, flat, reader.doc_count_all(), live, (total_len / live) if live else 1.0)

    def locate(self, docnum: int) -> tuple[Placed, int]:
        """The segment holding a global docnum, and its docnum there."""
        for placed in reversed(self.segments):
            if docnum >= placed.offset:
                return placed, docnum - placed.offset
        raise IndexError(docnum)

    def meta(self, docnum: int) -> DocMeta:
        placed, local = self.locate(docnum)
        return placed.seg.meta[local]

    def field_text(self, docnum: int, fieldname: str) -> tuple[str, int, int]:
        """The text a field of a document is, as ``(text, start, end)``."""
        placed, local = self.locate(docnum)
        folded = placed.seg.folded[local]
        meta = placed.seg.meta[local]
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
        """Content hash -> number of live articles."""
        out: dict[str, int] = {}
        for placed in self.segments:
            seg = placed.seg
            for i, m in enumerate(seg.meta):
                if i not in seg.deleted:
                    out[m.src] = out.get(m.src, 0) + 1
        return out


def name_lines(seg: Segment, local: int) -> list[str]:
    """What pinyin reads of a document: its title, then its person, place and org names (folded;
    a field's several names joined by spaces, so each stays one line)."""
    meta = seg.meta[local]
    return [seg.folded[local][meta.spans.title_start:meta.spans.title_end],
            *(meta.small_field(f).replace("\n", " ") for f in ("person", "place", "org"))]


def pinyin_cells(seg: Segment) -> NameCells:
    """A segment's titles and names as pinyin cells; made on first use, kept while it lives."""
    if seg.pinyin is None:
        docs = "\x00".join(document_text(name_lines(seg, local)) for local in range(len(seg.folded)))
        seg.pinyin = NameCells(cells(docs), partial(name_lines, seg))
    return seg.pinyin
