"""Word (.docx) through python-docx: a Heading 1 per article, styled paragraphs, a Chinese
East-Asian font on every style (``w:rFonts/@w:eastAsia``, language zh-CN), entity highlights as
character shading (``w:shd``)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import docx
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from app.export.layout import MARK_LABELS, ReaderMarks, display_title, document_title, meta, reader_marks, runs, xml_safe
from app.export.options import ExportOptions
from app.model import Article
from app.palette import EXPORT, bare_hex

SUFFIX = ".docx"

# Word cannot list fallbacks in one rFonts slot: these names exist on every Chinese Windows and
# in Office for Mac; LibreOffice and WPS map them to an installed CJK font (e.g. Noto CJK).
BODY_EAST_ASIA = "SimSun"            # 宋体
HEADING_EAST_ASIA = "Microsoft YaHei"  # 微软雅黑
LATIN = "Times New Roman"


def set_fonts(rpr_owner, east_asia: str, latin: str | None = None) -> None:
    """Give a style's or run's ``w:rPr`` an East-Asian font (dropping theme fonts that would win)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    if latin:
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _shade(run, entity: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), bare_hex(EXPORT.entities[entity].tint))
    run._r.get_or_add_rPr().append(shd)
    run.font.color.rgb = RGBColor.from_string(bare_hex(EXPORT.text))  # the colour the tint is checked with


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    set_fonts(normal.element, BODY_EAST_ASIA, LATIN)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.4
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 13), ("Subtitle", 13)):
        style = styles[name]
        set_fonts(style.element, HEADING_EAST_ASIA, LATIN)
        style.font.size = Pt(size)
    styles["Heading 1"].font.color.rgb = RGBColor(0x22, 0x22, 0x22)
    styles["Heading 2"].font.color.rgb = RGBColor(0x33, 0x33, 0x33)


def _article(document, article: Article, options: ExportOptions) -> None:
    m = meta(article)
    if options.metadata and m.kicker:
        document.add_paragraph(xml_safe(m.kicker)).runs[0].font.color.rgb = RGBColor(0x8B, 0, 0)
    document.add_heading(display_title(article), level=1)
    if options.metadata:
        if m.subtitle:
            document.add_paragraph(xml_safe(m.subtitle), style="Subtitle")
        for line in m.facts():
            run = document.add_paragraph().add_run(xml_safe(line))
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    marks = reader_marks(article, options)
    passages = marks.passages if marks is not None else ()
    for i, p in enumerate(article.paragraphs):
        pieces = runs(article, i, options.highlights, passages)
        if not "".join(r.text for r in pieces).strip():
            continue
        if p.kind == "subhead":
            para = document.add_heading(level=2)
        else:
            para = document.add_paragraph()
            if p.kind == "body":
                para.paragraph_format.first_line_indent = Pt(22)
        for piece in pieces:
            run = para.add_run(xml_safe(piece.text))
            if p.kind == "caption":
                run.italic = True
            if piece.entity:
                _shade(run, piece.entity)
            if piece.passage:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                if piece.passage_end and passages[piece.passage - 1].note:
                    para.add_run(f"[{piece.passage}]").font.superscript = True
    if marks is not None:
        _marks(document, marks)


def _marks(document, marks: ReaderMarks) -> None:
    """The reader's marks under an article: star and tags, the note, the passages' notes."""
    if marks.head():
        document.add_paragraph(marks.head())
    if marks.note.strip():
        document.add_heading(MARK_LABELS["note"], level=2)
        for block in marks.note.strip().split("\n\n"):
            document.add_paragraph(xml_safe(block.strip()))
    if marks.passages:
        document.add_heading(MARK_LABELS["passages"], level=2)
        for p in marks.passages:
            para = document.add_paragraph()
            para.add_run(f"[{p.number}] ")
            para.add_run(f"「{p.text}」").font.highlight_color = WD_COLOR_INDEX.YELLOW
            if p.note:
                para.add_run(f" —— {p.note}")
            if not p.found:
                para.add_run(f" ({MARK_LABELS['gone']})").italic = True


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    document = docx.Document()
    _styles(document)
    props = document.core_properties
    props.title = xml_safe(document_title(articles, options.title))
    props.language = "zh-CN"
    props.author = xml_safe("、".join(dict.fromkeys(a for art in articles for a in art.authors)))[:255]
    for i, article in enumerate(articles):
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _article(document, article, options)
        step()
    document.save(str(path))
