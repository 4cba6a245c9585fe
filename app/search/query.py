"""The search box's little language -> a plan of literal substrings.

    扬尘 治理            both words (AND)
    "食品 安全"           a phrase: the exact text, spaces included
    扬尘 OR 污染          either
    NOT 广告   -广告       without
    title:扬尘 author:陈婵 date:10-31 person: place: org: subtitle: body: source:
    page:A03 page:3 page:要闻   a whole issue's page, by number (版次) or name (版名); see app.search.pages
    pinyin:jiangmen      titles and person/place/organisation names read as pinyin (江门)
    is:starred is:unread is:read   tag:政策 note:调研   the reader's own marks (app.marks): starred,
                         not yet read / read, a tag (or a tag's part before a "/"), a text in the
                         article's note or a highlight's note

Every literal is folded like the index (:func:`app.search.analysis.fold`). Anything the grammar
cannot read (an unclosed quote, an empty ``title:``, a dangling OR, only exclusions) falls back to
searching the whole input as one literal text, so no input ever raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.search.analysis import fold
from app.search.pages import page_query

FIELD_ALIASES = {
    "title": "title", "标题": "title",
    "subtitle": "subtitle",
    "body": "body", "正文": "body",
    "author": "authors", "authors": "authors", "作者": "authors",
    "date": "date", "日期": "date",
    "source": "source",
    "person": "person", "人名": "person",
    "place": "place", "地名": "place",
    "org": "org", "机构": "org",
    "page": "page", "版次": "page", "版面": "page", "版名": "page",  # app.search.pages
    "pinyin": "pinyin", "拼音": "pinyin",  # titles and names read as pinyin (app.search.pinyin)
    # the reader's marks, kept outside the index (app.marks; matched by app.search.planner)
    "is": "is", "tag": "tag", "标签": "tag", "note": "note", "笔记": "note", "批注": "note",
}
MARK_FIELDS = ("is", "tag", "note")

# Characters normalised before the query is split into tokens (full-width quote, colon, space, minus).
_PRE = str.maketrans({"\uff02": '"', "\uff1a": ":", "\u3000": " ", "\uff0d": "-"})
_TOKEN = re.compile(r'\s*(?:([^\s"]*?)"([^"]*)"|(\S+))')
_SURROGATES = re.compile("[\ud800-\udfff]")
_FIELD = re.compile(r"^([a-z]+|[\u4e00-\u9fff]{2}):(.*)$", re.S | re.I)


@dataclass(frozen=True)
class Literal:
    text: str  # folded
    field: str = "all"  # "all" or a key of FIELD_ALIASES' values


@dataclass
class QueryPlan:
    groups: list[list[Literal]] = field(default_factory=list)  # AND of ORs
    exclude: list[Literal] = field(default_factory=list)
    literal_fallback: bool = False

    @property
    def literals(self) -> list[Literal]:
        return [lit for group in self.groups for lit in group]


class _Malformed(Exception):
    pass


def clean_query(query: str) -> str:
    """Lone surrogates (a broken paste, or an undecodable command-line byte) become U+FFFD: they
    cannot be encoded as index terms, and must not make a healthy index look damaged."""
    return _SURROGATES.sub("\ufffd", query)


def parse_query(query: str) -> QueryPlan:
    query = clean_query(query)
    try:
        return _parse(query)
    except _Malformed:
        text = " ".join(fold(query).split())
        if not text:
            return QueryPlan(literal_fallback=True)
        return QueryPlan(groups=[[Literal(text)]], literal_fallback=True)


def _parse(query: str) -> QueryPlan:
    q = query.translate(_PRE).strip()
    if not q:
        return QueryPlan()
    if q.count('"') % 2:
        raise _Malformed
    items: list[tuple[str, object]] = []  # ("op", "OR"/"NOT") or ("lit", (negated, Literal))
    pos = 0
    while pos < len(q):
        m = _TOKEN.match(q, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        prefix, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None:
            if word in ("OR", "|", "||"):
                items.append(("op", "OR"))
                continue
            if word in ("AND", "&&", "+"):
                continue
            if word == "NOT":
                items.append(("op", "NOT"))
                continue
            items.append(("lit", _word_literal(word)))
        else:
            items.append(("lit", _phrase_literal(prefix or "", phrase)))
    groups: list[list[Literal]] = []
    exclude: list[Literal] = []
    pending_or = False
    pending_not = False
    for kind, value in items:
        if kind == "op":
            if value == "OR":
                if pending_or or pending_not or not groups:
                    raise _Malformed
                pending_or = True
            else:
                if pending_not:
                    raise _Malformed
                pending_not = True
            continue
        negated, lit = value
        if pending_not:
            negated = not negated
            pending_not = False
        if negated:
            if pending_or:
                raise _Malformed
            exclude.append(lit)
        elif pending_or:
            groups[-1].append(lit)
            pending_or = False
        else:
            groups.append([lit])
    if pending_or or pending_not or not groups:
        raise _Malformed
    return QueryPlan(groups=groups, exclude=exclude)


def _split_field(token: str) -> tuple[str, str]:
    m = _FIELD.match(token)
    if m and m.group(1).lower() in FIELD_ALIASES:
        return FIELD_ALIASES[m.group(1).lower()], m.group(2)
    return "all", token


def _word_literal(word: str) -> tuple[bool, Literal]:
    negated = False
    if word.startswith("-") and len(word) > 1:
        negated, word = True, word[1:]
    fieldname, text = _split_field(word)
    text = fold(text)
    if not text or (fieldname == "pinyin" and not _is_pinyin(text)):
        raise _Malformed
    if fieldname == "is":
        text = _is_value(text)
    return negated, Literal(page_query(text) if fieldname == "page" else text, fieldname)


def _is_pinyin(text: str) -> bool:
    from app.search.pinyin import is_pinyin

    return is_pinyin(text)


def _phrase_literal(prefix: str, phrase: str) -> tuple[bool, Literal]:
    negated = False
    if prefix.startswith("-"):
        negated, prefix = True, prefix[1:]
    fieldname = "all"
    if prefix:
        fieldname, rest = _split_field(prefix)
        if fieldname == "all" or rest:
            raise _Malformed  # e.g. abc"def" or title:x"y"
    text = " ".join(fold(phrase).split())
    if fieldname == "pinyin":
        text = text.replace(" ", "")
        if not _is_pinyin(text):
            raise _Malformed
    if not text:
        raise _Malformed
    if fieldname == "is":
        text = _is_value(text)
    return negated, Literal(page_query(text) if fieldname == "page" else text, fieldname)


def _is_value(text: str) -> str:
    """``is:``'s value as app.marks names it (starred, unread, read); anything else is malformed."""
    from app.marks import IS_VALUES

    value = IS_VALUES.get(text)
    if value is None:
        raise _Malformed
    return value
