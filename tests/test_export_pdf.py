"""PDF export through Qt: Chinese text extractable, fonts embedded, outline = titles, page numbers."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from app import palette
from app.export import ExportCancelled, ExportOptions, export_articles
from app.library import Library
from app.model import Article, EntitySpan, Paragraph
from app.paths import sample_page

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("PySide6.QtGui")
pytestmark = pytest.mark.gui


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def radicals(text: str) -> set[str]:
    return {c for c in text if 0x2E80 <= ord(c) <= 0x2FDF or 0xF900 <= ord(c) <= 0xFAFF}


@pytest.fixture
def articles(qapp) -> list[Article]:  # qapp: a QApplication exists before the export needs one
    arts = Library().add(sample_page()).articles
    text = arts[0].paragraphs[0].text
    start = text.index("夏加伟")
    arts[0].entities = [EntitySpan("PERSON", "夏加伟", 0, start, start + 3)]
    return arts


def pdftotext(path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_pdf_text_fonts_outline_and_page_numbers(tmp_path, articles):
    [out] = export_articles(articles, "pdf", tmp_path / "a.pdf", ExportOptions(highlights=True))
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdftotext(out)
    flat = re.sub(r"—\d+/\d+—", "", squash(text))  # page footers interrupt paragraphs that break
    for a in articles:
        assert squash(a.title) in flat
        for p in a.paragraphs:
            assert squash(p.text) in flat  # every paragraph copy-pastes back, 生/门/车 included
    assert not radicals(text), "ToUnicode maps must give ideographs, not radicals"

    reader = pypdf.PdfReader(out)
    pages = len(reader.pages)
    assert f"— 1 / {pages} —" in pypdf.PdfReader(out).pages[0].extract_text()

    # outline: one entry per article, at the page where its title is, in order
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [t for t, _ in outline] == [a.title for a in articles]
    starts = [p for _, p in outline]
    assert starts[0] == 0 and starts == sorted(set(starts))
    for (title, page), _ in zip(outline, articles):
        assert squash(title) in squash(reader.pages[page].extract_text())
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert reader.metadata.title.endswith("等 7 篇")

    # every font embedded with a ToUnicode map
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert any("CJK" in name for name in fonts)
    for name, font in fonts.items():
        assert "/ToUnicode" in font, name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
    if shutil.which("pdffonts"):
        rows = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column


def test_pdf_highlights_are_painted_in_the_palette_tint(tmp_path, articles):
    """The person is shaded in the window's light tint, not the search hits' yellow (issue 15)."""
    from PySide6.QtGui import QImage

    if not shutil.which("pdftoppm"):
        pytest.skip("needs pdftoppm (poppler-utils)")
    [out] = export_articles(articles[:1], "pdf", tmp_path / "a.pdf", ExportOptions(highlights=True))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    image = QImage(str(png))
    seen = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert palette.tint("PERSON") in seen  # a solid fill: exact in a DeviceRGB PDF
    assert palette.LIGHT.hit not in seen


def test_pdf_per_article(tmp_path, articles):
    paths = export_articles(articles[:3], "pdf", tmp_path / "pdfs", ExportOptions(per_article=True, metadata=False))
    assert [p.name for p in paths] == [f"{a.title}.pdf" for a in articles[:3]]
    for p, a in zip(paths, articles):
        reader = pypdf.PdfReader(p)
        assert [o.title for o in reader.outline] == [a.title]
        assert squash(a.title) in squash(pdftotext(p))
        byline = "、".join(a.authors)
        assert byline in squash(a.paragraphs[0].text) or byline not in squash(pdftotext(p))  # no metadata


def test_pdf_untitled_and_hostile_text(tmp_path, qapp):
    text = "<script>alert(1)</script> 生产线——office 2023年 江门 车辆"  # digits, dash and fi ligatures, 门/车
    arts = [Article(title="", ordinal=4, paragraphs=[Paragraph(text)])]
    [out] = export_articles(arts, "pdf", tmp_path / "u.pdf")
    reader = pypdf.PdfReader(out)
    assert [o.title for o in reader.outline] == ["无标题文章 5"]
    assert squash(text) in squash(pdftotext(out))


def test_pdf_cancel_leaves_nothing(tmp_path, articles):
    with pytest.raises(ExportCancelled):
        export_articles(articles, "pdf", tmp_path / "a.pdf", progress=lambda d, t: None,
                        cancel=lambda: bool(list(tmp_path.iterdir())))  # cancel once the temp file exists
    assert list(tmp_path.iterdir()) == []
