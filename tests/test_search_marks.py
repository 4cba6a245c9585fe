"""``is:starred``, ``is:unread``, ``is:read``, ``tag:`` and ``note:`` (the reader's marks, kept in
app.marks outside the index) from the index and the scan alike, combined with words, fields, OR
and exclusion: every article they should find, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import marks
from app.search import SearchIndex, parse_query
from app.search.scan import matching_ids, scan_articles
from tests.benchmarks.corpus import SAMPLE, source_from_text

PAGES = sorted((Path(__file__).parent / "pages").glob("*.txt"))

QUERIES = [
    "is:starred", "is:unread", "is:read", "is:星标", "is:未读", "tag:政策", "tag:政策/环保", "标签:政策",
    "tag:经济", "tag:无此标签", "note:调研", "笔记:调研", "note:督办", "江海 is:starred", "is:starred OR tag:经济",
    "tag:政策 -is:read", "江海 -is:starred", "NOT tag:政策 江海", "is:unread title:江海", "is:read 区",
    "tag:政策 note:调研", "note:完全没有的字", "is:starred is:read",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    sources = [source_from_text(p.read_text("utf-8"), str(p)) for p in [SAMPLE, *PAGES]]
    articles = [a for s in sources for a in s.articles]
    index = SearchIndex(tmp_path_factory.mktemp("marks-index"))
    index.update(sources)
    yield index, articles
    index.close()


@pytest.fixture()
def marked(library):
    """Marks on some articles (in this test's own data folder); the expected id sets."""
    _index, articles = library
    store = marks.active_store()
    want = {"starred": set(), "read": set(), "政策": set(), "经济": set(), "调研": set(), "督办": set()}
    for n, a in enumerate(articles):
        if n % 3 == 0:
            store.set_starred(a, True)
            want["starred"].add(a.id)
        if n % 4 == 1:
            store.set_read(a, True)
            want["read"].add(a.id)
        if n % 5 == 2:
            store.add_tag(a, "政策" if n % 2 else "政策/环保")  # a tag and a tag under it
            want["政策"].add(a.id)
        if n % 7 == 3:
            store.add_tag(a, "经济")
            want["经济"].add(a.id)
        if n % 6 == 4:
            store.set_note(a, "下周**调研**时再看")
            want["调研"].add(a.id)
        if n % 11 == 5:
            body = marks.article_body(a)
            store.add_highlight(a, 0, min(6, len(body)), note="请督办")
            want["督办"].add(a.id)
    a = articles[1]  # a tag that only begins like one: not 政策
    store.add_tag(a, "政策性")
    store.set_read(articles[4], True)
    store.set_read(articles[4], False)  # undone: unread again
    want["read"].discard(articles[4].id)
    yield articles, want
    marks.close_stores()


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [None, 3])
def test_the_index_and_the_scan_find_the_same_marked_articles_in_the_same_order(library, marked, query, limit):
    index, articles = library
    by_index = index.search(query, limit=limit)
    by_scan = scan_articles(articles, query, limit=limit, cache={})
    assert by_scan.total == by_index.total, query
    assert [(h.id, h.score) for h in by_scan.hits] == [(h.id, h.score) for h in by_index.hits], query
    assert sorted(index.matching_ids(query)) == sorted(matching_ids(articles, query, cache={})), query


def _found(library, query) -> set[str]:
    index, articles = library
    by_index = {h.id for h in index.search(query, limit=None).hits}
    assert by_index == {h.id for h in scan_articles(articles, query, limit=None).hits}, query
    return by_index


def test_each_mark_term_finds_exactly_its_articles(library, marked):
    articles, want = marked
    every = {a.id for a in articles}
    assert want["starred"] and _found(library, "is:starred") == want["starred"]
    assert _found(library, "is:read") == want["read"]
    assert _found(library, "is:unread") == every - want["read"]
    assert articles[4].id in _found(library, "is:unread")  # read, then marked unread again
    assert _found(library, "tag:政策") == want["政策"]  # 政策 and 政策/环保, not 政策性
    assert articles[1].id not in _found(library, "tag:政策")  # tagged 政策性 only
    assert _found(library, "tag:经济") == want["经济"]
    assert _found(library, "note:调研") == want["调研"]
    assert want["督办"] and _found(library, "note:督办") == want["督办"]  # a highlight's note


def test_mark_terms_combine_with_words_fields_or_and_exclusion(library, marked):
    articles, want = marked
    jianghai = {a.id for a in articles if "江海" in a.all_text()}
    assert _found(library, "江海 is:starred") == jianghai & want["starred"]
    assert _found(library, "江海 -is:starred") == jianghai - want["starred"]
    assert _found(library, "is:starred OR tag:经济") == want["starred"] | want["经济"]
    assert _found(library, "tag:政策 -is:read") == want["政策"] - want["read"]
    title = {a.id for a in articles if "江海" in a.title}
    assert _found(library, "is:unread title:江海") == title - want["read"]


def test_a_new_mark_is_found_at_once_without_updating_the_index(library, marked):
    articles, _want = marked
    a = next(a for a in articles if a.id not in _found(library, "tag:新标签"))
    marks.active_store().add_tag(a, "新标签")
    assert _found(library, "tag:新标签") == {a.id}
    marks.active_store().remove_tag(a, "新标签")
    assert _found(library, "tag:新标签") == set()


def test_a_re_split_article_is_found_by_its_marks_under_its_new_id(library):
    _index, articles = library
    store = marks.active_store()
    a = articles[0]
    store.set_starred(a, True)
    again = [source_from_text(SAMPLE.read_text("utf-8"), str(SAMPLE))][0].articles
    for n, b in enumerate(again):
        b.assign_id(f"edited-file\x00{n}")  # the file changed: every id is new
    assert again[0].id != a.id
    assert scan_articles(again, "is:starred", limit=None).total == 0  # not attached yet
    store.attach(again)
    assert [h.id for h in scan_articles(again, "is:starred", limit=None).hits] == [again[0].id]
    marks.close_stores()


def test_is_with_an_unknown_value_is_searched_as_text():
    plan = parse_query("is:whatever")
    assert plan.literal_fallback and plan.literals[0].field == "all"
    assert [lit.field for lit in parse_query("tag:政策 note:调研 is:unread").literals] == ["tag", "note", "is"]


def test_marks_survive_rebuilding_the_index(tmp_path):
    sources = [source_from_text(SAMPLE.read_text("utf-8"), str(SAMPLE))]
    articles = sources[0].articles
    store = marks.active_store()
    store.set_starred(articles[2], True)
    store.add_tag(articles[3], "重建")
    index = SearchIndex(tmp_path / "ix")
    try:
        index.update(sources)
        assert [h.id for h in index.search("is:starred", limit=None).hits] == [articles[2].id]
        index.rebuild(sources)
        assert [h.id for h in index.search("is:starred", limit=None).hits] == [articles[2].id]
        assert [h.id for h in index.search("tag:重建", limit=None).hits] == [articles[3].id]
    finally:
        index.close()
        marks.close_stores()
