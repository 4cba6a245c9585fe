"""The persistent, incremental Whoosh index of a library's articles, and searching it.

Layout of ``index_dir``::

    CURRENT            name of the generation in use (replaced atomically)
    gen-<time>-<pid>/  one Whoosh index + ``baozhi-index.json`` (format marker)

A full build writes a new generation and switches ``CURRENT`` when it is complete, so a killed
build leaves the previous index in use. Small changes (a page added, changed or removed) are
Whoosh commits inside the current generation: deletions by source hash plus one new segment; a
Whoosh commit replaces its table of contents atomically, so it too is all-or-nothing.

Searching a single literal that is one gram (1-2 characters, or 3 with a trigram term of its own)
reads no posting list in full when only the first hits are wanted: the total is the document
frequency (less deleted articles), the candidates for ranking come from the segment's short
"hot" list of the gram's highest-frequency documents plus title matches. Longer literals
intersect their rarest trigram lists while that prunes enough to pay, then check the
candidates' text. All-letter queries that no article contains are read as pinyin of titles and
names (:mod:`app.search.pinyin`).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import threading
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import contains
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.reading import TermNotFound

from app.model import SearchHit
from app.search import pinyin
from app.search.analysis import query_grams, query_trigrams, trigram_bucket, trigram_buckets
from app.search.postings import IndexOutdated, IndexUnusable, probe_segment, read_blocks, top_by_weight
from app.search.query import Literal, QueryPlan, clean_query, parse_query
from app.search.records import GRAM_FIELDS, SMALL_INDEX, article_record, grams_of_stored, make_schema
from app.search.snippet import make_snippet
from app.search.writer import HOT_FIELD, HOT_KEEP, HOT_MIN, TRIGRAM_FIELD, GramSegmentWriter, unpack_gaps

FORMAT_NAME = "baozhi-search"
FORMAT_VERSION = 2  # 2: trigram and hot-list fields
MARKER = "baozhi-index.json"
CURRENT = "CURRENT"
DAMAGED = "DAMAGED"  # written into a generation found unreadable while searching
SEGMENT_DOCS = 10000  # articles per segment while building
# Segments are written as separate files, not Whoosh's compound file: opening a compound
# segment copies each part into memory (BytesIO over the mmap), which costs seconds and
# hundreds of MB at 100k articles.
SMALL_SEGMENT_DOCS = 2500  # segments below this (one per update) are merged ...
MAX_SMALL_SEGMENTS = 8  # ... when there are this many
MAX_SEGMENTS = 24  # beyond this (or too many deletions) an update rebuilds
MAX_DELETED_RATIO = 0.3
MIN_DELETED_TO_COMPACT = 1000  # deleted articles cost little below this
LOCK_TIMEOUT = 2.0
TITLE_BOOST = 3.0
_K1, _B = 1.2, 0.75
MARKABLE = ("all", "title", "subtitle", "body")

# What the index's contents depend on besides the sources and the format: the person:/place:/org:
# fields come from the entity model, every folded text from the fold table (OpenCC's
# Traditional -> Simplified dictionary and Unicode's NFKC and case tables). An index made with
# other versions of these is rebuilt once, with a notice.
MADE_WITH_WORDS = {"entities": "entity model", "opencc": "OpenCC", "unicode": "Unicode version"}


def made_with_now() -> dict[str, str]:
    """The versions of what the index's contents depend on (see :data:`MADE_WITH_WORDS`)."""
    import unicodedata

    import opencc  # loaded for folding anyway

    from app.library import entity_model_version

    return {"entities": entity_model_version(),
            "opencc": str(getattr(opencc, "__version__", "unknown")),
            "unicode": unicodedata.unidata_version}


ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass
class UpdateStats:
    sources_added: int = 0
    sources_removed: int = 0
    sources_unchanged: int = 0
    articles_added: int = 0
    articles_indexed: int = 0  # live articles in the index afterwards
    rebuilt: bool = False
    cancelled: bool = False
    locked: bool = False  # another program held the index; nothing was changed
    notice: str | None = None  # a sentence for the user (index rebuilt, busy, ...)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    hits: list[SearchHit] = field(default_factory=list)
    notice: str | None = None
    # The folded texts to mark in the hits: the query's literals, and for pinyin the Chinese
    # texts it matched (``jiangmen`` -> ["江门"]), most frequent first.
    marks: list[str] = field(default_factory=list)
    pinyin: bool = False  # some hits were found by pinyin (explicit pinyin: or the fallback)

    def to_dict(self) -> dict:
        out = {
            "query": self.query,
            "total": self.total,
            "took_ms": self.took_ms,
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.pinyin:
            out["pinyin"] = True
            out["marks"] = list(self.marks)
        return out


@dataclass
class _Segment:
    """What searching needs of one Whoosh segment, held in memory."""

    key: str
    folded: list  # folded searchable text per docnum
    meta: list  # (id, ordinal, source, title, spans, small_fields, src) per docnum
    deleted: frozenset = frozenset()


class SearchIndex:
    """A Chinese-aware full-text index of a library, stored under ``index_dir``."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self.notice: str | None = None
        self._ix = None
        self._reader = None
        self._gen: Path | None = None
        self._segments: list[tuple[_Segment, int, object]] = []  # with docnum offsets, leaf readers
        self._folded: list = []
        self._seg_cache: dict[str, _Segment] = {}
        self._doc_count = 0
        self._live = 0
        self._avg_len = 1.0
        self._broken = False
        self._failed: tuple | None = None  # see _failure_key
        self._failed_notice: str | None = None
        # Searches (GUI thread) and updates (a worker) may share this object: the in-memory
        # state is swapped under this lock; index writing happens outside it.
        self._lock = threading.RLock()
        self._pinyin_cells: dict[str, tuple] = {}  # segment key -> see _pinyin_segment
        self._pinyin_found: dict[Literal, dict[int, tuple[list[str], bool]]] = {}

    # ----------------------------------------------------------------- opening

    def _current_generation(self) -> Path | None:
        try:
            name = (self.index_dir / CURRENT).read_text("utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, UnicodeDecodeError) as err:
            raise IndexUnusable(f"its pointer file cannot be read ({err})") from None
        if not name.startswith("gen-") or "/" in name or "\\" in name:
            raise IndexUnusable("its pointer file names no index of this program")
        return self.index_dir / name

    def _open(self) -> bool:
        """Open the current generation; False (with ``notice`` set) when there is none usable."""
        with self._lock:
            return self._open_locked()

    def _open_locked(self) -> bool:
        if self._ix is not None and not self._broken:
            return True
        self._close_reader()
        failed_key = None
        try:
            failed_key = self._failure_key()
            if failed_key is not None and self._failed == failed_key:
                self.notice = self._failed_notice  # known damaged and unchanged: not read again
                return False
            gen = self._current_generation()
            if gen is None:
                if self.index_dir.is_dir() and any(self.index_dir.glob("*.toc")):
                    self.notice = (
                        f"The folder {self.index_dir} holds a search index this program did not make; "
                        "a new one is built beside it."
                    )
                return False
            self._check_generation(gen)
            ix = whoosh_index.open_dir(str(gen))
            expected = make_schema()
            if sorted(ix.schema.names()) != sorted(expected.names()):
                raise IndexUnusable("its fields are not this program's")
            self._ix = ix
            self._gen = gen
            self._broken = False
            self._load_reader()
            self._failed = None
            return True
        except Exception as err:  # noqa: BLE001 - any damage means: rebuild
            self._close_reader()
            self._broken = False
            reason = err if isinstance(err, IndexUnusable) else f"{type(err).__name__}: {err}"
            if isinstance(err, IndexOutdated) and err.what:  # the entity model or the folding changed
                self.notice = (f"The search index in {self.index_dir} was made with another "
                               f"{' and '.join(MADE_WITH_WORDS[w] for w in err.what)}; it is rebuilt.")
            elif isinstance(err, IndexOutdated):  # an update of the program, not damage
                self.notice = f"The search index in {self.index_dir} was made by another version of this program; it is rebuilt."
            else:
                self.notice = f"The search index in {self.index_dir} is damaged or foreign ({reason}); it is rebuilt."
            # Remember it: until the pointer or the generation's folder changes, every search would
            # otherwise read the whole damaged index again only to fail the same way.
            self._failed, self._failed_notice = failed_key, self.notice
            return False

    def _failure_key(self) -> tuple | None:
        """What identifies the on-disk state an open failed on: the pointer file and the folder it
        names (a commit or a switch by any program changes one of them)."""
        try:
            pointer = os.stat(self.index_dir / CURRENT)
            name = (self.index_dir / CURRENT).read_bytes()
            folder = os.stat(self.index_dir / name.decode("utf-8", "replace").strip()) if name.strip() else None
        except (OSError, ValueError):
            return None
        return (name, pointer.st_ino, pointer.st_mtime_ns, pointer.st_size,
                folder and (folder.st_ino, folder.st_mtime_ns))

    @staticmethod
    def _check_generation(gen: Path) -> None:
        try:
            marker = json.loads((gen / MARKER).read_text("utf-8"))
        except FileNotFoundError:
            raise IndexUnusable("its format marker is missing") from None
        except (OSError, ValueError) as err:
            raise IndexUnusable(f"its format marker is unreadable ({err})") from None
        if not isinstance(marker, dict) or marker.get("format") != FORMAT_NAME:
            raise IndexUnusable("it was made by another program")
        if (gen / DAMAGED).exists():
            raise IndexUnusable("reading it failed before")
        if marker.get("version") != FORMAT_VERSION:
            raise IndexOutdated(f"it has format version {marker.get('version')}, not {FORMAT_VERSION}")
        made_with, now = marker.get("made_with"), made_with_now()
        if made_with != now:
            changed = [name for name in now if not isinstance(made_with, dict) or made_with.get(name) != now[name]]
            raise IndexOutdated(f"it was made with another {', '.join(changed)}", what=changed)

    def _load_reader(self) -> None:
        with self._lock:
            self._load_reader_locked()

    def _load_reader_locked(self) -> None:
        """(Re)open the reader; segments already in memory are reused, new ones are loaded."""
        reader = self._ix.reader()
        old = self._reader
        leaves = reader.leaf_readers()
        segments: list[tuple[_Segment, int, object]] = []
        cache: dict[str, _Segment] = {}
        total_len = 0
        live = 0
        for leaf, offset in leaves:
            seg = getattr(leaf, "segment", lambda: None)()
            key = seg.segment_id() if seg is not None else f"{id(leaf)}"
            cached = self._seg_cache.get(key)
            count = leaf.doc_count_all()
            if cached is None or len(cached.folded) != count:
                folded: list = [None] * count
                meta: list = [None] * count
                for docnum in range(count):
                    d = leaf.stored_fields(docnum)["d"]
                    folded[docnum] = d[5]
                    meta[docnum] = (d[0], d[1], d[2], d[3], d[6], d[7], d[8], d[4] is not None)
                probe_segment(leaf, folded, meta)
                cached = _Segment(key, folded, meta)
            deleted = frozenset(
                i for i in range(count) if leaf.is_deleted(i)
            ) if leaf.has_deletions() else frozenset()
            cached = _Segment(key, cached.folded, cached.meta, deleted)
            cache[key] = cached
            segments.append((cached, offset, leaf))
            live += count - len(deleted)
            total_len += sum(len(t) for i, t in enumerate(cached.folded) if i not in deleted) if deleted else sum(map(len, cached.folded))
        self._reader = reader
        if old is not None:
            try:
                old.close()
            except Exception:  # noqa: BLE001
                pass
        self._segments = segments
        self._seg_cache = cache
        flat: list = []
        for seg, _offset, _leaf in segments:
            flat.extend(seg.folded)
        self._folded = flat  # global docnum -> folded searchable text
        self._pinyin_cells = {k: v for k, v in self._pinyin_cells.items() if k in cache}
        self._doc_count = reader.doc_count_all()
        self._live = live
        self._avg_len = (total_len / live) if live else 1.0

    def _close_reader(self) -> None:
        with self._lock:
            self._close_reader_locked()

    def _close_reader_locked(self) -> None:
        self._pinyin_cells = {}
        for obj in (self._reader, self._ix):
            if obj is not None:
                try:
                    obj.close()
                except Exception:  # noqa: BLE001
                    pass
        self._reader = None
        self._ix = None
        self._gen = None
        self._segments = []
        self._seg_cache = {}
        self._folded = []

    def close(self) -> None:
        self._close_reader()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def article_count(self) -> int:
        self._open()
        return self._live

    def indexed_sources(self) -> dict[str, int]:
        """Content hash -> number of articles, for the sources in the index."""
        if not self._open():
            return {}
        out: dict[str, int] = {}
        for seg, _, _ in self._segments:
            for i, m in enumerate(seg.meta):
                if i not in seg.deleted:
                    out[m[6]] = out.get(m[6], 0) + 1
        return out

    # ---------------------------------------------------------------- updating

    def update(self, library_sources: Iterable, progress: ProgressFn | None = None,
               cancel: CancelFn | None = None) -> UpdateStats:
        """Bring the index in line with ``library_sources`` (``LoadedSource`` objects)."""
        start = time.perf_counter()
        wanted = _dedupe(library_sources)
        self.notice = None
        if not self._open():
            stats = self._build(wanted, progress, cancel, keep_old=False)
            stats.rebuilt = True
            stats.notice = self.notice
        else:
            stats = self._update_incrementally(wanted, progress, cancel)
        stats.seconds = round(time.perf_counter() - start, 3)
        return stats

    def rebuild(self, library_sources: Iterable, progress: ProgressFn | None = None,
                cancel: CancelFn | None = None) -> UpdateStats:
        """Index ``library_sources`` from scratch into a new generation, then switch to it."""
        start = time.perf_counter()
        wanted = _dedupe(library_sources)
        self.notice = None
        usable = self._open()
        stats = self._build(wanted, progress, cancel, keep_old=usable)
        stats.rebuilt = True
        stats.notice = stats.notice or self.notice
        stats.seconds = round(time.perf_counter() - start, 3)
        return stats

    def _is_stale(self) -> bool:
        """Has another program switched generations or committed since we loaded?"""
        try:
            if self._current_generation() != self._gen:
                return True
            return self._ix.latest_generation() != self._reader.generation()
        except Exception:  # noqa: BLE001
            return True

    def refresh(self) -> bool:
        """Follow changes another process made (a new generation, new commits); True when usable.
        Segments already in memory are kept."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> bool:
        """Follow another program's changes: a new generation is opened afresh, new commits in
        ours are loaded reusing the segments already in memory."""
        if self._ix is not None and self._is_stale():
            try:
                same_generation = self._current_generation() == self._gen
            except IndexUnusable:
                same_generation = False
            if same_generation:
                try:
                    self._load_reader()
                except Exception:  # noqa: BLE001 - reopen from scratch below
                    self._close_reader()
            else:
                self._close_reader()
        return self._open()

    def _update_incrementally(self, wanted: dict, progress, cancel) -> UpdateStats:
        if not self._refresh():
            stats = self._build(wanted, progress, cancel, keep_old=False)
            stats.rebuilt = True
            stats.notice = self.notice
            return stats
        indexed = self.indexed_sources()
        if all(sha in wanted for sha in indexed) and all(sha in indexed for sha in wanted):
            return UpdateStats(sources_unchanged=len(wanted), articles_indexed=self._live)
        try:
            writer = self._ix.writer(timeout=LOCK_TIMEOUT, compound=False)
        except LockError:
            return UpdateStats(
                sources_unchanged=sum(1 for sha in wanted if sha in indexed),
                locked=True, articles_indexed=self._live,
                notice="Another Baozhi Reader is updating the search index; results may be out of date.",
            )
        # Under the lock, look again: another program may have committed meanwhile.
        if self._ix.latest_generation() != self._reader.generation():
            self._load_reader()
            indexed = self.indexed_sources()
        to_remove = [sha for sha in indexed if sha not in wanted]
        to_add = [sha for sha in wanted if sha not in indexed]
        stats = UpdateStats(sources_unchanged=len(wanted) - len(to_add))
        if not to_remove and not to_add:
            writer.cancel()
            stats.articles_indexed = self._live
            return stats
        removed_docs = sum(indexed[s] for s in to_remove)
        added_docs = sum(len(wanted[s].articles) for s in to_add)
        deleted_now = self._doc_count - self._live
        new_segments = math.ceil(added_docs / SEGMENT_DOCS)
        if (len(self._segments) + new_segments > MAX_SEGMENTS + MAX_SMALL_SEGMENTS
                or (deleted_now + removed_docs) > max(MIN_DELETED_TO_COMPACT, MAX_DELETED_RATIO * self._doc_count)
                or added_docs > 4 * max(self._live, SEGMENT_DOCS)):
            writer.cancel()
            stats = self._build(wanted, progress, cancel, keep_old=True)
            stats.rebuilt = True
            return stats
        for sha in to_remove:
            writer.delete_by_term("src", sha)
        stats.sources_removed = len(to_remove)
        # Each update adds a segment; once small ones pile up, their live articles are written
        # again into this update's segment (from their stored records) and they are dropped.
        small = [(seg, leaf) for seg, _offset, leaf in self._segments
                 if len(seg.folded) < SMALL_SEGMENT_DOCS]
        carry: list = []
        dropped: set[str] = set()
        if len(small) >= MAX_SMALL_SEGMENTS:
            gone = set(to_remove)
            for seg, leaf in small:
                dropped.add(seg.key)
                for docnum in range(len(seg.folded)):
                    if docnum not in seg.deleted and seg.meta[docnum][6] not in gone:
                        carry.append(leaf.stored_fields(docnum)["d"])
        done = self._write_sources(self._ix, writer, [wanted[s] for s in to_add], progress, cancel, stats,
                                   carry=carry, dropped=dropped)
        stats.articles_added = done
        self._load_reader()
        stats.articles_indexed = self._live
        return stats

    def _write_sources(self, ix, writer, sources: list, progress, cancel, stats: UpdateStats,
                       on_commit: Callable[[], None] | None = None, carry: list = (),
                       dropped: set[str] = frozenset()) -> int:
        """Add sources in segments of about SEGMENT_DOCS articles, committing each; return count.

        ``carry``: stored records re-added to the first new segment, which replaces the
        segments named in ``dropped`` in the same commit."""
        total = sum(len(s.articles) for s in sources)
        done = 0
        gram = GramSegmentWriter(writer, GRAM_FIELDS)
        for stored in carry:
            gram.add(grams_of_stored(stored), id=stored[0], src=stored[8], d=stored)

        def drop_small(_writer, segments):
            return [seg for seg in segments if seg.segment_id() not in dropped]

        mergetype = drop_small if dropped else None
        if progress:
            progress(0, total)
        for loaded in sources:
            if cancel and cancel():
                stats.cancelled = True
                break
            src = loaded.source.sha256
            path = str(loaded.source.path)
            for article in loaded.articles:
                stored, grams = article_record(article, src, path)
                gram.add(grams, id=article.id or f"{src}:{article.ordinal}", src=src, d=stored)
            done += len(loaded.articles)
            stats.sources_added += 1
            if gram.count >= SEGMENT_DOCS:
                writer.commit(merge=False, mergetype=mergetype)
                mergetype = None
                if on_commit:
                    on_commit()
                writer = ix.writer(timeout=LOCK_TIMEOUT, compound=False)
                gram = GramSegmentWriter(writer, GRAM_FIELDS)
            if progress:
                progress(done, total)
        writer.commit(merge=False, mergetype=mergetype)
        if on_commit:
            on_commit()
        return done

    def _build(self, wanted: dict, progress, cancel, keep_old: bool) -> UpdateStats:
        """Write every wanted source into a new generation and switch to it."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        gen = self.index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
        gen.mkdir()
        storage = FileStorage(str(gen))
        build_lock = storage.lock("BUILDLOCK")
        build_lock.acquire(False)
        stats = UpdateStats()
        try:
            (gen / MARKER).write_text(
                json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "made_with": made_with_now(),
                            "pid": os.getpid(),
                            "created": time.strftime("%Y-%m-%dT%H:%M:%S")}),
                "utf-8",
            )
            ix = whoosh_index.create_in(str(gen), make_schema())
            switched = []

            def on_commit():
                # With no usable index to fall back on, every finished segment is worth showing.
                if keep_old:
                    return
                with self._lock:
                    if not switched:
                        self._switch_to(gen)
                        self._close_reader()
                        switched.append(True)
                    elif self._gen == gen and self._ix is not None:
                        self._load_reader()  # a search opened it meanwhile: add the new segment

            stats.articles_added = self._write_sources(
                ix, ix.writer(compound=False), list(wanted.values()), progress, cancel, stats, on_commit
            )
            ix.close()
            if stats.cancelled and keep_old:
                shutil.rmtree(gen, ignore_errors=True)
                stats.articles_indexed = self._live
                return stats
            with self._lock:
                if switched and self._gen == gen and self._ix is not None:
                    self._load_reader()
                else:
                    self._close_reader()
                    if not switched:
                        self._switch_to(gen)
                    self._open()
        finally:
            build_lock.release()
        self._remove_old_generations(keep={gen.name})
        stats.articles_indexed = self._live
        return stats

    def _switch_to(self, gen: Path) -> None:
        # unique per process and thread: two windows of one process may switch at the same time
        tmp = self.index_dir / f"{CURRENT}.{os.getpid()}.{threading.get_ident()}.{uuid.uuid4().hex[:8]}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(gen.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.index_dir / CURRENT)

    def _remove_old_generations(self, keep: set[str]) -> None:
        """Delete generations no longer in use that no other program is building."""
        for path in self.index_dir.glob("gen-*"):
            if path.name in keep or not path.is_dir():
                continue
            lock = FileStorage(str(path)).lock("BUILDLOCK")
            try:
                if not lock.acquire(False):
                    continue
            except OSError:
                continue
            try:
                writelock = FileStorage(str(path)).lock("WRITELOCK")
                if writelock.acquire(False):
                    writelock.release()
                    lock.release()
                    shutil.rmtree(path, ignore_errors=True)
                    continue
            except OSError:
                pass
            lock.release()

    # --------------------------------------------------------------- searching

    def search(self, query: str, limit: int | None = 20) -> SearchResult:
        """Ranked hits for ``query``; malformed input is searched as literal text, never raises."""
        start = time.perf_counter()
        query = clean_query(query if isinstance(query, str) else str(query))
        if limit is not None:
            limit = max(0, int(limit))
        with self._lock:
            return self._search_locked(query, limit, start)

    def _search_locked(self, query: str, limit: int | None, start: float) -> SearchResult:
        if not self._open():
            return SearchResult(query, 0, round((time.perf_counter() - start) * 1000, 3), [], self.notice)
        try:
            plan = parse_query(query)
            self._pinyin_found = {}
            total, hits = self._execute(plan, limit)
            fallback = None if total else _pinyin_fallback(plan)
            if fallback is not None:
                plan = fallback
                total, hits = self._execute(plan, limit)
            marks = self._marks(plan)
            self._pinyin_found = {}
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as err:  # noqa: BLE001 - a damaged index must not crash the caller
            self._broken = True
            if self._gen is not None:
                try:  # every program using this index rebuilds it at its next update
                    (self._gen / DAMAGED).write_text(f"{type(err).__name__}: {err}\n", "utf-8")
                except OSError:
                    pass
            self.notice = f"The search index could not be read ({type(err).__name__}: {err}); update it to rebuild."
            return SearchResult(query, 0, round((time.perf_counter() - start) * 1000, 3), [], self.notice)
        took = round((time.perf_counter() - start) * 1000, 3)
        pinyin = any(lit.field == "pinyin" for lit in plan.literals) and bool(total)
        return SearchResult(query, total, took, hits, marks=marks, pinyin=pinyin)

    def _marks(self, plan: QueryPlan) -> list[str]:
        marks = [lit.text for lit in plan.literals if lit.field in MARKABLE]
        counts: dict[str, int] = {}
        for found in self._pinyin_found.values():
            for texts, _in_title in found.values():
                for text in texts:
                    counts[text] = counts.get(text, 0) + 1
        marks.extend(sorted(counts, key=lambda t: (-counts[t], t)))
        return list(dict.fromkeys(marks))

    def _execute(self, plan: QueryPlan, limit: int | None) -> tuple[int, list[SearchHit]]:
        if not plan.groups:
            return 0, []
        if len(plan.groups) == 1 and len(plan.groups[0]) == 1 and not plan.exclude:
            lit = plan.groups[0][0]
            grams = self._grams(lit)
            if len(grams) == 1 and self._single_gram(lit):
                return self._execute_one_term(lit, grams[0], limit)
        group_sets: list[set[int]] = []
        item_sets: dict[Literal, set[int]] = {}
        tf_hint: tuple | None = None
        for group in plan.groups:
            union: set[int] = set()
            for lit in group:
                docs, tfs = self._matching(lit)
                item_sets[lit] = docs
                if lit is plan.groups[0][0] and len(group) == 1:
                    tf_hint = tfs
                union |= docs
            group_sets.append(union)
        group_sets.sort(key=len)
        result = group_sets[0]
        for s in group_sets[1:]:
            if not result:
                break
            result = result & s
        if plan.exclude and result:
            for lit in plan.exclude:
                if lit.field == "all":
                    folded, text = self._folded, lit.text
                    result = {d for d in result if text not in folded[d]}
                else:
                    result = {d for d in result if not self._contains(d, lit)}
        total = len(result)
        if not total:
            return 0, []
        positives = plan.literals
        stats = {lit: len(item_sets[lit]) for lit in positives}
        if limit is not None and total > 4 * (limit + 16) and limit < total:
            # Score exactly only the likeliest: the top by the first literal's rarest-gram tf
            # (a C-level pass, no per-document Python) plus title matches.
            keep = limit + 16
            chosen: set[int] = set()
            if tf_hint is not None:
                chosen = set(top_by_weight(tf_hint, result, keep))
            if len(chosen) < keep:
                chosen.update(sorted(result - chosen)[: keep - len(chosen)])
            title_lits = [lit for lit in positives if lit.field in ("all", "title")]
            if title_lits:
                chosen.update(self._title_candidates(title_lits, result, keep))
        else:
            chosen = result
        scored = sorted(((self._score(d, positives, stats), d) for d in chosen), key=lambda x: (-x[0], x[1]))
        if limit is not None:
            scored = scored[:limit]
        hits = [self._hit(d, score, positives) for score, d in scored]
        return total, hits

    def _grams(self, lit: Literal) -> list[tuple[str, str]]:
        """(index field, gram) whose postings hold (a superset of) the literal's documents; a
        literal that is a single gram (1-2 characters, or 3 in the whole text) needs no check
        against the text, except where its trigram shares a bucket (see app.search.writer)."""
        if lit.field in ("all", "subtitle", "body"):
            trigrams = query_trigrams(lit.text)
            if trigrams:
                return [(TRIGRAM_FIELD, g) for g in trigrams]
            return [("all", g) for g in query_grams(lit.text)]
        return [(lit.field, g) for g in query_grams(lit.text)]

    def _single_gram(self, lit: Literal) -> bool:
        """Is the literal exactly one gram of a field that has gram postings? (Not ``pinyin``:
        a two-letter ``pinyin:qu`` is one gram long but is matched in titles and names.)"""
        return len(lit.text) <= 2 and lit.field in GRAM_FIELDS or (
            len(lit.text) == 3 and lit.field == "all")

    def _execute_one_term(self, lit: Literal, gram: tuple[str, str], limit: int | None) -> tuple[int, list[SearchHit]]:
        """A literal read from one gram's postings: the total comes from document frequencies
        (corrected for deleted articles and checked bucket postings), and for a small ``limit``
        the best candidates come from the short "hot" lists instead of the whole posting list."""
        df, found = self._term_infos(*gram)
        if not df:
            return 0, []
        keep = None if limit is None else limit + 16
        total = 0
        # only for a common gram (its total is far above what is kept), so that ranking the hot
        # candidates with the title matches stands for ranking them all
        hot = keep is not None and keep <= HOT_KEEP and df > 4 * keep and gram[0] in ("all", TRIGRAM_FIELD)
        used_hot = False
        ids: list[int] = []
        weights: list = []
        for seg, offset, leaf, fieldname, info, btext, exact in found:
            if not exact:  # a shared bucket: check each of its (few) documents
                docs = [d for d in self._read_ids(leaf, fieldname, info, btext)
                        if d not in seg.deleted and self._contains(d + offset, lit)]
                total += len(docs)
                ids.extend(d + offset for d in docs)
                weights.extend(self._field_text_count(d + offset, lit) for d in docs)
                continue
            n = info.doc_frequency()
            hot_info = None
            if hot and n > HOT_MIN:
                try:
                    hot_info = leaf.term_info(HOT_FIELD, btext)
                except TermNotFound:
                    hot_info = None
            if hot_info is None:
                seg_ids, seg_weights = self._read_postings(leaf, fieldname, info, btext)
                if seg.deleted:
                    live = [d not in seg.deleted for d in seg_ids]
                    seg_ids = list(compress(seg_ids, live))
                    seg_weights = list(compress(seg_weights, live))
                total += len(seg_ids)
                ids.extend(map(offset.__add__, seg_ids) if offset else seg_ids)
                weights.extend(seg_weights)
                continue
            total += n - self._deleted_with(seg, offset, leaf, fieldname, info, btext, lit)
            used_hot = True
            seg_ids, seg_weights = self._read_postings(leaf, HOT_FIELD, hot_info, btext)
            for d, w in zip(seg_ids, seg_weights):
                if d not in seg.deleted:
                    ids.append(d + offset)
                    weights.append(w)
        if not total:
            return 0, []
        if keep is not None and (total > 4 * keep or used_hot):
            chosen = set(top_by_weight((ids, weights), None, keep))
            if lit.field == "all":
                chosen.update(self._title_candidates([lit], None, keep))
        else:
            chosen = ids
        stats = {lit: total}
        scored = sorted(((self._score(d, [lit], stats), d) for d in chosen), key=lambda x: (-x[0], x[1]))
        if limit is not None:
            scored = scored[:limit]
        return total, [self._hit(d, score, [lit]) for score, d in scored]

    def _deleted_with(self, seg: _Segment, offset: int, leaf, fieldname: str, info, btext: bytes,
                      lit: Literal) -> int:
        """How many deleted documents of a segment hold an exact single-gram literal."""
        if not seg.deleted:
            return 0
        n = info.doc_frequency()
        if len(seg.deleted) * 4 < n:
            return sum(1 for d in seg.deleted if self._contains(d + offset, lit))
        ids = self._read_ids(leaf, fieldname, info, btext)  # Whoosh may leave deleted ones out
        return n - len(ids) + sum(map(seg.deleted.__contains__, ids))

    @staticmethod
    def _read_postings(leaf, fieldname: str, info, btext: bytes) -> tuple[list[int], list]:
        if info.is_inlined():
            ids, weights, _ = info.inlined_postings()
            if weights is None:  # a trigram bucket (see app.search.writer)
                ids = unpack_gaps(ids)
                return ids, [1] * len(ids)
            return list(ids), list(weights)
        return read_blocks(leaf.postings(fieldname, btext))

    def _read_ids(self, leaf, fieldname: str, info, btext: bytes):
        return self._read_postings(leaf, fieldname, info, btext)[0]

    def _field_text_count(self, docnum: int, lit: Literal) -> int:
        text, lo, hi = self._field_text(docnum, lit.field)
        return text.count(lit.text, lo, hi)

    def _locate(self, docnum: int) -> tuple[_Segment, int]:
        for seg, offset, _ in reversed(self._segments):
            if docnum >= offset:
                return seg, docnum - offset
        raise IndexError(docnum)

    def _locate_leaf(self, docnum: int):
        for seg, offset, leaf in reversed(self._segments):
            if docnum >= offset:
                return seg, docnum - offset, leaf
        raise IndexError(docnum)

    def _term_infos(self, fieldname: str, gram: str) -> tuple[int, list]:
        """Document frequency of a gram over all segments, and where its postings are: entries
        ``(segment, offset, leaf, field, info, btext, exact)``; a trigram without a term of its
        own in a segment is looked up in its bucket there (``exact`` False)."""
        btext = gram.encode("utf-8")
        found = []
        df = 0
        trigram = fieldname == TRIGRAM_FIELD
        for seg, offset, leaf in self._segments:
            try:
                info = leaf.term_info(fieldname, btext)
                exact = True
                key = btext
            except TermNotFound:
                if not trigram:
                    continue
                key = trigram_bucket(gram, trigram_buckets(len(seg.folded))).encode("utf-8")
                try:
                    info = leaf.term_info(fieldname, key)
                except TermNotFound:
                    continue
                exact = False
            found.append((seg, offset, leaf, fieldname, info, key, exact))
            df += info.doc_frequency()
        return df, found

    def _read(self, found: list) -> tuple[set[int], list[int], list, bool]:
        """Live global docnums (set), all docnums with their term frequencies (lists), and
        whether every list was exact."""
        all_ids: list[int] = []
        all_weights: list = []
        docs: set[int] = set()
        exact_all = True
        for seg, offset, leaf, fieldname, info, btext, exact in found:
            ids, weights = self._read_postings(leaf, fieldname, info, btext)
            exact_all = exact_all and exact
            if offset:
                ids = list(map(offset.__add__, ids))
            docs.update(ids)
            if seg.deleted:
                docs.difference_update(map(offset.__add__, seg.deleted))
            all_ids.extend(ids)
            all_weights.extend(weights)
        return docs, all_ids, all_weights, exact_all

    def _matching(self, lit: Literal) -> tuple[set[int], tuple | None]:
        """Documents whose field contains the literal, exactly; and (docnums, tfs) of its rarest
        gram, a ranking hint."""
        fieldname = lit.field
        if fieldname == "pinyin":
            return set(self._pinyin_docs(lit)), None
        grams = []
        for index_field, gram in self._grams(lit):
            df, found = self._term_infos(index_field, gram)
            if not df:
                return set(), None
            grams.append((df, gram, found))
        grams.sort(key=lambda g: g[0])
        # The rarest grams give few candidates; the text check below makes them exact, so the
        # commoner grams' long posting lists are read only while they prune enough to pay.
        result, ids, weights, exact = self._read(grams[0][2])
        for df, _gram, found in grams[1:]:
            if len(result) <= 32 or df > 2 * len(result):
                break
            result &= self._read(found)[0]
            exact = False
        if not (exact and self._single_gram(lit)) and result:
            if fieldname == "all":
                cands = list(result)
                texts = map(self._folded.__getitem__, cands)
                result = set(compress(cands, map(contains, texts, repeat(lit.text))))
            else:
                result = {d for d in result if self._contains(d, lit)}
        return result, (ids, weights)

    def _pinyin_docs(self, lit: Literal) -> dict[int, tuple[list[str], bool]]:
        """Documents whose title or person/place/org names read as the pinyin ``lit.text``: docnum
        -> (the matched texts, matched in the title)."""
        found = self._pinyin_found.get(lit)
        if found is not None:
            return found
        found = {}
        pat = pinyin.pattern(lit.text)
        if pat is not None:
            for seg, offset, _leaf in self._segments:
                cells, starts = self._pinyin_segment(seg)
                for start, end in pinyin.find(pat, cells):
                    local = bisect_right(starts, start) - 1
                    if local in seg.deleted:
                        continue
                    line_start = max(cells.rfind("\n", starts[local], start), starts[local] - 1) + 1
                    line_no = cells.count("\n", starts[local], line_start)
                    c0 = pinyin.cell_offset(cells, line_start, start)
                    c1 = c0 + pinyin.cell_offset(cells, start, end)
                    text = _name_lines(seg, local)[line_no][c0:c1]
                    texts, in_title = found.get(offset + local, ([], False))
                    if text not in texts:
                        texts.append(text)
                    found[offset + local] = (texts, in_title or line_no == 0)
        self._pinyin_found[lit] = found
        return found

    def _pinyin_segment(self, seg: _Segment) -> tuple[str, list[int]]:
        """A segment's titles and names as one pinyin cell string (documents separated by NUL),
        and where each document starts in it; made on first use, kept while the segment lives."""
        made = self._pinyin_cells.get(seg.key)
        if made is None or made[2] is not seg.folded:
            docs = ["\n".join(_name_lines(seg, local)).replace("\x00", " ") for local in range(len(seg.folded))]
            cells = pinyin.cells("\x00".join(docs))
            starts = [0]
            at = cells.find("\x00")
            while at >= 0:
                starts.append(at + 1)
                at = cells.find("\x00", at + 1)
            made = (cells, starts, seg.folded)
            self._pinyin_cells[seg.key] = made
        return made[0], made[1]

    def _field_text(self, docnum: int, fieldname: str) -> tuple[str, int, int]:
        seg, local = self._locate(docnum)
        folded = seg.folded[local]
        meta = seg.meta[local]
        t0, t1, s0, s1, b0 = meta[4]
        if fieldname == "all":
            return folded, 0, len(folded)
        if fieldname == "title":
            return folded, t0, t1
        if fieldname == "subtitle":
            return folded, s0, s1
        if fieldname == "body":
            return folded, b0, len(folded)
        small = meta[5][SMALL_INDEX[fieldname]]
        return small, 0, len(small)

    def _contains(self, docnum: int, lit: Literal) -> bool:
        if lit.field == "pinyin":
            return docnum in self._pinyin_docs(lit)
        text, lo, hi = self._field_text(docnum, lit.field)
        return text.find(lit.text, lo, hi) >= 0

    def _title_candidates(self, lits: list[Literal], result: set[int] | None, keep: int) -> list[int]:
        """Results whose title holds a literal (they get the title boost), at most about ``keep``."""
        out: set[int] = set()
        best: tuple | None = None
        for lit in lits:
            docs = None
            for gram in query_grams(lit.text):
                df, found = self._term_infos("title", gram)
                if not df:
                    docs = None
                    break
                got, ids, weights, _exact = self._read(found)
                if best is None:
                    best = (ids, weights)
                docs = got if docs is None else docs & got
                if not docs:
                    break
            if not docs:
                continue
            if result is not None:
                docs &= result
            if len(lit.text) > 2:  # bigrams of a longer text may all occur without the text
                title = Literal(lit.text, "title")
                docs = {d for d in docs if self._contains(d, title)}
            out |= docs
        if len(out) > keep:
            return top_by_weight(best, out, keep) if best is not None else sorted(out)[:keep]
        return list(out)

    def _score(self, docnum: int, lits: list[Literal], df: dict[Literal, int]) -> float:
        seg, local = self._locate(docnum)
        folded = seg.folded[local]
        t0, t1 = seg.meta[local][4][:2]
        n = max(1, self._live)
        norm = _K1 * (1 - _B + _B * len(folded) / self._avg_len)
        score = 0.0
        for lit in lits:
            if lit.field == "pinyin":
                texts, in_title = self._pinyin_docs(lit).get(docnum, ((), False))
                d = df.get(lit, 1)
                idf = math.log(1 + (n - d + 0.5) / (d + 0.5))
                score += idf * (TITLE_BOOST if in_title else 1.0) + 0.01 * len(texts)
                continue
            text, lo, hi = self._field_text(docnum, lit.field)
            tf = text.count(lit.text, lo, hi)
            if not tf:
                continue
            d = df.get(lit, 1)
            idf = math.log(1 + (n - d + 0.5) / (d + 0.5))
            score += idf * tf * (_K1 + 1) / (tf + norm)
            if lit.field == "all" and folded.find(lit.text, t0, t1) >= 0:
                score += TITLE_BOOST * idf
            elif lit.field == "title":
                score += TITLE_BOOST * idf
        return round(score, 3)

    def _hit(self, docnum: int, score: float, lits: list[Literal]) -> SearchHit:
        seg, local, leaf = self._locate_leaf(docnum)
        aid, ordinal, source, title, spans, _small, _src, differs = seg.meta[local]
        folded = seg.folded[local]
        texts = [lit.text for lit in lits if lit.field in MARKABLE]
        for lit in lits:
            if lit.field == "pinyin":
                texts.extend(self._pinyin_docs(lit).get(docnum, ((), False))[0])
        original = folded
        if differs and leaf is not None:
            original = leaf.stored_fields(local)["d"][4]
        snippet = make_snippet(original, folded, texts, prefer_from=spans[4])
        return SearchHit(id=aid, ordinal=ordinal, source=source, title=title, score=score, snippet=snippet)


def _name_lines(seg: _Segment, local: int) -> list[str]:
    """What pinyin reads of a document: its title, then its person, place and org names (folded;
    a field's several names joined by spaces, so each stays one line)."""
    meta = seg.meta[local]
    t0, t1 = meta[4][:2]
    small = meta[5]
    return [seg.folded[local][t0:t1], *(small[SMALL_INDEX[f]].replace("\n", " ") for f in ("person", "place", "org"))]


def _pinyin_fallback(plan: QueryPlan) -> QueryPlan | None:
    """An all-letter query that no article contains (``jiangmen``), read as pinyin instead."""
    if plan.literal_fallback or not plan.groups:
        return None
    if not all(lit.field == "all" and pinyin.QUERY_RE.fullmatch(lit.text) for lit in plan.literals):
        return None
    if not all(pinyin.is_pinyin(lit.text) for lit in plan.literals):
        return None
    groups = [[Literal(lit.text, "pinyin") for lit in group] for group in plan.groups]
    return QueryPlan(groups=groups, exclude=plan.exclude)


def _dedupe(library_sources: Iterable) -> dict:
    wanted: dict = {}
    for loaded in library_sources:
        wanted.setdefault(loaded.source.sha256, loaded)
    return wanted
