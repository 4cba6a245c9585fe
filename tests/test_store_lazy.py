"""Opening lazily (issue #19): the window lists a library from the article store's heads and reads
an article's paragraphs only when it is shown, searched or exported, so memory does not grow with
the archive's full text."""

from __future__ import annotations

import logging
import pickle

import pytest

import app.store as store_module
from app.library import LoadedSource, fetch_from_store, open_sources, parse_source
from app.marks.anchors import article_key, body_start
from app.sources import read_source
from app.store import ArticleStore, StoredArticle, load_paragraphs, unload_paragraphs
from tests.test_store import write_pages


def opened(tmp_path, count=4):
    paths = write_pages(tmp_path / "pages", count)
    store = ArticleStore(tmp_path / "store")
    open_sources(paths, store)  # the first open splits and keeps them
    loaded, errors = open_sources(paths, store, lazy=True, heads=True)
    assert not errors
    return paths, store, loaded


def full_articles(path):
    return parse_source(read_source(path))


def test_heads_are_listed_without_reading_any_paragraph(tmp_path):
    paths, _store, loaded = opened(tmp_path)
    articles = [a for s in loaded for a in s.articles]
    assert articles and all(isinstance(a, StoredArticle) for a in articles)
    assert not any(a.paragraphs_loaded for a in articles)
    full = [a for p in paths for a in full_articles(p)]
    # what the list shows, and the marks' key, come from the store's heads
    assert [(a.id, a.title, a.authors, a.date, a.lede) for a in articles] == \
        [(a.id, a.title, a.authors, a.date, a.lede) for a in full]
    assert [article_key(a) for a in articles] == [article_key(a) for a in full]
    assert not any(a.paragraphs_loaded for a in articles)


def test_paragraphs_are_read_when_asked_for_and_equal_the_split(tmp_path):
    paths, _store, loaded = opened(tmp_path)
    a = loaded[1].articles[2]
    full = full_articles(paths[1])[2]
    assert a.paragraphs == full.paragraphs and a.paragraphs_loaded
    assert a.body_text == full.body_text and a.all_text() == full.all_text()
    assert not loaded[1].articles[1].paragraphs_loaded  # only the one asked for


