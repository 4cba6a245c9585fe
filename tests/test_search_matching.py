"""Every matching id of a query (what a timeline of a search counts), from the index and the scan
alike: the ids of ``search(query, limit=None)``, without ranking or snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.search import SearchIndex
from app.search.scan import matching_ids, scan_articles
from tests.benchmarks.corpus import SAMPLE, source_from_text
from tests.test_search_scan import QUERIES

PAGES = sorted((Path(__file__).parent / "pages").glob("*.txt"))
MORE = ["江", "会", "工作", "发展 OR 建设", "区 -江海", "title:会 OR body:会", "江海区", "的 -的"]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    sources = [source_from_text(p.read_text("utf-8"), str(p)) for p in [SAMPLE, *PAGES]]
    index = SearchIndex(tmp_path_factory.mktemp("matching-ids"))
    index.update(sources)
    yield index, sources, [a for s in sources for a in s.articles]
    index.close()


@pytest.mark.parametrize("query", QUERIES + MORE)
def test_matching_ids_are_the_ids_of_every_hit(library, query):
    index, _sources, articles = library
    everything = sorted(h.id for h in index.search(query, limit=None).hits)
    assert sorted(index.matching_ids(query)) == everything, query
    by_scan = matching_ids(articles, query, cache={})
    assert sorted(by_scan) == everything, query
    assert sorted(h.id for h in scan_articles(articles, query, limit=None).hits) == everything
    assert len(set(by_scan)) == len(by_scan)


def test_matching_ids_reach_past_the_result_limit_and_keep_the_articles_order(library):
    index, _sources, articles = library
    order = {a.id: n for n, a in enumerate(articles)}
    ids = matching_ids(articles, "的")
    assert len(ids) == index.search("的", limit=3).total > 3  # not only the first hits
    assert [order[i] for i in ids] == sorted(order[i] for i in ids)  # the articles' order
    assert matching_ids(articles, "jianghai") and sorted(matching_ids(articles, "jianghai")) == \
        sorted(index.matching_ids("jianghai"))  # the pinyin fallback too
    assert matching_ids(articles, "") == [] == index.matching_ids("")
    assert matching_ids([], "江海") == []


def test_the_scan_cache_is_filled_and_reused(library):
    _index, _sources, articles = library
    cache: dict = {}
    first = matching_ids(articles, "江海", cache)
    assert set(cache) == {a.id for a in articles}
    kept = dict(cache)
    assert matching_ids(articles, "江海", cache) == first
    assert all(cache[k] is kept[k] for k in kept)


def test_an_updated_index_leaves_the_removed_articles_out(tmp_path):
    sources = [source_from_text(p.read_text("utf-8"), str(p)) for p in [SAMPLE, *PAGES]]
    with SearchIndex(tmp_path / "ix") as index:
        index.update(sources)
        before = set(index.matching_ids("的"))
        index.update(sources[1:])  # the sample page is gone from the library
        after = index.matching_ids("的")
        assert set(after) == before - {a.id for a in sources[0].articles}
        assert sorted(after) == sorted(h.id for h in index.search("的", limit=None).hits)


def test_a_closed_or_missing_index_finds_nothing(tmp_path):
    with SearchIndex(tmp_path / "empty") as index:
        assert index.matching_ids("江海") == []
