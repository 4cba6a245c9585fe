"""An article of a whole issue says where the issue printed it (第A03版 要闻 · 2023年10月31日) in every
export format; an article of a single page says nothing of the kind (#17)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile

import pytest

from app.export import ExportOptions, export_articles
from app.export.layout import page_line
from app.model import Article, Paragraph

LINE = "第A03版 要闻 · 2023年10月31日"
FORMATS = ("pdf", "html", "md", "txt", "docx", "epub")


def _article(**page) -> Article:
    return Article(title="南湖新区启用智慧停车系统", authors=["林晓燕"], author_roles=["记者"], date="10-30",
                   source="/tmp/issue/nanhu-20231031.txt", id="page000000000001",
                   paragraphs=[Paragraph("本报讯(记者 林晓燕)10月30日,南湖新区首批智慧停车泊位投入使用。")], **page)


def _text(path, fmt: str) -> str:
    """What a reader of the file sees, whitespace removed."""
    if fmt == "docx":
        import docx

        raw = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    elif fmt == "epub":
        with zipfile.ZipFile(path) as z:
            raw = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("article_001.xhtml"))
    elif fmt == "pdf":
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                             check=True).stdout.decode("utf-8")
    else:
        raw = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", "", raw)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_says_the_page_and_the_issue_date(tmp_path, qapp, fmt):
    if fmt == "pdf" and not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    if fmt == "docx":
        pytest.importorskip("docx")
    article = _article(page="A03", page_name="要闻", issue_date="2023-10-31")
    [out] = export_articles([article], fmt, tmp_path / f"a.{fmt}", ExportOptions())
    text = _text(out, fmt)
    assert re.sub(r"\s+", "", LINE) in text
    assert text.index("南湖新区启用智慧停车系统") < text.index("第A03版") < text.index("本报讯")
    [bare] = export_articles([article], fmt, tmp_path / f"bare.{fmt}", ExportOptions(metadata=False))
    assert "第A03版" not in _text(bare, fmt)  # metadata left out: the page line too


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_article_of_a_single_page_has_no_page_line(tmp_path, qapp, fmt):
    if fmt == "pdf" and not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    if fmt == "docx":
        pytest.importorskip("docx")
    [out] = export_articles([_article()], fmt, tmp_path / f"a.{fmt}", ExportOptions())
    text = _text(out, fmt)
    assert "记者林晓燕·10-30" in text and "版" not in text and "2023年" not in text


def test_json_carries_the_page_fields(tmp_path):
    article = _article(page="A03", page_name="要闻", issue_date="2023-10-31")
    [out] = export_articles([article], "json", tmp_path / "a.json", ExportOptions())
    [data] = json.loads(out.read_text(encoding="utf-8"))
    assert (data["page"], data["page_name"], data["issue_date"]) == ("A03", "要闻", "2023-10-31")


def test_html_gives_the_line_its_own_muted_paragraph(tmp_path):
    article = _article(page="A03", page_name="要闻<b>", issue_date="2023-10-31")
    [out] = export_articles([article], "html", tmp_path / "a.html", ExportOptions())
    html = out.read_text(encoding="utf-8")
    assert '<p class="page">第A03版 要闻&lt;b&gt; · 2023年10月31日</p>' in html
    assert ".page, .byline, .source" in html


@pytest.mark.parametrize("page, name, day, expected", [
    ("A03", "要闻", "2023-10-31", "第A03版 要闻 · 2023年10月31日"),
    ("3", None, "2024-01-05", "第3版 · 2024年1月5日"),
    ("第3版", "地方 新闻", None, "第3版 地方 新闻"),
    (None, "要闻", None, "要闻"),
    (None, None, "2024-01-05", "2024年1月5日"),
    (None, None, "二〇二四年一月五日", "二〇二四年一月五日"),
    (None, None, None, None),
    ("  ", "", "", None),
])
def test_the_page_line_says_only_what_is_known(page, name, day, expected):
    assert page_line(Article("标题", page=page, page_name=name, issue_date=day)) == expected