def test_at_most_loaded_max_articles_keep_their_paragraphs(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LOADED_MAX", 3)
    monkeypatch.setattr(store_module, "_loaded", store_module.deque())
    _paths, _store, loaded = opened(tmp_path, count=3)
    articles = [a for s in loaded for a in s.articles]
    for a in articles:
        assert a.paragraphs
    assert [a.paragraphs_loaded for a in articles] == [False] * (len(articles) - 3) + [True] * 3
    assert articles[0].paragraphs and articles[0].paragraphs_loaded  # read again when asked


def test_a_corrected_article_keeps_what_was_set(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LOADED_MAX", 1)
    monkeypatch.setattr(store_module, "_loaded", store_module.deque())
    _paths, _store, loaded = opened(tmp_path, count=1)
    a, b = loaded[0].articles[:2]
    a.paragraphs = a.paragraphs[:1]
    b.paragraphs  # noqa: B018 - reading another lets older ones go
    a.unload()
    assert len(a.paragraphs) == 1
    assert a.lede == full_articles(_paths[0])[0].lede  # (computed from what was set)


def test_a_lost_store_splits_the_file_again(tmp_path):
    paths, store, loaded = opened(tmp_path)
    expected = full_articles(paths[2])[0].paragraphs
    store.forget(loaded[2].store_key)
    assert loaded[2].articles[0].paragraphs == expected
    assert store.has(loaded[2].store_key)  # and kept again


def test_a_file_changed_since_it_was_opened_gives_no_paragraphs_and_says_so(tmp_path, caplog):
    paths, store, loaded = opened(tmp_path)
    store.forget(loaded[0].store_key)
    paths[0].write_text("另一篇完全不同的稿件\n\n内容已经改过了。\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert loaded[0].articles[0].paragraphs == []
    assert "changed since it was opened" in caplog.text


def test_load_paragraphs_reads_many_at_once_and_unload_lets_them_go(tmp_path, monkeypatch):
    paths, store, loaded = opened(tmp_path)
    articles = [a for s in loaded for a in s.articles]
    queries = []
    real = ArticleStore._query
    monkeypatch.setattr(ArticleStore, "_query", lambda self, sql, params=(): queries.append(sql) or real(self, sql, params))
    read = load_paragraphs(articles)
    assert len(read) == len(articles) and len(queries) == 1
    assert [a.paragraphs for a in articles] == [a.paragraphs for p in paths for a in full_articles(p)]
    assert len(queries) == 1  # nothing read one by one
    unload_paragraphs(read)
    assert not any(a.paragraphs_loaded for a in articles)


def test_a_lazily_opened_source_crosses_to_the_indexer_child_without_its_text(tmp_path):
    paths, _store, loaded = opened(tmp_path)
    data = pickle.dumps(loaded[0])
    assert "据介绍".encode() not in data  # heads only: the body stays in the store
    child = pickle.loads(data)
    fetch_from_store([child])
    assert [(a.id, a.title, a.paragraphs) for a in child.articles] == \
        [(a.id, a.title, a.paragraphs) for a in full_articles(paths[0])]
    assert not any(isinstance(a, StoredArticle) for a in child.articles)


def test_an_eagerly_opened_source_still_crosses_with_its_articles(tmp_path):
    paths = write_pages(tmp_path / "pages", 1)
    loaded, _ = open_sources(paths, ArticleStore(tmp_path / "store"))
    child = pickle.loads(pickle.dumps(loaded[0]))
    assert child.articles_loaded and child.articles[0].paragraphs


def test_freshly_split_sources_are_opened_as_heads_too(tmp_path):
    paths = write_pages(tmp_path / "pages", 20)
    loaded, _ = open_sources(paths, ArticleStore(tmp_path / "store"), lazy=True, heads=True, workers=1)
    articles = [a for s in loaded for a in s.articles]
    assert all(isinstance(a, StoredArticle) and not a.paragraphs_loaded for a in articles)
    assert all(s.heads_only for s in loaded)
    assert articles[5].paragraphs == [a for p in paths for a in full_articles(p)][5].paragraphs


def test_without_a_store_sources_open_whole(tmp_path):
    paths = write_pages(tmp_path / "pages", 2)
    loaded, _ = open_sources(paths, None, lazy=True, heads=True)
    assert all(not isinstance(a, StoredArticle) and a.paragraphs for s in loaded for a in s.articles)


def test_the_list_row_snippet_uses_the_stored_lede(tmp_path):
    from app.ui.article_list.delegate import snippet

    paths, _store, loaded = opened(tmp_path)
    a = loaded[0].articles[0]
    assert snippet(a) == snippet(full_articles(paths[0])[0]) and snippet(a)
    assert article_key(a) == article_key(full_articles(paths[0])[0])
    assert not a.paragraphs_loaded
    assert body_start(a) == body_start(full_articles(paths[0])[0])  # (the fuzzy match's: read then)


@pytest.mark.parametrize("count", [1, 3])
def test_loaded_source_ids_and_counts_need_no_paragraphs(tmp_path, count):
    _paths, _store, loaded = opened(tmp_path, count)
    assert isinstance(loaded[0], LoadedSource)
    assert sum(len(s.articles) for s in loaded) == 3 * count
    assert not any(a.paragraphs_loaded for s in loaded for a in s.articles)


def test_packed_spans_read_as_the_list_of_spans_they_hold():
    import sys

    from app.model import EntitySpan, PackedSpans

    spans = [EntitySpan("PERSON", "林小禾", 0, 3, 6), EntitySpan("PLACE", "青禾镇", 2, 10, 13),
             EntitySpan("PERSON", "林小禾", 4, 100000, 100003)]
    packed = PackedSpans([e.to_dict() for e in spans])
    assert packed == spans and spans == list(packed) and PackedSpans(spans) == packed
    assert len(packed) == 3 and packed[1] == spans[1] and packed[-1] == spans[2] and packed[:2] == spans[:2]
    assert bool(packed) and not PackedSpans([]) and PackedSpans([]) == []
    assert {e.text for e in packed} == {"林小禾", "青禾镇"}
    assert pickle.loads(pickle.dumps(packed)) == spans
    # pickled as its parts, not as EntitySpan objects (a build's jobs hold ~840,000 spans each);
    # read back, its names are this process's shared ones
    assert b"EntitySpan" not in pickle.dumps(packed)
    back = pickle.loads(pickle.dumps([packed, PackedSpans([spans[0]])]))
    assert back[0]._names[0] is back[1]._names[0] is packed._names[0] and type(back[0]) is PackedSpans
    with pytest.raises(IndexError):
        packed[3]
    # one tuple per distinct name, however often it is mentioned
    assert packed._names[0] is packed._names[2] is PackedSpans([spans[0]])._names[0]
    assert sys.getsizeof(packed._numbers) < 3 * sys.getsizeof(spans[0])


def test_a_stored_article_pickles_as_the_plain_article_it_reads_as(tmp_path):
    """The index's writer processes take the articles pickled: a lazily opened one goes as the
    plain article, its paragraphs included, its store left behind."""
    from app.model import Article

    paths, _store, loaded = opened(tmp_path)
    a = loaded[2].articles[1]
    assert not a.paragraphs_loaded
    copy = pickle.loads(pickle.dumps(a))
    full = full_articles(paths[2])[1]
    assert type(copy) is Article and copy == full and copy.paragraphs == full.paragraphs


def test_the_indexer_child_reads_heads_and_lets_every_paragraph_go_again(tmp_path, monkeypatch):
    """At 100,000 articles the child held every paragraph for its whole run (0.9 GB before it
    wrote a segment). It now opens what the window opened lazily as heads; the entities, the
    scan and the index's writer processes read paragraphs a few hundred articles at a time, in a
    query or two, and let them go: the same entities, hits and index as with whole articles."""
    from app import index_worker
    from app.search import SearchIndex, updating
    from app.search.scan import scan_articles

    paths = write_pages(tmp_path / "pages", 12)
    store = ArticleStore(tmp_path / "store")
    open_sources(paths, store)
    lazily, _ = open_sources(paths, store, lazy=True, heads=True)
    child = [pickle.loads(pickle.dumps(s)) for s in lazily]  # as the window sends them
    from app.library import heads_from_store

    heads_from_store(child)
    articles = [a for s in child for a in s.articles]
    assert articles and all(isinstance(a, StoredArticle) and not a.paragraphs_loaded for a in articles)
    whole = [LoadedSource(read_source(p), full_articles(p)) for p in paths]

    queries: list[str] = []
    real = ArticleStore._query
    monkeypatch.setattr(ArticleStore, "_query", lambda self, sql, params=(): queries.append(sql) or real(self, sql, params))
    monkeypatch.setattr(index_worker, "ANNOTATE_READ", 5)
    sent: list = []
    index_worker.annotate(child, tmp_path / "entities", set(), sent.append)
    assert len(queries) == 3  # 12 sources, 5 at a time: one query each
    assert not any(a.paragraphs_loaded for a in articles)
    from app.entities import annotate_articles

    for s in whole:
        annotate_articles(s.articles)
    assert [list(a.entities) for a in articles] == [list(a.entities) for s in whole for a in s.articles]
    assert len(sent) == len(child)

    queries.clear()
    found = scan_articles(articles, "记者", cache={})
    assert found.total == scan_articles([a for s in whole for a in s.articles], "记者").total > 0
    assert len(found.hits) > 5 and len(queries) <= 2  # folded from one read, the hits' snippets from one more
    assert not any(a.paragraphs_loaded for a in articles)

    for a in articles:
        a.unload()
    queries.clear()
    monkeypatch.setattr(updating, "BUILD_WORKERS", 2)
    monkeypatch.setattr(updating, "PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(updating, "JOB_READ", 4)
    built, expected = SearchIndex(tmp_path / "lazy"), SearchIndex(tmp_path / "whole")
    built.update(child)
    expected.update(whole)
    assert not any(a.paragraphs_loaded for a in articles)
    assert len(queries) <= 4  # 12 sources in two jobs, read four at a time
    for query in ("记者", "据介绍", "person:" + articles[0].entities[0].text if articles[0].entities else "的"):
        got, want = built.search(query, limit=None), expected.search(query, limit=None)
        # (in the same order: segments are committed in the library's order, whichever was written first)
        assert [h.id for h in got.hits] == [h.id for h in want.hits] and got.total == want.total > 0, query
        assert {(h.id, h.title, h.snippet.text) for h in got.hits} == {(h.id, h.title, h.snippet.text) for h in want.hits}
    built.close()
    expected.close()


def test_a_copy_of_a_stored_article_is_still_read_lazily_and_reads_nothing(tmp_path):
    """Pickling sends the plain article; a copy (a correction copies the articles it changes)
    stays a stored article, and making it reads nothing."""
    import copy

    paths, _store, loaded = opened(tmp_path)
    a = loaded[0].articles[1]
    twin = copy.copy(a)
    assert type(twin) is StoredArticle and not a.paragraphs_loaded and not twin.paragraphs_loaded
    assert (twin.id, twin.title, twin.lede, twin.mark_key) == (a.id, a.title, a.lede, a.mark_key)
    assert twin.paragraphs == full_articles(paths[0])[1].paragraphs and not a.paragraphs_loaded
