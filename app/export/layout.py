"""The pieces every format makes an article from: its title, its metadata lines, and its
paragraphs cut into plain and entity-marked runs. Qt-free; each format only styles them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterator, Sequence

from app.model import Article, EntitySpan, credit_line

# the types an export marks; their colours are app.palette.EXPORT's, the window's light theme
ENTITY_LABELS = {"PERSON": "人名", "PLACE": "地名", "ORG": "机构", "DATE": "日期", "MONEY": "金额"}


# characters XML 1.0 forbids: DOCX and EPUB are XML, and lxml refuses them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def display_title(article: Article) -> str:
    """The title to show (on one line); an untitled article is named from its place on the page."""
    return " ".join(xml_safe(article.title).split()) or f"无标题文章 {article.ordinal + 1}"


def document_title(articles: Sequence[Article], title: str | None = None) -> str:
    if title:
        return title
    if len(articles) == 1:
        return display_title(articles[0])
    return f"{display_title(articles[0])} 等 {len(articles)} 篇"


@dataclass(frozen=True)
class Meta:
    """An article's metadata lines, each optional."""

    kicker: str | None
    subtitle: str | None
    byline: str | None  # authors and date, e.g. "记者 陈婵 · 10-31"
    source: str | None
    page: str | None = None  # where a whole issue printed it: "第A03版 要闻 · 2023年10月31日"

    def facts(self) -> list[str]:
        """The lines under the title (subtitle apart), in order: page, byline, source."""
        return [x for x in (self.page, self.byline, f"来源: {self.source}" if self.source else None) if x]


def meta(article: Article) -> Meta:
    parts = []
    if article.authors:
        parts.append(credit_line(article))  # each author's own role, as the byline gave it
    if article.date:
        parts.append(article.date)
    return Meta(
        kicker=article.kicker or None,
        subtitle=article.subtitle or None,
        byline=" · ".join(parts) or None,
        source=PurePath(article.source).name or None,  # the file name, not the reader's folders
        page=page_line(article),
    )


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def page_line(article: Article) -> str | None:
    """Where a whole issue printed the article, as the paper says it: ``第A03版 要闻 ·
    2023年10月31日`` (each part only when known); None for an article of a single page."""
    page = " ".join(xml_safe(article.page).split())
    if page and not page.startswith("第") and not page.endswith("版"):
        page = f"第{page}版"
    day = xml_safe(article.issue_date).strip()
    if m := _ISO_DAY.fullmatch(day):
        day = f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日"
    where = " ".join(x for x in (page, " ".join(xml_safe(article.page_name).split())) if x)
    return " · ".join(x for x in (where, day) if x) or None


@dataclass(frozen=True)
class Run:
    text: str
    entity: str | None = None  # an entity type, or None for plain text
    passage: int = 0  # the reader's highlighted passage it is part of (its number, 1-based), or 0
    passage_end: bool = False  # the last run of that passage (where its note's number goes)


def runs(article: Article, index: int, highlights: bool, passages: Sequence["Passage"] = ()) -> list[Run]:
    """Paragraph ``index`` cut into runs; entity spans become marked runs when ``highlights``;
    the reader's highlighted ``passages`` (:func:`reader_marks`) cut them further.

    Spans out of range or overlapping an earlier one are skipped rather than trusted.
    """
    out = _entity_runs(article, index, highlights)
    mine = [p for p in passages if p.paragraph == index and p.start < p.end]
    return _cut(out, mine) if mine else out


def _entity_runs(article: Article, index: int, highlights: bool) -> list[Run]:
    text = article.paragraphs[index].text
    if not highlights:
        return [Run(text)] if text else []
    spans = sorted((e for e in article.entities if e.paragraph == index), key=lambda e: (e.start, -e.end))
    out: list[Run] = []
    pos = 0
    for span in _valid(spans, len(text)):
        if span.start < pos:
            continue
        if span.start > pos:
            out.append(Run(text[pos:span.start]))
        out.append(Run(text[span.start:span.end], span.type))
        pos = span.end
    if pos < len(text):
        out.append(Run(text[pos:]))
    return out


def _valid(spans: list[EntitySpan], length: int) -> Iterator[EntitySpan]:
    for s in spans:
        if 0 <= s.start < s.end <= length and s.type in ENTITY_LABELS:
            yield s


# ---------------------------------------------------------------- the reader's marks

MARK_LABELS = {"note": "读者笔记", "tags": "标签", "starred": "★ 已加星标", "passages": "划线批注",
               "gone": "原文已无此段"}


@dataclass(frozen=True)
class Passage:
    """A highlighted passage as an export shows it: where it is in the paragraph (when found)."""

    number: int  # 1-based, in the article
    text: str
    note: str
    paragraph: int = -1  # -1: the passage is no longer in the article
    start: int = 0
    end: int = 0

    @property
    def found(self) -> bool:
        return self.paragraph >= 0


@dataclass(frozen=True)
class ReaderMarks:
    """An article's marks, ready for an export: the note, tags, star and passages."""

    starred: bool
    tags: tuple[str, ...]
    note: str
    passages: tuple[Passage, ...]

    @property
    def empty(self) -> bool:
        return not (self.starred or self.tags or self.note.strip() or self.passages)

    def head(self, tag=str) -> str:
        """The line over the note: the star and the tags (``★ 已加星标  ·  标签: 环保、政策``), ""
        when there are neither; ``tag`` escapes each tag for the format."""
        parts = [MARK_LABELS["starred"]] if self.starred else []
        if self.tags:
            parts.append(f"{MARK_LABELS['tags']}: {'、'.join(tag(t) for t in self.tags)}")
        return "  ·  ".join(parts)


def reader_marks(article: Article, options) -> ReaderMarks | None:
    """The article's marks when the export carries them (``options.marks``), else None."""
    if not getattr(options, "marks", False):
        return None
    m = (options.article_marks or {}).get(article.id)
    if m is None:
        return None
    from app.marks import locate

    found = [(h, locate(article, h)) for h in m.highlights]
    found.sort(key=lambda f: (f[1] is None, f[1].start if f[1] is not None else f[0].start))  # reading order
    passages = []
    for n, (h, where) in enumerate(found, 1):
        if where is None:  # gone from the article: listed last
            passages.append(Passage(n, xml_safe(h.text), xml_safe(h.note)))
        else:
            passages.append(Passage(n, xml_safe(h.text), xml_safe(h.note), where.paragraph, where.para_start,
                                    where.para_end))
    marks = ReaderMarks(bool(m.starred), tuple(xml_safe(t) for t in m.tags), xml_safe(m.note), tuple(passages))
    return None if marks.empty else marks


def _cut(pieces: list[Run], passages: list[Passage]) -> list[Run]:
    """``pieces`` split where passages begin and end, each part told its passage."""
    bounds = sorted({b for p in passages for b in (p.start, p.end)})
    out: list[Run] = []
    pos = 0
    for r in pieces:
        end = pos + len(r.text)
        cuts = [b for b in bounds if pos < b < end]
        edges = [pos, *cuts, end]
        for a, b in zip(edges, edges[1:]):
            owner = next((p for p in passages if p.start <= a and b <= p.end), None)
            out.append(Run(r.text[a - pos:b - pos], r.entity, owner.number if owner else 0,
                           bool(owner) and b == owner.end))
        pos = end
    return out
