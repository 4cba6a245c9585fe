"""Each author keeps the role the byline gave them, in JSON and in exports (issue 15, item 6).

Before, every export header said 记者 before all the names, so a page crediting (通讯员 某甲 某乙)
was exported as if both were reporters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from app.export import ExportOptions, export_articles
from app.model import Article, credit_line
from app.segment import credits_of, split_articles

PAGE = """城东街道开展消防安全演练

本报讯(记者 王晓明)11月5日,城东街道组织辖区企业开展消防安全演练,提升员工应急处置能力。

演练结束后,消防员为员工讲解了灭火器的使用方法。

(通讯员 李大伟 赵小芳)
"""


def _article() -> Article:
    [article] = split_articles(PAGE, source="credits.txt", source_key="k")
    return article


@pytest.mark.parametrize("credits, expected", [
    ("文/图 江门日报记者 何榕 通讯员 林瑞蓬", [("记者", "何榕"), ("通讯员", "林瑞蓬")]),
    ("记者/陈婵", [("记者", "陈婵")]),
    ("本报记者 王晓明 实习生 李小红", [("记者", "王晓明"), ("实习生", "李小红")]),
    ("通讯员 李大伟 赵小芳", [("通讯员", "李大伟"), ("通讯员", "赵小芳")]),
    ("陈晖 区市监", [("", "陈晖")]),
    ("陈晖 摄", [("摄影", "陈晖")]),
])
def test_credits_keep_each_role(credits, expected):
    assert credits_of(credits) == expected


def test_the_article_keeps_roles_and_says_them_as_the_paper_did():
    article = _article()
    assert article.authors == ["王晓明", "李大伟", "赵小芳"]
    assert article.credits == [("记者", "王晓明"), ("通讯员", "李大伟"), ("通讯员", "赵小芳")]
    assert credit_line(article) == "记者 王晓明 通讯员 李大伟、赵小芳"
    data = article.to_dict()
    assert data["credits"] == [{"role": "记者", "name": "王晓明"}, {"role": "通讯员", "name": "李大伟"},
                               {"role": "通讯员", "name": "赵小芳"}]
    assert Article.from_dict(json.loads(json.dumps(data))).credits == article.credits


def test_exports_show_each_role(tmp_path, qapp):
    article = _article()
    md = export_articles([article], "md", tmp_path / "a.md", ExportOptions())[0].read_text(encoding="utf-8")
    assert "记者 王晓明 通讯员 李大伟、赵小芳" in md and "记者 王晓明、李大伟" not in md
    docx = pytest.importorskip("docx")
    [out] = export_articles([article], "docx", tmp_path / "a.docx", ExportOptions())
    texts = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "记者 王晓明 通讯员 李大伟、赵小芳" in texts and "记者 王晓明、李大伟" not in texts
    [pdf] = export_articles([article], "pdf", tmp_path / "a.pdf", ExportOptions())
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
        flat = re.sub(r"\s+", "", text)
        assert "记者王晓明通讯员李大伟、赵小芳" in flat and "记者王晓明、李大伟" not in flat
    [js] = export_articles([article], "json", tmp_path / "a.json", ExportOptions())
    assert json.loads(js.read_text(encoding="utf-8"))[0]["credits"][1] == {"role": "通讯员", "name": "李大伟"}
