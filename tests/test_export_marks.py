"""Exports carry the reader's marks when asked (``ExportOptions(marks=True)``, ``baozhi export
--marks``): the highlighted passages in the text and, under each article, the star, tags, note and
the passages' notes, in PDF, HTML, Markdown, text, DOCX and EPUB; star, tags, note and highlights
in JSON. Without the option nothing of them appears."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

from app import marks
from app.cli import main
from app.export import ExportOptions, export_articles
from app.library import Library
from app.marks import article_body
from app.model import Article, Paragraph
from app.paths import sample_page

PASSAGE = "强调要深入学习贯彻"
NOTE = "先核对**数字**再写稿 <script>x</script>"


@pytest.fixture()
def marked():
    """The sample's first two articles: the first starred, tagged, noted and highlighted twice
    (once with a passage that a re-split took away), the second unmarked."""
    articles = Library().add(sample_page()).articles[:2]
    store = marks.active_store()
    a = articles[0]
    store.set_starred(a, True)
    store.add_tag(a, "环保")
    store.add_tag(a, "政策/大气")
    store.set_note(a, NOTE)
    body = article_body(a)
    start = body.index(PASSAGE)
    store.add_highlight(a, start, start + len(PASSAGE), note="这句是重点")
    gone = Article(a.title, [Paragraph("一段后来删去的话。"), *a.paragraphs], source=a.source, ordinal=a.ordinal,
                   id=a.id)
    store.add_highlight(gone, 0, 8, note="删掉了")  # its passage is not in the article as loaded
    yield articles
    marks.close_stores()


def test_html_marks_the_passage_and_lists_the_marks_under_the_article(tmp_path, marked):
    out = export_articles(marked, "html", tmp_path / "a.html", ExportOptions(marks=True))[0]
    page = out.read_text("utf-8")
    assert f'<span class="passage">{PASSAGE}</span><sup>[1]</sup>' in page
    assert "★ 已加星标" in page and "标签: 环保、政策/大气" in page
    assert "先核对<b>数字</b>再写稿 &lt;script&gt;x&lt;/script&gt;" in page and "<script>" not in page
    assert "[1] 「强调要深入学习贯彻」 — 这句是重点" in page
    assert "[2] 「一段后来删去的话」 — 删掉了" in page and "原文已无此段" in page
    assert page.count('class="reader-marks"') == 1  # the unmarked article has none
    plain = export_articles(marked, "html", tmp_path / "b.html", ExportOptions())[0].read_text("utf-8")
    assert "passage\">" not in plain and "读者笔记" not in plain and "这句是重点" not in plain


def test_markdown_and_text_carry_the_note_and_passages(tmp_path, marked):
    md = export_articles(marked, "md", tmp_path / "a.md", ExportOptions(marks=True))[0].read_text("utf-8")
    assert "## 读者笔记\n\n先核对**数字**再写稿 &lt;script&gt;x&lt;/script&gt;" in md
    assert "1. 「强调要深入学习贯彻」 —— 这句是重点" in md and "*(原文已无此段)*" in md
    assert "★ 已加星标  ·  标签: 环保、政策/大气" in md
    txt = export_articles(marked, "txt", tmp_path / "a.txt", ExportOptions(marks=True))[0].read_text("utf-8")
    assert "【读者笔记】\n" + NOTE in txt and "[1] 「强调要深入学习贯彻」 —— 这句是重点" in txt
    assert "读者笔记" not in export_articles(marked, "md", tmp_path / "b.md", ExportOptions())[0].read_text("utf-8")


def test_json_gives_star_tags_note_and_where_each_highlight_is(tmp_path, marked):
    data = json.loads(export_articles(marked, "json", tmp_path / "a.json",
                                      ExportOptions(marks=True))[0].read_text("utf-8"))
    first, second = data[0]["marks"], data[1]["marks"]
    assert first["starred"] and first["tags"] == ["环保", "政策/大气"] and first["note"] == NOTE
    found, gone = first["highlights"]
    para = marked[0].paragraphs[found["paragraph"]].text
    assert found["found"] and para[found["start"]:found["end"]] == PASSAGE and found["note"] == "这句是重点"
    assert gone == {"text": "一段后来删去的话", "note": "删掉了", "found": False, "paragraph": None,
                    "start": None, "end": None}
    assert second == {"starred": False, "tags": [], "note": "", "read": False, "read_at": None, "highlights": []}
    plain = json.loads(export_articles(marked, "json", tmp_path / "b.json", ExportOptions())[0].read_text("utf-8"))
    assert "marks" not in plain[0]


def test_docx_highlights_the_passage_and_adds_the_notes(tmp_path, marked):
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    out = export_articles(marked, "docx", tmp_path / "a.docx", ExportOptions(marks=True))[0]
    doc = docx.Document(str(out))
    yellow = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert PASSAGE in yellow and "「强调要深入学习贯彻」" in yellow
    texts = [p.text for p in doc.paragraphs]
    assert "读者笔记" in texts and NOTE in texts and "划线批注" in texts
    assert any(t.startswith("[1] 「强调要深入学习贯彻」 —— 这句是重点") for t in texts)
    plain = docx.Document(str(export_articles(marked, "docx", tmp_path / "b.docx", ExportOptions())[0]))
    assert not any(r.font.highlight_color for p in plain.paragraphs for r in p.runs)


def test_epub_chapters_carry_the_marks_and_stay_well_formed(tmp_path, marked):
    out = export_articles(marked, "epub", tmp_path / "a.epub", ExportOptions(marks=True))[0]
    with zipfile.ZipFile(out) as z:
        chapter = z.read("EPUB/article_001.xhtml").decode("utf-8")
    ElementTree.fromstring(chapter.encode("utf-8"))  # XHTML: must parse
    assert f'<span class="passage">{PASSAGE}</span>' in chapter and "这句是重点" in chapter
    assert "先核对<b>数字</b>再写稿" in chapter


def _tinted_pixels(pdf, tmp_path) -> int:
    """Pixels of the first page painted in the highlight's tint (#fff1a6, within a little)."""
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    [ppm] = list(tmp_path.glob("p*.ppm"))
    data = ppm.read_bytes()
    fields, pos = [], 0
    while len(fields) < 4:  # P6 width height maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    pixels = data[pos + 1:]
    ppm.unlink()
    return sum(1 for i in range(0, len(pixels), 3)
               if abs(pixels[i] - 0xFF) < 8 and abs(pixels[i + 1] - 0xF1) < 8 and abs(pixels[i + 2] - 0xA6) < 12)


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"), reason="needs poppler-utils")
# qapp: a QApplication exists before the PDF writer needs one (else it makes a QGuiApplication,
# and a window test run after this one in the same process aborts)
def test_pdf_paints_the_passage_and_prints_the_notes(tmp_path, marked, qapp):
    out = export_articles(marked[:1], "pdf", tmp_path / "a.pdf", ExportOptions(marks=True))[0]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True).stdout
    squashed = "".join(text.split())
    assert "读者笔记" in squashed and "先核对数字再写稿" in squashed and "这句是重点" in squashed
    assert "标签:环保、政策/大气" in squashed and "原文已无此段" in squashed
    plain = export_articles(marked[:1], "pdf", tmp_path / "b.pdf", ExportOptions())[0]
    assert _tinted_pixels(out, tmp_path) > 50 and _tinted_pixels(plain, tmp_path) == 0


def test_the_command_line_exports_with_marks(tmp_path, marked, capsys):
    code = main(["export", str(sample_page()), "--select", "0", "--format", "json", "--out",
                 str(tmp_path / "m.json"), "--marks"])
    assert code == 0
    data = json.loads((tmp_path / "m.json").read_text("utf-8"))
    assert data[0]["marks"]["tags"] == ["环保", "政策/大气"]
    assert main(["export", str(sample_page()), "--select", "0", "--format", "json", "--out",
                 str(tmp_path / "n.json")]) == 0
    assert "marks" not in json.loads((tmp_path / "n.json").read_text("utf-8"))[0]
