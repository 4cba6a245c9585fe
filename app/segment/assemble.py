"""Blocks -> articles: where stories start and end, paragraphs joined, captions, authors, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.lexicon import NUMERIC_DATE_RE
from app.model import Article, Paragraph
from app.segment.text import BREAK_PUNCT, Block, CJK_RE, SENTENCE_END, SPACE_RE, ends_with, ends_sentence
from app.segment.lines import (
    CAPTION_MARK_RE, CLOSING_BYLINE_RE, END_MARK_RE, PAGE_FURNITURE_RE, BRACKET_CLOSE, BRACKET_OPEN,
    classify, credit_names, credits_of, parse_dateline,
)
from app.segment.headline import split_headline

# ---------------------------------------------------------------------------------------------
# Article assembly


def _bigrams(text: str) -> set[str]:
    cjk = "".join(CJK_RE.findall(text))
    return {cjk[i:i + 2] for i in range(len(cjk) - 1)}


@dataclass
class _Draft:
    headline_lines: list[list[str]] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    related: bool = False
    dateline: str | None = None
    has_photo_credit: bool = False

    def text(self) -> str:
        return " ".join(" ".join(p) for p in self.headline_lines) + "\n" + "\n".join(p.text for p in self.paragraphs)

    @property
    def body_count(self) -> int:
        return sum(1 for p in self.paragraphs if p.kind == "body")


SEPARATOR_RE = re.compile(r"^[\W_]{3,}$")
INDENT_RE = re.compile(r"^(?:\u3000|[ \t\u00a0]{2,})")


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip(" \t\u3000\u00a0\ufeff\f\v")
        if not line:
            continue
        if SEPARATOR_RE.match(line) and not CJK_RE.search(line):
            block = Block(line, "separator")
        else:
            block = classify(line)
        block.indented = bool(INDENT_RE.match(raw.lstrip("\ufeff")))
        blocks.append(block)
    # A short question or exclamation right before a dateline is a headline ("你的社保卡激活了吗？").
    for i, block in enumerate(blocks[:-1]):
        if (block.kind == "body" and blocks[i + 1].kind == "dateline" and len(block.text) <= 30
                and ends_with(block.text, "？！?!") and not any(ch in block.text[:-1] for ch in "。，,；;？！?!")):
            block.kind, block.pieces = "candidate", [p for p in SPACE_RE.split(block.text) if p]
    return blocks


def _next_kind(blocks: list[Block], i: int) -> str | None:
    return blocks[i + 1].kind if i + 1 < len(blocks) else None


def _opens_article(blocks: list[Block], i: int, draft: _Draft | None, after_marker: bool,
                   page: "_PageVocabulary") -> bool:
    """Does the headline candidate at ``i`` open a new article (rather than being a subhead)?"""
    block = blocks[i]
    if draft is None or after_marker:
        return True
    if not draft.paragraphs:  # a further headline line of the article being opened
        return False
    if ends_with(block.text, "—:：") and draft.body_count >= 1:
        return False  # a lead-in subhead ("广州南站——") of a report from several places
    j = i + 1
    if j < len(blocks) and READER_TIP_RE.search(blocks[j].text) and draft.body_count >= 1:
        return False  # the heading of a reader-tip reward box inside the story
    while j < len(blocks) and blocks[j].kind == "candidate":
        j += 1
    following = blocks[j].kind if j < len(blocks) else None
    if following in ("dateline", "byline", "marker"):
        return True
    if j > i + 1:  # several headline lines in a row: a headline group, not a subhead
        return True
    if len(block.pieces) > 1:  # title and subtitle split by spaces
        return True
    if END_MARK_RE.search(draft.paragraphs[-1].text) or (i > 0 and blocks[i - 1].kind == "separator"):
        return True
    if following is None or draft.body_count < 1:
        return False
    # No structural cue. Subheads sit inside long stories whose next paragraph keeps talking
    # about the same people and things; a new story shares only the page's common words.
    return page.continuity(blocks[j].text, draft.text()) < SUBHEAD_CONTINUITY


READER_TIP_RE = re.compile(
    r"感谢\S{0,12}提供\S{0,6}线索|线索\S{0,12}奖励\s*\d+\s*元|报料(?:有奖|奖励)\S{0,10}\d+\s*元"
)
"""A reader-tip reward note (``感谢读者某某提供线索，奖励50元``): part of the story it closes."""

SUBHEAD_CONTINUITY = 0.25
"""Below this page-weighted vocabulary overlap, a cue-less headline-shaped line opens a new
article. Measured on the sample: the paragraphs after its two subheads score 0.5 and 0.73;
the first paragraphs of the page's other stories 0.19-0.43 against the story before them."""


