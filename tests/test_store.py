"""The article store (issue #19): a source is split once, an unchanged file is not even read, and
the store survives a killed write and a damaged file."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import time
from array import array
from pathlib import Path

import pytest

import app.entity_cache as entity_cache
import app.library as library
from app.library import Library, open_sources
from app.store import ArticleStore, stat_tuple

ROOT = Path(__file__).resolve().parents[1]

TOWNS = ["青禾镇", "柳湾街道", "石桥村", "东渡社区", "南屿镇", "白沙湾", "竹溪乡", "云台街道"]
WORK = ["冬修水利", "旧楼加装电梯", "夜校开课", "稻田养鱼", "文化广场落成", "义诊进村", "河道清淤", "图书驿站开放"]
NAMES = ["林小禾", "周望舒", "陈一帆", "许若谷", "何晓岚", "邵青山"]


def page_text(seed: int, articles: int = 3) -> str:
    """A made-up page in the sample's layout: titles, leads with bylines, body paragraphs."""
    blocks = []
    for k in range(articles):
        town = TOWNS[(seed + k) % len(TOWNS)]
        work = WORK[(seed * 3 + k) % len(WORK)]
        name = NAMES[(seed + 2 * k) % len(NAMES)]
        blocks.append(f"{town}{work}")
        blocks.append(f"本报讯(记者/{name})11月{(seed + k) % 27 + 1}日,{town}{work}工作推进会召开,"
                      f"第{seed}期工作安排由镇里统一部署,各村负责人参加会议并作交流发言。")
        blocks.append(f"据介绍,{town}今年共投入资金{seed + k + 12}万元,完成项目{k + 3}个,群众满意度较去年明显提高。"
                      "下一步将继续听取居民意见,把好事办实、实事办好。")
    return "\n\n".join(blocks) + "\n"


def write_pages(folder: Path, count: int, start: int = 0, old: bool = True) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"page-{n:03d}.txt"
        path.write_text(page_text(n), encoding="utf-8")
        if old:  # written a while ago: its stat can be trusted (see app.store.RACY_NS)
            past = time.time() - 3600
            os.utime(path, (past, past))
        paths.append(path)
    return paths


@pytest.fixture()
def counted(monkeypatch):
    """How many times sources were split and read (in this process)."""
    calls = {"split": 0, "read": 0}
    split, read = library.split_source, library.read_source

    def counting_split(*args, **kwargs):
        calls["split"] += 1
        return split(*args, **kwargs)

    def counting_read(*args, **kwargs):
        calls["read"] += 1
        return read(*args, **kwargs)

    monkeypatch.setattr(library, "split_source", counting_split)
    monkeypatch.setattr(library, "read_source", counting_read)
    return calls


def dicts(lib: Library) -> list[dict]:
    return [a.to_dict() for a in lib.articles]


def opened(paths, workers=1, lazy=False) -> Library:
    lib = Library(lazy=lazy)
    lib.add_many(paths, stop_at_error=True, workers=workers)
    return lib


def test_an_unchanged_library_is_split_once_and_its_files_are_not_read_again(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 5)
    first = dicts(opened(paths))
    assert counted == {"split": 5, "read": 5}
    again = opened(paths)
    assert counted == {"split": 5, "read": 5}  # neither split nor read: the stat cache knew them
    assert dicts(again) == first
    assert not again.sources[0].source.text_loaded
    assert again.sources[0].source.text == page_text(0)  # read when asked for


def test_a_touched_but_identical_file_is_hashed_again_not_split(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 3)
    first = dicts(opened(paths))
    later = time.time() - 60
    os.utime(paths[1], (later, later))
    assert dicts(opened(paths)) == first
    assert counted == {"split": 3, "read": 4}  # the touched file read once more, nothing split


def test_a_changed_file_is_split_again_and_only_it(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 3)
    opened(paths)
    paths[2].write_text(page_text(40, articles=4), encoding="utf-8")
    past = time.time() - 30
    os.utime(paths[2], (past, past))
    lib = opened(paths)
    assert counted["split"] == 4
    assert [len(s.articles) for s in lib.sources] == [3, 3, 4]
    assert lib.sources[2].articles[0].title == f"{TOWNS[40 % 8]}{WORK[120 % 8]}"


def test_a_file_written_just_now_is_hashed_again_next_time(tmp_path, counted):
    """Its modification time is too close to the hashing to vouch for it (the clock is coarse)."""
    paths = write_pages(tmp_path / "pages", 2, old=False)
    opened(paths)
    opened(paths)
    assert counted == {"split": 2, "read": 4}


