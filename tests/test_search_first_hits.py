"""A search that makes only its first hits at once (the window's first screenful) and the rest
when asked: the same hits, in the same order, as one search making them all."""

from __future__ import annotations

import pytest

from app.search import SearchIndex
from tests.benchmarks.corpus import ArchiveGenerator, loaded_source


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    gen = ArchiveGenerator(seed=5)
    ix = SearchIndex(tmp_path_factory.mktemp("index"))
    ix.update([loaded_source(gen.page(i)) for i in range(12)])
    yield ix
    ix.close()


def dicts(result) -> list[dict]:
    return [h.to_dict() for h in result.hits]


@pytest.mark.parametrize("query", ["的", "发展", "记者 -经济", "title:江海 OR 会议", "pinyin:jiang"])
def test_the_first_hits_then_the_rest_are_the_hits_of_one_search(index, query):
    whole = index.search(query, limit=1000)
    assert whole.pending is None
    first = index.search(query, limit=1000, first=3)
    assert first.total == whole.total
    assert dicts(first) == dicts(whole)[:3]
    if len(whole.hits) > 3:
        assert first.pending is not None and len(first.pending.best) == len(whole.hits) - 3
        completed = index.complete(first, step=2)
        assert completed.pending is None and dicts(completed) == dicts(whole)
    else:
        assert first.pending is None and index.complete(first) is first


def test_a_common_character_has_more_hits_than_the_first(index):
    result = index.search("的", limit=1000, first=3)
    assert result.total > 3 and len(result.hits) == 3 and result.pending is not None


def test_the_rest_is_not_made_once_cancelled_or_after_the_index_was_reloaded(index, tmp_path):
    result = index.search("的", limit=1000, first=2)
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1  # the first step is made, the second is cancelled

    assert index.complete(result, cancel=cancel, step=1) is None and len(asked) == 2

    result = index.search("的", limit=1000, first=2)
    index.close()  # its documents may be numbered anew when it opens again
    assert index.search("的", limit=3).total == result.total  # opened again
    assert index.complete(result) is None


def test_a_single_grams_counts_and_titles_from_its_postings_rank_as_the_texts_do(index, monkeypatch):
    """Ranking a character or a pair reads its counts and the titles holding it from the postings
    instead of each candidate's text and record: the same scores, the same order."""
    from app.search.index_search import IndexSearcher

    queries = ["的", "发", "江", "展", "记者", "发展", "经济", "会议", "哈哈", "了了", "港", "镇"]
    fast = {q: [(h.id, h.score) for h in index.search(q, limit=1000).hits] for q in queries}
    monkeypatch.setattr(IndexSearcher, "_known_from_postings", lambda *args: None)
    slow = {q: [(h.id, h.score) for h in index.search(q, limit=1000).hits] for q in queries}
    assert fast == slow and sum(map(len, fast.values())) > 300
