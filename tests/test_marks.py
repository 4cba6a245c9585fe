"""The marks store (app.marks): marks survive a restart and a re-split, find their article again by
key or likeness, are orphaned and reattach, highlights re-find their passage; saved searches;
concurrent writers, a writer killed mid-transaction, a damaged database set aside."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app import marks
from app.marks import MarkStore, article_key, locate
from app.model import Article, Paragraph

REPO = Path(__file__).resolve().parents[1]

# Made-up articles in the style of a city paper's page.
PAGE = [
    ("临川区部署秋冬季扬尘治理工作", ["本报讯(记者 赵明远 通讯员 钱小禾)11月2日，临川区召开秋冬季扬尘治理工作推进会。",
                                  "会议要求，各街道要压实责任，对在建工地逐一排查，做到早发现、早处置。",
                                  "区住建局负责人介绍，今年以来全区共检查工地一百二十余次。"]),
    ("青溪镇稻田迎来丰收季", ["本报讯(记者 孙若梅)连日来，青溪镇万亩稻田一片金黄，农机手们抢抓晴好天气收割。",
                           "镇农业服务中心负责人说，今年早稻亩产比去年略有增加。"]),
    ("市图书馆推出夜读服务", ["本报讯(实习生 周一帆)记者从市图书馆获悉，自本月起每周五开放夜读。",
                           "夜读期间，馆内将举办读书分享会，欢迎市民报名参加。"]),
]


def make_articles(source="/library/linchuan-1102.txt", key="v1", page=PAGE) -> list[Article]:
    out = []
    for n, (title, paras) in enumerate(page):
        a = Article(title, [Paragraph(p) for p in paras], source=source, ordinal=n)
        a.assign_id(f"{key}\x00{source}")
        out.append(a)
    return out


@pytest.fixture()
def store(tmp_path):
    s = MarkStore(tmp_path / "marks.sqlite")
    yield s
    s.close()


def test_marks_survive_a_restart(tmp_path):
    arts = make_articles()
    s = MarkStore(tmp_path / "marks.sqlite")
    s.set_starred(arts[0], True)
    s.add_tag(arts[0], "环保")
    s.add_tag(arts[0], "政策")
    s.set_note(arts[1], "*稻田* 后续采访")
    s.add_tag(arts[1], "环保")
    s.set_read(arts[2], True, when=1_700_000_000.0)
    h = s.add_highlight(arts[0], 0, 10, note="开头")
    s.save_search("扬尘", "扬尘 is:unread")
    s.close()
    again = MarkStore(tmp_path / "marks.sqlite")  # a new process would open it the same way
    m0, m1, m2 = (again.get(a) for a in arts)
    assert m0.starred and m0.tags == ["环保", "政策"] and [x.text for x in m0.highlights] == [h.text]
    assert m0.highlights[0].note == "开头"
    assert m1.note == "*稻田* 后续采访" and not m1.starred and not m1.read and m1.tags == ["环保"]
    assert m2.read and m2.read_at == 1_700_000_000.0
    assert [(x.name, x.query) for x in again.saved_searches()] == [("扬尘", "扬尘 is:unread")]
    assert again.all_tags() == ["环保", "政策"]  # most used first, for completion
    again.close()


def test_read_is_undoable_and_an_empty_article_has_empty_marks(store):
    a = make_articles()[0]
    assert store.get(a).empty and store.get(a).key == article_key(a)
    store.set_read(a, True)
    assert store.get(a).read and store.get(a).read_at
    store.set_read(a, False)
    assert not store.get(a).read and store.get(a).read_at is None


def test_marks_follow_a_re_split_where_ids_change(store):
    arts = make_articles()
    store.set_starred(arts[1], True)
    store.add_tag(arts[2], "文化")
    # the file changed elsewhere and the splitter renumbered: new ids, new ordinals
    new = make_articles(key="v2", page=[("本报评论：让夜读成为城市名片", ["一段新加的评论。"]), *PAGE])
    assert {a.id for a in new}.isdisjoint(a.id for a in arts)
    got = store.attach(new)
    assert got["orphaned"] == 0 and got["moved"] == 2
    assert store.get(new[2]).starred and store.get(new[3]).tags == ["文化"]
    assert not store.get(new[0]).starred and store.marks_by_id().keys() == {new[2].id, new[3].id}


def test_a_renamed_file_keeps_its_marks_by_key(store):
    arts = make_articles()
    store.set_note(arts[0], "记得复核数字")
    moved = make_articles(source="/library/2023/linchuan-1102.txt", key="v1")
    store.attach(moved)
    assert store.get(moved[0]).note == "记得复核数字"


def test_an_edited_title_or_first_paragraph_is_matched_by_likeness_in_its_source(store):
    arts = make_articles()
    store.set_starred(arts[0], True)
    store.add_tag(arts[1], "农业")
    edited = [(PAGE[0][0].replace("部署", "安排"), PAGE[0][1]),  # headline corrected
              (PAGE[1][0], [PAGE[1][1][0].replace("连日来", "近日"), PAGE[1][1][1]]),  # lead edited
              PAGE[2]]
    new = make_articles(key="v3", page=edited)
    assert article_key(new[0]) != article_key(arts[0]) and article_key(new[1]) != article_key(arts[1])
    store.attach(new)
    assert store.get(new[0]).starred and store.get(new[1]).tags == ["农业"]
    assert not store.get(new[2]).starred
    # and its key is now the new one: found directly afterwards
    assert store.marks_by_id()[new[0].id].key == article_key(new[0])


def test_a_gone_article_is_orphaned_and_reattaches_when_it_returns(store):
    arts = make_articles()
    store.set_starred(arts[2], True)
    store.set_note(arts[2], "夜读")
    without = make_articles(key="v4", page=PAGE[:2])
    got = store.attach(without)
    assert got["orphaned"] == 1
    assert [m.title for m in store.orphans()] == [PAGE[2][0]] and store.orphans()[0].note == "夜读"
    assert store.matching_ids("is", "starred") == (set(), False)
    back = make_articles(key="v5")
    store.attach(back)
    assert store.orphans() == [] and store.get(back[2]).starred and store.get(back[2]).note == "夜读"


def test_a_deleted_file_orphans_its_marks_but_another_library_does_not(store):
    arts = make_articles()
    store.set_starred(arts[0], True)
    other = make_articles(source="/elsewhere/other.txt", key="x",
                          page=[("另一份报纸的文章", ["完全不同的内容。"])])
    store.attach(other)  # another library in the same data folder: its sources only
    assert store.orphans() == []
    store.attach(other, gone_sources=[arts[0].source])  # the watched folder lost the file
    assert [m.key for m in store.orphans()] == [article_key(arts[0])]


def test_highlights_refind_their_passage_after_rewrapping_and_say_when_it_is_gone(store):
    arts = make_articles()
    a = arts[0]
    body = marks.article_body(a)
    start = body.index("压实责任")
    h = store.add_highlight(a, start, start + len("压实责任，对在建工地"), note="重点")
    # re-split: a paragraph added before, the passage's paragraph re-wrapped with a line break
    paras = ["新增的导语段落。", PAGE[0][1][0], PAGE[0][1][1].replace("对在建", "对在\n建"), PAGE[0][1][2]]
    b = Article(a.title, [Paragraph(p) for p in paras], source=a.source, ordinal=0)
    b.assign_id("v9")
    store.attach([b])
    where = store.located(b, store.get(b).highlights[0])
    assert where is not None and not where.exact and where.paragraph == 2
    assert marks.article_body(b)[where.start:where.end].replace("\n", "") == h.text
    gone = Article(a.title, [Paragraph(PAGE[0][1][0]), Paragraph("会议内容已改写。")], source=a.source)
    assert locate(gone, h) is None


def test_a_repeated_passage_is_found_by_its_context():
    text = "甲说：好的。乙说：好的。丙说：好的。"
    a = Article("对话", [Paragraph(text)])
    second = text.index("乙说") + 3
    h = marks.Highlight(id="x", text="好的", prefix=text[second - 3:second], suffix=text[second + 2:second + 5],
                        start=0)
    assert locate(a, h).start == second  # the context wins over the old offset
    moved = Article("对话", [Paragraph("前言。" + text)])
    assert locate(moved, h).start == second + 3


def test_saved_searches_rename_reorder_delete(store):
    store.save_search("扬尘", "扬尘")
    store.save_search("稻田", "稻田 is:unread")
    store.save_search("夜读", "tag:文化")
    store.reorder_searches(["夜读", "扬尘"])
    assert [s.name for s in store.saved_searches()] == ["夜读", "扬尘", "稻田"]
    store.rename_search("扬尘", "大气")
    with pytest.raises(marks.MarksError, match="exists already"):
        store.rename_search("大气", "稻田")
    store.delete_search("稻田")
    assert [(s.name, s.query) for s in store.saved_searches()] == [("夜读", "tag:文化"), ("大气", "扬尘")]
    store.save_search("大气", "扬尘 OR 大气")  # the same name: its query replaced
    assert store.saved_search("大气").query == "扬尘 OR 大气"
    with pytest.raises(marks.MarksError):
        store.save_search("  ", "x")


def test_two_stores_on_one_file_see_each_others_marks(tmp_path):
    a = make_articles()[0]
    one, two = MarkStore(tmp_path / "m.sqlite"), MarkStore(tmp_path / "m.sqlite")
    one.changed()
    two.set_starred(a, True)
    assert one.changed() and one.get(a).starred
    assert not one.changed()
    one.close(), two.close()


_WRITER = textwrap.dedent("""
    import sys
    from app.marks import MarkStore
    from app.model import Article, Paragraph
    store = MarkStore(sys.argv[1])
    who = sys.argv[2]
    print("ready", flush=True)
    for n in range(int(sys.argv[3])):
        a = Article(f"{who}号文章{n}", [Paragraph(f"{who}的第{n}篇正文。")], source=f"/{who}.txt", ordinal=n)
        a.assign_id(who)
        store.set_starred(a, True)
        store.add_tag(a, who)
        store.set_note(a, f"{who}-{n}")
    print("done", flush=True)