def test_a_new_splitter_version_splits_again(tmp_path, counted, monkeypatch):
    paths = write_pages(tmp_path / "pages", 3)
    opened(paths)
    import app.segment.version

    monkeypatch.setattr(app.segment.version, "SPLITTER_VERSION", app.segment.version.SPLITTER_VERSION + "-next")
    opened(paths)
    assert counted["split"] == 6
    opened(paths)
    assert counted["split"] == 6


def test_a_correction_applies_to_the_kept_split(tmp_path, counted):
    from app.corrections import CorrectionStore, merge_with_previous
    from app.paths import corrections_dir

    paths = write_pages(tmp_path / "pages", 2)
    lib = opened(paths)
    second = lib.sources[0].articles[1]
    CorrectionStore(corrections_dir()).save(lib.sources[0].source.sha256, [merge_with_previous(second)])
    again = opened(paths, lazy=True)
    assert counted["split"] == 2  # the correction is applied to the stored split
    assert [len(s.articles) for s in again.sources] == [2, 3]
    assert again.sources[0].index_key != again.sources[0].source.sha256


def test_the_lazy_library_reads_articles_only_when_asked(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 4)
    first = opened(paths)
    lazy = opened(paths, lazy=True)
    assert not any(s.articles_loaded for s in lazy.sources)
    assert lazy.article_ids() == [a.id for a in first.articles]
    assert [s.article_count() for s in lazy.sources] == [len(s.articles) for s in first.sources]
    assert [s.article_count() for s in first.sources] == [len(s.article_ids()) for s in first.sources]
    assert not any(s.articles_loaded for s in lazy.sources)
    assert dicts(lazy) == dicts(first)
    assert counted["split"] == 4


def test_the_pool_splits_as_one_process_does(tmp_path):
    paths = write_pages(tmp_path / "pages", library.POOL_MIN_SOURCES + 4)
    pooled = Library(store=False)
    pooled.add_many(paths, workers=2)
    alone = Library(store=False)
    alone.add_many(paths, workers=1)
    assert dicts(pooled) == dicts(alone)
    assert [s.source.sha256 for s in pooled.sources] == [s.source.sha256 for s in alone.sources]


def test_bad_sources_are_reported_in_order(tmp_path):
    paths = write_pages(tmp_path / "pages", 3)
    empty = tmp_path / "pages" / "empty.txt"
    empty.write_bytes(b"")
    loaded, errors = open_sources([paths[0], tmp_path / "nope.txt", empty, paths[1]], ArticleStore())
    assert len(loaded) == 2
    assert [e.key for e in errors] == ["missing", "empty"]


def test_a_damaged_store_is_made_anew_with_a_notice(tmp_path, counted, caplog):
    paths = write_pages(tmp_path / "pages", 3)
    first = dicts(opened(paths))
    store = ArticleStore()
    store.path.write_bytes(b"not a database at all\n" * 200)
    for part in ("-wal", "-shm"):
        Path(str(store.path) + part).unlink(missing_ok=True)
    with caplog.at_level(logging.WARNING):
        lib = Library(store=store)
        lib.add_many(paths, stop_at_error=True)
    assert dicts(lib) == first  # nothing lost: split again
    assert counted["split"] == 6
    assert any("damaged" in n and "made anew" in n for n in store.notices)
    assert "article store" in caplog.text
    opened(paths)
    assert counted["split"] == 6  # and kept again


def test_a_damaged_entry_is_split_again(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 2)
    first = dicts(opened(paths))
    import sqlite3

    db = sqlite3.connect(ArticleStore().path)
    db.execute("UPDATE splits SET body = x'00ff00'")
    db.commit()
    db.close()
    assert dicts(opened(paths)) == first
    assert counted["split"] == 4


KILLED_WRITER = """
import os, signal, sys
import app.store as store

def dying_write(self, sql, rows):  # the transaction begun and half written, then the process killed
    db = self._conn()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(sql, rows[: max(1, len(rows) // 2)])
    os.kill(os.getpid(), signal.SIGKILL)

store.ArticleStore._write = dying_write
from app.library import Library
Library().add_many(sys.argv[1:], stop_at_error=True, workers=1)
"""


