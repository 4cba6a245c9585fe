"""The library's entity cache: computed once per source content, never trusted when stale."""

from __future__ import annotations

import json

from app.library import Library, annotate_sources
from app.paths import sample_page


def test_entities_are_cached_per_source_and_reused(tmp_path, monkeypatch):
    lib = Library()
    lib.add(sample_page())
    assert annotate_sources(lib.sources, tmp_path) == 1
    [cache] = tmp_path.glob("*.json")
    spans = [[e.to_dict() for e in a.entities] for a in lib.articles]
    assert any(spans)

    import app.entities

    def boom(_articles):
        raise AssertionError("the recogniser ran although the cache was there")

    monkeypatch.setattr(app.entities, "annotate_articles", boom)
    again = Library()
    again.add(sample_page())
    assert annotate_sources(again.sources, tmp_path) == 0
    assert [[e.to_dict() for e in a.entities] for a in again.articles] == spans
    assert json.loads(cache.read_text(encoding="utf-8")) == spans


def test_a_cache_that_does_not_fit_the_text_is_ignored(tmp_path):
    lib = Library()
    lib.add(sample_page())
    annotate_sources(lib.sources, tmp_path)
    [cache] = tmp_path.glob("*.json")
    data = json.loads(cache.read_text(encoding="utf-8"))
    data[0][0]["text"] = "不对"
    cache.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fresh = Library()
    fresh.add(sample_page())
    assert annotate_sources(fresh.sources, tmp_path) == 1  # recognised again, not trusted
    first = fresh.articles[0]
    e = first.entities[0]
    assert first.paragraphs[e.paragraph].text[e.start:e.end] == e.text
