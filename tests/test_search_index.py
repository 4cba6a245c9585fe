"""The search index on disk: reuse, incremental updates, interrupted builds, damage, locking."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT, Schema

import app.search.generations as generations
import app.search.updating as updating
from app.search import SearchIndex
from tests.benchmarks.corpus import SAMPLE, ArchiveGenerator, archive, loaded_source, source_from_text

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pages():
    gen = ArchiveGenerator(seed=11)
    return [loaded_source(gen.page(i)) for i in range(6)]


@pytest.fixture(scope="module")
def sample_source():
    return source_from_text(SAMPLE.read_text("utf-8"), str(SAMPLE))


def phrase_of(source) -> str:
    """A quoted stretch of text found only in this source's first article."""
    text = source.articles[0].paragraphs[-1].text
    return '"' + text[len(text) // 2: len(text) // 2 + 12].replace('"', "") + '"'


def sources_of(result) -> set[str]:
    return {h.source for h in result.hits}


def current_generation(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text("utf-8").strip()


def test_reopening_an_unchanged_library_reuses_the_index(tmp_path, pages):
    first = SearchIndex(tmp_path)
    stats = first.update(pages)
    assert stats.rebuilt and stats.sources_added == len(pages)
    gen = current_generation(tmp_path)
    first.close()

    second = SearchIndex(tmp_path)
    stats = second.update(pages)
    assert not stats.rebuilt and stats.sources_added == 0 and stats.articles_added == 0
    assert stats.sources_unchanged == len(pages)
    assert current_generation(tmp_path) == gen
    assert second.search(phrase_of(pages[3])).total >= 1
    second.close()


def test_changed_and_removed_sources_update_only_themselves(tmp_path, pages):
    index = SearchIndex(tmp_path)
    index.update(pages[:4])
    gen = current_generation(tmp_path)
    old_phrase = phrase_of(pages[1])
    assert pages[1].source.path in sources_of(index.search(old_phrase))

    # pages[1]'s file changes: same path, new content (pages[4]'s articles stand in for it)
    changed = loaded_source(ArchiveGenerator(seed=99).page(1))
    changed.source = type(pages[1].source)(pages[1].source.path, changed.source.text, "utf-8",
                                           changed.source.sha256)
    for art in changed.articles:
        art.source = pages[1].source.path
    stats = index.update([pages[0], changed, pages[2], pages[3]])
    assert not stats.rebuilt
    assert (stats.sources_added, stats.sources_removed, stats.sources_unchanged) == (1, 1, 3)
    assert stats.articles_added == len(changed.articles)
    assert index.search(old_phrase).total == 0
    assert changed.source.path in sources_of(index.search(phrase_of(changed)))
    assert index.article_count == sum(len(p.articles) for p in (pages[0], changed, pages[2], pages[3]))

    stats = index.update([pages[0], changed, pages[3]])  # pages[2] removed
    assert (stats.sources_added, stats.sources_removed) == (0, 1)
    assert index.search(phrase_of(pages[2])).total == 0
    assert index.search(phrase_of(pages[3])).total >= 1
    assert current_generation(tmp_path) == gen  # updated in place, not rebuilt
    index.close()

    reopened = SearchIndex(tmp_path)
    assert reopened.search(phrase_of(pages[2])).total == 0
    assert reopened.indexed_sources() == {s.source.sha256: len(s.articles) for s in (pages[0], changed, pages[3])}


def test_adding_one_page_is_quick(tmp_path):
    sources = archive(1500, seed=5)
    index = SearchIndex(tmp_path)
    index.update(sources)
    extra = loaded_source(ArchiveGenerator(seed=6).page(77), folder="/new")
    start = time.perf_counter()
    stats = index.update(sources + [extra])
    elapsed = time.perf_counter() - start
    assert stats.sources_added == 1 and not stats.rebuilt
    assert elapsed < 1.0
    assert "/new/" in next(iter(sources_of(index.search(phrase_of(extra)))))


def test_many_small_updates_keep_few_segments(tmp_path, pages, monkeypatch):
    monkeypatch.setattr(updating, "MAX_SMALL_SEGMENTS", 3)
    index = SearchIndex(tmp_path)
    gen = current_generation(tmp_path) if (tmp_path / "CURRENT").exists() else None
    for n in range(1, len(pages) + 1):
        stats = index.update(pages[:n])
        assert stats.sources_added == 1
        assert len(index._segments) <= 3
        if n > 1:
            assert not stats.rebuilt and current_generation(tmp_path) == gen
        gen = current_generation(tmp_path)
    assert index.update(pages[1:]).sources_removed == 1
    assert index.update(pages[1:] + [pages[0]]).sources_added == 1
    assert len(index._segments) <= 3
    assert index.article_count == sum(len(p.articles) for p in pages)
    for page in pages:
        assert page.source.path in sources_of(index.search(phrase_of(page)))
    assert index.search("扬尘 -扬尘").total == 0


def test_progress_and_cancel(tmp_path, pages):
    seen = []
    index = SearchIndex(tmp_path)
    index.update(pages[:3], progress=lambda done, total: seen.append((done, total)))
    total = sum(len(p.articles) for p in pages[:3])
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 1  # let one more source through, then stop

    stats = index.update(pages, cancel=cancel)
    assert stats.cancelled and stats.sources_added == 1
    assert len(index.indexed_sources()) == 4
    stats = index.update(pages)  # the next update finishes the job
    assert stats.sources_added == 2 and not stats.cancelled
    assert len(index.indexed_sources()) == 6


def test_rebuild_switches_generation(tmp_path, pages):
    index = SearchIndex(tmp_path)
    index.update(pages[:2])
    old = current_generation(tmp_path)
    stats = index.rebuild(pages[:3])
    assert stats.rebuilt and current_generation(tmp_path) != old
    assert not (tmp_path / old).exists()  # the old generation was cleaned up
    assert index.search(phrase_of(pages[2])).total >= 1


BUILDER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    import app.search.updating as updating
    updating.SEGMENT_DOCS = 200
    from app.search import SearchIndex
    from tests.benchmarks.corpus import archive
    sources = archive(2000, seed=21)
    index = SearchIndex({index_dir!r})
    def progress(done, total):
        print("PROGRESS", done, total, flush=True)
    getattr(index, {method!r})(sources, progress=progress)
    print("FINISHED", flush=True)
""")


def run_and_kill(index_dir: Path, method: str, after_articles: int) -> None:
    code = BUILDER.format(repo=str(REPO), index_dir=str(index_dir), method=method)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:
            parts = line.split()
            assert parts[0] != "FINISHED", "the builder finished before it could be interrupted"
            if parts[0] == "PROGRESS" and int(parts[1]) >= after_articles:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def test_killed_rebuild_leaves_the_previous_index_usable(tmp_path, sample_source):
    index = SearchIndex(tmp_path)
    index.update([sample_source])
    gen = current_generation(tmp_path)
    index.close()

    run_and_kill(tmp_path, "rebuild", after_articles=700)

    assert current_generation(tmp_path) == gen
    reopened = SearchIndex(tmp_path)
    assert reopened.search("扬尘").total == 1
    stats = reopened.update([sample_source])
    assert not stats.rebuilt and stats.sources_added == 0
    assert len(list(tmp_path.glob("gen-*"))) == 2  # the killed build's unfinished generation
    assert reopened.rebuild([sample_source]).rebuilt
    assert len(list(tmp_path.glob("gen-*"))) == 1  # ... is cleaned up by the next build
    assert reopened.search("伟潮").total >= 1


def test_killed_first_build_resumes(tmp_path, sample_source):
    run_and_kill(tmp_path, "update", after_articles=700)
    index = SearchIndex(tmp_path)
    partial = index.article_count
    sources = archive(2000, seed=21)
    total = sum(len(s.articles) for s in sources)
    assert 0 < partial < total  # finished segments were kept and are searchable
    stats = index.update(sources + [sample_source])
    assert not stats.rebuilt and stats.articles_added == total + len(sample_source.articles) - partial
    assert index.search("扬尘").total == 1
    last = sources[-1]
    assert last.source.path in sources_of(index.search(phrase_of(last)))


def _corrupt_segments(index_dir: Path) -> None:
    gen = index_dir / current_generation(index_dir)
    for f in gen.iterdir():
        if f.suffix in (".seg", ".trm", ".pst", ".fvz") or f.name.endswith(".toc"):
            data = f.read_bytes()
            f.write_bytes(data[: len(data) // 3] + b"\x00garbage" * 50)


def _bad_pointer(index_dir: Path) -> None:
    (index_dir / "CURRENT").write_text("../../etc\n", "utf-8")


def _foreign_marker(index_dir: Path) -> None:
    gen = index_dir / current_generation(index_dir)
    (gen / "baozhi-index.json").write_text(json.dumps({"format": "someone-else", "version": 1}))


def _future_version(index_dir: Path) -> None:
    gen = index_dir / current_generation(index_dir)
    (gen / "baozhi-index.json").write_text(json.dumps({"format": "baozhi-search", "version": 99}))


def _deleted_files(index_dir: Path) -> None:
    gen = index_dir / current_generation(index_dir)
    for f in gen.iterdir():
        if f.name != "baozhi-index.json":
            f.unlink()


def _zeroed_files(index_dir: Path) -> None:
    gen = index_dir / current_generation(index_dir)
    for f in gen.iterdir():
        if f.suffix in (".seg", ".trm", ".pst"):
            f.write_bytes(b"\x00" * f.stat().st_size)


def _binary_pointer(index_dir: Path) -> None:
    (index_dir / "CURRENT").write_bytes(b"\xff\xfe\x00garbage")


@pytest.mark.parametrize("damage", [_corrupt_segments, _bad_pointer, _foreign_marker, _future_version,
                                    _deleted_files, _binary_pointer, _zeroed_files])
def test_damaged_index_is_detected_and_rebuilt(tmp_path, sample_source, damage):
    index = SearchIndex(tmp_path)
    index.update([sample_source])
    index.close()
    damage(tmp_path)

    reopened = SearchIndex(tmp_path)
    stats = reopened.update([sample_source])
    assert stats.rebuilt
    assert stats.notice and "rebuilt" in stats.notice
    assert reopened.search("扬尘").total == 1
    assert reopened.search('"食品安全"').total >= 1


def test_an_index_of_another_format_version_is_rebuilt_with_a_plain_notice(tmp_path, sample_source):
    index = SearchIndex(tmp_path)
    index.update([sample_source])
    index.close()
    pointer = (tmp_path / generations.CURRENT).read_text("utf-8").strip()
    marker = tmp_path / pointer / generations.MARKER
    data = json.loads(marker.read_text("utf-8"))
    marker.write_text(json.dumps(dict(data, version=generations.FORMAT_VERSION - 1)), "utf-8")

    reopened = SearchIndex(tmp_path)
    stats = reopened.update([sample_source])
    assert stats.rebuilt and "another version of this program" in stats.notice
    assert "damaged" not in stats.notice
    assert reopened.search("扬尘").total == 1


def test_foreign_whoosh_index_in_the_folder(tmp_path, sample_source):
    ix = whoosh_index.create_in(str(tmp_path), Schema(body=TEXT(stored=True)))
    with ix.writer() as w:
        w.add_document(body="hello")
    ix.close()
    index = SearchIndex(tmp_path)
    assert index.search("扬尘").total == 0  # nothing of ours yet, and no exception
    stats = index.update([sample_source])
    assert stats.rebuilt and stats.notice and "did not make" in stats.notice
    assert index.search("扬尘").total == 1
    assert any(tmp_path.glob("*.toc"))  # someone else's files are left alone


def test_damage_found_while_searching_does_not_raise(tmp_path, sample_source, monkeypatch):
    from whoosh.codec.whoosh3 import CorruptIndexError

    index = SearchIndex(tmp_path)
    index.update([sample_source])
    assert index.search("扬尘").total == 1

    def broken(*args, **kwargs):
        raise CorruptIndexError("Bad postings block tag")

    for _seg, _offset, leaf in index._segments:  # what a damaged postings file raises mid-search
        monkeypatch.setattr(leaf, "term_info", broken)
    result = index.search("食品安全")  # no exception
    assert result.total == 0 and result.notice and "rebuild" in result.notice
    monkeypatch.undo()

    again = SearchIndex(tmp_path)  # another program, or the next start
    stats = again.update([sample_source])
    assert stats.rebuilt and stats.notice
    assert again.search("食品安全").total >= 1
    assert index.update([sample_source]).sources_added == 0  # the first one follows the switch
    assert index.search("扬尘").total == 1


def test_second_instance_waits_for_the_lock_and_leaves_the_index_intact(tmp_path, pages, monkeypatch):
    monkeypatch.setattr(updating, "LOCK_TIMEOUT", 0.2)
    first = SearchIndex(tmp_path)
    first.update(pages[:2])
    gen = tmp_path / current_generation(tmp_path)
    holder = whoosh_index.open_dir(str(gen)).writer()  # another program is writing
    try:
        second = SearchIndex(tmp_path)
        stats = second.update(pages[:3])
        assert stats.locked and stats.notice and stats.sources_added == 0
        assert second.search(phrase_of(pages[0])).total >= 1
    finally:
        holder.cancel()
    stats = second.update(pages[:3])
    assert not stats.locked and stats.sources_added == 1
    assert second.search(phrase_of(pages[2])).total >= 1
    assert first.update(pages[:3]).sources_added == 0


def test_searching_while_a_worker_updates(tmp_path, pages):
    import threading

    index = SearchIndex(tmp_path)
    index.update(pages[:1])
    errors: list[BaseException] = []

    def work():
        try:
            for n in range(2, len(pages) + 1):
                index.update(pages[:n])
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    worker = threading.Thread(target=work)
    worker.start()
    seen = set()
    while worker.is_alive():
        result = index.search(phrase_of(pages[0]))
        assert result.total >= 1  # the first page is searchable throughout
        seen.add(index.article_count)
    worker.join()
    assert not errors
    assert index.article_count == sum(len(p.articles) for p in pages)
    assert pages[-1].source.path in sources_of(index.search(phrase_of(pages[-1])))


def test_trigram_buckets_hot_lists_and_deletions_keep_results_exact(tmp_path, monkeypatch):
    """Every way a literal is answered (uni/bigram postings, a trigram's own term or its shared
    bucket, the short hot lists, df-based totals corrected for deleted articles) against a scan."""
    import random

    import app.search.writer as writer
    from app.search.analysis import fold
    from app.search.records import searchable_text

    monkeypatch.setattr(updating, "SEGMENT_DOCS", 150)
    monkeypatch.setattr(writer, "TRIGRAM_MIN", 6)  # small segments still get trigram terms ...
    monkeypatch.setattr(writer, "TRIGRAM_SAMPLE", 60)  # ... chosen from a sample
    monkeypatch.setattr(writer, "HOT_MIN", 8)
    sources = archive(500, seed=5)
    index = SearchIndex(tmp_path)
    index.update(sources)
    index.update(sources[:-6])  # deletions in the last segment ...
    live = sources[:-9] + sources[-6:-3]
    index.update(live)  # ... and in others, plus a small new segment
    assert any(seg.deleted for seg, _o, _l in index._segments)
    articles = [a for s in live for a in s.articles]
    texts = [fold(searchable_text(a)) for a in articles]
    rng = random.Random(7)
    queries = ["记者", "发展", "江门日", "江门日报讯", "的", "量子纠缠态"]
    while len(queries) < 120:
        text = rng.choice(texts)
        n = rng.randint(1, 7)
        at = rng.randrange(len(text) - n)
        piece = text[at:at + n]
        if piece == piece.strip() and "\n" not in piece and '"' not in piece and "  " not in piece:
            queries.append(piece)
    for q in queries:
        want = {articles[i].id for i, t in enumerate(texts) if q in t}
        every = index.search(f'"{q}"', limit=None)
        top = index.search(f'"{q}"', limit=20)
        assert {h.id for h in every.hits} == want, q
        assert every.total == top.total == len(want), q
        assert len(top.hits) == min(20, len(want)), q
        assert {h.id for h in top.hits} <= want, q
    index.close()


@pytest.mark.parametrize("what, words", [("entities", "entity model"), ("opencc", "OpenCC"),
                                         ("unicode", "Unicode version")])
def test_an_index_made_with_another_entity_model_or_fold_table_is_rebuilt_once(tmp_path, sample_source,
                                                                                monkeypatch, what, words):
    index = SearchIndex(tmp_path)
    index.update([sample_source])
    index.close()
    pointer = (tmp_path / generations.CURRENT).read_text("utf-8").strip()
    recorded = json.loads((tmp_path / pointer / generations.MARKER).read_text("utf-8"))["made_with"]
    assert recorded == generations.made_with_now()  # the marker says what the index was made with

    current = dict(recorded, **{what: recorded[what] + "-updated"})  # e.g. a new entity model
    monkeypatch.setattr(generations, "made_with_now", lambda: dict(current))
    reopened = SearchIndex(tmp_path)
    stats = reopened.update([sample_source])
    assert stats.rebuilt and words in stats.notice and "damaged" not in stats.notice
    assert reopened.search("扬尘").total == 1
    reopened.close()
    again = SearchIndex(tmp_path).update([sample_source])  # rebuilt once: the new marker matches
    assert not again.rebuilt and again.notice is None and again.sources_unchanged == 1


def test_a_build_written_by_several_processes_finds_what_one_process_finds(tmp_path, monkeypatch):
    """A full build's segments are written by a pool of processes (one per core) and committed
    together: the same results as the one-process build, in as many segments as processes."""
    sources = archive(600, seed=31)
    monkeypatch.setattr(updating, "BUILD_WORKERS", 1)
    one = SearchIndex(tmp_path / "one")
    one.update(sources)
    monkeypatch.setattr(updating, "BUILD_WORKERS", 3)
    several = SearchIndex(tmp_path / "several")
    seen = []
    stats = several.update(sources, progress=lambda done, total: seen.append(done))
    assert stats.rebuilt and stats.sources_added == len(sources)
    assert stats.articles_indexed == one.article_count == sum(len(s.articles) for s in sources)
    assert len(several._segments) == 3 and len(one._segments) == 1
    assert seen[0] == 0 and seen[-1] == stats.articles_indexed and len(seen) == 4
    for query in ["记者", "发展", "江门日报讯", '"中国人民"', "扬尘 -记者", "量子纠缠态", "的"]:
        a, b = one.search(query, limit=None), several.search(query, limit=None)
        assert {h.id for h in a.hits} == {h.id for h in b.hits} and a.total == b.total, query
    assert several.indexed_sources() == one.indexed_sources()
    # and an unchanged library is then left alone
    again = several.update(sources)
    assert not again.rebuilt and again.sources_added == 0


def test_a_build_in_processes_hands_each_worker_a_file_not_its_articles(tmp_path, monkeypatch):
    """Handed to the pool as objects, up to three jobs were pickled whole in the indexer's memory
    at once (0.9 -> 1.5 GB at 100k articles). Each job is pickled into a file instead, just
    before it is needed; the pool is given its name. No job file is left after a build, a
    cancelled one included."""
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    sources = archive(300, seed=7)
    monkeypatch.setattr(updating, "BUILD_WORKERS", 2)
    monkeypatch.setattr(updating, "SEGMENT_DOCS", 50)  # more jobs than workers: files written as needed
    handed: list[int] = []
    real_submit = ProcessPoolExecutor.submit

    def submit(self, fn, *args, **kwargs):
        handed.append(len(pickle.dumps(args)))
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    index = SearchIndex(tmp_path / "built")
    stats = index.update(sources)
    assert stats.articles_indexed == sum(len(s.articles) for s in sources)
    assert len(handed) == len(index._segments) > 2 and max(handed) < 1000  # names, not articles
    assert not list((tmp_path / "built").rglob("build-job-*"))
    assert index.search("记者").total > 0

    cancelled = SearchIndex(tmp_path / "cancelled")
    stats = cancelled.update(archive(300, seed=8), cancel=lambda: bool(handed))
    assert stats.cancelled
    assert not list((tmp_path / "cancelled").rglob("build-job-*"))


_WRITE_SEGMENT = updating.write_segment


def _first_job_last(folder: str, job_file: str):
    """A pool's task (at module level, so it can be pickled): the first job finishes last."""
    if job_file.endswith("-0.pickle"):
        time.sleep(1.5)
    return _WRITE_SEGMENT(folder, job_file)


def test_a_build_in_processes_commits_its_segments_in_the_librarys_order(tmp_path, monkeypatch):
    """Segments were committed as their processes finished: articles that rank alike were listed
    in an order that changed from one build to the next. The first source's articles come first
    however the jobs finish."""
    sources = archive(200, seed=9)
    monkeypatch.setattr(updating, "BUILD_WORKERS", 2)
    monkeypatch.setattr(updating, "PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(updating, "write_segment", _first_job_last)
    index = SearchIndex(tmp_path)
    index.update(sources)
    loaded = index._loaded
    assert len(loaded.segments) == 2
    assert [loaded.meta(d).id for d in range(index.article_count)] == [a.id for s in sources for a in s.articles]
    index.close()


def test_a_build_in_processes_beside_other_threads_spawns_them(tmp_path, monkeypatch):
    import threading

    monkeypatch.setattr(updating, "BUILD_WORKERS", 2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # as the window's indexer answers queries
    other.start()
    try:
        assert updating._context().get_start_method() == "spawn"
        index = SearchIndex(tmp_path)
        sources = archive(120, seed=4)
        assert index.update(sources).articles_indexed == sum(len(s.articles) for s in sources)
        assert len(index._segments) == 2 and index.search("记者").total > 0
    finally:
        stop.set()
        other.join()


# ---------------------------------------------------------------- which sources the index holds


def src_postings_read(monkeypatch) -> list:
    """Every ``src`` posting list a segment reader is asked for from now on."""
    from whoosh.reading import SegmentReader

    calls: list = []
    postings = SegmentReader.postings

    def counting(self, fieldname, text, *args, **kwargs):
        if fieldname == "src":
            calls.append(text)
        return postings(self, fieldname, text, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "postings", counting)
    return calls


def expected_sources(sources) -> dict[str, int]:
    return {s.source.sha256: len(s.articles) for s in sources}


def test_indexed_sources_come_from_runs_kept_beside_each_segment(tmp_path, pages, monkeypatch):
    index = SearchIndex(tmp_path)
    index.update(pages[:3])
    index.update(pages[:5])  # a second segment
    index.update([pages[0], pages[2], pages[3], pages[4]])  # pages[1] deleted from the first one
    index.close()
    gen = tmp_path / current_generation(tmp_path)
    assert len(list(gen.glob("*.srcs"))) == 2
    read = src_postings_read(monkeypatch)
    reopened = SearchIndex(tmp_path)
    kept = [pages[0], pages[2], pages[3], pages[4]]
    assert reopened.indexed_sources() == expected_sources(kept)
    assert read == []  # not one posting list of the ``src`` field was read
    stats = reopened.update(kept)
    assert stats.sources_unchanged == 4 and stats.sources_added == stats.sources_removed == 0
    # the deleted source comes back; a changed library is counted right after each update
    assert reopened.update(pages).sources_added == 2
    assert reopened.indexed_sources() == expected_sources(pages)
    assert read == []
    assert sum(reopened.indexed_sources().values()) == reopened.article_count


def test_the_counts_per_source_are_kept_per_commit_and_go_with_it(tmp_path, pages, monkeypatch):
    """A just-opened index of 10,000 sources counted them from five segments' runs (~8 ms of each
    ``baozhi search``); the sum is kept per commit, read back whole, never trusted when damaged,
    and removed by Whoosh's own clean-up at the next commit."""
    import marshal

    import app.search.segments as segments

    index = SearchIndex(tmp_path)
    index.update(pages[:3])
    index.close()
    gen = tmp_path / current_generation(tmp_path)
    counted = SearchIndex(tmp_path)
    assert counted.indexed_sources() == expected_sources(pages[:3])
    [kept] = gen.glob("*.counts")
    assert kept.name == f"MAIN_toc{counted._loaded.reader.generation()}.counts"
    counted.close()

    real_runs = segments.read_source_runs
    runs_read: list = []
    monkeypatch.setattr(segments, "read_source_runs", lambda *a: runs_read.append(a) or real_runs(*a))
    again = SearchIndex(tmp_path)
    assert again.indexed_sources() == expected_sources(pages[:3]) and runs_read == []
    again.close()
    right = expected_sources(pages[:3])
    wrong_types = (marshal.dumps({**right, "none": 0}), marshal.dumps({k: float(n) for k, n in right.items()}),
                   marshal.dumps({**right, 7: 0}))  # each adding up to the live articles
    for damage in (b"\x00not marshal", marshal.dumps({"x": 1}), marshal.dumps(["a"]), b"", *wrong_types):
        kept.write_bytes(damage)
        damaged = SearchIndex(tmp_path)
        assert damaged.indexed_sources() == expected_sources(pages[:3])
        damaged.close()
        assert runs_read  # counted again, and kept again
        assert marshal.loads(kept.read_bytes()) == expected_sources(pages[:3])
        runs_read.clear()

    updating_index = SearchIndex(tmp_path)
    assert updating_index.update(pages[:5]).sources_added == 2
    assert not kept.exists()  # the next commit's clean-up took it
    assert updating_index.indexed_sources() == expected_sources(pages[:5])
    assert [p.name for p in gen.glob("*.counts")] == [f"MAIN_toc{updating_index._loaded.reader.generation()}.counts"]


@pytest.mark.parametrize("damage", ["missing", "garbage", "short"])
def test_an_index_without_its_source_runs_reads_the_postings_and_keeps_them(tmp_path, pages, monkeypatch, damage):
    index = SearchIndex(tmp_path)
    index.update(pages[:3])
    index.update(pages[:5])
    index.close()
    gen = tmp_path / current_generation(tmp_path)
    for path in gen.glob("*.srcs"):  # as an index written before the runs were kept
        if damage == "missing":
            path.unlink()
        elif damage == "garbage":
            path.write_bytes(b"\x00not json")
        else:  # runs that do not cover the segment's documents
            path.write_text('{"runs": [["x", 0, 1]]}', "utf-8")
    read = src_postings_read(monkeypatch)
    reopened = SearchIndex(tmp_path)
    assert reopened.indexed_sources() == expected_sources(pages[:5])
    assert read  # read from the postings ...
    assert reopened.update(pages[:5]).sources_unchanged == 5
    reopened.close()
    read.clear()
    again = SearchIndex(tmp_path)  # ... once: the runs were written for the next time
    assert again.indexed_sources() == expected_sources(pages[:5])
    assert read == []
    assert again.search(phrase_of(pages[4])).total >= 1


def test_an_index_without_runs_and_with_deletions_counts_from_the_postings(tmp_path, pages, monkeypatch):
    index = SearchIndex(tmp_path)
    index.update(pages[:4])
    index.update(pages[1:4])  # pages[0] deleted
    index.close()
    gen = tmp_path / current_generation(tmp_path)
    for path in gen.glob("*.srcs"):
        path.unlink()
    reopened = SearchIndex(tmp_path)
    assert reopened.indexed_sources() == expected_sources(pages[1:4])
    assert reopened.update(pages[:4]).sources_added == 1
    assert reopened.indexed_sources() == expected_sources(pages[:4])


def test_a_killed_writer_leaves_source_counts_that_match_the_index(tmp_path, monkeypatch):
    run_and_kill(tmp_path, "update", after_articles=700)
    read = src_postings_read(monkeypatch)
    index = SearchIndex(tmp_path)
    held = index.indexed_sources()
    assert read == []
    assert 0 < sum(held.values()) == index.article_count
    sources = archive(2000, seed=21)
    wanted = {s.source.sha256: len(s.articles) for s in sources}
    assert all(wanted[src] == n for src, n in held.items())  # whole sources, none cut short
    index.update(sources)
    assert index.indexed_sources() == wanted
    assert read == []
