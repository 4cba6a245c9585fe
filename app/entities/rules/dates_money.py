"""DATE and MONEY spans: date expressions in digits or Chinese numerals, and amounts with a
currency word or sign. Both take the normalised text and return ``(type, start, end)``."""

from __future__ import annotations

import re

from app.lexicon import CN_DIGITS, DATE_EXPRESSION_RE

from ..chars import CN_NUMERALS
from ..spans import Span

# "年" after a 4-digit year is required; "今年" already contains it.
_YEAR_NEEDS_NIAN = re.compile(rf"^(?:\d{{4}}|[{CN_DIGITS}]{{4}})(?!年)")

_NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_NUMERALS}]+(?:点[{CN_DIGITS}]+)?)"
_CURRENCY = r"(?:元人民币|元|美元|港元|港币|欧元|日元|英镑|澳元|加元|卢布|韩元|块钱|块)"
MONEY_RE = re.compile(
    rf"(?:(?:人民币|美金|港币)\s?{_NUM}(?:多|余)?[十百千万亿]*(?:多|余)?{_CURRENCY}?"
    rf"|[¥￥$]\s?\d+(?:,\d{{3}})*(?:\.\d+)?[万亿]?(?:元)?"
    rf"|{_NUM}(?:多|余)?[十百千万亿]*(?:多|余)?{_CURRENCY}(?!化|论|素|件|宵|旦|帅|首|老|月|勋))"
)


def date_spans(s: str) -> list[Span]:
    if "年" not in s and "月" not in s and "日" not in s and "号" not in s:
        return []  # every date this finds holds one of them
    out = []
    for m in DATE_EXPRESSION_RE.finditer(s):
        text = m.group()
        if _YEAR_NEEDS_NIAN.match(text):
            continue
        out.append(("DATE", m.start(), m.end()))
    return out


# Every MONEY_RE match holds one of these (a currency word or sign): most lines hold none
_MONEY_HINT_RE = re.compile("[元币镑布块金¥￥$]")


def money_spans(s: str) -> list[Span]:
    if not _MONEY_HINT_RE.search(s):
        return []
    out = []
    for m in MONEY_RE.finditer(s):
        text = m.group()
        if text[-1] in "块" and not re.search(r"\d", text):
            continue  # 一块 (together), not money
        if not any(c.isdigit() or c in CN_NUMERALS for c in text):
            continue
        out.append(("MONEY", m.start(), m.end()))
    return out
