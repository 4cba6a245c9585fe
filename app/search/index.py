"""The persistent, incremental Whoosh index of a library's articles: opening it and searching it.

:class:`SearchIndex` ties the parts together: the folder and its generations
(:mod:`app.search.generations`), what is kept in memory of an open index
(:mod:`app.search.segments`), writing updates (:mod:`app.search.updating`), and searching: the
query planner and scorer shared with the scan (:mod:`app.search.planner`,
:mod:`app.search.scoring`) over the index's postings (:mod:`app.search.index_search`). Every use
of Whoosh's private internals is in :mod:`app.search.whoosh_private`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index

from app.search import analysis, generations, planner
from app.search.generations import CURRENT, FORMAT_VERSION, MARKER, made_with_now  # noqa: F401 - the tests' names
from app.search.index_search import IndexSearcher
from app.search.postings import IndexOutdated, IndexUnusable
from app.search.query import clean_query
from app.search.records import make_schema
from app.search.results import SearchResult, UpdateStats  # noqa: F401 - app.search's names
from app.search.segments import FoldedTexts, Loaded, Segment
from app.search.updating import IndexUpdating


class SearchIndex(IndexUpdating):
    """A Chinese-aware full-text index of a library, stored under ``index_dir``."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self.notice: str | None = None
        self._ix = None
        self._loaded: Loaded | None = None
        self._gen: Path | None = None
        self._seg_cache: dict[str, Segment] = {}
        self._broken = False
        self._failed: tuple | None = None  # see generations.failure_key
        self._failed_notice: str | None = None
        # Searches (GUI thread) and updates (a worker) may share this object: the in-memory
        # state is swapped under this lock; index writing happens outside it.
        self._lock = threading.RLock()

    # what the rest of the class reads of the open index (nothing when it is not open)
    @property
    def _reader(self):
        return self._loaded.reader if self._loaded is not None else None

    @property
    def _segments(self) -> list:
        return self._loaded.segments if self._loaded is not None else []

    @property
    def _live(self) -> int:
        return self._loaded.live if self._loaded is not None else 0

    @property
    def _doc_count(self) -> int:
        return self._loaded.doc_count if self._loaded is not None else 0

    # ----------------------------------------------------------------- opening

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
            failed_key = generations.failure_key(self.index_dir)
            if failed_key is not None and self._failed == failed_key:
                self.notice = self._failed_notice  # known damaged and unchanged: not read again
                return False
            gen = generations.current_generation(self.index_dir)
            if gen is None:
                if self.index_dir.is_dir() and any(self.index_dir.glob("*.toc")):
                    self.notice = (
                        f"The folder {self.index_dir} holds a search index this program did not make; "
                        "a new one is built beside it."
                    )
                return False
            generations.check_generation(gen)
            analysis.load_fold_table(gen / generations.FOLD_TABLE)
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
            if isinstance(err, IndexOutdated):  # an update of the program or its data, not damage
                self.notice = generations.outdated_notice(self.index_dir, err)
            else:
                self.notice = f"The search index in {self.index_dir} is damaged or foreign ({reason}); it is rebuilt."
            # Remember it: until the pointer or the generation's folder changes, every search would
            # otherwise read the whole damaged index again only to fail the same way.
            self._failed, self._failed_notice = failed_key, self.notice
            return False

    def _current_generation(self) -> Path | None:
        return generations.current_generation(self.index_dir)

    def _load_reader(self) -> None:
        """(Re)open the reader; segments already in memory are reused, new ones are loaded."""
        with self._lock:
            old = self._reader
            self._loaded = Loaded.load(self._ix.reader(), self._seg_cache, self._gen)
            if old is not None:
                try:
                    old.close()
                except Exception:  # noqa: BLE001
                    pass

    def _close_reader(self) -> None:
        with self._lock:
            for obj in (self._reader, self._ix):
                if obj is not None:
                    try:
                        obj.close()
                    except Exception:  # noqa: BLE001
                        pass
            self._loaded = None
            self._ix = None
            self._gen = None
            self._seg_cache = {}

    def preload(self, chunk: int = 256, read_so_far: Callable[[int], None] | None = None) -> int:
        """Read every article's text and record not read yet, so that no later search waits for
        one (an index opens without reading them; a search reads those it needs). The window calls this
        in its writer thread after opening; searches may run meanwhile: the records are read
        ``chunk`` at a time under the lock, and ``read_so_far(n)`` is called after each chunk
        (outside the lock) with how many have been read. Returns how many were read."""
        read = 0
        with self._lock:
            loaded = self._loaded
        if loaded is None:
            return 0
        for placed in loaded.segments:
            seg = placed.seg
            todo = [i for i, (text, meta) in enumerate(zip(seg.folded, seg.meta)) if text is None or meta is None]
            if todo:
                seg.reading_through()
            for start in range(0, len(todo), chunk):
                with self._lock:
                    if self._loaded is not loaded:
                        return read  # reopened meanwhile: its segments are read as needed
                    for local in todo[start:start + chunk]:
                        seg.read(local)
                read += len(todo[start:start + chunk])
                if read_so_far is not None:
                    read_so_far(read)
            drop_pages = getattr(seg.texts, "drop_pages", None)
            if drop_pages is not None and todo:
                # every text of the segment is kept now: its mapped column, read through once,
                # need not stay resident too (at 100k articles ~190 MB counted twice)
                drop_pages()
        with self._lock:
            if self._loaded is loaded:
                loaded.folded = FoldedTexts(loaded)  # every text in the flat list searches index
        return read

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
        with self._lock:  # read from the postings, which a search may be reading too
            if not self._open():
                return {}
            return self._loaded.indexed_sources()

    def commit_id(self) -> str | None:
        """Which commit of which index this is, opened (None when none opens, or it has no
        numbered commit): its generation's folder and the commit's number. A commit never
        changes, so what was found of one (the command line's check of a list of files against
        it: :meth:`app.store.ArticleStore.remember_checked`) holds while this is the same."""
        with self._lock:
            if not self._open():
                return None
            generation = getattr(self._reader, "generation", lambda: None)()
            return f"{self._gen.resolve()}|{generation}|{self._live}" if type(generation) is int else None

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

    # --------------------------------------------------------------- searching

    def search(self, query: str, limit: int | None = 20, first: int | None = None) -> SearchResult:
        """Ranked hits for ``query``; malformed input is searched as literal text, never raises.

        With ``first``, only the first ``first`` of the ``limit`` hits are made (their titles and
        snippets are what costs: ~0.1-0.3 ms each); the rest are ranked and left in
        ``result.pending`` for :meth:`complete` (while this index is not reloaded)."""
        start = time.perf_counter()
        with self._lock:
            if not self._open():
                return SearchResult(clean_query(str(query)), 0, round((time.perf_counter() - start) * 1000, 3), [], self.notice)
            try:
                searcher = IndexSearcher(self._loaded)
                searcher.hits_now = first
                result = planner.search(searcher, query, limit)
                if result.pending is not None:
                    result.pending.owner = self._loaded
                return result
            except (KeyboardInterrupt, MemoryError):
                raise
            except Exception as err:  # noqa: BLE001 - a damaged index must not crash the caller
                self._found_damaged(err)
                took = round((time.perf_counter() - start) * 1000, 3)
                return SearchResult(clean_query(str(query)), 0, took, [], self.notice)

    def complete(self, result: SearchResult, cancel=None, step: int = 100) -> SearchResult | None:
        """``result`` with all its hits made (see :meth:`search`'s ``first``); None when the index
        changed since (its documents are numbered anew: search again), could not be read, or
        ``cancel()`` said so (asked every ``step`` hits)."""
        pending = result.pending
        if pending is None:
            return result
        hits = list(result.hits)
        best = pending.best
        for start in range(0, len(best), step):
            if cancel is not None and cancel():
                return None
            with self._lock:
                if self._loaded is None or self._loaded is not pending.owner:
                    return None
                try:
                    hits.extend(pending.make(doc, -neg) for neg, doc in best[start:start + step])
                except (KeyboardInterrupt, MemoryError):
                    raise
                except Exception as err:  # noqa: BLE001 - a damaged index must not crash the caller
                    self._found_damaged(err)
                    return None
        return replace(result, hits=hits, pending=None)

    def matching_ids(self, query: str) -> list[str]:
        """The id of every article ``query`` finds (all of them, as ``search(query, limit=None)``
        would list, pinyin fallback included), in the index's order, without ranking or snippets:
        what a timeline of the search counts. An index that is not open, or cannot be read, finds
        nothing (and says why in :attr:`notice`, as :meth:`search` does)."""
        with self._lock:
            if not self._open():
                return []
            try:
                loaded = self._loaded
                docs = planner.matching_docs(IndexSearcher(loaded), query)
                return [loaded.meta(d).id for d in docs]
            except (KeyboardInterrupt, MemoryError):
                raise
            except Exception as err:  # noqa: BLE001 - a damaged index must not crash the caller
                self._found_damaged(err)
                return []

    def _found_damaged(self, err: Exception) -> None:
        """Reading failed: the generation is marked damaged (the next update rebuilds it) and
        :attr:`notice` says so."""
        self._broken = True
        generations.mark_damaged(self._gen, err)
        self.notice = (f"The search index could not be read ({type(err).__name__}: {err}); "
                       "update it to rebuild.")