""")


def test_concurrent_writers_in_two_processes_lose_nothing(tmp_path):
    path = tmp_path / "marks.sqlite"
    MarkStore(path).close()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who, "60"], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in ("甲", "乙")]
    assert [p.stdout.readline().strip() for p in procs] == ["ready", "ready"]
    a_store = MarkStore(path)
    threads_art = Article("本进程的文章", [Paragraph("同时写入。")], source="/me.txt")
    for n in range(30):  # and this process writes at the same time
        a_store.add_tag(threads_art, f"标签{n}")
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert a_store.all_tags().count("甲") == 1
    tags = {m.note: m.tags for m in a_store.all_marks()}
    assert sum(1 for note in tags if note.startswith("甲-")) == 60
    assert sum(1 for note in tags if note.startswith("乙-")) == 60
    assert len(a_store.get(threads_art).tags) == 30
    assert len(a_store.matching_ids("tag", "甲")[0]) == 60
    a_store.close()


_KILLED = textwrap.dedent("""
    import sys, time
    from app.marks import MarkStore
    from app.model import Article, Paragraph
    store = MarkStore(sys.argv[1])
    def do(conn):
        for n in range(500):
            a = Article(f"未完成{n}", [Paragraph("写到一半。")], source="/half.txt", ordinal=n)
            a.assign_id("half")
            mid = store._mid(conn, a, True)
            conn.execute("UPDATE marks SET starred=1 WHERE mid=?", (mid,))
        print("inside", flush=True)
        time.sleep(60)
    store._write(do)
