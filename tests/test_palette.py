"""The one palette of entity colours (app/palette.py): readable in both themes, each tint distinct
from the others, from the paper and from search hits with normal vision and with the three
dichromacies; and it is what the window and every export actually use.

The colour arithmetic is in ``tests/colour_vision.py`` (checked here against published data).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import zipfile

import pytest

from app import palette
from app.model import ENTITY_TYPES
from tests.colour_vision import VISIONS, contrast, delta_e2000, difference, simulate

MIN_CONTRAST = 4.5  # WCAG 2.x AA, text on a tint
MIN_LINE_CONTRAST = 3.0  # WCAG 1.4.11, an underline (non-text) against the paper
# CIEDE2000: about 1-2 is the smallest difference anyone sees side by side; 10 is the floor for
# telling a person from a date at a glance across a page (the old tints were 1.2-7 apart)
MIN_DIFFERENCE = 10.0
EXPORT_PAPER = "#ffffff"  # PDF, DOCX, EPUB and the HTML page have no background of their own

# the colours before this palette, to show the checks have teeth (text, paper and hits are unchanged)
def _with_entities(p: palette.Palette, colours: dict[str, tuple[str, str]]) -> palette.Palette:
    return dataclasses.replace(p, entities={t: palette.EntityColour(tint, line) for t, (tint, line) in colours.items()})


OLD_WINDOW = {
    False: _with_entities(palette.LIGHT, {
        "PERSON": ("#dbe8ff", "#1f5fbf"), "PLACE": ("#d9f2df", "#1e7b3a"), "ORG": ("#eee0fb", "#7a3cb8"),
        "DATE": ("#d3f1f4", "#0d7480"), "MONEY": ("#fbe0ec", "#b4235f")}),
    True: _with_entities(palette.DARK, {
        "PERSON": ("#1f3556", "#82b1ff"), "PLACE": ("#1d3d29", "#74d68f"), "ORG": ("#362a4d", "#c7a4ff"),
        "DATE": ("#173e43", "#63d3e0"), "MONEY": ("#47233a", "#ff8fc0")}),
}
OLD_EXPORT = {"PERSON": "#ffe08a", "PLACE": "#b8e6c1", "ORG": "#bfd7ff", "DATE": "#e8d1ff", "MONEY": "#ffc9b8"}


def contrast_failures(p: palette.Palette) -> list[str]:
    out = []
    for t, c in p.entities.items():
        if (ratio := contrast(p.text, c.tint)) < MIN_CONTRAST:
            out.append(f"{t}: text {p.text} on {c.tint} is {ratio:.2f}:1")
        if (ratio := contrast(c.line, p.paper)) < MIN_LINE_CONTRAST:
            out.append(f"{t}: line {c.line} on {p.paper} is {ratio:.2f}:1")
    return out


def difference_failures(tints: dict[str, str], others: dict[str, str]) -> list[str]:
    """Pairs of ``tints``, and each tint with each of ``others``, closer than MIN_DIFFERENCE."""
    out = []
    for vision in VISIONS:
        pairs = [*itertools.combinations(tints, 2), *itertools.product(tints, others)]
        for a, b in pairs:
            ca, cb = tints[a], tints.get(b) or others[b]
            if (d := difference(ca, cb, vision)) < MIN_DIFFERENCE:
                out.append(f"{vision}: {a} {ca} / {b} {cb}: ΔE00 {d:.1f}")
    return out


def others(p: palette.Palette) -> dict[str, str]:
    """What a tint must not be mistaken for: the paper, and the two search-hit backgrounds."""
    extra = {"export paper": EXPORT_PAPER} if p is palette.EXPORT else {}
    return {"paper": p.paper, "hit": p.hit, "current hit": p.current_hit, **extra}


def tints(p: palette.Palette) -> dict[str, str]:
    return {t: c.tint for t, c in p.entities.items()}


# -- the arithmetic itself ------------------------------------------------------------------------
@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", table 1, pairs 1, 7, 13,
    # 17, 19, 25 and 32 (including the hue-angle wrap-around and near-neutral cases)
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_contrast_and_simulation_sanity():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the well-known near miss
    for vision in VISIONS:  # neutrals stay neutral, and black and white stay themselves
        assert simulate("#ffffff", vision) == "#ffffff"
        assert simulate("#000000", vision) == "#000000"
    # the classic confusions: red and green collapse for a deuteranope, blue and green for a tritanope
    assert difference("#d62728", "#2ca02c", "deuteranopia") < difference("#d62728", "#2ca02c") / 3
    assert difference("#1f77b4", "#2ca02c", "tritanopia") < difference("#1f77b4", "#2ca02c") / 2


# -- the palette ---------------------------------------------------------------------------------
def test_every_type_has_a_colour_in_both_themes():
    for p in (palette.LIGHT, palette.DARK):
        assert tuple(p.entities) == ENTITY_TYPES
        for c in (*tints(p).values(), *(e.line for e in p.entities.values()), p.text, p.paper, p.hit, p.current_hit):
            assert re.fullmatch(r"#[0-9a-f]{6}", c), c
    assert palette.EXPORT is palette.LIGHT


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_on_every_tint_has_enough_contrast(dark):
    assert contrast_failures(palette.palette(dark)) == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_tints_differ_from_each_other_the_paper_and_hits_with_every_colour_vision(dark):
    p = palette.palette(dark)
    assert difference_failures(tints(p), others(p)) == []


def test_the_checks_reject_the_old_colours():
    """What issue 15 saw: blue and teal, a person in the search hits' yellow in exports."""
    for dark, old in OLD_WINDOW.items():
        failures = difference_failures(tints(old), others(old))
        assert any("PERSON" in f and "ORG" in f for f in failures)  # 1.2 under protanopia (light)
    light = OLD_WINDOW[False]
    assert any(f.startswith("normal:") and "PERSON" in f and "hit" in f
               for f in difference_failures(OLD_EXPORT, others(light)))  # 5.1 even with normal vision
    assert contrast_failures(_with_entities(light, {"PERSON": ("#6b6b70", "#a3385f")}))  # contrast is measured


