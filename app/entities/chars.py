"""Single characters, for the features and the rules alike: folding full-width forms
(``normalise``), telling Han characters (``is_han``) and the type letter of each character.

Every function here keeps one output character per input code point, so offsets found in the
normalised text are offsets in the original.
"""

from __future__ import annotations

import re

from app.lexicon import CN_DIGITS

# The Han blocks: CJK Extension A, the Unified Ideographs, and the supplementary planes 2 and 3
# (Extensions B onwards, 𠀋). The one list behind both ``is_han`` and the "H" type letter.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x3FFFF))
HAN = "".join(f"{chr(a)}-{chr(b)}" for a, b in HAN_RANGES)  # for a regex character class
_HAN_RE = re.compile(f"[{HAN}]")

# Chinese numerals: the digits and the multipliers (一, 两, 十, 万 ...)
CN_NUMERALS = CN_DIGITS + "十百千万亿"
_CN_NUMERAL_SET = frozenset(CN_NUMERALS)

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH.update({ord("\t"): 0x20, ord("\r"): 0x20})  # "\n" stays: the CRF tags line by line


def normalise(text: str) -> str:
    """Fold full-width ASCII to half-width (the training data is folded); length is preserved."""
    return text.translate(_FULLWIDTH)


def is_han(ch: str) -> bool:
    return bool(_HAN_RE.match(ch))


def _ctype(ch: str) -> str:
    """The type letter: D digit, N Chinese numeral, L Latin letter, S space, H Han, A other
    letter, P anything else."""
    if ch.isdigit():
        return "D"
    if ch in _CN_NUMERAL_SET:
        return "N"
    o = ord(ch)
    if ch.isascii():
        return "L" if ch.isalpha() else ("S" if ch == " " else "P")
    if any(a <= o <= b for a, b in HAN_RANGES):
        return "H"
    if ch.isalpha():
        return "A"
    return "P"


class _TypeTable(dict):
    """Code point -> type letter for ``str.translate``, filled as characters are met (building
    it for the whole BMP up front took 0.08 s of the first call)."""

    def __missing__(self, cp: int) -> str:
        t = self[cp] = _ctype(chr(cp))
        return t


_TYPE_TABLE = _TypeTable({ord("^"): "^", ord("$"): "$"})


def types(p: str) -> str:
    """One type letter per character of ``p`` (``^``/``$`` padding kept as is)."""
    ty = p.translate(_TYPE_TABLE)
    if not ty.isascii():  # characters outside the BMP
        ty = "".join(c if c.isascii() else _ctype(c) for c in ty)
    return ty
