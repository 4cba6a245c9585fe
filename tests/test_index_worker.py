"""The window's indexer process (app/index_worker.py): its protocol, its failures, being killed."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import pickle
import random
import sys
import threading
import time
from pathlib import Path

import pytest

from app import index_worker
from app.index_worker import Entities, Failed, Finished, Progress, Worker
from app.entity_cache import entity_cache_dir
from app.library import Library
from app.model import SearchHit
from app.paths import sample_page
from app.search import SearchIndex
from tests.benchmarks.corpus import ArchiveGenerator, add_pages
from tests.hardening.held_index_worker import hold


@pytest.fixture()
def sample_library() -> Library:
    library = Library()
    library.add(sample_page())
    return library


def run_worker(index_dir: Path, sources: list, cache: Path | None = None) -> list[index_worker.Message]:
    worker = Worker(index_dir, sources, cache)
    try:
        worker.start()
        return list(worker.events())
    finally:
        worker.close()


def test_the_child_fills_entities_indexes_and_reports_progress_then_finished(tmp_path, sample_library):
    index_dir = tmp_path / "index"
    cache = entity_cache_dir(index_dir)
    articles = sample_library.articles
    messages = run_worker(index_dir, sample_library.sources, cache)

    entities = [m for m in messages if isinstance(m, Entities)]
    assert [m.source for m in entities] == [0]  # the one source, by its number in the request
    spans = entities[0].spans
    assert len(spans) == len(articles) and sum(map(len, spans)) > 20
    first = spans[0][0]
    assert articles[0].paragraphs[first["paragraph"]].text[first["start"]:first["end"]] == first["text"]
    assert any(e["type"] == "PERSON" and e["text"] == "区用" for rows in spans for e in rows)
    progress = [m for m in messages if isinstance(m, Progress)][-1]
    assert (progress.done, progress.total) == (len(articles), len(articles))
    assert isinstance(messages[-1], Finished) and messages[-1].stats["articles_indexed"] == len(articles)
    assert list(cache.glob("*.ents"))  # cached for the next start

    index = SearchIndex(index_dir)
    hits = index.search("扬尘").hits
    assert hits and hits[0].title == "区领导调研大气污染防治工作"
    assert index.search("person:区用").total >= 1  # the index's person field came from the child's entities
    index.close()

    # a second run: everything is cached and indexed; no entities are sent for articles that have them
    for article, rows in zip(articles, spans):
        from app.model import EntitySpan

        article.entities = [EntitySpan(**e) for e in rows]
    again = run_worker(index_dir, sample_library.sources, cache)
    assert not [m for m in again if isinstance(m, Entities)]
    assert isinstance(again[-1], Finished)
    assert again[-1].stats["sources_unchanged"] == 1 and again[-1].stats["articles_added"] == 0


@pytest.mark.skipif(not hasattr(__import__("os"), "getpriority"), reason="POSIX priorities")
def test_the_child_indexes_at_a_lower_priority_than_the_window(tmp_path, sample_library):
    import os

    worker = Worker(tmp_path / "index", sample_library.sources)
    try:
        worker.start()
        pid = worker.process.pid
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        deadline = time.monotonic() + 30
        child = mine
        while child == mine and time.monotonic() < deadline:  # it lowers itself as it starts
            try:
                child = os.getpriority(os.PRIO_PROCESS, pid)
            except ProcessLookupError:
                break
            time.sleep(0.01)
        assert child == min(mine + index_worker.NICENESS, 19)
        assert isinstance(list(worker.events())[-1], Finished)
    finally:
        worker.close()


def test_request_and_replies_round_trip_in_process_without_the_decoded_text(tmp_path, sample_library):
    """write_request leaves each source's decoded text out (the index needs only the articles)."""
    request = io.BytesIO()
    index_worker.write_request(request, tmp_path / "index", None, sample_library.sources)
    assert len(request.getvalue()) < len(sample_library.sources[0].source.text.encode("utf-8")) * 3
    request.seek(0)
    replies = io.BytesIO()
    assert index_worker.serve(request, replies) == 0
    messages = [index_worker.decode(line) for line in replies.getvalue().splitlines()]
    assert isinstance(messages[-1], index_worker.Finished)
    assert messages[-1].stats["articles_indexed"] == len(sample_library.articles)
    assert all(json.loads(line)["version"] == index_worker.PROTOCOL_VERSION for line in replies.getvalue().splitlines())
    assert sample_library.sources[0].source.text  # the parent's own copy is untouched