# -- the window uses it ----------------------------------------------------------------------------
@pytest.mark.gui
def test_the_window_uses_the_palette(qapp):
    from PySide6.QtGui import QColor

    from app.ui.entities import legend as entity_legend
    from app.ui.entities import marks as entity_marks
    from app.ui.reading import reader
    from app.ui.settings import theme

    for dark in (False, True):
        p = palette.palette(dark)
        colors = theme.colors(dark)
        assert (colors.text, colors.paper) == (p.text, p.paper)
        for t, c in p.entities.items():
            assert entity_marks.ENTITY_COLORS[dark][t] == (c.tint, c.line)
            fmt = entity_marks.entity_format(t, dark)
            assert fmt.background().color() == QColor(c.tint)
            assert fmt.foreground().color() == QColor(p.text)  # the text the tint was checked with
            assert fmt.underlineColor() == QColor(c.line)
            swatch = entity_legend.swatch_icon(t, dark).pixmap(entity_legend.SWATCH).toImage()
            assert swatch.pixelColor(entity_legend.SWATCH // 2, 2) == QColor(c.tint)
        # the reading pane's search-hit colours are the ones the tints keep clear of
        assert reader.HIT_COLORS[(dark, False)] == (p.hit, p.hit_text)
        assert reader.HIT_COLORS[(dark, True)] == (p.current_hit, p.current_hit_text)


# -- every export uses it --------------------------------------------------------------------------
def test_html_and_epub_css_and_qt_markup_use_the_palette():
    from app.export import html
    from app.export.options import ExportOptions
    from app.model import Article, EntitySpan, Paragraph

    for t, c in palette.EXPORT.entities.items():
        assert f"mark.ent-{t} {{ background: {c.tint}; color: {palette.EXPORT.text}; }}" in html.CSS
    article = Article(title="t", paragraphs=[Paragraph("区委书记夏加伟带队")],
                      entities=[EntitySpan("PERSON", "夏加伟", 0, 4, 7)])
    qt = html.article_html(article, ExportOptions(highlights=True), qt=True)  # what the PDF is painted from
    assert f"background-color:{palette.EXPORT.entities['PERSON'].tint}; color:{palette.EXPORT.text}" in qt


def test_epub_ships_the_palette_css(tmp_path):
    pytest.importorskip("ebooklib")
    from app.export import export_articles
    from app.export.html import CSS
    from app.export.options import ExportOptions
    from app.model import Article, Paragraph

    [out] = export_articles([Article(title="t", paragraphs=[Paragraph("正文")])], "epub", tmp_path / "a.epub",
                            ExportOptions(highlights=True))
    with zipfile.ZipFile(out) as z:
        css = next(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith("article.css"))
    assert css == CSS


def test_markdown_colours_nothing():
    from app.export import md
    from app.export.options import ExportOptions
    from app.model import Article, EntitySpan, Paragraph

    article = Article(title="t", paragraphs=[Paragraph("区委书记夏加伟带队")],
                      entities=[EntitySpan("PERSON", "夏加伟", 0, 4, 7)])
    text = md.article_markdown(article, ExportOptions(highlights=True))
    assert "夏加伟" in text and not any(c in text for c in ("<", "#" + palette.EXPORT.entities["PERSON"].tint[1:]))
