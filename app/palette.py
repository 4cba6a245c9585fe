"""The one palette of entity colours, for the window (light and dark) and for every export.

Qt-free: plain ``"#rrggbb"`` strings, so the exports (core) and the window (``app.ui``) read the
same values. Exports are printed or read on white paper, so they use :data:`LIGHT`.

Each entity type has a *tint*, the background behind its text, and a *line*, the stronger colour
of its underline in the reading pane and of its swatch in the legend. Text on a tint is always
set in the palette's ``text`` colour (whatever colour the paragraph had: a grey caption, a red
subhead), so the contrast measured below is the contrast a reader gets.

How the tints were chosen (``tests/test_palette.py`` recomputes every figure):

- Text contrast (WCAG 2.x) on every tint is at least 7.1:1 in the light theme (#1d1d1f on the
  tint) and 5.0:1 in the dark theme (#e6e3dc on the tint); the floor tested is 4.5:1.
- Any two tints differ by CIEDE2000 ΔE ≥ 12.3 (light and dark), and every tint differs by
  ΔE ≥ 12.0 from the paper and from both search-hit colours, with normal vision and under
  simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 1; tritanopia
  also by Brettel et al. 1997). The floor tested is 10. The tints before this palette went as
  low as ΔE 1.2 (person and organisation under protanopia) and exports shaded a person in the
  search hits' yellow (ΔE 5.1 with normal vision, 0.8 under tritanopia).
- Only a few colours can do that at once: a dichromat sees roughly two dimensions (lightness and
  one hue axis), so the light tints sit at two lightness levels (L* ≈ 70: rose, periwinkle,
  khaki; L* ≈ 85–90: cyan, mint) and the dark ones likewise (L* ≈ 17–29 and 39–40). Tints paler
  than this would be closer to the paper than the tests allow.
- Lines contrast at least 4.7:1 with the paper (the floor tested is WCAG 1.4.11's 3:1, non-text).

The *series* colours draw up to three compared searches on the timeline (bars and legend). They
are Okabe and Ito's colour-blind-safe set (2008): blue, vermillion and bluish green on the light
paper (contrast 5.0, 3.7, 3.3:1), sky blue, orange and bluish green on the dark (7.1, 7.3,
4.8:1); any two differ by CIEDE2000 ΔE ≥ 10.3 with every colour vision above
(``tests/test_ui_timeline.py`` computes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True, slots=True)
class EntityColour:
    tint: str  # background behind the entity's text
    line: str  # underline in the reading pane, legend swatch


@dataclass(frozen=True, slots=True)
class Palette:
    text: str  # body text, and the text of every entity on its tint
    paper: str  # the reading pane's background
    entities: Mapping[str, EntityColour]  # PERSON, PLACE, ORG, DATE, MONEY
    hit: str  # a search hit's background (the reading pane draws hits over entity tints)
    hit_text: str
    current_hit: str  # the hit F3 stepped to
    current_hit_text: str
    series: tuple[str, str, str]  # the timeline's compared series, first to third


def _entities(**colours: tuple[str, str]) -> Mapping[str, EntityColour]:
    return MappingProxyType({t: EntityColour(tint, line) for t, (tint, line) in colours.items()})


LIGHT = Palette(
    text="#1d1d1f", paper="#fbfaf6",
    entities=_entities(
        PERSON=("#cf9fb1", "#a3385f"),  # rose
        PLACE=("#56e0f2", "#0a7b93"),   # cyan
        ORG=("#9da0fb", "#5a55d6"),     # periwinkle
        DATE=("#a9ad88", "#746a2c"),    # khaki
        MONEY=("#bcefba", "#2f7d3b"),   # mint
    ),
    hit="#ffe066", hit_text="#1d1d1f", current_hit="#ff9632", current_hit_text="#1d1d1f",
    series=("#0072b2", "#d55e00", "#009e73"),  # blue, vermillion, bluish green
)

DARK = Palette(
    text="#e6e3dc", paper="#1e1f22",
    entities=_entities(
        PERSON=("#7a254d", "#f08cb4"),  # wine
        PLACE=("#1a647c", "#5ccbe6"),   # petrol
        ORG=("#12206f", "#9aa6ff"),     # navy
        DATE=("#49340e", "#d4b15e"),    # umber
        MONEY=("#536445", "#9fcf8a"),   # sage
    ),
    hit="#7a5c00", hit_text="#fff6d5", current_hit="#ad5300", current_hit_text="#ffffff",
    series=("#56b4e9", "#e69f00", "#009e73"),  # sky blue, orange, bluish green
)

EXPORT = LIGHT  # exports are read on white paper


def palette(dark: bool) -> Palette:
    return DARK if dark else LIGHT


def tint(entity_type: str, dark: bool = False) -> str:
    return palette(dark).entities[entity_type].tint


def line(entity_type: str, dark: bool = False) -> str:
    return palette(dark).entities[entity_type].line


def bare_hex(colour: str) -> str:
    """``"#cf9fb1"`` -> ``"CF9FB1"``, as Word's ``w:shd/@w:fill`` wants it."""
    return colour.lstrip("#").upper()