class _PageVocabulary:
    """Character bigrams weighted by how rare they are on this page (inverse block frequency)."""

    def __init__(self, blocks: list[Block]):
        self.df: dict[str, int] = {}
        # identical blocks (a page or story printed twice in one file) count once
        for text in {b.text for b in blocks}:
            for g in _bigrams(text):
                self.df[g] = self.df.get(g, 0) + 1
        self.n = max(len({b.text for b in blocks}), 1)

    def continuity(self, paragraph: str, story: str) -> float:
        """Weighted share of the paragraph's page-recurring bigrams that the story already has."""
        import math

        grams = [g for g in _bigrams(paragraph) if self.df.get(g, 0) > 1]
        if not grams:
            return 0.0
        seen = _bigrams(story)
        weight = {g: math.log(self.n / self.df[g]) + 0.01 for g in grams}
        return sum(weight[g] for g in grams if g in seen) / sum(weight.values())


def split_articles(text: str, source: str = "", source_key: str = "") -> list[Article]:
    """Split a page's text into articles. ``source`` is recorded on each article; ``source_key``
    (the file's content hash) makes the article ids stable across renames."""
    blocks = _blocks(text)
    # A page header ("人民日报 2024年5月4日 星期六 第4版 责任编辑：…") or rule before the first story is
    # page metadata, like 相关新闻: it gives the year, it is not an article.
    page_year: int | None = None
    page_month: int | None = None
    while blocks and (blocks[0].kind == "separator" or (
            blocks[0].kind == "body" and PAGE_FURNITURE_RE.search(blocks[0].text) and len(blocks[0].text) <= 80)):
        m = NUMERIC_DATE_RE.search(blocks[0].text)
        if m and m.group("year"):
            page_year, page_month = int(m.group("year")), int(m.group("month"))
        blocks.pop(0)
    page = _PageVocabulary(blocks)
    # Pages that mark paragraph starts by indentation wrap long paragraphs onto unindented lines.
    body_blocks = [b for b in blocks if b.kind in ("body", "dateline")]
    indenting = len(body_blocks) >= 2 and sum(b.indented for b in body_blocks) >= 0.5 * len(body_blocks)
    drafts: list[_Draft] = []
    draft: _Draft | None = None
    marker: str | None = None  # the 相关新闻-like marker waiting for its article

    def open_draft(headline: list[str] | None) -> _Draft:
        nonlocal marker
        new = _Draft(headline_lines=[headline] if headline else [], related=marker is not None)
        drafts.append(new)
        marker = None
        return new

    for i, block in enumerate(blocks):
        if block.kind == "marker":
            marker = block.text
            continue
        if block.kind == "candidate":
            if _opens_article(blocks, i, draft, marker is not None, page):
                draft = open_draft(block.pieces)
                continue
            assert draft is not None
            if not draft.paragraphs:
                draft.headline_lines.append(block.pieces)
            elif _is_cut(draft.paragraphs[-1]):
                _append_text(draft, block.text)
            else:
                draft.paragraphs.append(Paragraph(block.text, "subhead"))
            continue

        if block.kind == "separator":
            # a rule between stories: kept (as furniture) but never joined across
            (draft or open_draft(None)).paragraphs.append(Paragraph(block.text, "byline"))
            continue
        if marker is not None:
            # A marker followed directly by text: the marker is the related article's heading.
            draft = open_draft([marker])
        elif draft is None or (block.kind == "dateline" and draft.dateline is not None):
            # Text before any headline, or a second dateline (a brief without a headline).
            draft = open_draft(None)

        if block.kind == "dateline":
            draft.dateline = draft.dateline or block.text
            draft.paragraphs.append(Paragraph(block.text, "body"))
        elif block.kind == "byline":
            if PHOTO_RE.search(block.text):
                draft.has_photo_credit = True
            draft.paragraphs.append(Paragraph(block.text, "byline"))
        elif draft.paragraphs and (_is_cut(draft.paragraphs[-1]) or (
                indenting and not block.indented and draft.paragraphs[-1].kind == "body" and i > 0
                and blocks[i - 1].kind in ("body", "dateline"))):
            _append_text(draft, block.text)
        elif PAGE_FURNITURE_RE.search(block.text) and len(block.text) <= 80:
            draft.paragraphs.append(Paragraph(block.text, "byline"))
        else:
            draft.paragraphs.append(Paragraph(block.text, "body"))

    if marker is not None:  # a trailing marker with nothing after it keeps its text
        text_of_marker, marker = marker, None
        (drafts[-1] if drafts else open_draft(None)).paragraphs.append(Paragraph(text_of_marker, "subhead"))

    articles: list[Article] = []
    parent_id: str | None = None
    for draft in drafts:
        article = _finish(draft, source)
        if page_year and article.date and len(article.date) == 5:
            month = int(article.date[:2])
            year = page_year - 1 if page_month and month > page_month + 1 else page_year
            article.date = f"{year:04d}-{article.date}"
        article.ordinal = len(articles)
        article.assign_id(source_key or source)
        if draft.related and parent_id is not None:
            article.related_to = parent_id
        else:
            parent_id = article.id
        articles.append(article)
    return articles


