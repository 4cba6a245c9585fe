"""The library's entity cache: computed once per source content, never trusted when stale."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

from app.entity_cache import annotate_sources
from app.library import Library
from app.paths import sample_page


def test_entities_are_cached_per_source_and_reused(tmp_path, monkeypatch):
    lib = Library()
    lib.add(sample_page())
    assert annotate_sources(lib.sources, tmp_path) == 1
    [cache] = tmp_path.glob("*.ents")
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
    rows = json.loads(zlib.decompress(cache.read_bytes()))  # per article: [type, text, paragraph, start, end]
    assert [[dict(zip(("type", "text", "paragraph", "start", "end"), row)) for row in article] for article in rows] \
        == spans


def test_a_cache_that_does_not_fit_the_text_is_ignored(tmp_path):
    lib = Library()
    lib.add(sample_page())
    annotate_sources(lib.sources, tmp_path)
    [cache] = tmp_path.glob("*.ents")
    data = json.loads(zlib.decompress(cache.read_bytes()))
    data[0][0][1] = "不对"  # the first span's text
    cache.write_bytes(zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8")))
    fresh = Library()
    fresh.add(sample_page())
    assert annotate_sources(fresh.sources, tmp_path) == 1  # recognised again, not trusted
    first = fresh.articles[0]
    e = first.entities[0]
    assert first.paragraphs[e.paragraph].text[e.start:e.end] == e.text


def test_cached_entities_of_older_models_go_except_the_newest_older_one(tmp_path):
    """Each model version kept a whole set of cache files until the folder was cleared. Now the
    present model's stay, and the newest other version's (an older copy of the program may be
    in use beside this one), and files this program did not name are never touched."""
    import time

    from app.entity_cache import entity_cache_file

    cache = tmp_path / "entities"
    cache.mkdir()
    lib = Library()
    lib.add(sample_page())
    key = lib.sources[0].index_key
    now = time.time()

    def made(name: str, age_s: float) -> Path:
        path = cache / name
        path.write_bytes(b"{}")
        os.utime(path, (now - age_s, now - age_s))
        return path

    oldest = [made(f"{key}-{'a' * 16}.ents", 90 * 86400), made(f"{'1' * 64}-{'a' * 16}.json", 90 * 86400)]
    previous = made(f"{key}-{'b' * 16}.ents", 86400)
    foreign = [made("notes.txt", 90 * 86400), made(f"{key}-notaversion.ents", 90 * 86400),
               made(f"{key}-{'a' * 16}.ents.bak", 90 * 86400)]
    left_by_a_killed_run, being_written = made(".tmp-abc.ents", 2 * 3600), made(".tmp-def.ents", 60)

    assert annotate_sources(lib.sources, cache) == 1
    assert entity_cache_file(cache, key).is_file()  # this model's, just written
    assert previous.is_file() and being_written.is_file() and all(p.is_file() for p in foreign)
    assert not any(p.exists() for p in oldest) and not left_by_a_killed_run.exists()


def test_merge_replaces_a_reloaded_path_and_leaves_out_a_page_opened_twice(tmp_path):
    """The window's merge of a load into the open library (issue 16: domain logic in the core)."""
    from app.library import Library, merge_sources, merged

    a, b, copy = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "copy-of-a.txt"
    a.write_text("甲版标题测试\n\n本报讯 第一篇文章的正文。\n", encoding="utf-8")
    b.write_text("乙版标题测试\n\n本报讯 第二篇文章的正文。\n", encoding="utf-8")
    copy.write_bytes(a.read_bytes())
    first = Library()
    first.add_many([a, b])
    a.write_text("甲版标题改过\n\n本报讯 改过的正文。\n", encoding="utf-8")
    again = Library()
    again.add_many([a, copy])
    result = merged(first.sources, again.sources)
    assert [s.source.path for s in result] == [str(a), str(b), str(copy)]  # the copy differs now
    assert result[0].articles[0].title == "甲版标题改过"
    twice = Library()
    twice.add_many([b])
    assert [s.source.path for s in merged(result, twice.sources)] == [str(a), str(b), str(copy)]
    b_copy = tmp_path / "b-copy.txt"
    b_copy.write_bytes(b.read_bytes())
    dup = Library()
    dup.add_many([b_copy])
    assert [s.source.path for s in merged(result, dup.sources)] == [str(a), str(b), str(copy)]  # same page
    steps = merge_sources(result, twice.sources, step=1)
    assert sum(1 for _ in iter(lambda: next(steps, "end"), "end")) >= 3  # taken in several steps


def test_a_folder_stands_for_its_text_files_in_path_order_hidden_names_and_linked_folders_left_out(tmp_path):
    from app.library import expand_paths, text_files_in

    names = ["b.txt", "A.TXT", "c.text", "noext", "file.", "x.tar.txt", ".hidden.txt", "z.md", "页面.txt", "a.1.txt"]
    for sub in ["", "sub", "sub/deeper", ".hid", "sub-x", "b"]:  # (folder b's files come before b.txt)
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        for name in names:
            (tmp_path / sub / name).write_text("x", encoding="utf-8")
    kept = ["A.TXT", "a.1.txt", "b.txt", "c.text", "file.", "noext", "x.tar.txt", "页面.txt"]  # as Path sorts them
    folders = ["", ".hid", "sub", "sub/deeper", "sub-x", "b"]  # (".hid" is entered: only names are hidden)
    expected = [str(tmp_path / sub / name) for sub in folders for name in kept]
    expected.sort(key=lambda p: Path(p).parts)
    if hasattr(os, "symlink"):
        try:
            os.symlink(tmp_path / "sub", tmp_path / "linked")  # a folder that is a link: not entered
            os.symlink(tmp_path / "b.txt", tmp_path / "link.txt")  # a file that is a link: a file
            expected.append(str(tmp_path / "link.txt"))
            expected.sort(key=lambda p: Path(p).parts)
        except OSError:
            pass
    assert text_files_in(tmp_path) == expected
    assert text_files_in(str(tmp_path) + os.sep) == expected
    assert expand_paths([tmp_path, tmp_path / "z.md"]) == [Path(p) for p in expected] + [tmp_path / "z.md"]
    assert text_files_in(tmp_path / "missing") == []