""")


def test_a_writer_killed_mid_transaction_leaves_the_database_whole(tmp_path):
    path = tmp_path / "marks.sqlite"
    s = MarkStore(path)
    kept = make_articles()
    s.set_starred(kept[0], True)
    s.close()
    child = subprocess.Popen([sys.executable, "-c", _KILLED, str(path)], env=dict(os.environ, PYTHONPATH=str(REPO)),
                             cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "inside"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    again = MarkStore(path)
    assert again.notice is None
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert again.get(kept[0]).starred
    assert [m.title for m in again.all_marks()] == [kept[0].title]  # none of the killed transaction
    again.set_starred(kept[1], True)  # and it takes writes again (the lock died with the writer)
    assert again.get(kept[1]).starred
    again.close()


def test_a_file_that_is_no_database_is_set_aside_and_a_fresh_one_started(tmp_path):
    path = tmp_path / "marks.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    s = MarkStore(path)
    assert s.notice and "damaged" in s.notice and s.set_aside.exists()
    assert s.set_aside.read_bytes() == b"this is not sqlite at all" * 100  # kept as it was
    a = make_articles()[0]
    s.set_starred(a, True)
    assert s.get(a).starred
    s.close()


def test_a_damaged_table_is_set_aside_and_the_readable_marks_recovered(tmp_path):
    path = tmp_path / "marks.sqlite"
    s = MarkStore(path)
    arts = []
    for n in range(200):
        a = Article(f"文章{n}", [Paragraph(f"第{n}篇的正文，长一些以占满页面。" * 3)], source="/big.txt", ordinal=n)
        a.assign_id("big")
        arts.append(a)
        s.set_starred(a, True)
        s.add_highlight(a, 0, 6, note="批注" * 40)
    s.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='highlights'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:  # the highlights table's root page overwritten
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)
    damaged = path.read_bytes()
    again = MarkStore(path)
    assert again.notice and again.set_aside.read_bytes() == damaged
    assert sum(m.starred for m in again.all_marks()) == 200  # the marks table was readable: all kept
    assert again.get(arts[7]).starred
    again.close()


def test_active_store_is_in_the_data_folder(tmp_path):
    s = marks.active_store()
    assert s.path == Path(os.environ["BAOZHI_DATA_DIR"]) / "marks.sqlite"
    assert marks.active_store() is s
    marks.close_stores()
    time.sleep(0)


def test_marking_an_article_that_returned_takes_its_orphaned_marks_back(store):
    arts = make_articles()
    store.set_note(arts[2], "夜读")
    store.attach(make_articles(key="v6", page=PAGE[:2]))
    assert len(store.orphans()) == 1
    back = make_articles(key="v7")[2]  # back before any attach: found by its key
    assert store.get(back).note == "夜读"
    store.set_starred(back, True)
    assert len(store.all_marks()) == 1 and store.orphans() == []
    assert store.get(back).starred and store.get(back).note == "夜读"
