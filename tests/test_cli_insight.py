"""``baozhi timeline``, ``network`` and ``dossier``: the contract of the other commands (JSON on
stdout, one-line errors with status 2), on pages written for these tests."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PAGES = {
    "p1.txt": "青禾日报 2021年3月5日 星期五\n\n青禾区部署春耕生产工作\n\n"
              "本报讯（记者 林小雨）3月5日，青禾区召开春耕动员会。区委书记罗明远强调，要抓好农时。\n\n"
              "罗明远随后走访了白沙镇的种粮大户。\n\n"
              "白沙镇举办龙舟邀请赛\n\n本报讯（记者 周海）白沙镇昨天举办龙舟邀请赛，苏晓岚到场观看。\n",
    "p2.txt": "青禾日报 2021年5月20日 星期四\n\n青禾区整治扬尘污染\n\n"
              "本报讯（记者 林小雨）5月20日，青禾区开展扬尘污染专项整治。罗明远带队检查了白沙镇的工地。\n",
    "p3.txt": "青禾日报 2022年1月10日 星期一\n\n食品安全检查走进校园\n\n"
              "本报讯（记者 周海）1月10日，青禾区市场监管局到白沙镇中心小学检查食品安全。苏晓岚参加检查。\n\n"
              "扬尘治理回头看\n\n本报讯（记者 林小雨）1月10日，罗明远在青禾区召开会议，部署扬尘治理。\n",
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("insight-pages")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder, [str(folder / n) for n in PAGES], folder / "index"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=ROOT, timeout=180)


def ok(*args: str) -> subprocess.CompletedProcess:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("baozhi: ") and words in result.stderr


def test_timeline_of_the_library(pages):
    _folder, files, index = pages
    data = json.loads(ok("timeline", *files, "--json", "--index-dir", str(index)).stdout)
    assert data["unit"] == "week"  # 2021-03-05 .. 2022-01-10: chosen by the span
    assert data["buckets"][0]["label"] == "2021-W09" and data["buckets"][-1]["label"] == "2022-W02"
    data = json.loads(ok("timeline", *files, "--by", "month", "--json", "--index-dir", str(index)).stdout)
    assert [b["label"] for b in data["buckets"]][0] == "2021-03" and data["buckets"][-1]["label"] == "2022-01"
    assert len(data["buckets"]) == 11  # the empty months are there
    [series] = data["series"]
    # the dragon-boat story gives no date of its own ("昨天"): it goes by its issue's, 2021-03-05
    assert series == {"name": "", "counts": [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2], "undated": 0, "total": 5}


def test_timeline_of_several_queries_by_year_and_as_csv(pages):
    _folder, files, index = pages
    data = json.loads(ok("timeline", *files, "--query", "扬尘", "--query", "苏晓岚 OR 龙舟", "--by", "year",
                         "--json", "--index-dir", str(index)).stdout)
    assert [b["label"] for b in data["buckets"]] == ["2021", "2022"]
    assert data["series"] == [{"name": "扬尘", "counts": [1, 1], "undated": 0, "total": 2},
                              {"name": "苏晓岚 OR 龙舟", "counts": [1, 1], "undated": 0, "total": 2}]
    rows = list(csv.reader(io.StringIO(ok("timeline", *files, "--query", "扬尘", "--by", "year", "--csv",
                                          "--index-dir", str(index)).stdout)))
    assert rows == [["bucket", "start", "end", "扬尘"], ["2021", "2021-01-01", "2021-12-31", "1"],
                    ["2022", "2022-01-01", "2022-12-31", "1"], ["undated", "", "", "0"]]
    text = ok("timeline", *files, "--by", "year", "--index-dir", str(index)).stdout
    assert "2021" in text and "undated" in text


def test_timeline_counts_every_match_not_the_first_hits(pages):
    _folder, files, index = pages
    data = json.loads(ok("timeline", *files, "--query", "的", "--json", "--index-dir", str(index)).stdout)
    search = json.loads(ok("search", "的", *files, "--limit", "1", "--json", "--index-dir", str(index)).stdout)
    assert data["series"][0]["total"] == search["total"] > 1


def test_network(pages):
    _folder, files, index = pages
    data = json.loads(ok("network", *files, "--json", "--index-dir", str(index)).stdout)
    assert data["query"] is None and data["articles"] == 5
    names = {(n["type"], n["text"]): n for n in data["nodes"]}
    assert names[("PERSON", "罗明远")]["articles"] == 3 and names[("PLACE", "白沙镇")]["articles"] == 4
    i, j = (data["nodes"].index(names[k]) for k in [("PERSON", "罗明远"), ("PLACE", "白沙镇")])
    assert {"a": min(i, j), "b": max(i, j), "shared": 2} in data["edges"]
    shared = [e["shared"] for e in data["edges"]]
    assert shared == sorted(shared, reverse=True)
    top = json.loads(ok("network", *files, "--top", "2", "--query", "扬尘", "--json", "--index-dir", str(index)).stdout)
    assert top["query"] == "扬尘" and top["articles"] == 2 and len(top["nodes"]) == 2
    rows = list(csv.reader(io.StringIO(ok("network", *files, "--csv", "--index-dir", str(index)).stdout)))
    assert rows[0] == ["type_a", "name_a", "type_b", "name_b", "shared"] and len(rows) == len(data["edges"]) + 1


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv", "docx"])
def test_dossier_formats(pages, tmp_path, fmt):
    _folder, files, index = pages
    out = tmp_path / f"dossier.{fmt}"
    result = ok("dossier", "罗明远", *files, "--format", fmt, "--out", str(out), "--index-dir", str(index))
    assert result.stdout.strip() == str(out) and out.stat().st_size > 0
    if fmt == "json":
        data = json.loads(out.read_text("utf-8"))
        assert data["type"] == "PERSON" and data["articles"] == 3  # the type found by itself
        assert [m["date"] for m in data["mentions"]] == ["2021-03-05", "2021-03-05", "2021-05-20", "2022-01-10"]
        assert all(m["sentence"][m["start"]:m["end"]] == "罗明远" for m in data["mentions"])
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
        assert rows[0] == ["date", "title", "spelling", "sentence", "article_id"] and len(rows) == 5
        assert rows[1][:3] == ["2021-03-05", "青禾区部署春耕生产工作", "罗明远"]
    elif fmt in ("md", "html"):
        text = out.read_text("utf-8")
        assert "档案：罗明远" in text and "罗明远带队检查了白沙镇的工地。" in text


def test_dossier_pdf(pages, tmp_path):
    _folder, files, index = pages
    out = tmp_path / "d.pdf"
    ok("dossier", "白沙镇", *files, "--type", "place", "--format", "pdf", "--out", str(out), "--index-dir", str(index))
    assert out.read_bytes().startswith(b"%PDF")


def test_dossier_errors_are_one_line(pages, tmp_path):
    _folder, files, index = pages
    out = tmp_path / "x.md"
    one_line_error(cli("dossier", "无名氏", *files, "--format", "md", "--out", str(out), "--index-dir", str(index)),
                   "no article names '无名氏'")
    one_line_error(cli("dossier", "罗明远", *files, "--type", "ORG", "--format", "md", "--out", str(out),
                       "--index-dir", str(index)), "as ORG")
    assert not out.exists()
    out.write_text("keep", encoding="utf-8")
    one_line_error(cli("dossier", "罗明远", *files, "--format", "md", "--out", str(out), "--index-dir", str(index)),
                   "--force")
    assert out.read_text("utf-8") == "keep"
    ok("dossier", "罗明远", *files, "--format", "md", "--out", str(out), "--force", "--index-dir", str(index))
    assert "档案" in out.read_text("utf-8")
    one_line_error(cli("dossier", "罗明远", *files, "--format", "md", "--out", str(tmp_path / "no" / "x.md"),
                       "--index-dir", str(index)), "does not exist")


def test_other_errors_are_one_line(pages, tmp_path):
    _folder, files, index = pages
    one_line_error(cli("timeline", str(tmp_path / "missing.txt"), "--index-dir", str(index)), "missing.txt")
    one_line_error(cli("network", *files, "--top", "0", "--index-dir", str(index)), "--top")
    one_line_error(cli("timeline", *files, "--query", " ", "--index-dir", str(index)), "--query")
    bad = cli("timeline", *files, "--by", "fortnight")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_the_sample_works_without_sources():
    result = cli("timeline", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["series"][0]["undated"] == 7  # the sample gives no year
    assert "timeline" in cli("--help").stdout + cli("frobnicate").stderr
