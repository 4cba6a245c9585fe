"""How entities look in the reading pane: one colour per type, light and dark, and where they stand.

Each entity is set in the document as a character format: a background tint of its type's colour
behind text in the theme's body colour, an underline in the full colour, and a tooltip naming
the type ("人名 / Person"). The colours are :mod:`app.palette`'s, shared with the exports.
Search hits are drawn over the text as extra selections with a strong background, which leaves the
entity's underline visible where the two overlap.

Entity offsets are Python code points into a paragraph; the document counts UTF-16 code units, so
every position goes through :func:`~app.ui.search.hit_marks.utf16_offset`.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QTextCharFormat, QTextDocument, QTextFormat

from app import palette
from app.model import ENTITY_TYPES, Article
from app.ui.search.hit_marks import utf16_offset

ENTITY_TYPE_PROPERTY = QTextFormat.Property.UserProperty + 1  # the type, on every entity's format
# type -> (Chinese, English): the tooltip names the type in both languages, e.g. "人名 / Person"
TYPE_NAMES = {
    "PERSON": ("人名", "Person"), "PLACE": ("地名", "Place"), "ORG": ("机构", "Organisation"),
    "DATE": ("日期", "Date"), "MONEY": ("金额", "Amount"),
}
# (dark theme) -> type -> (background tint, underline and swatch colour), from the one palette
# that the exports use too (app/palette.py says how the colours were chosen and checked)
ENTITY_COLORS = {
    dark: {t: (c.tint, c.line) for t, c in palette.palette(dark).entities.items()} for dark in (False, True)
}


def type_name(entity_type: str) -> str:
    """The type's name in the interface language."""
    names = {
        "PERSON": QCoreApplication.translate("EntityMarks", "Person"),
        "PLACE": QCoreApplication.translate("EntityMarks", "Place"),
        "ORG": QCoreApplication.translate("EntityMarks", "Organisation"),
        "DATE": QCoreApplication.translate("EntityMarks", "Date"),
        "MONEY": QCoreApplication.translate("EntityMarks", "Amount"),
    }
    return names.get(entity_type, entity_type)


def tooltip_text(entity_type: str) -> str:
    zh, en = TYPE_NAMES.get(entity_type, (entity_type, entity_type))
    return f"{zh} / {en}"


def swatch_color(entity_type: str, dark: bool) -> QColor:
    return QColor(ENTITY_COLORS[dark][entity_type][1])


def entity_format(entity_type: str, dark: bool) -> QTextCharFormat:
    tint, line = ENTITY_COLORS[dark][entity_type]
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(tint))
    # the palette's text colour, whatever the paragraph's (a muted caption, an accent subhead):
    # the tints are checked for contrast with it
    fmt.setForeground(QColor(palette.palette(dark).text))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(QColor(line))
    fmt.setToolTip(tooltip_text(entity_type))
    fmt.setProperty(ENTITY_TYPE_PROPERTY, entity_type)
    return fmt


def type_counts(article: Article | None) -> dict[str, int]:
    """Mentions of each type in ``article`` (every type present, 0 when none)."""
    found = Counter(e.type for e in article.entities) if article is not None else Counter()
    return {t: found.get(t, 0) for t in ENTITY_TYPES}


def paragraph_blocks(doc: QTextDocument) -> dict[int, int]:
    """Paragraph index -> document position of its block (the blocks ``build_document`` tagged)."""
    out: dict[int, int] = {}
    block = doc.begin()
    while block.isValid():
        if block.userState() >= 0:
            out[block.userState()] = block.position()
        block = block.next()
    return out


def entity_positions(doc: QTextDocument, article: Article | None,
                     types: set[str] | frozenset[str]) -> list[tuple[str, int, int]]:
    """``(type, start, end)`` document positions (UTF-16) of ``article``'s entities of ``types``."""
    if article is None or not article.entities:
        return []
    blocks = paragraph_blocks(doc)
    out = []
    for e in article.entities:
        if e.type not in types or e.paragraph not in blocks or e.paragraph >= len(article.paragraphs):
            continue
        text = article.paragraphs[e.paragraph].text
        if text[e.start:e.end] != e.text:
            continue  # entities of another version of the text: never mark the wrong characters
        base = blocks[e.paragraph]
        out.append((e.type, base + utf16_offset(text, e.start), base + utf16_offset(text, e.end)))
    return out
