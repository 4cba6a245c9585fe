"""Export of selected articles: every format round-trips, and writes are safe and all-or-nothing."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

import app.export.md
import app.export.txt
from app.export import FORMATS, ExportCancelled, ExportError, ExportOptions, export_articles
from app.export.filenames import MAX_NAME_BYTES, names_for
from app.library import Library
from app.model import Article, EntitySpan, Paragraph
from app.palette import EXPORT, bare_hex
from app.paths import sample_page

ALL = ("pdf", "html", "md", "txt", "json", "docx", "epub")
NON_QT = ("html", "md", "txt", "json", "docx", "epub")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def span(article: Article, kind: str, word: str, paragraph: int = 0) -> EntitySpan:
    start = article.paragraphs[paragraph].text.index(word)
    return EntitySpan(kind, word, paragraph, start, start + len(word))


@pytest.fixture
def articles() -> list[Article]:
    arts = Library().add(sample_page()).articles
    first = arts[0]
    first.entities = [span(first, "PERSON", "夏加伟"), span(first, "PLACE", "外海"), span(first, "DATE", "10月31日")]
    return arts


@pytest.fixture
def hostile() -> Article:
    """An article whose text tries to become markup."""
    return Article(
        title='<b>警惕</b> & "引号" *星号* #井号',
        subtitle="<img src=http://evil.example/x.png>",
        authors=["<i>某人</i>"],
        date="2023-10-31",
        source="/tmp/x/<page>.txt",
        ordinal=3,
        paragraphs=[Paragraph("<script>alert('x')</script>正文 [链接](http://evil.example) 继续。"),
                    Paragraph("小标题 <u>", "subhead")],
        id="hostile0000000000",
    )


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- the API --------------------------------------------------------------------------------------

def test_formats_are_the_seven():
    assert set(FORMATS) == set(ALL)
    assert all(FORMATS[f] == "." + f for f in ALL)


def test_core_import_stays_qt_free():
    code = ("import sys, app.export, app.export.pdf, app.export.html, app.export.md, app.export.txt, "
            "app.export.json; assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).parent.parent)
    assert result.returncode == 0, result.stderr


def test_unknown_format_and_no_articles(tmp_path, articles):
    with pytest.raises(ExportError, match="Unknown export format"):
        export_articles(articles, "rtf", tmp_path / "x.rtf")
    with pytest.raises(ExportError, match="no articles"):
        export_articles([], "txt", tmp_path / "x.txt")
    assert listing(tmp_path) == []


def test_progress_counts_every_article(tmp_path, articles):
    seen = []
    export_articles(articles, "txt", tmp_path / "a.txt", progress=lambda d, t: seen.append((d, t)))
    n = len(articles)
    assert seen == [(i, n) for i in range(n + 1)]


# --- each format --------------------------------------------------------------------------------

def test_json_equals_to_dict(tmp_path, articles):
    [out] = export_articles(articles, "json", tmp_path / "a.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == [a.to_dict() for a in articles]
    assert [Article.from_dict(d) for d in data] == articles


def test_txt_holds_every_text(tmp_path, articles):
    [out] = export_articles(articles, "txt", tmp_path / "a.txt")
    text = squash(out.read_bytes().decode("utf-8"))
    for a in articles:
        assert squash(a.title) in text
        for p in a.paragraphs:
            assert squash(p.text) in text
    assert "推动绿美江海生态建设" in text and "陈婵" in text  # metadata header


def test_txt_without_metadata(tmp_path, articles):
    [out] = export_articles(articles[:1], "txt", tmp_path / "a.txt", ExportOptions(metadata=False))
    text = out.read_text(encoding="utf-8")
    assert text.startswith(articles[0].title + "\n")
    assert "—— " + articles[0].subtitle not in text and "陈婵 · 10-31" not in text
    assert "sample_jianghai.txt" not in text


def test_markdown_holds_texts_and_escapes_markup(tmp_path, articles, hostile):
    [out] = export_articles([*articles, hostile], "md", tmp_path / "a.md")
    md = out.read_text(encoding="utf-8")
    for a in articles:
        assert f"# {a.title}" in md
        for p in a.paragraphs:
            assert " ".join(p.text.split()) in md
    assert "<script>" not in md and r"\<script\>" in md
    assert "<b>" not in md and r"\*星号\*" in md and r"\[链接\]" in md


def test_html_is_self_contained_and_escaped(tmp_path, articles, hostile):
    [out] = export_articles([*articles, hostile], "html", tmp_path / "a.html", ExportOptions(highlights=True))
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert "<img" not in page and "<b>" not in page and "&lt;b&gt;警惕&lt;/b&gt; &amp; &quot;引号&quot;" in page
    # no reference that would fetch anything: links only to anchors in the page, no src, no url()
    assert re.findall(r'\b(?:href|src)="([^"]*)"', page) == [f"#article-{i + 1}" for i in range(len(articles) + 1)]
    assert "url(" not in page and "@import" not in page and "<link" not in page
    assert "Content-Security-Policy" in page and 'lang="zh-CN"' in page
    assert '<mark class="ent-PERSON" title="人名">夏加伟</mark>' in page
    assert '<mark class="ent-DATE" title="日期">10月31日</mark>' in page
    for a in articles:
        assert f">{a.title}</h2>" in page.replace("&quot;", '"')


def test_html_without_highlights_has_no_marks(tmp_path, articles):
    [out] = export_articles(articles, "html", tmp_path / "a.html", ExportOptions(highlights=False))
    assert "<mark" not in out.read_text(encoding="utf-8")


def test_docx_round_trip(tmp_path, articles):
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    [out] = export_articles(articles, "docx", tmp_path / "a.docx", ExportOptions(highlights=True))
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [a.title for a in articles]
    texts = {p.text for p in document.paragraphs}
    for a in articles:
        for p in a.paragraphs:
            assert p.text in texts
    for name in ("Normal", "Heading 1"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("SimSun", "Microsoft YaHei")
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
    shaded = {r.text: r._r.rPr.find(qn("w:shd")).get(qn("w:fill"))
              for p in document.paragraphs for r in p.runs
              if r._r.rPr is not None and r._r.rPr.find(qn("w:shd")) is not None}
    fill = {t: bare_hex(c.tint) for t, c in EXPORT.entities.items()}  # the window's light tints
    assert shaded == {"夏加伟": fill["PERSON"], "外海": fill["PLACE"], "10月31日": fill["DATE"]}
    assert {str(r.font.color.rgb) for p in document.paragraphs for r in p.runs if r.text in shaded} == {
        bare_hex(EXPORT.text)}  # the text colour the tints are checked against
    assert document.core_properties.language == "zh-CN"


def test_epub_structure(tmp_path, articles, hostile):
    pytest.importorskip("ebooklib")
    [out] = export_articles([*articles, hostile], "epub", tmp_path / "a.epub", ExportOptions(highlights=True))
    with zipfile.ZipFile(out) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert not first.extra  # epubcheck: no extra field on the mimetype entry
        assert z.read("mimetype") == b"application/epub+zip"
        container = ElementTree.fromstring(z.read("META-INF/container.xml"))
        ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}
        opf_path = container.find(".//c:rootfile", ns).get("full-path")
        opf = ElementTree.fromstring(z.read(opf_path))
        ons = {"o": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
        assert opf.find(".//dc:language", ons).text == "zh-CN"
        assert opf.find(".//o:meta[@property='dcterms:modified']", ons) is not None
        ids = [e.get("id") for e in opf.iter() if e.get("id")]
        assert len(ids) == len(set(ids))
        base = opf_path.rsplit("/", 1)[0] + "/"
        items = {i.get("id"): i for i in opf.find("o:manifest", ons)}
        nav_items = [i for i in items.values() if "nav" in (i.get("properties") or "")]
        assert len(nav_items) == 1
        nav = z.read(base + nav_items[0].get("href")).decode("utf-8")
        ElementTree.fromstring(nav.encode("utf-8"))
        for a in [*articles, hostile]:
            assert a.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in nav
        spine = [r.get("idref") for r in opf.find("o:spine", ons)]
        chapters = [z.read(base + items[i].get("href")) for i in spine if i != "nav"]
        assert len(chapters) == len(articles) + 1
        for raw in chapters:
            root = ElementTree.fromstring(raw)  # well-formed XHTML
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
        last = chapters[-1].decode("utf-8")
        assert "<script" not in last and "&lt;script&gt;" in last
        assert "夏加伟</mark>" in chapters[0].decode("utf-8")


def test_per_article_files(tmp_path, articles):
    folder = tmp_path / "out" / "deeper"
    paths = export_articles(articles, "md", folder, ExportOptions(per_article=True))
    assert len(paths) == len(articles) and all(p.parent == folder for p in paths)
    assert paths[6].name == "江海：搭建“实验室”直达“生产线”高速通道.md"
    for p, a in zip(paths, articles):
        assert f"# {a.title}" in p.read_text(encoding="utf-8")
    assert listing(folder) == sorted(p.name for p in paths)


@pytest.mark.parametrize("fmt", NON_QT)
def test_every_format_one_file_per_article(tmp_path, articles, fmt):
    if fmt in ("docx", "epub"):
        pytest.importorskip({"docx": "docx", "epub": "ebooklib"}[fmt])
    paths = export_articles(articles[:3], fmt, tmp_path, ExportOptions(per_article=True))
    assert [p.suffix for p in paths] == [FORMATS[fmt]] * 3
    assert listing(tmp_path) == sorted(p.name for p in paths)
    assert all(p.stat().st_size > 0 for p in paths)


# --- safety: overwriting -------------------------------------------------------------------------

def test_no_overwrite_without_force(tmp_path, articles):
    out = tmp_path / "a.txt"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        export_articles(articles, "txt", out)
    assert out.read_text(encoding="utf-8") == "keep me"
    assert listing(tmp_path) == ["a.txt"]
    export_articles(articles, "txt", out, ExportOptions(force=True))
    assert articles[0].title in out.read_text(encoding="utf-8")
    assert listing(tmp_path) == ["a.txt"]


def test_per_article_conflict_writes_nothing(tmp_path, articles):
    (tmp_path / "你点我检.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        export_articles(articles, "txt", tmp_path, ExportOptions(per_article=True))
    assert listing(tmp_path) == ["你点我检.txt"]


def test_file_appearing_during_export_is_not_clobbered(tmp_path, articles, monkeypatch):
    out = tmp_path / "a.txt"
    real = app.export.txt.write

    def racing_write(arts, path, options, step):
        real(arts, path, options, step)
        out.write_text("someone else's", encoding="utf-8")

    monkeypatch.setattr(app.export.txt, "write", racing_write)
    with pytest.raises(ExportError, match="already exists"):
        export_articles(articles, "txt", out)
    assert out.read_text(encoding="utf-8") == "someone else's"
    assert listing(tmp_path) == ["a.txt"]


# --- safety: failures and cancel leave nothing ----------------------------------------------------

def fail_on_second(monkeypatch, exc: BaseException):
    real = app.export.md.article_markdown
    calls = []

    def flaky(article, options, level=1):
        calls.append(article)
        if len(calls) == 2:
            raise exc
        return real(article, options, level)

    monkeypatch.setattr(app.export.md, "article_markdown", flaky)


def test_failure_midway_leaves_no_file(tmp_path, articles, monkeypatch):
    fail_on_second(monkeypatch, RuntimeError("injected"))
    with pytest.raises(RuntimeError, match="injected"):
        export_articles(articles, "md", tmp_path / "a.md")
    assert listing(tmp_path) == []


def test_failure_midway_per_article_removes_written_files_and_new_folder(tmp_path, articles, monkeypatch):
    fail_on_second(monkeypatch, RuntimeError("injected"))
    with pytest.raises(RuntimeError):
        export_articles(articles, "md", tmp_path / "new" / "folder", ExportOptions(per_article=True))
    assert listing(tmp_path) == []


def test_disk_full_is_a_clear_error(tmp_path, articles, monkeypatch):
    fail_on_second(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(ExportError, match="disk is full") as info:
        export_articles(articles, "md", tmp_path / "a.md")
    assert str(info.value).count(".") >= 1 and "\n" not in str(info.value)
    assert listing(tmp_path) == []


@pytest.mark.parametrize("per_article", [False, True])
def test_cancel_leaves_nothing(tmp_path, articles, per_article):
    seen = []
    out = tmp_path / ("folder" if per_article else "a.txt")
    with pytest.raises(ExportCancelled):
        export_articles(articles, "txt", out, ExportOptions(per_article=per_article),
                        progress=lambda d, t: seen.append(d), cancel=lambda: len(seen) >= 3)
    assert seen == [0, 1, 2]
    assert listing(tmp_path) == []


def test_cancel_before_start(tmp_path, articles):
    with pytest.raises(ExportCancelled):
        export_articles(articles, "json", tmp_path / "a.json", cancel=lambda: True)
    assert listing(tmp_path) == []


# --- safety: where the files go -------------------------------------------------------------------

def test_folder_given_as_file_target(tmp_path, articles):
    with pytest.raises(ExportError, match="is a folder"):
        export_articles(articles, "txt", tmp_path)
    with pytest.raises(ExportError, match="is a folder"):
        export_articles(articles, "txt", tmp_path, ExportOptions(force=True))


def test_file_given_as_folder_target(tmp_path, articles):
    out = tmp_path / "a.txt"
    out.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="must be a folder"):
        export_articles(articles, "txt", out, ExportOptions(per_article=True))


def test_folder_where_an_article_file_should_go(tmp_path, articles):
    (tmp_path / "你点我检.txt").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_articles(articles, "txt", tmp_path, ExportOptions(per_article=True, force=True))
    assert listing(tmp_path) == ["你点我检.txt"]


def test_missing_parent_folder(tmp_path, articles):
    with pytest.raises(ExportError, match="does not exist"):
        export_articles(articles, "txt", tmp_path / "nope" / "a.txt")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_read_only_folder(tmp_path, articles):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="Permission denied"):
            export_articles(articles, "txt", folder / "a.txt")
        assert listing(folder) == []
    finally:
        folder.chmod(0o755)


def test_permission_denied_is_a_clear_error(tmp_path, articles, monkeypatch):
    """The same path as a read-only folder, for when the tests run as root (root ignores modes)."""
    import app.export.atomic as atomic

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", denied)
    with pytest.raises(ExportError, match="^Permission denied: .*cannot be written\\.$"):
        export_articles(articles, "txt", tmp_path / "a.txt")
    assert listing(tmp_path) == []


def test_written_file_has_ordinary_permissions(tmp_path, articles):
    [out] = export_articles(articles, "txt", tmp_path / "a.txt")
    if os.name == "posix":
        assert out.stat().st_mode & 0o044 == 0o044 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- safe file names ---------------------------------------------------------------------------

FORBIDDEN = set('/\\:*?"<>|')


def assert_safe(name: str, suffix: str) -> None:
    assert name.endswith(suffix)
    stem = name[: -len(suffix)]
    assert stem and not FORBIDDEN & set(name)
    assert not any(ord(c) < 32 or c == "\x7f" for c in name)
    assert not stem.endswith((".", " ")) and not name.startswith((".", " "))
    assert stem.split(".")[0].strip().upper() not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                                      *(f"LPT{i}" for i in range(10))}
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES


UNSAFE_TITLES = [
    "江海:搭建“实验室”直达“生产线”高速通道", "CON", "con", "Nul.txt", "COM1", "lpt9", "Aux ", "prn.tar",
    "a/b\\c", "../../etc/passwd", "..", "...", " .hidden. ", "问号?星号*竖线|", "<尖括号>\"引号\"",
    "控制\x00字符\x1f\x7f", "反向\u202e文本", "换\n行\t符", "" , "   ", "长" * 300, "x" * 300, "Title", "title",
    "标题", "标题", "标题.", "标题 ",
]


def test_safe_names():
    names = names_for(((t, i) for i, t in enumerate(UNSAFE_TITLES)), ".docx")
    for name in names:
        assert_safe(name, ".docx")
    assert len({n.casefold() for n in names}) == len(names)
    by_title = dict(zip(UNSAFE_TITLES, names))
    assert names[0] == "江海：搭建“实验室”直达“生产线”高速通道.docx"
    assert by_title["CON"] == "_CON.docx" and by_title["Nul.txt"] == "_Nul.txt.docx"
    assert by_title["a/b\\c"] == "a／b＼c.docx"
    assert by_title["控制\x00字符\x1f\x7f"] == "控制字符.docx" and by_title["反向\u202e文本"] == "反向文本.docx"
    assert names[UNSAFE_TITLES.index("")] == f"article-{UNSAFE_TITLES.index('') + 1:03d}.docx"
    assert names[UNSAFE_TITLES.index("..")] == f"article-{UNSAFE_TITLES.index('..') + 1:03d}.docx"
    long_cn = names[UNSAFE_TITLES.index("长" * 300)]
    assert long_cn.startswith("长" * 60) and len(long_cn.encode("utf-8")) <= MAX_NAME_BYTES
    dupes = names[UNSAFE_TITLES.index("标题"):]
    assert dupes == ["标题.docx", "标题 (2).docx", "标题 (3).docx", "标题 (4).docx"]


def test_unsafe_titles_stay_in_the_folder(tmp_path):
    arts = [Article(title=t, ordinal=i, paragraphs=[Paragraph(f"正文 {i}")]) for i, t in enumerate(UNSAFE_TITLES)]
    folder = tmp_path / "out"
    paths = export_articles(arts, "txt", folder, ExportOptions(per_article=True))
    assert len(paths) == len(arts) and len({p.name.casefold() for p in paths}) == len(arts)
    assert listing(tmp_path) == ["out", *sorted(f"out/{p.name}" for p in paths)]
    for i, p in enumerate(paths):
        assert_safe(p.name, ".txt")
        assert p.resolve().parent == folder.resolve()
        assert f"正文 {i}" in p.read_text(encoding="utf-8")
    untitled = paths[UNSAFE_TITLES.index("")]
    assert f"无标题文章 {UNSAFE_TITLES.index('') + 1}" in untitled.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", NON_QT)
def test_control_characters_do_not_break_xml_formats(tmp_path, fmt):
    if fmt in ("docx", "epub"):
        pytest.importorskip({"docx": "docx", "epub": "ebooklib"}[fmt])
    art = Article(title="标题\x0b含\x00控制符", subtitle="副\x1f题", authors=["作\x07者"],
                  paragraphs=[Paragraph("正文\x0c第一段\x01。")], id="ctl")
    [out] = export_articles([art], fmt, tmp_path / f"a{FORMATS[fmt]}")
    if fmt == "docx":
        import docx

        assert [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 1"] == ["标题含控制符"]
    elif fmt == "epub":
        with zipfile.ZipFile(out) as z:
            for name in z.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    ElementTree.fromstring(z.read(name))
            assert "正文第一段。" in z.read("EPUB/article_001.xhtml").decode("utf-8")
    elif fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8")) == [art.to_dict()]
    else:
        assert "第一段" in out.read_text(encoding="utf-8")


EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


@pytest.mark.skipif(not EPUBCHECK_JAR.exists() or not shutil.which("java"),
                    reason="epubcheck is not installed (build_scripts/install_system_deps.sh installs it)")
def test_epub_passes_epubcheck(tmp_path):
    library = Library()
    library.add(sample_page())
    [out] = export_articles(library.articles, "epub", tmp_path / "sample.epub", ExportOptions(highlights=True))
    result = subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout


def test_write_text_is_all_or_nothing_and_asks_before_replacing(tmp_path):
    from app.export import ExportExists, write_text

    out = tmp_path / "sub" / "mentions.csv"
    assert write_text("日期,标题\n", out) == out and out.read_text(encoding="utf-8") == "日期,标题\n"
    with pytest.raises(ExportExists):
        write_text("新的\n", out)
    assert out.read_text(encoding="utf-8") == "日期,标题\n"
    write_text("新的\n", out, force=True)
    assert out.read_text(encoding="utf-8") == "新的\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["mentions.csv"]  # no temporary left
