"""The command-line contract: JSON on stdout, one-line errors on stderr, non-zero exits."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import CliError, parse_selection
from app.paths import sample_page

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd or ROOT, timeout=120)


def test_articles_json_is_the_documented_shape():
    result = cli("articles", "--json")
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert len(articles) == 7
    first = articles[0]
    assert set(first) == {"number", "id", "ordinal", "source", "kicker", "title", "subtitle", "authors", "credits", "date",
                          "related_to", "page", "page_name", "issue_date", "page_lines", "paragraphs", "entities"}
    assert first["title"] == "区领导调研大气污染防治工作"
    assert first["source"] == str(sample_page())
    assert articles[4]["related_to"] == articles[3]["id"]
    assert {p["kind"] for a in articles for p in a["paragraphs"]} == {"body", "subhead", "caption", "byline"}


def test_articles_listing_is_readable():
    result = cli("articles")
    assert result.returncode == 0
    assert "区领导调研大气污染防治工作 —— 推动绿美江海生态建设" in result.stdout
    assert "引题: 加强校地“产学研用”合作" in result.stdout


def test_several_sources_form_one_list(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("市区今起实施新交规\n\n本报讯 从今天起，市区主要道路将实行新的交通管理措施。\n", encoding="gb18030")
    result = cli("articles", str(sample_page()), str(other), "--json")
    articles = json.loads(result.stdout)
    assert [a["source"] for a in articles][-1] == str(other)
    assert len(articles) == 8 and articles[-1]["title"] == "市区今起实施新交规"


def test_export_selected_articles(tmp_path):
    out = tmp_path / "two.json"
    result = cli("export", "--select", "0,6", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    titles = [a["title"] for a in json.loads(out.read_text(encoding="utf-8"))]
    assert titles == ["区领导调研大气污染防治工作", "江海:搭建“实验室”直达“生产线”高速通道"]


def test_export_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "a.md"
    out.write_text("keep me", encoding="utf-8")
    result = cli("export", "--select", "0", "--format", "md", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == f"baozhi: {out} already exists; --force overwrites it"
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = cli("export", "--select", "0", "--format", "md", "--out", str(out), "--force")
    assert forced.returncode == 0 and "区领导调研大气污染防治工作" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("spec, message", [("9", "numbered 0 to 6"), ("a,b", "article numbers"), (",", "no article")])
def test_bad_selection(spec, message):
    with pytest.raises(CliError, match=message):
        parse_selection(spec, 7)


def test_selection_ranges():
    assert parse_selection("0, 2，4-5,2", 7) == [0, 2, 4, 5]


def test_unknown_format_is_a_usage_error(tmp_path):
    result = cli("export", "--select", "0", "--format", "rtf", "--out", str(tmp_path / "x.rtf"))
    assert result.returncode == 2 and "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_search_json_finds_every_article_with_the_text(tmp_path):
    result = cli("search", "伟潮", "--json", "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "took_ms", "hits"}
    assert data["total"] == 1 and data["hits"][0]["title"] == "江海区一大新县粤桂协作工作座谈会召开"
    hit = data["hits"][0]
    assert set(hit) == {"number", "id", "ordinal", "source", "title", "score", "snippet", "marks"}
    # the snippet is plain text; the marks are [start, end] code point spans of what matched
    assert "<mark>" not in hit["snippet"] and "郑伟潮" in hit["snippet"]
    assert hit["marks"] and [hit["snippet"][s:e] for s, e in hit["marks"]] == ["伟潮"] * len(hit["marks"])


def test_search_shows_markup_in_a_source_as_text_with_marks_on_the_matches(tmp_path):
    page = tmp_path / "markup.txt"
    page.write_text("市区治理扬尘\n\n本报讯 文中写着<b>扬尘</b> & 扬尘，还有&amp;。\n", encoding="utf-8")
    ix = str(tmp_path / "ix")
    result = cli("search", "扬尘", str(page), "--json", "--index-dir", ix)
    assert result.returncode == 0, result.stderr
    hit = json.loads(result.stdout)["hits"][0]
    assert hit["snippet"] == "…本报讯 文中写着<b>扬尘</b> & 扬尘，还有&amp;。"  # the body's line
    assert hit["marks"] == [[12, 14], [21, 23]]
    assert [hit["snippet"][s:e] for s, e in hit["marks"]] == ["扬尘", "扬尘"]
    printed = cli("search", "扬尘", str(page), "--index-dir", ix)
    assert printed.returncode == 0, printed.stderr
    assert "<b>扬尘</b> & 扬尘，还有&amp;。" in printed.stdout and "<mark>" not in printed.stdout


def test_search_limit_and_traditional_query(tmp_path):
    ix = str(tmp_path / "ix")
    every = json.loads(cli("search", "江海", "--json", "--limit", "0", "--index-dir", ix).stdout)
    assert every["total"] == len(every["hits"]) >= 5
    two = json.loads(cli("search", "江海", "--json", "--limit", "2", "--index-dir", ix).stdout)
    assert two["total"] == every["total"] and len(two["hits"]) == 2
    trad = json.loads(cli("search", "揚塵", "--json", "--index-dir", ix).stdout)
    assert [h["title"] for h in trad["hits"]] == ["区领导调研大气污染防治工作"]


def test_index_command_reports_and_reuses(tmp_path):
    ix = str(tmp_path / "ix")
    started = time.perf_counter()
    first = cli("index", "--index-dir", ix)
    wall = time.perf_counter() - started
    assert first.returncode == 0 and "7 articles from 1 source indexed (1 added" in first.stderr
    # the time said is the command's, reading and splitting included, not only the index's writing
    took, writing = (float(x) for x in re.search(r"\) in ([\d.]+) s \(writing the index: ([\d.]+) s\)",
                                                 first.stderr).groups())
    assert writing <= took <= wall
    again = cli("index", "--index-dir", ix)
    assert "1 unchanged" in again.stderr


def test_export_by_query(tmp_path):
    out = tmp_path / "hits.json"
    result = cli("export", "--query", "邓群标", "--format", "json", "--out", str(out), "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    titles = [a["title"] for a in json.loads(out.read_text(encoding="utf-8"))]
    assert set(titles) == {"江海区政府与农行江门分行签署战略合作协议", "江海区召开创建国家食品安全示范城市动员部署会"}
    miss = cli("export", "--query", "不存在的词", "--format", "json", "--out", str(tmp_path / "none.json"),
               "--index-dir", str(tmp_path / "ix"))
    assert miss.returncode == 2 and "no article matches" in miss.stderr


def test_entities_json_of_the_sample():
    result = cli("entities", "--json")
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert len(articles) == 7
    first = articles[0]
    people = {e["text"] for e in first["entities"] if e["type"] == "PERSON"}
    assert {"夏加伟", "陈婵", "廖华"} <= people
    para = json.loads(cli("articles", "--json").stdout)[0]["paragraphs"]
    for e in first["entities"]:
        assert para[e["paragraph"]]["text"][e["start"]:e["end"]] == e["text"]


def test_entities_of_lines(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("区委书记夏加伟带队调研。\n\n捐款292.5万元\n", encoding="utf-8")
    result = cli("entities", "--lines", str(lines), "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(r) for r in result.stdout.splitlines()]
    assert len(rows) == 3 and rows[1] == []
    assert {"type": "PERSON", "text": "夏加伟", "start": 4, "end": 7} in rows[0]
    assert {"type": "MONEY", "text": "292.5万元", "start": 2, "end": 9} in rows[2]


def test_entity_fields_are_searchable_and_cached(tmp_path):
    ix = tmp_path / "ix"
    result = cli("search", "person:夏加伟", "--json", "--index-dir", str(ix))
    assert result.returncode == 0, result.stderr
    assert [h["title"] for h in json.loads(result.stdout)["hits"]] == ["区领导调研大气污染防治工作"]
    cached = list((ix / "entities").glob("*.ents"))
    assert len(cached) == 1
    again = cli("entities", "--json", "--index-dir", str(ix))
    assert again.returncode == 0 and json.loads(again.stdout)[0]["entities"]


# -- issue 15: numbers that agree, mistyped commands, the unforeseen --------------------------------

def test_articles_prints_the_numbers_select_takes(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("市区今起实施新交规\n\n本报讯 从今天起，市区主要道路将实行新的交通管理措施。\n", encoding="utf-8")
    listing = cli("articles", str(sample_page()), str(other))
    assert listing.returncode == 0, listing.stderr
    assert "  7  市区今起实施新交规" in listing.stdout  # the second file's first article is number 7
    assert "  0  市区今起实施新交规" not in listing.stdout
    data = json.loads(cli("articles", str(sample_page()), str(other), "--json").stdout)
    assert [a["number"] for a in data] == list(range(8)) and data[7]["ordinal"] == 0
    out = tmp_path / "seven.json"
    assert cli("export", str(sample_page()), str(other), "--select", "7", "--format", "json",
               "--out", str(out)).returncode == 0
    assert [a["title"] for a in json.loads(out.read_text(encoding="utf-8"))] == ["市区今起实施新交规"]
    found = json.loads(cli("search", "交规", str(sample_page()), str(other), "--json").stdout)
    assert [h["number"] for h in found["hits"]] == [7]
    assert "  7  市区今起实施新交规" in cli("search", "交规", str(sample_page()), str(other)).stdout


def test_a_mistyped_command_is_one_line_and_status_2_not_a_window(tmp_path):
    result = cli("frobnicate")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "unknown command 'frobnicate'" in result.stderr and "articles" in result.stderr


def test_a_missing_file_is_one_line_and_status_2_before_any_window(tmp_path):
    result = cli(str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"baozhi: {tmp_path / 'nope.txt'}: no such file or folder"


def test_no_display_is_said_in_one_line(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "app", str(sample_page())], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, timeout=120, env=env)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "no display" in result.stderr


def test_an_unexpected_error_is_one_line_with_the_details_logged(tmp_path, monkeypatch, capsys):
    import app.cli as cli_module

    def broken(_args):
        raise RuntimeError("the disk said no")

    monkeypatch.setitem(cli_module.COMMANDS, "articles", broken)
    assert cli_module.main(["articles"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("baozhi: unexpected error: RuntimeError: the disk said no") and len(err.splitlines()) == 1
    log = Path(os.environ["BAOZHI_DATA_DIR"]) / "logs" / "baozhi.log"
    assert "Traceback" in log.read_text(encoding="utf-8") and "the disk said no" in log.read_text(encoding="utf-8")


# --- articles --explain ----------------------------------------------------------------------

PAGES = ROOT / "tests" / "pages"


def test_explain_gives_each_line_its_role_and_why_as_json():
    result = cli("articles", str(PAGES / "kickers.txt"), "--explain", "--json")
    assert result.returncode == 0, result.stderr
    notes = json.loads(result.stdout)
    assert set(notes[0]) == {"source", "line", "text", "role", "reason", "article"}
    by_line = {n["line"]: n for n in notes}
    assert by_line[1]["role"] == "kicker" and "reporter's-eye" in by_line[1]["reason"]
    assert by_line[2]["role"] == "headline" and by_line[2]["article"] == 0
    assert by_line[3]["role"] == "byline" and "韦嘉诚 黄丽萍" in by_line[3]["reason"]
    assert by_line[5]["role"] == "dateline"
    assert by_line[11]["role"] == "kicker" and by_line[11]["article"] == 1
    assert by_line[20]["role"] == "subtitle" and by_line[20]["article"] == 2
    # every non-blank line of the page is explained, blank ones are not
    lines = (PAGES / "kickers.txt").read_text(encoding="utf-8").split("\n")
    assert sorted(by_line) == [n for n, text in enumerate(lines, 1) if text.strip()]


def test_explain_human_text_groups_lines_by_article_and_numbers_across_sources():
    result = cli("articles", str(sample_page()), str(PAGES / "photo_prize.txt"), "--explain")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"══ {PAGES / 'photo_prize.txt'}" in out
    assert "── article 0: 区领导调研大气污染防治工作" in out
    # the sample's seven articles come first, so the next source's first article is number 7
    assert "── article 7: 老人河边滑倒落水路过小伙跳河救人" in out
    assert "── page" in out and "marker      相关新闻" in out
    assert "subhead     读者报料有奖   (subhead: heads a reader-tip reward note inside the story)" in out


def test_explain_of_a_missing_file_is_one_line():
    result = cli("articles", "no/such/page.txt", "--explain")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("baozhi: ")


# --- loading and speed (issue #19) -----------------------------------------------------------------


def test_articles_json_is_written_as_json_dumps_would_write_it():
    """The direct writer of ``articles --json`` gives the standard encoder's text, every field set."""
    from app.cli.commands import articles_json, numbered
    from app.model import Article, EntitySpan, Paragraph

    full = Article(title="青禾镇冬修水利", paragraphs=[Paragraph("本报讯 \"引号\"\\和\t制表", "body"),
                                                      Paragraph("图为现场", "caption")],
                   kicker="引题", subtitle="副题", authors=["林小禾", "周望舒"], date="2026-11-02", source="p/页.txt",
                   ordinal=3, related_to="abc", id="0123456789abcdef", author_roles=["记者"], page="A03",
                   page_name="要闻", issue_date="2026-11-02", page_lines=("第A03版", "责任编辑 许若谷"),
                   entities=[EntitySpan("PLACE", "青禾镇", 0, 0, 3)])
    bare = Article(title="短讯")
    articles = [full, bare, full]
    expected = json.dumps([numbered(n, a.to_dict()) for n, a in enumerate(articles)], ensure_ascii=False, indent=2)
    assert articles_json(articles) == expected
    assert articles_json([]) == "[]"