def test_the_sender_rests_after_each_stretch_of_pickling(tmp_path, sample_library, monkeypatch):
    """Pickling a large library to the child without a rest kept the interpreter from the GUI
    thread's paints (61-131 ms gaps reopening 100k articles): it rests SEND_REST_S after every
    SEND_WORK_S of it, and sends the same request."""
    sources = sample_library.sources * 40
    plain = io.BytesIO()
    monkeypatch.setattr(index_worker, "SEND_WORK_S", 1e9)  # never rests
    index_worker.write_request(plain, tmp_path / "index", None, sources)
    clock = iter(i * 0.001 for i in range(10**6))  # each source "takes" 1 ms to pickle
    rests: list[float] = []
    monkeypatch.setattr(index_worker, "SEND_WORK_S", 0.004)
    monkeypatch.setattr(index_worker.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(index_worker.time, "sleep", rests.append)
    rested = io.BytesIO()
    index_worker.write_request(rested, tmp_path / "index", None, sources)
    assert rested.getvalue() == plain.getvalue()
    assert rests and set(rests) == {index_worker.SEND_REST_S} and 0 < index_worker.SEND_REST_S <= 0.002
    assert len(sources) // 5 <= len(rests) <= len(sources) // 4 + 1  # once per 4 ms of work


@pytest.mark.parametrize("large", [False, True])
def test_the_child_holds_a_large_librarys_heads_and_a_small_ones_articles(tmp_path, monkeypatch, large):
    """What the window opened lazily comes as the store's keys: a large library is read as heads
    (paragraphs read as needed), a small one whole (its scans answer sooner)."""
    import app.library as library
    from app.store import ArticleStore, StoredArticle

    pages = tmp_path / "pages"
    pages.mkdir()
    add_pages(Library(), pages, 6, seed=5)
    paths = sorted(pages.glob("*.txt"))
    store = ArticleStore(tmp_path / "store")
    library.open_sources(paths, store)
    lazily, _ = library.open_sources(paths, store, lazy=True, heads=True)
    monkeypatch.setattr(index_worker, "HEADS_ONLY_MIN_SOURCES", 1 if large else 10_000)
    held: list = []
    real = SearchIndex.update
    monkeypatch.setattr(SearchIndex, "update", lambda self, sources, **kw: (
        held.extend(a for s in sources for a in s.articles), real(self, sources, **kw))[1])
    request = io.BytesIO()
    index_worker.write_request(request, tmp_path / "index", None, lazily)
    request.seek(0)
    replies = io.BytesIO()
    assert index_worker.serve(request, replies) == 0
    assert isinstance(index_worker.decode(replies.getvalue().splitlines()[-1]), Finished)
    assert len(held) == sum(len(s.articles) for s in lazily) > 0
    if large:  # (a small update writes in this process: what it read stays, up to LOADED_MAX)
        assert all(isinstance(a, StoredArticle) for a in held)
    else:
        assert not any(isinstance(a, StoredArticle) for a in held) and all(a.paragraphs for a in held)


def test_a_child_that_dies_without_a_word_is_reported_as_a_failure(tmp_path, sample_library, monkeypatch):
    monkeypatch.setattr(index_worker, "command",
                        lambda: [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(3)"])
    messages = run_worker(tmp_path / "index", sample_library.sources)
    assert messages == [Failed("the indexer stopped unexpectedly (exit code 3)")]


def test_a_child_that_dies_before_reading_a_large_request_is_reported_and_cleaned_up(tmp_path, sample_library,
                                                                                     monkeypatch):
    """The window cancelling while the request is still being written: the pipe breaks with
    bytes left in its buffer, which must not escape as an exception from close()."""
    monkeypatch.setattr(index_worker, "command", lambda: [sys.executable, "-c", "import sys; sys.exit(4)"])
    sources = sample_library.sources * 40  # well over a pipe's buffer
    worker = Worker(tmp_path / "index", sources)
    worker.start()
    messages = list(worker.events())
    worker.close()
    assert messages == [Failed("the indexer stopped unexpectedly (exit code 4)")]
    assert worker.process.returncode == 4


def test_a_failure_inside_the_child_comes_back_as_one_sentence(tmp_path, sample_library):
    blocker = tmp_path / "index"
    blocker.write_text("a file where the index folder should be", encoding="utf-8")
    messages = run_worker(blocker, sample_library.sources)
    assert len(messages) == 1 and isinstance(messages[0], Failed)
    assert "FileExistsError" in messages[0].message or "NotADirectoryError" in messages[0].message
    assert "Traceback" in messages[0].details


def test_killing_the_child_at_random_moments_leaves_a_usable_index(tmp_path):
    """What cancelling in the window does: kill the child wherever it is. The next open always has
    a usable index holding exactly the previous library or the new one, never a mix."""
    gen = ArchiveGenerator(seed=77)
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(16):
        page = gen.page(i)
        (folder / page.name).write_text(page.text, encoding="utf-8")
    pages = sorted(folder.glob("*.txt"))
    libraries = [Library(), Library()]  # no page in common: every switch removes half and adds half
    libraries[0].add_many(pages[:8])
    libraries[1].add_many(pages[8:])
    sizes = [len(lib.articles) for lib in libraries]
    assert sizes[0] != sizes[1]
    index_dir = tmp_path / "index"
    assert run_worker(index_dir, libraries[0].sources)[-1].stats["articles_indexed"] == sizes[0]
    start = time.monotonic()
    assert run_worker(index_dir, libraries[1].sources)[-1].stats["articles_indexed"] == sizes[1]
    full = time.monotonic() - start  # one switch, from starting the child to its last word
    rng = random.Random(8)
    state, killed = 1, 0
    for cycle in range(6):
        target = 1 - state
        worker = Worker(index_dir, libraries[target].sources)
        try:
            worker.start()
            worker.send_request()
            time.sleep(full * rng.random())
            if worker.process.poll() is None:
                worker.kill()
            last = list(worker.events())[-1]
            killed += isinstance(last, Failed)
        finally:
            worker.close()
        index = SearchIndex(index_dir)
        count = index.article_count
        assert count in (sizes[state], sizes[target]), f"cycle {cycle}: a mixed index of {count} articles {index.notice}"
        assert index.search("记者").total > 0
        index.close()
        state = state if count == sizes[state] else target
    assert killed >= 2, f"only {killed} of 6 runs were interrupted"


# -- queries answered by the child while it works (the window's scan for large libraries) ----------
@contextlib.contextmanager
def relayed(worker: Worker):
    """Start ``worker`` with a thread reading its events, as the window's writer thread does;
    yields (the events so far, that thread); closes the child and joins the thread after."""
    messages: list[index_worker.Message] = []
    relay = threading.Thread(target=lambda: messages.extend(worker.events()))
    try:
        worker.start()
        relay.start()
        yield messages, relay
    finally:
        worker.close()
        if relay.ident is not None:  # (started)
            relay.join(10)


QUERIES = ["江海", "扬尘", "记者", "title:江海", "江海 -扬尘", "区 OR 市", "body:会议", "person:区用", "不存在的词语", ""]


def test_the_child_answers_queries_while_it_works_exactly_as_a_scan_here(tmp_path, sample_library, monkeypatch):
    from app.search.scan import scan_articles

    gate = hold(monkeypatch, tmp_path)
    add_pages(sample_library, tmp_path, 6, seed=5)
    articles = sample_library.articles
    worker = Worker(tmp_path / "index", sample_library.sources, queries=True)
    try:
        with relayed(worker) as (messages, relay):
            for query in QUERIES:
                answer = worker.ask(query, timeout=60)
                assert answer is not None, query
                expected = scan_articles(articles, query)
                assert isinstance(answer, index_worker.Answer) and answer.failed is None, query
                assert answer.total == expected.total, query
                assert answer.hits == [h.to_dict() for h in expected.hits], query  # plain snippets and marks
                assert [SearchHit.from_dict(h) for h in answer.hits] == expected.hits, query
            assert sum(worker.ask(q).total > 0 for q in QUERIES) >= 6  # most of them find something
            assert not messages or not isinstance(messages[-1], Finished)  # all asked while the index was held
            gate.touch()
            relay.join(60)
            assert isinstance(messages[-1], Finished)
            assert messages[-1].stats["articles_indexed"] == len(articles)
            assert worker.ask("江海") is None  # the child has ended: the window answers another way
    finally:
        gate.touch()  # (a failed assertion must not leave the child waiting)


def test_queries_are_only_answered_when_asked_for_and_a_dying_child_answers_none(tmp_path, sample_library,
                                                                                monkeypatch):
    assert Worker(tmp_path / "index", sample_library.sources).ask("江海") is None  # at once: never started

    hold(monkeypatch, tmp_path, die_on_query=True)
    worker = Worker(tmp_path / "index", sample_library.sources, queries=True)
    with relayed(worker) as (messages, relay):
        assert worker.ask("江海", timeout=60) is None  # it died instead of answering: no hang
        relay.join(60)
        assert messages == [Failed("the indexer stopped unexpectedly (exit code 9)")]

    killed = Worker(tmp_path / "index", sample_library.sources, queries=True)
    killed.kill()  # cancelled before it started (the window's writer had not got to it)
    assert killed.ask("江海") is None


def test_sending_the_articles_leaves_nothing_new_for_the_cyclic_gc(tmp_path):
    """The window moves the loaded library out of the cyclic GC's reach (gc.freeze). Sending it
    to the child must not make new long-lived objects: pickling gave every article a __dict__
    (before Article had slots), and at 100k articles the full collections walking those took
    55-65 ms of the window's interpreter."""
    import gc

    library = Library()
    add_pages(library, tmp_path, 12, seed=11)
    articles = library.articles
    assert len(articles) > 90
    gc.collect()
    gc.freeze()
    try:
        before = len(gc.get_objects())
        index_worker.write_request(io.BytesIO(), tmp_path / "index", None, library.sources, queries=True)
        after = len(gc.get_objects())
    finally:
        gc.unfreeze()
    assert after - before < len(articles) // 4


def test_the_child_folds_the_library_for_queries_before_it_indexes(tmp_path):
    """The first query must not wait for folding that shares the child's interpreter with the
    recogniser: wait_idle() (called by the indexing between sources) returns once it is done."""
    import os

    library = Library()
    add_pages(library, tmp_path, 20, seed=12)
    articles = library.articles
    read, write = os.pipe()
    with os.fdopen(read, "rb") as inp:
        try:
            server = index_worker.ScanServer(articles, inp, send=lambda _message: None)
            server.start()
            server.wait_idle()
            folded = len(server.cache)
        finally:
            os.close(write)  # the end of the queries: its reading thread stops before inp is closed
    assert folded == len(articles)


def test_messages_are_typed_and_versioned_on_the_wire():
    sent = index_worker.Progress(3, 7)
    line = index_worker.encode(sent)
    assert json.loads(line) == {"kind": "progress", "version": index_worker.PROTOCOL_VERSION, "done": 3, "total": 7}
    assert index_worker.decode(line) == sent
    failed = index_worker.Failed("OSError: disk full", "Traceback ...")
    assert json.loads(index_worker.encode(failed)) == {"kind": "failed", "version": index_worker.PROTOCOL_VERSION,
                                                       "message": "OSError: disk full", "details": "Traceback ..."}
    assert index_worker.decode(index_worker.encode(failed)) == failed
    # another version of the protocol is a failure that says so; stray lines are not messages
    other = json.dumps({"kind": "progress", "version": 1, "done": 1, "total": 2})
    assert isinstance(index_worker.decode(other), index_worker.Failed)
    assert "protocol version 1" in index_worker.decode(other).message
    for stray in ("hello", "[1, 2]", '{"progress": [1, 2]}', '{"kind": "nonsense", "version": 2}'):
        assert index_worker.decode(stray) is None, stray


def test_a_request_of_another_protocol_version_is_refused_with_a_sentence(tmp_path):
    request = io.BytesIO()
    pickle.dump({"index_dir": str(tmp_path / "index"), "entity_cache": None}, request)  # version 1: no "version"
    pickle.dump(None, request)
    request.seek(0)
    replies = io.BytesIO()
    assert index_worker.serve(request, replies) == 1
    (reply,) = [index_worker.decode(line) for line in replies.getvalue().splitlines()]
    assert isinstance(reply, index_worker.Failed) and "protocol version None" in reply.message


def test_a_child_that_crashes_is_reported_with_its_cause_from_stderr_and_logged(tmp_path, sample_library,
                                                                               monkeypatch, caplog):
    crash = "import sys; sys.stdin.buffer.read(); import no_such_module_for_the_indexer"
    monkeypatch.setattr(index_worker, "command", lambda: [sys.executable, "-c", crash])
    with caplog.at_level(logging.WARNING, logger="baozhi.indexer"):
        messages = run_worker(tmp_path / "index", sample_library.sources)
    (last,) = messages
    assert isinstance(last, Failed)
    assert last.message.startswith("the indexer stopped unexpectedly (exit code 1): ModuleNotFoundError")
    assert "no_such_module_for_the_indexer" in last.message and "Traceback" in last.details
    assert "ModuleNotFoundError" in caplog.text  # the window's log file gets the child's stderr
