"""The scan (before the index is ready) and the index answer every query alike: one planner, one scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.search import SearchIndex
from app.search.scan import scan_articles
from tests.benchmarks.corpus import SAMPLE, source_from_text

PAGES = sorted((Path(__file__).parent / "pages").glob("*.txt"))

QUERIES = [
    "江海", "扬尘", "的", "区", "工作 会议", "江海 治理", "扬尘 OR 食品安全", "江海 -会议", "NOT 江海 区",
    '"食品安全"', "title:江海", "title:区 工作", "body:发展", "author:何榕", "date:10", "揚塵",
    "pinyin:jianghai", "pinyin:qu", "pinyin:hai -会议", "jianghai", "qu", "jianghai OR huiyi",
    "不在任何文章里", "xyzzy", '"unclosed', "title:",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    sources = [source_from_text(p.read_text("utf-8"), str(p)) for p in [SAMPLE, *PAGES]]
    index = SearchIndex(tmp_path_factory.mktemp("scan-vs-index"))
    index.update(sources)
    yield index, [a for s in sources for a in s.articles]
    index.close()


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [None, 5])
def test_the_scan_and_the_index_give_the_same_hits_in_the_same_order(library, query, limit):
    index, articles = library
    assert len(articles) > 12
    by_index = index.search(query, limit=limit)
    by_scan = scan_articles(articles, query, limit=limit, cache={})
    assert by_scan.total == by_index.total, query
    assert [(h.id, h.score) for h in by_scan.hits] == [(h.id, h.score) for h in by_index.hits], query
    assert by_scan.pinyin == by_index.pinyin and by_scan.marks == by_index.marks, query


def test_the_queries_reach_every_way_of_answering(library):
    index, articles = library
    # not a comparison of empty lists: the queries find things, by text and by pinyin
    assert index.search("jianghai").pinyin and index.search("jianghai").total >= 4
    assert scan_articles(articles, "jianghai").total == index.search("jianghai").total
    found = [scan_articles(articles, q, limit=None).total for q in QUERIES]
    assert sum(1 for n in found if n) >= len(QUERIES) - 5
    ranked = scan_articles(articles, "江海", limit=None).hits
    assert len({h.score for h in ranked}) > 3  # ranked by BM25, not a handful of raw counts