def test_search_of_an_unchanged_library_neither_reads_nor_splits_it(tmp_path, monkeypatch, capsys):
    """Once the stat cache knows the files and the index holds them, ``search`` reads no page and
    no article: the ids for its numbers come from the store."""
    import os
    import time

    import app.library as library
    from app.cli import main

    pages = []
    for n, town in enumerate(["青禾镇", "柳湾街道", "石桥村"]):
        page = tmp_path / f"p{n}.txt"
        page.write_text(f"{town}冬修水利开工\n\n本报讯(记者/林小禾)11月2日,{town}冬修水利工程开工,"
                        f"全镇共安排项目{n + 5}个。\n\n{town}图书驿站开放\n\n本报讯(记者/周望舒)11月3日,"
                        f"{town}第一家图书驿站开放,藏书{n + 2}千册。\n", encoding="utf-8")
        past = time.time() - 3600
        os.utime(page, (past, past))
        pages.append(str(page))
    index = str(tmp_path / "index")
    assert main(["search", "图书驿站", *pages, "--index-dir", index, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)

    def no(*_args, **_kwargs):
        raise AssertionError("a page was read or split again")

    monkeypatch.setattr(library, "read_source", no)
    monkeypatch.setattr(library, "split_source", no)
    def lazily(source, articles):
        if articles is not None:
            no()
        source.__dict__["_articles"] = None

    monkeypatch.setattr(library.LoadedSource, "articles", property(no, lazily))
    assert main(["search", "图书驿站", *pages, "--index-dir", index, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["hits"] == first["hits"] and sorted(h["number"] for h in again["hits"]) == [1, 3, 5]


def four_town_pages(folder: Path) -> list[str]:
    """Four made-up pages of two articles each (a works story and a library story per town)."""
    pages = []
    for n, town in enumerate(["青禾镇", "柳湾街道", "石桥村", "松林乡"]):
        page = folder / f"p{n}.txt"
        page.write_text(f"{town}冬修水利开工\n\n本报讯(记者/林小禾)11月2日,{town}冬修水利工程开工。\n\n"
                        f"{town}图书驿站开放\n\n本报讯(记者/周望舒)11月3日,{town}第一家图书驿站开放,"
                        f"藏书{n + 2}千册。\n", encoding="utf-8")
        pages.append(str(page))
    return pages


def test_search_numbers_its_hits_without_reading_every_id(tmp_path, monkeypatch, capsys):
    """A hit's number is its article's place across all the sources (what ``articles`` prints
    and ``--select`` takes), found from the index's count per source and the ids of the hits'
    own sources; a copy of a page elsewhere numbers as before (its last copy)."""
    import shutil

    import app.library as library
    from app.cli import main

    pages = four_town_pages(tmp_path)
    (tmp_path / "copy").mkdir()
    pages.append(str(shutil.copy(pages[1], tmp_path / "copy" / "p1.txt")))  # the same page twice
    index = str(tmp_path / "index")
    assert main(["articles", *pages, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    expected = {}
    for a in listed:
        expected[a["id"]] = a["number"]  # the last copy's number, as before
    assert main(["search", "图书驿站", *pages, "--index-dir", index, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["total"] == 4 and all(h["number"] == expected[h["id"]] for h in first["hits"])

    def every_id(*_args, **_kwargs):
        raise AssertionError("every article's id was read to number the hits")

    monkeypatch.setattr(library.Library, "article_ids", every_id)
    assert main(["search", "图书驿站", *pages, "--index-dir", index, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["hits"] == first["hits"]
    assert main(["search", "冬修水利", *pages, "--index-dir", index]) == 0
    lines = capsys.readouterr().out.splitlines()[1::2]
    assert sorted(int(line.split()[0]) for line in lines) == sorted(
        expected[a["id"]] for a in listed if "冬修水利" in a["title"] and a["source"] != pages[1])


def test_the_progress_bar_is_drawn_on_a_terminal_only(monkeypatch):
    import io

    from app.cli.common import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for stream, drawn in ((io.StringIO(), False), (Terminal(), True)):
        monkeypatch.setattr(sys, "stderr", stream)
        with Progress("splitting", "page", delay=0) as progress:
            for done in range(1, 4):
                progress(done, 3)
        assert ("splitting" in stream.getvalue()) is drawn
        assert ("/3 [" in stream.getvalue()) is drawn


# --- a whole issue in one file ----------------------------------------------------------------

def test_a_whole_issue_from_the_command_line(tmp_path):
    """``articles --json`` gives each article its page and the issue's date, the editors' lines
    as page lines and never as text; ``search page:`` finds one page's articles; ``--explain``
    names the page headers."""
    issue = ROOT / "tests" / "issues" / "jiangan_daily.txt"
    result = cli("articles", str(issue), "--json")
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert {(a["page"], a["page_name"]) for a in articles} >= {("A01", "要闻"), ("A02", "江岸新闻")}
    assert {a["issue_date"] for a in articles} == {"2023-10-31"}
    first = articles[0]
    assert first["title"] == "滨江新区启动老旧码头改造工程"
    assert any(line.startswith("责任编辑") for line in first["page_lines"])
    assert not any("责任编辑" in p["text"] for a in articles for p in a["paragraphs"])
    hits = cli("search", "page:A02", str(issue), "--json", "--index-dir", str(tmp_path / "index"))
    assert hits.returncode == 0, hits.stderr
    titles = {h["title"] for h in json.loads(hits.stdout)["hits"]}
    assert titles == {a["title"] for a in articles if a["page"] == "A02"} and titles
    explained = cli("articles", str(issue), "--explain", "--json")
    roles = {n["text"]: n["role"] for n in json.loads(explained.stdout)}
    assert roles["第A01版：要闻"] == "page header" and roles["滨江新区启动老旧码头改造工程"] == "headline"
    listed = cli("articles", str(issue)).stdout.splitlines()
    assert listed[0].endswith("滨江新区启动老旧码头改造工程 —— 打造沿江休闲长廊")
    assert listed[1].split("|")[0].strip() == "第A01版 要闻 · 2023年10月31日"


def unchanged_pages(tmp_path: Path, capsys):
    """The four towns' pages and a copy of one, written an hour ago (their stats can vouch for
    them), an index folder, and ``run(query, ...)``: ``baozhi search`` of them as JSON, without
    its time."""
    import shutil

    from app.cli import main

    pages = four_town_pages(tmp_path)
    pages.append(str(shutil.copy(pages[1], tmp_path / "p1-copy.txt")))  # the same page twice
    past = time.time() - 3600
    for page in pages:
        os.utime(page, (past, past))
    index = str(tmp_path / "index")

    def run(*args) -> dict:
        assert main(["search", *args, *pages, "--index-dir", index, "--json"]) == 0
        answer = json.loads(capsys.readouterr().out)
        answer.pop("took_ms")
        return answer

    return pages, index, run


def whole_then_recorded(monkeypatch, run, queries: list[str]) -> tuple[list[dict], list]:
    """``run(q)`` of each query with the quick search turned off (the whole library's answers),
    and a list that from then on records each quick search's answer (None: it stood aside)."""
    import app.cli.commands as commands

    with monkeypatch.context() as m:
        m.setattr(commands, "quick_search", lambda *args: None)
        whole = [run(q) for q in queries]
    recorded: list = []
    real_quick = commands.quick_search
    monkeypatch.setattr(commands, "quick_search", lambda *a: recorded.append(real_quick(*a)) or recorded[-1])
    return whole, recorded


@pytest.mark.parametrize("fork_min", [10**9, 1], ids=["stats in line", "stats in a child"])
def test_search_of_the_same_unchanged_files_makes_no_source_and_answers_as_the_whole_library(tmp_path, monkeypatch,
                                                                                              capsys, fork_min):
    """Given the same list of unchanged files as a run before, ``search`` compares their stats
    and searches the index without making the library (10,000 sources at 100k articles); its
    output is the one the whole library gives, a copy of a page elsewhere included. A changed
    file, a correction or a query of marks goes the usual way. The same when the stats are taken
    by a forked child while the index is searched (as for many files)."""
    import app.library as library
    import app.stat_ahead as stat_ahead

    monkeypatch.setattr(stat_ahead, "FORK_MIN", fork_min)
    # (this test process may hold Qt's worker threads from other tests; the command line has none)
    monkeypatch.setattr(stat_ahead, "_can_fork", stat_ahead._fork_supported)
    made = []

    class Recorded(stat_ahead.StatsAhead):
        def __init__(self, paths):
            super().__init__(paths)
            made.append(self.forked)

    monkeypatch.setattr(stat_ahead, "StatsAhead", Recorded)

    pages, index, run = unchanged_pages(tmp_path, capsys)

    queries = ["图书驿站", "冬修水利", "柳湾", "没有的词", "title:开放 -石桥村"]
    whole, quick_answers = whole_then_recorded(monkeypatch, run, queries)

    def no_source(*_args, **_kwargs):
        raise AssertionError("a source was made")

    with monkeypatch.context() as m:
        m.setattr(library.LoadedSource, "lazily", no_source)
        m.setattr(library.LoadedSource, "__init__", no_source)
        assert [run(q) for q in queries] == whole
    assert all(answer is not None for answer in quick_answers)

    quick_answers.clear()
    run("is:starred")  # marks are matched to the library's articles: the usual way
    from app.paths import corrections_dir

    corrections_dir().mkdir(parents=True, exist_ok=True)
    sha = library.read_source(pages[2]).sha256
    (corrections_dir() / f"{sha}.json").write_text("[]", encoding="utf-8")  # (a correction file: its name counts)
    run("图书驿站")
    (corrections_dir() / f"{sha}.json").unlink(missing_ok=True)  # (this one, not a real correction, was set aside)
    Path(pages[3]).write_text("松林乡新闻\n\n本报讯 松林乡图书驿站扩建。\n", encoding="utf-8")
    past = time.time() - 3600
    os.utime(pages[3], (past, past))
    changed = run("图书驿站")
    assert quick_answers == [None, None, None]
    assert changed["total"] == 4 and any("扩建" in h["snippet"] for h in changed["hits"])
    assert run("图书驿站") == changed and quick_answers[-1] is not None  # remembered again
    assert made and all(made) == (fork_min == 1 and stat_ahead._fork_supported())


def test_a_quick_search_against_a_commit_checked_before_reads_no_count(tmp_path, monkeypatch, capsys):
    """That the index holds exactly the list's files, and where each file's articles start, is
    kept per list and index commit: the next searches of the same files read neither the index's
    count per source nor every file's hash (their numbers are the whole library's, a page given
    twice included). Another commit of the index is checked again, and one that no longer holds
    exactly these files sends the command the usual way."""
    import app.search.index as search_index
    import app.store as store_module
    from app.cli import main

    pages, index, run = unchanged_pages(tmp_path, capsys)

    queries = ["图书驿站", "冬修水利", "柳湾", "没有的词"]
    whole, quick = whole_then_recorded(monkeypatch, run, queries)
    counted = []
    real_counts = search_index.SearchIndex.indexed_sources
    monkeypatch.setattr(search_index.SearchIndex, "indexed_sources",
                        lambda self: counted.append(1) or real_counts(self))
    keys_made = []
    real_keys = store_module.ListRow.keys
    monkeypatch.setattr(store_module.ListRow, "keys", lambda self: keys_made.append(1) or real_keys(self))

    assert run(queries[0]) == whole[0] and len(counted) == 1  # checked once, and kept
    counted.clear()
    keys_made.clear()
    assert [run(q) for q in queries] == whole
    assert all(answer is not None for answer in quick) and counted == [] and keys_made == []

    # another commit of the index (a page outside the list added to it): checked again
    extra = tmp_path / "extra.txt"
    extra.write_text("云岭村新闻\n\n本报讯 云岭村修路。\n", encoding="utf-8")
    assert main(["index", *pages, str(extra), "--index-dir", index]) == 0
    capsys.readouterr()
    quick.clear()
    assert run(queries[0]) == whole[0]  # the index holds more than these files: the usual way
    assert quick == [None] and counted


def test_a_folder_stands_for_the_text_files_inside_it(tmp_path, capsys):
    """``baozhi search 图书驿站 archive/``: the folder's pages, deeply and in path order, exactly as
    if each had been named; a folder with no text files is a one-line error, not the sample."""
    from app.cli import main

    archive = tmp_path / "archive"
    (archive / "2025").mkdir(parents=True)
    (archive / "2024").mkdir()
    pages = four_town_pages(archive / "2025") + four_town_pages(archive / "2024")
    for page in pages[4:]:  # (the same pages a year before, a word changed: sources of their own)
        Path(page).write_text(Path(page).read_text(encoding="utf-8").replace("开工", "完工"), encoding="utf-8")
    (archive / "2024" / "notes.md").write_text("不是报纸", encoding="utf-8")
    (archive / "2024" / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    index = str(tmp_path / "index")
    in_path_order = sorted(pages, key=lambda p: Path(p).parts)
    assert main(["articles", *in_path_order, "--json"]) == 0
    named = json.loads(capsys.readouterr().out)
    assert main(["articles", str(archive), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["source"], a["title"]) for a in listed] == [(a["source"], a["title"]) for a in named]
    assert len(listed) == 16 and listed[0]["source"] == str(archive / "2024" / "p0.txt")

    assert main(["search", "图书驿站", str(archive), "--index-dir", index, "--json"]) == 0
    by_folder = json.loads(capsys.readouterr().out)
    assert main(["search", "图书驿站", *in_path_order, "--index-dir", index, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == by_folder["hits"]
    assert sorted(h["number"] for h in by_folder["hits"]) == list(range(1, 16, 2))

    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "readme.md").write_text("x", encoding="utf-8")
    result = cli("articles", str(empty))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"baozhi: {empty}: no text files in this folder"


def test_search_asks_no_file_of_a_remembered_list_whether_it_is_a_folder(tmp_path, capsys, monkeypatch):
    """The list cache vouches for a list of files it remembers (stat for stat), so ``search`` given
    it again expands no folders: asking 10,000 paths cost ~20 ms, as much as the check itself. A
    name that has become a folder since fails that check and is expanded. (A few sources, a
    folder's name above all, are expanded first: asking them costs nothing.)"""
    import os
    import time

    import app.cli.commands as commands
    from app.cli import main

    monkeypatch.setattr(commands, "EXPAND_FIRST", 2)  # the four pages stand for many

    (tmp_path / "pages").mkdir()
    pages = four_town_pages(tmp_path / "pages")
    past = time.time() - 3600
    for page in pages:
        os.utime(page, (past, past))
    index = str(tmp_path / "index")
    asked: list[str] = []
    real_isdir = os.path.isdir
    def isdir(path) -> bool:
        if str(path) in pages:  # (the index's own folders are asked too)
            asked.append(str(path))
        return real_isdir(path)

    monkeypatch.setattr(os.path, "isdir", isdir)

    def run(*sources) -> dict:
        assert main(["search", "图书驿站", *sources, "--index-dir", index, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    first = run(*pages)  # the usual way: every source looked at, the list remembered
    assert sorted(asked) == sorted(pages)
    asked.clear()
    assert run(*pages)["hits"] == first["hits"]
    assert asked == []

    # the last page replaced by a folder holding it: no longer the remembered list of files
    last = Path(pages[-1])
    moved = last.with_name("moved.txt")
    last.rename(moved)
    last.mkdir()
    moved.rename(last / "inside.txt")
    asked.clear()
    answer = run(*pages)
    assert pages[-1] in asked  # expanded: the page inside it is searched
    assert [(h["number"], h["title"]) for h in answer["hits"]] == [(h["number"], h["title"]) for h in first["hits"]]
    last.joinpath("inside.txt").unlink()  # and an empty folder is still the one-line error
    assert main(["search", "图书驿站", *pages, "--index-dir", index]) == 2
    assert capsys.readouterr().err.strip() == f"baozhi: {last}: no text files in this folder"


@pytest.mark.parametrize("argv", [
    ["search", "江海", "a.txt", "b.txt", "c.txt", "--limit", "3"],
    ["search", "--json", "江海", "a.txt", "b.txt"],
    ["search", "江海", "--", "a.txt", "-b.txt", "--", "c.txt"],
    ["articles", "--json", "a.txt", "b.txt", "c.txt"],
    ["articles", "one.txt"],
    ["export", "a.txt", "b.txt", "--format", "md", "--out", "x.md"],
])
def test_many_sources_parse_as_argparse_parses_them(argv):
    # the sources are taken as given, without argparse's call per value (2 ms at 10,000 files)
    import argparse

    from app.cli import build_parser

    def parse(parser):
        return vars(parser.get_default("command_parsers")[argv[0]].parse_args(argv[1:]))

    ours_parser = build_parser()
    assert type(ours_parser.get_default("command_parsers")[argv[0]])._get_values is not argparse.ArgumentParser._get_values
    ours = parse(ours_parser)
    original = argparse.ArgumentParser._get_values
    plain = build_parser()
    for sub in plain.get_default("command_parsers").values():
        sub._get_values = original.__get__(sub)  # argparse's own conversion of every value
    expected = parse(plain)
    assert {k: v for k, v in ours.items() if k != "command_parsers"} == \
        {k: v for k, v in expected.items() if k != "command_parsers"}
    assert isinstance(ours["sources"], list) and len(ours["sources"]) == len(expected["sources"])