PHOTO_RE = re.compile(r"文\s*[/／]\s*图|图\s*[/／]|摄影|摄|供图|图片")


def _is_cut(paragraph: Paragraph) -> bool:
    """A body paragraph that stops mid-sentence (a column break cut it)."""
    if paragraph.kind != "body":
        return False
    text = paragraph.text
    if ends_sentence(text) or END_MARK_RE.search(text):
        return False
    # Only running text is joined: it has clause punctuation or is long.
    return ends_with(text, BREAK_PUNCT) or any(ch in text for ch in "，,。；") or len(text) > 40


def _append_text(draft: _Draft, text: str) -> None:
    last = draft.paragraphs[-1]
    joiner = " " if re.match(r"[A-Za-z0-9]", last.text[-1]) and re.match(r"[A-Za-z0-9]", text[0]) else ""
    draft.paragraphs[-1] = Paragraph(last.text + joiner + text, last.kind)


def _finish(draft: _Draft, source: str) -> Article:
    if draft.headline_lines:
        kicker, title, subtitle = split_headline(draft.headline_lines)
    else:
        kicker, subtitle = None, None
        title = ""
    paragraphs = _split_closing_bylines(draft.paragraphs)
    _mark_captions(paragraphs, draft.has_photo_credit)
    credited: list[tuple[str, str]] = []
    date: str | None = None
    if draft.dateline:
        dateline = parse_dateline(draft.dateline)
        if dateline:
            if dateline.credits:
                credited.extend(credits_of(dateline.credits))
            date = _date_of(dateline.agency) or _date_of(dateline.rest[:24])
    for p in paragraphs:
        if p.kind == "byline":
            credited.extend(credits_of(p.text.strip(
                " " + BRACKET_OPEN.replace("\\", "") + BRACKET_CLOSE.replace("\\", ""))))
    if date is None:
        for p in paragraphs[:1]:
            if p.kind == "body":
                date = _date_of(p.text[:60])
    roles: dict[str, str] = {}  # each person once, in order; a role found later fills a missing one
    for role, name in credited:
        if not roles.get(name):
            roles[name] = role
    return Article(
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        paragraphs=paragraphs,
        authors=list(roles),
        author_roles=list(roles.values()),
        date=date,
        source=source,
    )


def _date_of(text: str) -> str | None:
    m = NUMERIC_DATE_RE.search(text)
    if not m:
        return None
    month, day = int(m.group("month")), int(m.group("day"))
    if m.group("year"):
        return f"{int(m.group('year')):04d}-{month:02d}-{day:02d}"
    return f"{month:02d}-{day:02d}"


def _split_closing_bylines(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """``…营造…氛围。(陈晖 区市监)``: the closing credit becomes a byline paragraph of its own."""
    out: list[Paragraph] = []
    for p in paragraphs:
        m = CLOSING_BYLINE_RE.search(p.text) if p.kind == "body" else None
        if m and credit_names(m.group("credits")) and not _looks_like_aside(m.group("credits")):
            head = p.text[: m.start("byline")].rstrip()
            if head:
                out.append(Paragraph(head, p.kind))
            out.append(Paragraph(p.text[m.start("byline"):], "byline"))
        else:
            out.append(p)
    return out


def _looks_like_aside(credits: str) -> bool:
    """``(第一次)``, ``(2023年)``: a parenthesis of content, not of credits."""
    return bool(re.search(r"\d|第|年|月|日|等|的", credits))


def _mark_captions(paragraphs: list[Paragraph], has_photo_credit: bool) -> None:
    """Photo captions: explicit marks (▲, 图为, …摄), or — in an article with photo credits —
    short one-sentence paragraphs between the first and the last paragraph."""
    body_idx = [i for i, p in enumerate(paragraphs) if p.kind == "body"]
    for n, i in enumerate(body_idx):
        p = paragraphs[i]
        if CAPTION_MARK_RE.search(p.text) and len(p.text) <= 120:
            paragraphs[i] = Paragraph(p.text, "caption")
            continue
        if not has_photo_credit or n == 0 or i == len(paragraphs) - 1:
            continue
        one_sentence = sum(p.text.count(ch) for ch in SENTENCE_END) == 1 and ends_with(p.text, SENTENCE_END)
        if one_sentence and len(p.text) <= 50 and not p.text.startswith(("“", "\"", "「")):
            paragraphs[i] = Paragraph(p.text, "caption")
