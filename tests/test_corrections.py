"""The reader's corrections of the splitter, without the window: the store, applying them, the
library and the command line (which both apply them), and the index and entity keys."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

import app.entity_cache as entity_cache
from app import corrections as corr
from app.corrections import Correction, CorrectionStore, apply_corrections
from app.entity_cache import annotate_sources, entity_model_version
from app.library import Library, parse_source
from app.paths import corrections_dir, data_dir
from app.sources import read_source

# made-up pages in the style of a county paper: three stories, the second with two credits
PAGE = """青溪镇启动河道清淤工程

本报讯(记者/林晓禾 通讯员/郑一凡)11月6日,青溪镇河道清淤工程正式动工,计划年底前完成主干河道的清理。

据介绍,此次清淤涉及河道长约八公里,镇里组织了三支施工队分段推进。

施工期间沿岸部分道路将临时封闭,请过往车辆提前绕行。

南岭村举办丰收节

本报讯(记者/陈沐阳)11月7日,南岭村第三届丰收节开幕,村民带来自家种植的柑橘、芋头和花生。

活动现场还设置了农技咨询台,吸引了不少种植户前来咨询。

文化站新添阅读角

本报讯 镇文化站近日新添一处阅读角,购置图书五百余册,向居民免费开放。
"""


@pytest.fixture()
def page(tmp_path) -> Path:
    path = tmp_path / "qingxi.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture()
def store() -> CorrectionStore:
    return CorrectionStore(corrections_dir())  # in tmp_path: BAOZHI_DATA_DIR (tests/conftest.py)


def split_of(page: Path):
    text = read_source(page)
    return text, parse_source(text)


def loaded(page: Path):
    return Library().add(page)


def test_the_store_keeps_corrections_per_source_content(page, store):
    text, articles = split_of(page)
    kept = [corr.merge_with_previous(articles[1]), corr.set_role(articles[0], 1, "byline")]
    store.save(text.sha256, kept, source=str(page))
    assert store.path_of(text.sha256) == corrections_dir() / f"{text.sha256}.json"
    assert CorrectionStore(corrections_dir()).load(text.sha256) == kept
    data = json.loads(store.path_of(text.sha256).read_text("utf-8"))
    assert data["version"] == 1 and data["corrections"][0] == {
        "op": "merge", "title": "南岭村举办丰收节", "first": articles[1].paragraphs[0].text[:32], "ordinal": 1}
    assert not list(corrections_dir().glob(".tmp-*"))  # written through a temporary file, moved in
    store.save(text.sha256, [])  # nothing left to keep: the file goes
    assert not store.path_of(text.sha256).exists() and store.load(text.sha256) == []


def test_merge_joins_the_article_to_the_previous_one_and_ids_stay(page, store):
    text, articles = split_of(page)
    store.save(text.sha256, [corr.merge_with_previous(articles[1])])
    source = loaded(page)
    merged = source.articles
    assert [a.title for a in merged] == ["青溪镇启动河道清淤工程", "文化站新添阅读角"]
    assert [a.ordinal for a in merged] == [0, 1]
    first = merged[0]
    assert first.id == articles[0].id and merged[1].id == articles[2].id  # the same articles, the same ids
    assert [(p.kind, p.text) for p in first.paragraphs[3:5]] == [
        ("subhead", "南岭村举办丰收节"), ("body", articles[1].paragraphs[0].text)]
    assert first.authors == ["林晓禾", "郑一凡", "陈沐阳"]
    assert first.author_roles == ["记者", "通讯员", "记者"]
    assert source.corrections and source.index_key != text.sha256 and source.index_key.startswith(text.sha256)


def test_split_makes_a_new_article_at_the_paragraph(page, store):
    text, articles = split_of(page)
    store.save(text.sha256, [corr.split_at(articles[0], 2)])
    split = loaded(page).articles
    assert len(split) == 4
    head, tail = split[0], split[1]
    assert head.id == articles[0].id and len(head.paragraphs) == 2
    assert tail.title == "" and tail.paragraphs[0].text.startswith("施工期间") and tail.ordinal == 1
    assert tail.id not in {a.id for a in articles}
    assert [a.id for a in split[2:]] == [a.id for a in articles[1:]] and [a.ordinal for a in split] == [0, 1, 2, 3]
    assert head.authors == ["林晓禾", "郑一凡"] and tail.authors == []  # credits stay with the dateline


def test_a_line_takes_a_role_and_the_line_that_had_it_takes_its_place(page, store):
    text, articles = split_of(page)
    kept = [corr.split_at(articles[0], 2)]
    store.save(text.sha256, kept)
    tail = loaded(page).articles[1]
    # the new, untitled part: its first paragraph is its title
    kept.append(corr.set_role(tail, 0, "title"))
    store.save(text.sha256, kept)
    tail = loaded(page).articles[1]
    assert tail.title.startswith("施工期间") and tail.paragraphs == []
    # the title back to body text, then a byline
    kept.append(corr.set_role(tail, "title", "body"))
    store.save(text.sha256, kept)
    tail = loaded(page).articles[1]
    assert tail.title == "" and tail.paragraphs[0].kind == "body"
    first = loaded(page).articles[0]
    kept.append(corr.set_role(first, 1, "title"))  # a paragraph made the title: the old title takes its place
    store.save(text.sha256, kept)
    first = loaded(page).articles[0]
    assert first.title.startswith("据介绍") and first.paragraphs[1] == corr.Paragraph("青溪镇启动河道清淤工程", "subhead")
    assert first.id == articles[0].id


def test_a_paragraph_made_a_byline_credits_its_people(page, store):
    page.write_text(PAGE.replace("免费开放。\n", "免费开放。\n\n记者 苏望舒\n"), encoding="utf-8")
    text = read_source(page)
    articles = parse_source(text)
    last = articles[-1]
    n = next(i for i, p in enumerate(last.paragraphs) if "苏望舒" in p.text)
    assert last.paragraphs[n].kind == "byline" and "苏望舒" in last.authors  # as the splitter saw it
    store.save(text.sha256, [corr.set_role(last, n, "body")])
    last = loaded(page).articles[-1]
    assert last.paragraphs[n].kind == "body" and "苏望舒" not in last.authors
    store.save(text.sha256, store.load(text.sha256) + [corr.set_role(last, n, "byline")])
    last = loaded(page).articles[-1]
    assert last.paragraphs[n].kind == "byline" and "苏望舒" in last.authors


def test_corrections_apply_in_order(page):
    text, articles = split_of(page)
    split = corr.split_at(articles[0], 1)
    after_split = apply_corrections(articles, [split], text.sha256)
    # the new part merged back: the page is as the splitter made it, ids and all
    back = corr.merge_with_previous(after_split.articles[1])
    both = apply_corrections(articles, [split, back], text.sha256)
    assert [(a.id, a.title, a.paragraphs) for a in both.articles] == [(a.id, a.title, a.paragraphs) for a in articles]
    assert both.focus == [after_split.articles[1].id, articles[0].id] and not both.skipped
    # in the other order the merge's article is not there yet: it is skipped, the split still applies
    other = apply_corrections(articles, [back, split], text.sha256)
    assert other.skipped == [back] and len(other.articles) == 4
    assert articles[0].paragraphs and len(articles) == 3  # the splitter's articles are left alone


def test_a_correction_whose_place_is_gone_is_skipped_and_told(page, store, caplog):
    text, articles = split_of(page)
    gone = Correction("merge", title="不存在的标题", first="本报讯 这一段已经不在这页上了", ordinal=1)
    store.save(text.sha256, [gone, corr.merge_with_previous(articles[2])])
    with caplog.at_level(logging.WARNING, logger="baozhi.library"):
        source = loaded(page)
    assert source.skipped == [gone]
    assert [a.title for a in source.articles] == ["青溪镇启动河道清淤工程", "南岭村举办丰收节"]
    assert "1 correction no longer fits the page and was skipped" in caplog.text and "不存在的标题" in caplog.text


def test_a_damaged_corrections_file_is_set_aside_with_a_notice(page, store):
    text, articles = split_of(page)
    path = store.path_of(text.sha256)
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "corrections": [{"op": "merge", "ord', encoding="utf-8")
    source = loaded(page)
    assert [a.id for a in source.articles] == [a.id for a in articles]  # as split, no traceback
    assert len(source.notices) == 1 and "damaged" in source.notices[0] and "set aside" in source.notices[0]
    assert not path.exists() and len(list(path.parent.glob(f"{text.sha256}.damaged-*.json"))) == 1
    for damage in ('{"version": 1, "corrections": [{"op": "explode"}]}'.encode(), b"\xff\xfe{not utf-8",
                   b'{"version": 1, "corrections": [{"op": "merge", "ordinal": "2"}]}', b"[]"):
        path.write_bytes(damage)
        assert loaded(page).notices and not path.exists()
    # a new correction after that is kept as usual
    store.save(text.sha256, [corr.merge_with_previous(articles[1])])
    assert len(loaded(page).articles) == 2


def test_the_command_line_shows_the_corrections(page, store, capsys):
    from app.cli import main

    text, articles = split_of(page)
    store.save(text.sha256, [corr.merge_with_previous(articles[1])])
    assert main(["articles", str(page), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [a["title"] for a in shown] == ["青溪镇启动河道清淤工程", "文化站新添阅读角"]
    assert {"kind": "subhead", "text": "南岭村举办丰收节"} in shown[0]["paragraphs"]


def test_the_index_holds_the_corrected_articles(page, store, tmp_path):
    from app.search import SearchIndex

    text, articles = split_of(page)
    index = SearchIndex(tmp_path / "index")
    index.update([loaded(page)])
    assert {h.title for h in index.search("丰收节").hits} == {"南岭村举办丰收节"}
    store.save(text.sha256, [corr.merge_with_previous(articles[1])])
    corrected = loaded(page)
    stats = index.update([corrected])
    assert stats.sources_added == 1 and stats.sources_removed == 1
    assert {h.title for h in index.search("丰收节").hits} == {"青溪镇启动河道清淤工程"}
    assert set(index.indexed_sources()) == {corrected.index_key}
    index.close()


def test_entities_of_a_corrected_source_are_cached_under_its_own_key(page, store, tmp_path):
    text, articles = split_of(page)
    cache = tmp_path / "entities"
    annotate_sources([loaded(page)], cache)
    store.save(text.sha256, [corr.merge_with_previous(articles[1])])
    corrected = loaded(page)
    assert annotate_sources([corrected], cache) == 1  # recognised again, not the old page's spans
    assert sorted(p.name.split("-")[0] for p in cache.glob("*.ents")) == sorted([text.sha256, corrected.index_key])
    person = [e for e in corrected.articles[0].entities if e.text == "陈沐阳"]
    assert person and corrected.articles[0].paragraphs[person[0].paragraph].text.find("陈沐阳") == person[0].start


EDIT = b"\n# edited"


def version_with_edited(monkeypatch, edited_file) -> tuple[str, str]:
    """The entity model version as it is, and as it is when every file ``edited_file(path)``
    picks reads with a line more (and its stat says it is that much longer)."""
    entity_model_version.cache_clear()
    before = entity_model_version()
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: real(path) + (EDIT if edited_file(path) else b""))
    real_stats = entity_cache._model_stats

    def edited_stats(files):
        stats = real_stats(files)
        return [(name, size + len(EDIT) if edited_file(path) else size, *rest)
                for (name, path), (_name, size, *rest) in zip(files, stats)]

    monkeypatch.setattr(entity_cache, "_model_stats", edited_stats)
    entity_model_version.cache_clear()
    try:
        return before, entity_model_version()
    finally:
        monkeypatch.undo()
        entity_model_version.cache_clear()


def test_the_entity_model_version_covers_the_rules_subfolders(monkeypatch):
    before, after = version_with_edited(monkeypatch, lambda path: path.parent.name == "rules")
    assert after != before


@pytest.mark.parametrize("name", ["places.tsv", "plain_words.tsv", "crf.model", "words.txt"])
def test_the_entity_model_version_covers_every_file_the_tagger_reads(monkeypatch, name):
    # a new gazetteer of China's divisions changes the entities as surely as a new CRF: the
    # cached entities and the index's person:/place:/org: must be redone once
    before, after = version_with_edited(monkeypatch, lambda path: path.name == name)
    assert after != before


def test_the_model_card_and_metrics_do_not_change_the_entity_model_version(monkeypatch):
    before, after = version_with_edited(monkeypatch, lambda path: path.name in ("MODEL_CARD.md", "metrics.json"))
    assert after == before


def test_the_entity_model_version_is_hashed_once_then_known_from_the_files_stats(monkeypatch):
    entity_model_version.cache_clear()
    hashed = entity_model_version()
    assert (data_dir() / entity_cache.VERSION_CACHE).is_file()

    def unread(path):
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(Path, "read_bytes", unread)
    entity_model_version.cache_clear()
    try:
        assert entity_model_version() == hashed  # ~7 MB not read again for each command
    finally:
        entity_model_version.cache_clear()


def test_a_model_file_changed_since_the_version_was_kept_is_hashed_again(monkeypatch):
    # same size, another modification time: the kept version cannot vouch for the new bytes
    entity_model_version.cache_clear()
    before = entity_model_version()
    real_stats, real_read = entity_cache._model_stats, Path.read_bytes
    monkeypatch.setattr(entity_cache, "_model_stats", lambda files: [
        (name, size, mtime + (name == "crf.model"), *rest) for name, size, mtime, *rest in real_stats(files)])
    monkeypatch.setattr(Path, "read_bytes", lambda path: real_read(path)[::-1] if path.name == "crf.model"
                        else real_read(path))
    entity_model_version.cache_clear()
    try:
        assert entity_model_version() != before
    finally:
        entity_model_version.cache_clear()


def test_files_modified_just_before_the_hashing_are_not_vouched_for_by_their_stats(monkeypatch):
    entity_model_version.cache_clear()
    (data_dir() / entity_cache.VERSION_CACHE).unlink(missing_ok=True)
    real_stats = entity_cache._model_stats
    monkeypatch.setattr(entity_cache, "_model_stats", lambda files: [
        (name, size, time.time_ns(), *rest) for name, size, _mtime, *rest in real_stats(files)])
    try:
        entity_model_version()
        assert not (data_dir() / entity_cache.VERSION_CACHE).exists()
    finally:
        entity_model_version.cache_clear()