def test_a_killed_write_leaves_the_store_usable(tmp_path, counted):
    kept = write_pages(tmp_path / "pages", 2)
    first = dicts(opened(kept))
    more = write_pages(tmp_path / "pages", 4, start=2)
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_WRITER), *map(str, more)],
                           cwd=ROOT, env=os.environ.copy(), capture_output=True, timeout=120)
    assert child.returncode == -9
    store = ArticleStore()
    lib = Library(store=store)
    lib.add_many(kept + more, stop_at_error=True)
    assert not store.notices
    assert dicts(lib)[:len(first)] == first
    assert counted["split"] == 2 + 4  # what the killed program had begun to keep is not there
    assert [len(s.articles) for s in lib.sources] == [3] * 6


def test_the_store_reads_heads_paragraphs_and_ids(tmp_path):
    [path] = write_pages(tmp_path / "pages", 1)
    lib = opened([path])
    articles = lib.sources[0].articles
    store = ArticleStore()
    key = lib.sources[0].store_key
    heads = store.heads(key, source="p.txt")
    assert [h.title for h in heads] == [a.title for a in articles]
    assert all(h.paragraphs == [] and h.source == "p.txt" for h in heads)
    assert [h.credits for h in heads] == [a.credits for a in articles]
    assert store.paragraphs(key, articles[1].id) == articles[1].paragraphs
    assert store.ids(key) == [a.id for a in articles]
    assert store.get("no-such-key") is None and store.paragraphs(key, "nope") is None


def test_entities_recognised_in_the_pool_are_those_of_one_process(tmp_path):
    paths = write_pages(tmp_path / "pages", library.POOL_MIN_SOURCES + 2)
    pooled, alone = opened(paths), opened(paths)
    steps = []
    assert entity_cache.annotate_sources(pooled.sources, tmp_path / "cache", workers=2,
                                    progress=lambda done, total: steps.append((done, total))) == len(paths)
    assert entity_cache.annotate_sources(alone.sources, workers=1) == len(paths)
    spans = [[e.to_dict() for e in a.entities] for a in pooled.articles]
    assert spans == [[e.to_dict() for e in a.entities] for a in alone.articles] and any(spans)
    assert steps[-1] == (len(paths), len(paths))
    assert len(list((tmp_path / "cache").glob("*.ents"))) == len(paths)  # cached as one process does


def test_the_same_page_under_two_names_keeps_each_name(tmp_path):
    [page] = write_pages(tmp_path / "a", 1)
    twin = tmp_path / "b" / "twin.txt"
    twin.parent.mkdir()
    twin.write_bytes(page.read_bytes())
    opened([page])
    for lazy in (False, True):
        lib = opened([page, twin], lazy=lazy)
        assert [a.source for a in lib.articles] == [str(page)] * 3 + [str(twin)] * 3
        assert [a.source for a in lib.iter_articles(step=1)] == [str(page)] * 3 + [str(twin)] * 3
        assert lib.sources[0].articles[0] is not lib.sources[1].articles[0]


def test_the_same_list_of_unchanged_files_is_known_from_one_row(tmp_path, counted, monkeypatch):
    """A command given the same 10,000 paths again looks none of them up one by one."""
    paths = write_pages(tmp_path / "pages", 6)
    first = dicts(opened(paths, lazy=True))
    assert len(ArticleStore().known_list(paths, library.splitter_version())) == 6

    def no_look_up(*args):
        raise AssertionError("looked up one by one")

    monkeypatch.setattr(ArticleStore, "lookup_stat", no_look_up)
    monkeypatch.setattr(ArticleStore, "has_many", no_look_up)
    again = opened(paths, lazy=True)
    assert dicts(again) == first and counted == {"split": 6, "read": 6}
    assert [s.index_key for s in again.sources] == [s.index_key for s in opened(paths).sources]
    with pytest.raises(AssertionError, match="one by one"):  # another list: looked up as before
        opened(paths[:5], lazy=True)


def test_a_list_with_a_changed_touched_or_missing_file_is_looked_up_again(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 4)
    opened(paths, lazy=True)
    paths[1].write_text(page_text(40, articles=4), encoding="utf-8")
    past = time.time() - 30
    os.utime(paths[1], (past, past))
    lib = opened(paths, lazy=True)
    assert [len(s.articles) for s in lib.sources] == [3, 4, 3, 3] and counted["split"] == 5
    os.utime(paths[2], (past - 5, past - 5))  # touched, the same bytes: hashed again, not split
    assert [len(s.articles) for s in opened(paths, lazy=True).sources] == [3, 4, 3, 3]
    assert counted == {"split": 5, "read": 6}
    paths[3].unlink()
    with pytest.raises(library.SourceError, match="page-003"):
        opened(paths, lazy=True)


