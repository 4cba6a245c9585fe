"""Hardening (issue 8): offline by construction, text never becomes markup, names never escape.

* ``no_network`` (autouse here) makes creating any socket fail *and* records the attempt, so a
  program that swallowed the error still fails the test. Every command-line path -- articles,
  search, index, entities, export in all seven formats -- runs under it. To make it global, the
  owner adds ``--disable-socket --allow-unix-socket`` to ``addopts`` (pytest-socket 0.8.1).
  Under strace, the real program is also seen to open no Internet socket at all (Qt included).
* A source holding ``<script>``, ``<b>``, ``&amp;`` and a ``javascript:`` link comes out literal
  (escaped) in HTML, EPUB, DOCX, Markdown, text, JSON and search snippets.
* Titles such as ``../../x``, ``/etc/passwd``, ``C:\\x`` and ``\\\\server\\share`` name files
  inside the chosen folder and nowhere else, in every format.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from app.cli import main
from app.export import FORMATS, ExportOptions, export_articles
from app.model import Article, Paragraph
from app.segment import split_articles

REPO = Path(__file__).resolve().parents[1]

TITLES = ["../../江海区召开会议", "/etc/passwd江海区会议", "C:\\江海区\\召开会议", "\\\\server\\share\\江海区会议",
          "<script>alert(1)</script>江海区会议", "..\\..\\江海区会议"]
BODY = '第{i}篇<b>粗体</b> &amp; <a href="javascript:alert(1)">链接</a><script>alert(1)</script>正文。'
PAGE = "".join(f"{t}\n\n江门日报讯(记者/陈婵)10月31日,{BODY.format(i=i)}\n\n" for i, t in enumerate(TITLES))
LITERALS = ["<b>粗体</b>", "&amp;", '<a href="javascript:alert(1)">链接</a>', "<script>alert(1)</script>"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any socket the program tries to create fails, and the attempt fails the test."""
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args!r}")
            raise OSError(f"network access in an offline program: socket.{name}")
        return blocked

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "socketpair", "fromfd", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts
    assert attempts == [], f"the program tried to use the network: {attempts}"


