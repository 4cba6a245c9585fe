"""PDF through Qt's own writer (``QPdfWriter`` + ``QTextDocument``), then pypdf for what Qt
cannot do.

Qt lays out and paints each article (a new page per article, a page number in every footer) and
embeds a subset of a Chinese font. Qt 6.12's ``QPdfWriter`` has no outline (bookmark) API, so
the finished bytes go through pypdf, which adds one outline entry per article at the page where
it starts (measured while painting), and repairs Qt's ``ToUnicode`` maps: Qt maps a glyph shared
by a CJK ideograph and a Kangxi radical (生/⽣, 高/⾼, 大/⼤ in Noto CJK) to the radical, so copy
and paste or ``pdftotext`` would give the wrong characters.

PySide6 is imported only inside :func:`write`, so importing this module stays Qt-free. A
``QGuiApplication`` must exist; when none does (the command line) one is created, offscreen when
there is no display. Rendering itself works in a worker thread.
"""

from __future__ import annotations

import io
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Callable, Sequence

from app.export.html import article_html
from app.export.layout import display_title, document_title, page_line
from app.export.options import ExportError, ExportOptions
from app.model import Article, credit_line

SUFFIX = ".pdf"

SERIF_PREFERENCE = (
    "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Songti SC", "SimSun",
    "AR PL UMing CN", "Noto Serif SC",
)
SANS_PREFERENCE = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "PingFang SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Hiragino Sans GB", "Noto Sans SC",
)
NO_FONT = ("No installed font covers Chinese, so the PDF cannot be made; install one "
           "(e.g. 'sudo apt install fonts-noto-cjk' or Noto Sans CJK SC).")

RESOLUTION = 300  # dots per inch of the PDF's coordinate space
MARGIN_MM = 18.0
FOOTER_MM = 8.0

QT_CSS = """
h1 { font-size: 17pt; font-weight: bold; margin-top: 0; margin-bottom: 4pt; }
h2 { font-size: 13pt; font-weight: bold; margin-top: 10pt; margin-bottom: 4pt; }
p { margin-top: 0; margin-bottom: 6pt; line-height: 150%; }
p.kicker { color: #8b0000; margin-bottom: 2pt; }
p.subtitle { font-size: 13pt; font-weight: bold; margin-bottom: 4pt; }
p.page, p.byline, p.source { color: #666666; font-size: 9pt; margin-bottom: 2pt; }
p.caption { font-style: italic; color: #555555; font-size: 9.5pt; }
p.byline-para { color: #666666; }
"""


