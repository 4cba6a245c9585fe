"""Reading source files: encodings, line endings and clear errors for bad input."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import sample_page
from app.segment import split_articles
from app.sources import SourceError, read_source

SAMPLE = sample_page().read_text(encoding="utf-8")


def _articles(path: Path):
    return [a.to_dict() | {"id": None, "source": None} for a in split_articles(read_source(path).text)]


@pytest.fixture(scope="module")
def reference():
    return [a.to_dict() | {"id": None, "source": None} for a in split_articles(SAMPLE)]


@pytest.mark.parametrize(
    "name, data",
    [
        ("utf8.txt", SAMPLE.encode("utf-8")),
        ("utf8-bom.txt", codecs.BOM_UTF8 + SAMPLE.encode("utf-8")),
        ("gb18030.txt", SAMPLE.encode("gb18030")),
        ("gbk.txt", SAMPLE.encode("gbk")),
        ("utf16le-bom.txt", SAMPLE.encode("utf-16")),
        ("utf16be-bom.txt", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be")),
        ("crlf.txt", SAMPLE.replace("\n", "\r\n").encode("utf-8")),
        ("cr.txt", SAMPLE.replace("\n", "\r").encode("gb18030")),
    ],
)
def test_every_encoding_gives_the_same_articles(tmp_path, reference, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert _articles(path) == reference


def test_big5_where_representable(tmp_path):
    # Big5 holds Traditional characters only: a Traditional page must come back intact.
    page = "臺灣新聞 記者會召開\n\n本報訊（記者 陳美玲）10月31日，臺北市政府舉行記者會，說明颱風災後重建進度。\n\n市長表示，將加快重建腳步。\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(page.encode("big5"))
    src = read_source(path)
    assert src.encoding.replace("-", "").replace("_", "").lower().startswith("big5")
    assert src.text == page
    [article] = split_articles(src.text)
    assert article.title == "臺灣新聞"
    assert article.authors == ["陳美玲"]
    assert article.date == "10-31"


def test_full_width_and_half_width_punctuation_split_alike():
    half = SAMPLE
    full = SAMPLE.replace(",", "，").replace("(", "（").replace(")", "）").replace(":", "：")
    a, b = split_articles(half), split_articles(full)
    assert [x.title.replace(":", "：") for x in a] == [y.title for y in b]
    assert [x.authors for x in a] == [y.authors for y in b]
    assert [x.date for x in a] == [y.date for y in b]
    assert [[p.kind for p in x.paragraphs] for x in a] == [[p.kind for p in y.paragraphs] for y in b]


def test_identity_is_the_content_hash(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SAMPLE, encoding="utf-8")
    b.write_text(SAMPLE, encoding="utf-8")
    assert read_source(a).sha256 == read_source(b).sha256
    b.write_text(SAMPLE + "补充", encoding="utf-8")
    assert read_source(a).sha256 != read_source(b).sha256


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \r\n\t\n   \n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG image"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        ("random.bin", bytes((i * 73 + 11) % 256 for i in range(4096)), "not"),
    ],
)
def test_bad_files_get_one_clear_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert reason in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(SourceError, match="folder"):
        read_source(tmp_path)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "broken.txt"
    # Valid-looking GB18030 text with bytes that are invalid in every candidate encoding.
    path.write_bytes("江海区召开会议。".encode("gb18030") + b"\x80\xff\xfe\x81\x30" * 3 + "会议指出。".encode("gb18030"))
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert "encoding" in str(info.value) or "not valid" in str(info.value)


def test_too_large(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(SAMPLE.encode("utf-8") * 3)
    with pytest.raises(SourceError, match="MB"):
        read_source(path, max_bytes=len(SAMPLE.encode("utf-8")))


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=60)


@pytest.mark.parametrize("make", ["missing", "folder", "empty", "binary"])
def test_cli_bad_input_is_one_line_and_nonzero(tmp_path, make):
    target = tmp_path / "x.txt"
    if make == "folder":
        target = tmp_path
    elif make == "empty":
        target.write_bytes(b"")
    elif make == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = _cli("articles", str(target))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("baozhi: ") and str(target) in lines[0]
    assert "Traceback" not in result.stderr
