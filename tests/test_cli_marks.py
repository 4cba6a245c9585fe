"""``baozhi marks`` and ``baozhi saved``: setting, listing, exporting and importing marks (merging
two machines' marks without losing either side), saved searches listed and run; bad input is one
line on stderr with a non-zero exit."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app import marks
from app.cli import main
from app.paths import sample_page


@pytest.fixture(autouse=True)
def _closed_stores():
    yield
    marks.close_stores()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def use_data(folder: Path, monkeypatch) -> None:
    """Another machine: another data folder."""
    marks.close_stores()
    monkeypatch.setenv("BAOZHI_DATA_DIR", str(folder))


def test_set_then_list_marks_by_star_and_tag(capsys):
    sample = str(sample_page())
    assert run(capsys, "marks", "set", sample, "--select", "0,2", "--star", "--tag", "政策")[0] == 0
    assert run(capsys, "marks", "set", sample, "--select", "1", "--tag", "经济", "--note", "下周**回访**")[0] == 0
    code, out, _ = run(capsys, "marks", "list", sample, "--starred", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["number"] for r in rows] == [0, 2] and all(r["tags"] == ["政策"] for r in rows)
    code, out, _ = run(capsys, "marks", "list", sample, "--tag", "经济")
    assert code == 0 and out.startswith("  1 ") and "note: 下周**回访**" in out
    code, out, _ = run(capsys, "marks", "list")  # no source: every mark kept
    assert code == 0 and len(out.strip().splitlines()) == 4  # three articles and one note line
    code, out, _ = run(capsys, "search", "is:starred tag:政策", sample, "--json")
    assert code == 0 and [h["number"] for h in json.loads(out)["hits"]] == [0, 2]


def test_export_and_import_move_marks_to_another_machine(tmp_path, capsys, monkeypatch):
    sample = str(sample_page())
    run(capsys, "marks", "set", sample, "--select", "0", "--star", "--tag", "政策", "--note", "家里写的")
    run(capsys, "saved", "add", "每周", "is:starred 江海")
    out_file = tmp_path / "marks.json"
    code, out, _ = run(capsys, "marks", "export", "--out", str(out_file))
    assert code == 0 and Path(out.strip()) == out_file
    data = json.loads(out_file.read_text("utf-8"))
    assert data["format"] == "baozhi-marks" and data["marks"][0]["tags"] == ["政策"]

    use_data(tmp_path / "office", monkeypatch)  # the other machine has marks of its own
    run(capsys, "marks", "set", sample, "--select", "0", "--tag", "经济", "--note", "办公室写的")
    run(capsys, "marks", "set", sample, "--select", "3", "--star")
    run(capsys, "saved", "add", "每周", "tag:经济")  # the same name, another query
    code, _, err = run(capsys, "marks", "import", str(out_file))
    assert code == 0 and "1 merged" in err
    code, out, _ = run(capsys, "marks", "list", sample, "--json")
    rows = {r["number"]: r for r in json.loads(out)}
    assert sorted(rows) == [0, 3] and rows[3]["starred"]
    first = rows[0]
    assert first["starred"] and sorted(first["tags"]) == ["政策", "经济"]  # tags united, star taken
    assert "办公室写的" in first["note"] and "家里写的" in first["note"]  # neither note lost
    assert first["note"].startswith("办公室写的")  # the one written last comes first
    code, out, _ = run(capsys, "saved", "list", "--json")
    assert [(s["name"], s["query"]) for s in json.loads(out)] == [("每周", "tag:经济"), ("每周 (2)", "is:starred 江海")]
    # importing the same file again changes nothing
    before = marks.active_store().export_data()["marks"]
    run(capsys, "marks", "import", str(out_file))
    after = marks.active_store().export_data()["marks"]
    assert [(m["note"], sorted(m["tags"]), m["starred"]) for m in after] == \
        [(m["note"], sorted(m["tags"]), m["starred"]) for m in before]
    assert len(json.loads(run(capsys, "saved", "list", "--json")[1])) == 2


def test_export_and_import_round_trip_every_mark(tmp_path, capsys, monkeypatch):
    from app.cli.commands import load_library

    articles = load_library([]).articles
    store = marks.active_store()
    store.set_starred(articles[0], True)
    store.set_read(articles[1], True, when=1_700_000_000.0)
    store.add_tag(articles[1], "民生/教育")
    h = store.add_highlight(articles[2], 3, 9, note="关键一句")
    store.save_search("未读", "is:unread")
    run(capsys, "marks", "export", "--out", str(tmp_path / "all.json"))
    use_data(tmp_path / "fresh", monkeypatch)
    assert run(capsys, "marks", "import", str(tmp_path / "all.json"))[0] == 0
    again = marks.active_store()
    again.attach(articles)
    assert again.get(articles[0]).starred
    assert again.get(articles[1]).read and again.get(articles[1]).read_at == 1_700_000_000.0
    assert again.get(articles[1]).tags == ["民生/教育"]
    [back] = again.get(articles[2]).highlights
    assert (back.text, back.note, back.prefix, back.suffix) == (h.text, h.note, h.prefix, h.suffix)
    assert [(s.name, s.query) for s in again.saved_searches()] == [("未读", "is:unread")]


def test_saved_searches_listed_renamed_and_run(capsys, tmp_path):
    sample = str(sample_page())
    run(capsys, "marks", "set", sample, "--select", "0,1", "--star")
    run(capsys, "marks", "set", sample, "--select", "1", "--read")
    assert run(capsys, "saved", "add", "星标未读", "is:starred is:unread")[0] == 0
    assert run(capsys, "saved", "add", "江海", "江海")[0] == 0
    assert run(capsys, "saved", "rename", "江海", "江海新闻")[0] == 0
    code, out, _ = run(capsys, "saved", "list")
    assert out.splitlines() == ["星标未读\tis:starred is:unread", "江海新闻\t江海"]
    code, out, _ = run(capsys, "saved", "run", "星标未读", sample, "--index-dir", str(tmp_path / "ix"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "星标未读" and [h["number"] for h in data["hits"]] == [0]
    assert run(capsys, "saved", "delete", "江海新闻")[0] == 0
    assert run(capsys, "saved", "list")[1].splitlines() == ["星标未读\tis:starred is:unread"]


@pytest.mark.parametrize("args, message", [
    (["marks", "import", "/no/such/marks.json"], "does not exist"),
    (["saved", "run", "没有这个"], "no saved search named"),
    (["saved", "delete", "没有这个"], "no saved search named"),
    (["saved", "add", " ", "x"], "needs a name"),
    (["marks", "set", str(sample_page()), "--select", "0"], "say what to set"),
    (["marks", "set", str(sample_page()), "--select", "99", "--star"], "--select 99"),
    (["marks", "set", str(sample_page()), "--select", "0", "--tag", "  "], "tag cannot be empty"),
])
def test_bad_input_is_one_line_and_a_non_zero_exit(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("baozhi: ") and message in err


def test_importing_a_file_that_is_not_a_marks_file_is_refused(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(capsys, "marks", "import", str(bad))
    assert code == 2 and "not a Baozhi marks file" in err and err.count("\n") == 1
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "marks", "import", str(bad))
    assert code == 2 and "not valid JSON" in err


def test_export_will_not_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "m.json"
    target.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "marks", "export", "--out", str(target))
    assert code == 2 and "--force" in err and target.read_text("utf-8") == "keep"
    assert run(capsys, "marks", "export", "--out", str(target), "--force")[0] == 0
    assert json.loads(target.read_text("utf-8"))["format"] == "baozhi-marks"


def test_the_store_is_in_the_data_folder_not_home(capsys):
    run(capsys, "saved", "add", "a", "b")
    assert (Path(os.environ["BAOZHI_DATA_DIR"]) / "marks.sqlite").is_file()


def test_orphaned_marks_are_listed(tmp_path, capsys):
    page = tmp_path / "page.txt"
    text = sample_page().read_text("utf-8")
    page.write_text(text, encoding="utf-8")
    run(capsys, "marks", "set", str(page), "--select", "1", "--star", "--note", "留着")
    code, out, _ = run(capsys, "marks", "list", "--orphaned", "--json")
    assert code == 0 and json.loads(out) == []
    title = json.loads(run(capsys, "marks", "list", "--json")[1])[0]["title"]
    page.write_text(text.replace(title, "").replace("\n\n\n", "\n\n"), encoding="utf-8")  # the article is cut
    text_now = page.read_text("utf-8")
    assert title not in text_now
    run(capsys, "marks", "list", str(page))  # loading the page finds the mark's article gone
    code, out, _ = run(capsys, "marks", "list", "--orphaned", "--json")
    [orphan] = json.loads(out)
    assert orphan["title"] == title and orphan["note"] == "留着" and orphan["article_id"] is None


def test_a_search_by_marks_follows_a_page_that_changed(tmp_path, capsys):
    """The ids of a page's articles change when the file changes (a story added on top): the
    search matches the marks to the articles again before it looks for is:starred, as the window
    does, so the starred article is still found. The index dir is given so nothing else is read."""
    page = tmp_path / "page.txt"
    text = sample_page().read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    assert run(capsys, "marks", "set", str(page), "--select", "2", "--star")[0] == 0
    code, out, _ = run(capsys, "articles", str(page), "--json")
    starred_title = json.loads(out)[2]["title"]
    page.write_text("新开通的公交线路方便市民出行\n\n本报讯 近日，一条连接新区和老城的公交线路开通。\n\n" + text,
                    encoding="utf-8")
    code, out, err = run(capsys, "search", "is:starred", str(page), "--json", "--index-dir", str(tmp_path / "ix"))
    assert code == 0, err
    assert [h["title"] for h in json.loads(out)["hits"]] == [starred_title]