def test_a_list_remembered_in_an_older_layout_is_not_trusted(tmp_path, counted):
    """The list cache's rows hold the stats packed (what a forked child hands back) and the
    hashes as bytes; a row of an older layout (a list of stat tuples, or the hashes as a list of
    ``(sha256, encoding)``) is not read as one, and the list is remembered anew."""
    import marshal

    paths = write_pages(tmp_path / "pages", 3)
    opened(paths, lazy=True)
    store, version = ArticleStore(), library.splitter_version()
    row = store.listed(paths, version)
    stats, known = row.stats, store.known_list(paths, version)
    assert type(stats) is bytes and len(stats) == 32 * 3 and len(known) == 3
    assert [sha for sha, _encoding in known] == [library.read_source(p).sha256 for p in paths] == row.keys()
    assert [row.key(i) for i in range(3)] == row.keys()
    older = [tuple(int.from_bytes(stats[i:i + 8], sys.byteorder, signed=True) for i in range(at, at + 32, 8))
             for at in range(0, len(stats), 32)]
    assert older[0] == stat_tuple(os.stat(paths[0]))
    for layout in ((older, known), (stats, known)):
        store._write("UPDATE lists SET entries = ?", [(marshal.dumps(layout),)])
        assert store.listed(paths, version) is None and store.known_list(paths, version) is None
        opened(paths, lazy=True)
        assert store.known_list(paths, version) == known


def test_a_list_finds_the_places_of_a_hash_and_keeps_a_check_until_written_again(tmp_path, counted):
    """``indices_with`` finds each place of a page given twice (and no hash that straddles two
    files' bytes); a check kept for an index commit is the list's until the list is written again."""
    import shutil

    paths = write_pages(tmp_path / "pages", 3)
    paths.append(str(shutil.copy(paths[0], tmp_path / "pages" / "copy.txt")))
    old = time.time() - 3600
    os.utime(paths[-1], (old, old))
    opened(paths, lazy=True)
    store, version = ArticleStore(), library.splitter_version()
    row = store.listed(paths, version)
    keys = row.keys()
    assert row.indices_with({keys[0]}) == [0, 3] and row.indices_with({keys[1], keys[2]}) == [1, 2]
    straddling = (row.shas[16:32] + row.shas[32:48]).hex()
    assert row.indices_with({straddling}) == []
    assert row.checked is None and row.starts_against("ix|1|9") is None
    store.remember_checked(row, "ix|1|9", array("q", [0, 2, 5, 7, 9]).tobytes())
    again = store.listed(paths, version)
    assert list(again.starts_against("ix|1|9")) == [0, 2, 5, 7, 9] and again.starts_against("ix|2|9") is None
    store._write("UPDATE lists SET made_ns = made_ns + 1", [()])  # the list remembered again since
    assert store.listed(paths, version).starts_against("ix|1|9") is None


def test_a_list_of_files_written_just_now_is_not_remembered(tmp_path, counted):
    paths = write_pages(tmp_path / "pages", 2, old=False)
    opened(paths, lazy=True)
    assert ArticleStore().known_list(paths, library.splitter_version()) is None


def test_a_lazily_opened_source_is_the_one_the_constructor_makes(tmp_path):
    store = ArticleStore(tmp_path / "store")
    text = library.SourceText(str(tmp_path / "p.txt"), None, "utf-8", "ab" * 32)
    made = library.LoadedSource(text, None, store=store, store_key="k")
    quick = library.LoadedSource.lazily(text, store, "k")
    assert quick.__dict__ == made.__dict__ and quick.index_key == made.index_key
    assert quick.corrections is not made.corrections  # lists of its own


def test_the_list_cache_keeps_the_newest_lists_up_to_its_size(tmp_path, monkeypatch):
    import app.store as store_module

    paths = write_pages(tmp_path / "pages", 6)
    lists = [paths[:2], paths[2:4], paths[4:]]
    opened(lists[0], lazy=True)
    size = len(ArticleStore()._query("SELECT entries FROM lists")[0][0])
    monkeypatch.setattr(store_module, "LISTS_KEPT_BYTES", 2 * size + size // 2)  # room for two
    for part in lists[1:]:
        time.sleep(0.01)
        opened(part, lazy=True)
    version = library.splitter_version()
    kept = [ArticleStore().known_list(part, version) is not None for part in lists]
    assert kept == [False, True, True]