def ensure_gui_application():
    """The running QGuiApplication, or a new one (offscreen on a Linux box with no display)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    argv = [sys.argv[0] if sys.argv else "baozhi"]
    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        argv += ["-platform", "offscreen"]
    return QGuiApplication(argv)


def pick_family(preference: tuple[str, ...]) -> str | None:
    from PySide6.QtGui import QFontDatabase

    available = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    for name in preference:
        if name in available:
            return name
    return available[0] if available else None


RADICALS = [chr(c) for c in (*range(0x2E80, 0x2F00), *range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00))]


def _is_radical(code: int) -> bool:
    return 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF


def radical_equivalents(families: Sequence[str], text: str) -> dict[int, int]:
    """Radical code point -> the ideograph in ``text`` that the same font glyph stands for.

    Qt writes a ToUnicode entry per glyph from the font's cmap, and when a Kangxi radical or
    CJK-radicals-supplement code point shares the glyph of an ideograph (⻔/门, ⻋/车, ⽣/生) it
    picks the radical. The text we painted tells which ideograph was meant.
    """
    from PySide6.QtGui import QFont, QRawFont

    chars = sorted({ch for ch in text if ord(ch) >= 0x2E80 and not _is_radical(ord(ch))})
    meant = set(text)
    radicals = [r for r in RADICALS if r not in meant]
    out: dict[int, int] = {}
    if not chars:
        return out
    for family in families:
        for weight in (QFont.Weight.Normal, QFont.Weight.Bold):
            font = QFont(family)
            font.setWeight(weight)
            raw = QRawFont.fromFont(font)
            if not raw.isValid():
                continue
            by_glyph = {g: c for c, g in zip(chars, raw.glyphIndexesForString("".join(chars))) if g}
            for r, g in zip(radicals, raw.glyphIndexesForString("".join(radicals))):
                if g and g in by_glyph:
                    out.setdefault(ord(r), ord(by_glyph[g]))
    return out


def render(articles: Sequence[Article], options: ExportOptions,
           step: Callable[[], None]) -> tuple[bytes, list[int], dict[int, int]]:
    """Paint the articles with Qt; returns the PDF bytes, each article's first page (0-based) and
    the radical -> ideograph repairs its ToUnicode maps need."""
    ensure_gui_application()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
    from PySide6.QtGui import (QAbstractTextDocumentLayout, QFont, QPageLayout, QPageSize, QPainter,
                               QPdfWriter, QTextCharFormat, QTextCursor, QTextDocument)

    serif = pick_family(SERIF_PREFERENCE)
    sans = pick_family(SANS_PREFERENCE) or serif
    if serif is None:
        raise ExportError(NO_FONT)

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(document_title(articles, options.title))
    writer.setCreator("Baozhi Reader")
    writer.setAuthor("、".join(dict.fromkeys(a for art in articles for a in art.authors)))

    paint_rect = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer_h = FOOTER_MM / 25.4 * RESOLUTION
    body = QSizeF(paint_rect.width(), paint_rect.height() - footer_h)

    body_font = QFont()
    body_font.setFamilies([serif, sans])
    body_font.setPointSizeF(11)
    indent_px = round(2 * body_font.pointSizeF() / 72 * RESOLUTION)  # two characters; Qt takes only px
    css = QT_CSS + f'h1, h2, p.subtitle {{ font-family: "{sans}"; }}\np.body {{ text-indent: {indent_px}px; }}\n'

    # Glyphs that OpenType substitution picks ('locl' swaps Latin digits in Noto CJK, 'liga' makes
    # fi/fl) have no entry in the ToUnicode maps Qt writes, so their text would not copy out.
    features = {QFont.Tag(tag): 0 for tag in ("locl", "liga", "clig", "dlig")}
    documents = []
    for article in articles:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(writer)  # measure in the PDF's own units
        doc.setDefaultFont(body_font)
        doc.setDefaultStyleSheet(css)
        doc.setDocumentMargin(0)
        doc.setHtml(article_html(article, options, level=1, qt=True))
        whole = QTextCursor(doc)
        whole.select(QTextCursor.SelectionType.Document)
        plain = QTextCharFormat()
        plain.setFontFeatures(features)
        whole.mergeCharFormat(plain)
        doc.setPageSize(body)
        documents.append(doc)
    total_pages = sum(d.pageCount() for d in documents)

    footer_font = QFont(body_font)
    footer_font.setPointSizeF(9)
    for tag, value in features.items():
        footer_font.setFeature(tag, value)
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("Qt could not start writing the PDF.")
    starts: list[int] = []
    page_no = 0
    try:
        for doc in documents:
            starts.append(page_no)
            for page in range(doc.pageCount()):
                if page_no:
                    writer.newPage()
                painter.save()
                painter.setClipRect(QRectF(0, 0, body.width(), body.height()))
                painter.translate(0, -page * body.height())
                context = QAbstractTextDocumentLayout.PaintContext()
                context.clip = QRectF(0, page * body.height(), body.width(), body.height())
                doc.documentLayout().draw(painter, context)
                painter.restore()
                page_no += 1
                painter.setFont(footer_font)
                painter.setPen(Qt.GlobalColor.darkGray)
                painter.drawText(QRectF(QPointF(0, body.height()), QSizeF(body.width(), footer_h)),
                                 int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                                 f"— {page_no} / {total_pages} —")
            step()
    finally:
        painter.end()
        buffer.close()
    painted = "".join(a.all_text() + (a.source or "") + credit_line(a) + (page_line(a) or "") for a in articles)
    equivalents = radical_equivalents(dict.fromkeys([serif, sans]), painted)
    equivalents.update({code: code for code in DASH_LIGATURES if chr(code) in painted})  # typed as such
    return bytes(data.data()), starts, equivalents


_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RANGE_ARRAY = re.compile(rb"^(\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*)\[(.*)\](\s*)$")
_SINGLE = re.compile(rb"^(\s*<[0-9A-Fa-f]+>\s*(?:<([0-9A-Fa-f]+)>\s*)?)<([0-9A-Fa-f]{4})>(\s*)$")


# Noto CJK joins two or three em dashes (——, the Chinese dash) into one glyph whose cmap entry is
# U+2E3A/U+2E3B; its text is the dashes the writer typed.
DASH_LIGATURES = {0x2E3A: "\u2014" * 2, 0x2E3B: "\u2014" * 3}


def _better(code: int, equivalents: dict[int, int]) -> str:
    """The text a ToUnicode entry should give for the glyph Qt mapped to ``code``."""
    if code < 0x20:
        return " "  # the space glyph is shared with TAB/CR, and Qt picks the lowest code point
    if code in DASH_LIGATURES and code not in equivalents:
        return DASH_LIGATURES[code]
    if not _is_radical(code):
        return chr(code)
    if code in equivalents:
        return chr(equivalents[code])
    fixed = unicodedata.normalize("NFKC", chr(code))  # Kangxi radicals decompose to ideographs
    if len(fixed) == 1 and ord(fixed) <= 0xFFFF and not _is_radical(ord(fixed)):
        return fixed
    return chr(code)


def _hex(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def repair_to_unicode(cmap: bytes, equivalents: dict[int, int]) -> bytes:
    """Rewrite the destination code points of a ToUnicode CMap (never its source CIDs)."""
    def dst(match: re.Match) -> bytes:
        return _hex(_better(int(match.group(1), 16), equivalents))

    lines = []
    section = None
    for line in cmap.split(b"\n"):
        stripped = line.strip()
        if stripped.endswith((b"beginbfrange", b"beginbfchar")):
            section = stripped.split()[-1]
        elif stripped in (b"endbfrange", b"endbfchar"):
            section = None
        elif section == b"beginbfrange" and (m := _RANGE_ARRAY.match(line)):
            line = m.group(1) + b"[" + _HEX.sub(dst, m.group(2)) + b"]" + m.group(3)
        elif section is not None and (m := _SINGLE.match(line)):
            one_code = section == b"beginbfchar" or m.group(1).split(b">")[0] == b"<" + m.group(2)
            if one_code:  # a range of several codes counts up from its first destination: leave it
                line = m.group(1) + _hex(_better(int(m.group(3), 16), equivalents)) + m.group(4)
        lines.append(line)
    return b"\n".join(lines)


def finish(pdf: bytes, titles: list[str], starts: list[int], doc_title: str,
           equivalents: dict[int, int] | None = None) -> bytes:
    """Repair the ToUnicode maps and add one outline entry per article (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    out = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    seen: set[int] = set()
    for page in out.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            tu = font.get("/ToUnicode")
            if tu is None or tu.idnum in seen:
                continue
            seen.add(tu.idnum)
            stream = tu.get_object()
            stream.set_data(repair_to_unicode(stream.get_data(), equivalents or {}))
    for title, start in zip(titles, starts):
        out.add_outline_item(title=title, page_number=start)
    out._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out.add_metadata({"/Title": doc_title, "/Producer": "Baozhi Reader (Qt, pypdf)"})
    data = io.BytesIO()
    out.write(data)
    return data.getvalue()


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    pdf, starts, equivalents = render(articles, options, step)
    pdf = finish(pdf, [display_title(a) for a in articles], starts, document_title(articles, options.title),
                 equivalents)
    with open(path, "wb") as f:
        f.write(pdf)