def test_the_guard_itself_blocks_and_records(no_network):
    with pytest.raises(OSError, match="offline"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(OSError, match="offline"):
        socket.create_connection(("example.org", 80))
    assert len(no_network) == 2
    no_network.clear()


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _visible_text(root: ElementTree.Element) -> str:
    return "".join(root.itertext())


def _assert_no_active_markup(root: ElementTree.Element) -> None:
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        assert tag not in ("script", "b", "iframe", "object", "embed"), tag
        for attr, value in el.attrib.items():
            assert not value.strip().lower().startswith("javascript:"), (tag, attr, value)
            assert not attr.lower().startswith("on"), (tag, attr)


def test_every_cli_path_runs_offline_and_keeps_markup_literal(tmp_path, page, capsys, qapp):
    # qapp: the PDF export runs in this process and needs a QApplication, as in test_export_pdf.py
    index_dir = str(tmp_path / "index")
    code, out, err = run(capsys, "articles", str(page), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [a["title"] for a in data] == TITLES
    for i, a in enumerate(data):
        assert a["paragraphs"][0]["text"].endswith(BODY.format(i=i))

    code, out, err = run(capsys, "index", str(page), "--index-dir", index_dir)
    assert code == 0 and "6 articles" in err, err
    code, out, err = run(capsys, "search", '"<script>alert(1)</script>"', str(page), "--index-dir", index_dir,
                         "--json", "--limit", "0")
    assert code == 0, err
    result = json.loads(out)
    assert result["total"] == 6
    for hit in result["hits"]:  # the snippet is plain text: the markup as the source has it
        assert [hit["snippet"][s:e] for s, e in hit["marks"]] == ["<script>alert(1)</script>"]
        assert '">链接</a><script>' in hit["snippet"] and "&lt;" not in hit["snippet"]
    code, out, err = run(capsys, "search", "javascript:alert(1)", str(page), "--index-dir", index_dir)
    assert code == 0 and out.startswith("6 articles match"), out + err

    code, out, err = run(capsys, "entities", str(page), "--json", "--index-dir", index_dir)
    assert code == 0, err
    assert [a["title"] for a in json.loads(out)] == TITLES

    for fmt, suffix in FORMATS.items():
        target = tmp_path / f"all{suffix}"
        code, out, err = run(capsys, "export", str(page), "--format", fmt, "--out", str(target), "--highlights")
        assert code == 0, (fmt, err)
        assert out.strip() == str(target) and target.stat().st_size > 0
        check_export(fmt, target)


def check_export(fmt: str, path: Path) -> None:
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = "".join(p["text"] for a in data for p in a["paragraphs"]) + "".join(a["title"] for a in data)
        assert all(lit in texts for lit in LITERALS)
    elif fmt == "txt":
        text = path.read_text(encoding="utf-8")
        assert all(lit in text for lit in LITERALS) and all(t in text for t in TITLES)
    elif fmt == "md":
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "<b>" not in text and "](" not in text  # escaped, not markup
        assert "\\<script\\>alert(1)\\</script\\>" in text and "\\&amp;" in text
    elif fmt == "html":
        source = path.read_text(encoding="utf-8")
        assert "<script" not in source.lower() and 'href="javascript' not in source.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source and "&amp;amp;" in source
        assert "Content-Security-Policy" in source
    elif fmt == "epub":
        with zipfile.ZipFile(path) as z:
            chapters = [n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
            text = ""
            for name in z.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    root = ElementTree.fromstring(z.read(name))
                    _assert_no_active_markup(root)
                    if name in chapters:
                        text += _visible_text(root)
        assert all(lit in text for lit in LITERALS)
    elif fmt == "docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert all(lit in text for lit in LITERALS) and all(t in text for t in TITLES)
        with zipfile.ZipFile(path) as z:  # no hyperlink was made of the javascript: link
            rels = [n for n in z.namelist() if n.endswith(".rels")]
            assert not any("javascript:" in z.read(n).decode("utf-8") for n in rels)
    elif fmt == "pdf":
        from pypdf import PdfReader

        text = "".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
        squashed = "".join(text.split())
        assert "<script>alert(1)</script>" in squashed and "<b>粗体</b>" in squashed
        reader = PdfReader(str(path))
        assert "/JavaScript" not in str(reader.trailer["/Root"]) and "/JS" not in str(reader.trailer["/Root"])


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_titles_that_look_like_paths_stay_in_the_folder(tmp_path, fmt, qapp):
    arts = split_articles(PAGE, source="hostile.txt", source_key="k")
    assert [a.title for a in arts] == TITLES
    arts += [Article(title=t, ordinal=10 + i, paragraphs=[Paragraph(f"正文{i}")])
             for i, t in enumerate(["..", "/", "C:", "\\\\?\\C:\\x", "~/x", "$HOME", "%APPDATA%", "a\x00b", "nul"])]
    folder = tmp_path / "deep" / "out"
    folder.parent.mkdir()
    paths = export_articles(arts, fmt, folder, ExportOptions(per_article=True))
    assert len(paths) == len(arts) == len({p.name.casefold() for p in paths})
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert written == sorted(["deep", "deep/out", *(f"deep/out/{p.name}" for p in paths)])
    for p in paths:
        assert p.parent == folder and p.resolve().parent == folder.resolve()
        assert not any(c in p.name for c in '/\\:*?"<>|\x00') and not p.name.startswith((".", " "))
        assert p.name.endswith(FORMATS[fmt]) and p.stat().st_size > 0


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_the_real_program_opens_no_internet_socket(tmp_path, page):
    """Outside Python's socket module too (Qt's PDF writer, fonts): strace every process."""
    script = (
        "import sys\n"
        "from app.cli import main\n"
        f"src, out = {str(page)!r}, {str(tmp_path)!r}\n"
        "codes = [main(['articles', src, '--json']), main(['search', '江海', src, '--index-dir', out + '/ix']),\n"
        "         main(['entities', src, '--index-dir', out + '/ix'])]\n"
        "for fmt in ('pdf', 'html', 'md', 'txt', 'json', 'docx', 'epub'):\n"
        "    codes.append(main(['export', src, '--format', fmt, '--out', f'{out}/x.{fmt}']))\n"
        "sys.exit(max(codes))\n"
    )
    log = tmp_path / "strace.log"
    result = subprocess.run(["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(log),
                             sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip("ptrace is not permitted here")
    assert result.returncode == 0, result.stderr[-2000:]
    calls = log.read_text(errors="replace")
    internet = [line for line in calls.splitlines() if "AF_INET" in line]  # AF_INET and AF_INET6
    assert internet == [], internet
    assert len(list(tmp_path.glob("x.*"))) == 7
