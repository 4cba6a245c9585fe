"""Writing updates into the index: incremental commits, full builds into a new generation.

Small changes (a page added, changed or removed) are Whoosh commits inside the current
generation: deletions by source hash plus one new segment; a Whoosh commit replaces its table of
contents atomically, so it is all-or-nothing. Larger ones (or too many segments or deletions)
build a new generation (:mod:`app.search.generations`) and switch to it when it is complete.

:class:`IndexUpdating` is the writing half of :class:`app.search.index.SearchIndex`.
"""

from __future__ import annotations

import math
import pickle
import shutil
import time
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.index import LockError

from app.search import generations
from app.search.records import (
    GRAM_FIELDS,
    StoredArticle,
    article_record,
    grams_of_stored,
    index_fields,
    make_schema,
    with_text,
)
from app.search.results import UpdateStats
from app.search.writer import GramSegmentWriter

SEGMENT_DOCS = 20000  # articles per segment while building (each segment repeats the term table of
                      # its vocabulary: at 100k, 10 segments of 10k took 207 MB of term tables)
# Segments are written as separate files, not Whoosh's compound file: opening a compound
# segment copies each part into memory (BytesIO over the mmap), which costs seconds and
# hundreds of MB at 100k articles.
SMALL_SEGMENT_DOCS = 2500  # segments below this (one per update) are merged ...
MAX_SMALL_SEGMENTS = 8  # ... when there are this many
MAX_SEGMENTS = 24  # beyond this (or too many deletions) an update rebuilds
MAX_DELETED_RATIO = 0.3
MIN_DELETED_TO_COMPACT = 1000  # deleted articles cost little below this
LOCK_TIMEOUT = 2.0
BUILD_WORKERS: int | None = None  # processes writing a full build's segments (None: one per core)
PARALLEL_MIN_ARTICLES = 3000  # below this, starting processes costs more than it saves

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class IndexUpdating:
    """``update`` and ``rebuild`` of :class:`~app.search.index.SearchIndex` (which provides the
    opening, reloading and locking they use)."""

    index_dir: Path

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
                 if seg.count < SMALL_SEGMENT_DOCS]
        carry: list = []
        dropped: set[str] = set()
        if len(small) >= MAX_SMALL_SEGMENTS:
            gone = set(to_remove)
            with self._lock:  # records are read from the index, which a search may be reading too
                carry = self._carried(small, gone)
            dropped = {seg.key for seg, _leaf in small}
        done = self._write_sources(self._ix, writer, [wanted[s] for s in to_add], progress, cancel, stats,
                                   carry=carry, dropped=dropped)
        stats.articles_added = done
        self._load_reader()
        stats.articles_indexed = self._live
        return stats

    @staticmethod
    def _carried(small: list, gone: set) -> list:
        """The stored records of the live articles of ``small`` segments not from ``gone`` sources."""
        carry = []
        for seg, _leaf in small:
            for docnum in range(seg.count):
                if docnum not in seg.deleted and seg.doc_meta(docnum).src not in gone:
                    carry.append(with_text(seg.record(docnum), seg.text(docnum)))
        return carry

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
            record = StoredArticle._make(stored)
            grams = grams_of_stored(stored)
            gram.add(grams, id=record.id, src=record.src, **index_fields(stored, grams["all"]))

        def drop_small(_writer, segments):
            return [seg for seg in segments if seg.segment_id() not in dropped]

        mergetype = drop_small if dropped else None
        if progress:
            progress(0, total)
        for loaded in sources:
            if cancel and cancel():
                stats.cancelled = True
                break
            src = _key(loaded)
            path = str(loaded.source.path)
            for article in loaded.articles:
                stored, grams = article_record(article, src, path)
                gram.add(grams, id=article.id or f"{src}:{article.ordinal}", src=src,
                         **index_fields(stored, grams["all"]))
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
        gen, build_lock = generations.new_generation(self.index_dir)
        stats = UpdateStats()
        try:
            ix = whoosh_index.create_in(str(gen), make_schema())
            switched = []

            def on_commit():
                # With no usable index to fall back on, every finished segment is worth showing.
                if keep_old:
                    return
                with self._lock:
                    if not switched:
                        generations.switch_to(self.index_dir, gen)
                        self._close_reader()
                        switched.append(True)
                    elif self._gen == gen and self._ix is not None:
                        self._load_reader()  # a search opened it meanwhile: add the new segment

            sources = list(wanted.values())
            workers = _build_workers(sum(len(s.articles) for s in sources))
            if workers > 1:
                stats.articles_added = _write_in_processes(ix, gen, sources, workers, progress, cancel, stats)
                on_commit()
            else:
                stats.articles_added = self._write_sources(
                    ix, ix.writer(compound=False), sources, progress, cancel, stats, on_commit
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
                        generations.switch_to(self.index_dir, gen)
                    self._open()
        finally:
            build_lock.release()
        generations.remove_old_generations(self.index_dir, keep={gen.name})
        stats.articles_indexed = self._live
        return stats


def _build_workers(articles: int) -> int:
    if BUILD_WORKERS is not None:
        return BUILD_WORKERS
    if articles < PARALLEL_MIN_ARTICLES:
        return 1
    from app.library import cpu_count

    return min(cpu_count(), math.ceil(articles / 1000))


def _write_in_processes(ix, gen: Path, sources: list, workers: int, progress, cancel, stats: UpdateStats) -> int:
    """Write ``sources`` as segments of about equal size, each in a process of its own (every
    core folds, counts grams and writes postings), and commit them together; a cancelled build
    commits the segments finished so far. Returns the number of articles written."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from app.search import whoosh_private

    total = sum(len(s.articles) for s in sources)
    # segments of up to a tenth more than SEGMENT_DOCS rather than one more, small, segment
    chunks = max(workers, math.ceil(total / (SEGMENT_DOCS * 1.1)))
    per = math.ceil(total / chunks)
    jobs: list[list] = [[]]
    size = 0
    for loaded in sources:
        if size >= per:
            jobs.append([])
            size = 0
        jobs[-1].append((_key(loaded), str(loaded.source.path), list(loaded.articles)))
        size += len(loaded.articles)
    if progress:
        progress(0, total)
    done = 0
    # Each job goes to its worker as a file, pickled straight into it a frame at a time, and
    # written just before it is needed. Handed to the pool as objects, up to three jobs at a time
    # were pickled whole in memory (~80 MB each at 100k articles, twice that while the buffer
    # grew): the window's indexer grew from 0.9 to 1.5 GB while the segments were written.
    written = (_job_file(gen, n, job) for n, job in enumerate(jobs))
    finished_segments: dict[int, object] = {}  # job number -> its segment
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_context()) as pool:
            ready = next(written, None)
            pending: dict = {}
            while ready is not None or pending:
                while ready is not None and len(pending) < workers:
                    pending[pool.submit(write_segment, str(gen), str(ready[0]))] = ready[1:]
                    ready = next(written, None)  # the next job's file, while the workers work
                finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    n, job = pending.pop(future)
                    finished_segments[n] = future.result()
                    done += sum(len(articles) for _src, _path, articles in job)
                    stats.sources_added += len(job)
                    if progress:
                        progress(done, total)
                if (pending or ready is not None) and cancel and cancel():
                    stats.cancelled = True
                    for future in pending:
                        future.cancel()
                    pool.shutdown(wait=True, cancel_futures=True)
                    break
    finally:
        written.close()
        for leftover in gen.glob(JOB_FILES):
            leftover.unlink(missing_ok=True)
    # in the library's order, whichever finished first: articles that rank alike are listed as
    # the library lists them, the same from one build to the next
    segments = [finished_segments[n] for n in sorted(finished_segments)]
    whoosh_private.commit_segments(ix.writer(compound=False), segments)
    return done


JOB_FILES = "build-job-*.pickle"  # in the generation being built; a killed build's go with it
JOB_READ = 200  # sources of a job whose lazily opened paragraphs are read at a time to be written


def _job_file(gen: Path, n: int, job: list) -> tuple[Path, int, list]:
    """``job`` pickled into a file: its length, then each source's part on its own (the pickler's
    memo of every object it wrote, ~1 million for a whole job, lives for one source only)."""
    from app.store import load_paragraphs, unload_paragraphs

    path = gen / JOB_FILES.replace("*", str(n))
    with open(path, "wb") as fh:
        pickle.dump(len(job), fh)
        for start in range(0, len(job), JOB_READ):
            some = job[start:start + JOB_READ]
            # articles opened lazily (the window's indexer) are pickled with their paragraphs:
            # read for these sources in a query or two, let go once written
            read = load_paragraphs(a for _src, _path, articles in some for a in articles)
            try:
                for part in some:
                    pickle.dump(part, fh, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                unload_paragraphs(read)
    return path, n, job


def _read_job_file(path: str) -> list:
    with open(path, "rb") as fh:
        return [pickle.load(fh) for _ in range(pickle.load(fh))]


def _context():
    """The library's pool context (fork on Linux), but spawn where other threads run (the
    window's indexer answers queries in threads): a fork copies a lock another thread holds."""
    import multiprocessing
    import threading

    from app.library import pool_context

    return pool_context() if threading.active_count() == 1 else multiprocessing.get_context("spawn")


def write_segment(folder: str, job_file: str):
    """In a pool's process: write the job pickled in ``job_file`` (per source: its key, path and
    articles) as one segment of the index in ``folder``, removing the file once read; returns the
    segment for :func:`_write_in_processes`."""
    from app.search import whoosh_private

    job = _read_job_file(job_file)
    Path(job_file).unlink(missing_ok=True)

    writer = whoosh_private.segment_writer(folder)
    gram = GramSegmentWriter(writer, GRAM_FIELDS)
    for src, path, articles in job:
        for article in articles:
            stored, grams = article_record(article, src, path)
            gram.add(grams, id=article.id or f"{src}:{article.ordinal}", src=src,
                     **index_fields(stored, grams["all"]))
    return whoosh_private.finish_segment(writer)


def _key(loaded) -> str:
    """A source's key in the index: its content hash, or for a source the reader corrected, the
    hash with a digest of the corrections (``LoadedSource.index_key``), so the corrected articles
    replace the uncorrected ones."""
    return getattr(loaded, "index_key", None) or loaded.source.sha256


def _dedupe(library_sources: Iterable) -> dict:
    wanted: dict = {}
    for loaded in library_sources:
        wanted.setdefault(_key(loaded), loaded)
    return wanted
