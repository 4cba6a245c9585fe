"""Blocks -> articles: where stories start and end, paragraphs joined, captions, authors, dates.

One module because each decision reads the ones before it in a single pass over the page's
blocks (whether a line opens a story depends on the draft so far); --explain's trace is filled
by the same pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.lexicon import NUMERIC_DATE_RE
from app.model import Article, Paragraph
from app.segment.explain import Trace
from app.segment.text import (
    BREAK_PUNCT, BULLETS, Block, CJK_RE, SENTENCE_END, SPACE_RE, ends_with, ends_sentence, fold, strip_bullets,
)
from app.segment.lines import (
    CAPTION_MARK_RE, CLOSING_BYLINE_RE, END_MARK_RE, PAGE_FURNITURE_RE, BRACKET_CLOSE, BRACKET_OPEN, READER_TIP_RE,
    TI_RE,
    bare_name, byline_body, classify, credit_names, credits_of, parse_dateline,
)
from app.segment.headline import split_headline, split_headline_explained

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
    headline_blocks: list[int] = field(default_factory=list)  # block index of each headline line (-1: none)
    para_blocks: list[list[int]] = field(default_factory=list)  # block indices of each paragraph

    def add(self, paragraph: Paragraph, block: int) -> None:
        self.paragraphs.append(paragraph)
        self.para_blocks.append([block])

    def add_headline_line(self, pieces: list[str], block: int) -> None:
        self.headline_lines.append(pieces)
        self.headline_blocks.append(block)

    def text(self) -> str:
        return " ".join(" ".join(p) for p in self.headline_lines) + "\n" + "\n".join(p.text for p in self.paragraphs)

    @property
    def body_count(self) -> int:
        return sum(1 for p in self.paragraphs if p.kind == "body")


SEPARATOR_RE = re.compile(r"^[\W_]{3,}$")
INDENT_RE = re.compile(r"^(?:\u3000|[ \t\u00a0]{2,})")


def _blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip(" \t\u3000\u00a0\ufeff\f\v")
        if not line:
            continue
        if SEPARATOR_RE.match(line) and not CJK_RE.search(line):
            block = Block(line, "separator")
        else:
            block = classify(line)
        block.indented = bool(INDENT_RE.match(raw.lstrip("\ufeff")))
        block.line = number
        blocks.append(block)
    # Names alone on the line under a headline ("陈晓 李娜"), before the story: its byline.
    for i, block in enumerate(blocks[1:-1], 1):
        if (block.kind == "candidate" and blocks[i - 1].kind == "candidate" and blocks[i + 1].kind in ("body", "dateline")
                and len(block.pieces) <= 3 and all(bare_name(p) for p in block.pieces)):
            block.kind, block.pieces, block.why = "byline", [], "names alone under the headline"
    # A short question or exclamation right before a dateline is a headline ("你的社保卡激活了吗？").
    for i, block in enumerate(blocks[:-1]):
        if (block.kind == "body" and blocks[i + 1].kind == "dateline" and len(block.text) <= 30
                and ends_with(block.text, "？！?!") and not any(ch in block.text[:-1] for ch in "。，,；;？！?!")):
            block.kind, block.pieces = "candidate", [p for p in SPACE_RE.split(block.text) if p]
            block.why = "short question or exclamation before a dateline"
    return blocks


def _next_kind(blocks: list[Block], i: int) -> str | None:
    return blocks[i + 1].kind if i + 1 < len(blocks) else None


def _opens_article(blocks: list[Block], i: int, draft: _Draft | None, after_marker: bool,
                   page: "_PageVocabulary") -> tuple[bool, str]:
    """Does the headline candidate at ``i`` open a new article (rather than being a subhead)? And why."""
    block = blocks[i]
    if draft is None:
        return True, "first headline-shaped line of the page"
    if after_marker:
        return True, "after a related-article marker"
    if not draft.paragraphs or (draft.headline_blocks and draft.headline_blocks[-1] == i - 1
                                and draft.body_count == 0):
        return False, "further headline line"  # of the article being opened
    if ends_with(block.text, "—:：") and draft.body_count >= 1:
        return False, "lead-in ending with a dash or colon: a subhead of the story"
    j = i + 1
    if j < len(blocks) and READER_TIP_RE.search(blocks[j].text) and draft.body_count >= 1:
        return False, "heads a reader-tip reward note inside the story"
    if (i > 0 and READER_TIP_RE.search(blocks[i - 1].text) and draft.body_count >= 1
            and (j >= len(blocks) or blocks[j].kind not in ("dateline", "byline", "marker"))):
        return False, "follows a reader-tip reward note: part of its box"
    while j < len(blocks) and blocks[j].kind == "candidate":
        j += 1
    following = blocks[j].kind if j < len(blocks) else None
    if following in ("dateline", "byline", "marker"):
        return True, f"followed by a {following}"
    if INNER_SUBHEAD_RE.match(block.text) and draft.body_count >= 1:
        return False, "a bracketed or arrowed subhead (【…】, ▶) inside the story"
    if j > i + 1:  # several headline lines in a row: a headline group, not a subhead
        return True, "first of several headline lines"
    if len(block.pieces) > 1:  # title and subtitle split by spaces
        return True, "title and subtitle split by spaces"
    if END_MARK_RE.search(draft.paragraphs[-1].text):
        return True, "after an end mark (完)"
    if i > 0 and blocks[i - 1].kind == "separator":
        return True, "after a separator"
    if following is None:
        return False, "last line of the page"
    if draft.body_count < 1:
        return False, "the story above has no body yet"
    # No structural cue. Subheads sit inside long stories whose next paragraph keeps talking
    # about the same people and things; a new story shares only the page's common words.
    score = page.continuity(blocks[j].text, draft.text())
    if score < SUBHEAD_CONTINUITY:
        return True, f"next paragraph shares little with the story above (continuity {score:.2f})"
    return False, f"next paragraph continues the story's vocabulary (continuity {score:.2f})"


INNER_SUBHEAD_RE = re.compile(r"^(?:【[^】]{1,14}】|[▶►▷>]\s*\S{1,14})$")

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


def split_articles(text: str, source: str = "", source_key: str = "", trace: Trace | None = None) -> list[Article]:
    """Split a page's text into articles. ``source`` is recorded on each article; ``source_key``
    (the file's content hash) makes the article ids stable across renames. ``trace`` (see
    :mod:`.explain`) is told each line's final role and why, lines numbered 1.. in ``text``."""
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
        if trace is not None:
            head = blocks[0]
            trace.note(head.line, head.text, "separator" if head.kind == "separator" else "page header",
                       "a rule before the first story" if head.kind == "separator"
                       else "page furniture before the first story (date, 版, editors)")
        blocks.pop(0)
    page = _PageVocabulary(blocks)
    # Pages that mark paragraph starts by indentation wrap long paragraphs onto unindented lines.
    body_blocks = [b for b in blocks if b.kind in ("body", "dateline")]
    indenting = len(body_blocks) >= 2 and sum(b.indented for b in body_blocks) >= 0.5 * len(body_blocks)
    drafts: list[_Draft] = []
    draft: _Draft | None = None
    marker: int | None = None  # the block of the 相关新闻-like marker waiting for its article
    why: dict[int, str] = {}  # block index -> why it went where it did (for the trace)

    def open_draft(headline: list[str] | None, block: int = -1) -> _Draft:
        nonlocal marker
        new = _Draft(related=marker is not None)
        if headline:
            new.add_headline_line(headline, block)
        drafts.append(new)
        marker = None
        return new

    for i, block in enumerate(blocks):
        if block.kind == "marker":
            marker = i
            continue
        if block.kind == "candidate":
            opens, reason = _opens_article(blocks, i, draft, marker is not None, page)
            if block.why:
                reason = f"{block.why}; {reason}"
            why[i] = reason
            if opens and draft is not None and not draft.headline_lines and draft.paragraphs and all(
                    p.kind == "byline" for p in draft.paragraphs) and not draft.related and marker is None:
                # credits printed over the headline at the top of the page: the story they credit
                draft.add_headline_line(block.pieces, i)
                why[i] = f"{reason} (the credit line above it is this story's)"
                continue
            if opens:
                draft = open_draft(block.pieces, i)
                continue
            assert draft is not None
            if not draft.paragraphs or reason.endswith("further headline line"):
                draft.add_headline_line(block.pieces, i)
            elif _is_cut(draft.paragraphs[-1]):
                _append_text(draft, block.text, i)
                why[i] = "joined: column break (the paragraph above stops mid-sentence)"
            else:
                draft.add(Paragraph(block.text, "subhead"), i)
            continue

        if block.kind == "separator":
            # a rule between stories: kept (as furniture) but never joined across
            (draft or open_draft(None)).add(Paragraph(block.text, "byline"), i)
            why[i] = "a rule between stories"
            continue
        if marker is not None:
            # A marker followed directly by text: the marker is the related article's heading.
            marker_block = marker
            draft = open_draft([blocks[marker].text], marker)
            why[marker_block] = "related-article marker followed by text: the related article's heading"
        elif draft is None or (block.kind == "dateline" and draft.dateline is not None):
            # Text before any headline, or a second dateline (a brief without a headline).
            draft = open_draft(None)

        if block.kind == "dateline":
            draft.dateline = draft.dateline or block.text
            draft.add(Paragraph(block.text, "body"), i)
            why[i] = _dateline_why(block.text) + (" (a second dateline opens a brief)"
                                                  if len(draft.para_blocks) == 1 and not draft.headline_lines
                                                  and len(drafts) > 1 else "")
        elif block.kind == "byline":
            if PHOTO_RE.search(block.text):
                draft.has_photo_credit = True
            draft.add(Paragraph(block.text, "byline"), i)
            why[i] = _byline_why(block.text)
        elif draft.paragraphs and (_is_cut(draft.paragraphs[-1]) or (
                indenting and not block.indented and draft.paragraphs[-1].kind == "body" and i > 0
                and blocks[i - 1].kind in ("body", "dateline"))):
            why[i] = ("joined: column break (the paragraph above stops mid-sentence)" if _is_cut(draft.paragraphs[-1])
                      else "joined: an unindented line continues the indented paragraph above")
            _append_text(draft, block.text, i)
        elif PAGE_FURNITURE_RE.search(block.text) and len(block.text) <= 80:
            draft.add(Paragraph(block.text, "byline"), i)
            why[i] = "page furniture (date, 版, editors) inside the page"
        else:
            draft.add(Paragraph(block.text, "body"), i)
            why[i] = "reader-tip reward note" if READER_TIP_RE.search(block.text) else "running text"

    if marker is not None:  # a trailing marker with nothing after it keeps its text
        text_of_marker, marker_block, marker = blocks[marker].text, marker, None
        (drafts[-1] if drafts else open_draft(None)).add(Paragraph(text_of_marker, "subhead"), marker_block)
        why[marker_block] = "related-article marker with no story after it: kept as text"

    articles: list[Article] = []
    parent_id: str | None = None
    for draft in drafts:
        article, origins = _finish(draft, source)
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
        if trace is not None:
            _note_article(trace, blocks, draft, article, origins, why, len(articles))
        articles.append(article)
    if trace is not None:
        noted = {b for d in drafts for b in d.headline_blocks + [x for p in d.para_blocks for x in p]}
        for i, block in enumerate(blocks):
            if block.kind == "marker" and i not in noted:
                trace.note(block.line, block.text, "marker", "related-article marker: the next article is "
                           "related to the one above (kept as its link, not as text)")
    return articles


def _dateline_why(text: str) -> str:
    dateline = parse_dateline(text)
    if dateline is None:
        return "dateline"
    names = credits_of(dateline.credits) if dateline.credits else []
    credited = f", credits {' '.join(n for _r, n in names)}" if names else ""
    ti = "; 题： repeats the story's own headline" if TI_RE.match(fold(dateline.rest)) else ""
    return f"dateline: {dateline.agency.strip('【】[] ')}{credited}{ti}"


def _byline_why(text: str) -> str:
    body = byline_body(text)
    names = credits_of(body.strip(" " + BRACKET_OPEN.replace("\\", "") + BRACKET_CLOSE.replace("\\", "")))
    roles = list(dict.fromkeys(r for r, _n in names if r))
    what = f"credit line: {'/'.join(roles) + ' + ' if roles else ''}names {' '.join(n for _r, n in names)}"
    if names and not roles and text[:1] in BULLETS:
        what = f"credit line: a bullet and names {' '.join(n for _r, n in names)}"
    stripped = strip_bullets(text)
    if body != stripped:
        what += f" (after a stray {stripped[:len(stripped) - len(body)].strip()!r})"
    if not names:
        what = "photo credit"
    return what


def _note_article(trace: Trace, blocks: list[Block], draft: _Draft, article: Article, origins: list[int],
                  why: dict[int, str], number: int) -> None:
    """Tell the trace the final role of each line of one article."""
    split_why = split_headline_explained(draft.headline_lines)[3] if draft.headline_lines else ""
    kicker, title, subtitle = (compact(x) for x in (article.kicker, article.title, article.subtitle))
    for n, b in enumerate(draft.headline_blocks):
        if b < 0:
            continue
        line = compact(blocks[b].text)
        held = [name for name, field_ in (("kicker", kicker), ("title", title), ("subtitle", subtitle))
                if field_ and (field_ in line or line in field_)]
        if held == ["kicker"]:
            role = "kicker"
        elif held == ["subtitle"]:
            role = "subtitle"
        else:
            role = "headline"
        reason = why.get(b, "headline")
        if len(held) > 1:
            reason += f"; {' + '.join(held)} on this line"
        elif held:
            reason += f"; {held[0]}"
        if split_why and (role == "kicker" or len(held) > 1):
            reason += f" ({split_why})"
        trace.note(blocks[b].line, blocks[b].text, role, reason, number)
    kinds: dict[int, list[str]] = {}
    for k, origin in enumerate(origins):
        kinds.setdefault(origin, []).append(article.paragraphs[k].kind)
    for n, members in enumerate(draft.para_blocks):
        final = kinds.get(n, ["body"])
        for position, b in enumerate(members):
            block = blocks[b]
            reason = why.get(b, "running text")
            if block.kind == "dateline" and position == 0:
                role = "dateline"
            elif block.kind == "marker":
                role = "subhead" if final[0] == "subhead" else "headline"
            elif final[0] == "caption":
                role = "caption"
                reason = ("caption: marked (▲, 图为, 图说, …摄)" if CAPTION_MARK_RE.search(block.text)
                          else "caption: a short one-sentence paragraph in a story with photo credits")
            elif block.kind == "separator":
                role = "separator"
            elif final[0] == "subhead" or (block.kind == "candidate" and position == 0):
                role = "subhead"
                reason = f"subhead: {reason}"
            else:
                role = {"byline": "byline", "body": "body"}.get(final[0], "body")
            if len(final) > 1 and position == len(members) - 1:
                reason += "; its closing credit (…) is a byline paragraph of its own"
            trace.note(block.line, block.text, role, reason, number)


def compact(text: str | None) -> str:
    return SPACE_RE.sub("", text or "")


PHOTO_CREDIT_END_RE = re.compile(r"(?:摄|供图|摄影|图片来源\S*)\s*[)）]?\s*$")
"""A caption ends with its photo credit (``…托向岸边。 市民供图``): complete, never cut by a column break."""
PHOTO_RE = re.compile(r"文\s*[/／]\s*图|图\s*[/／]|摄影|摄|供图|图片")


def _is_cut(paragraph: Paragraph) -> bool:
    """A body paragraph that stops mid-sentence (a column break cut it)."""
    if paragraph.kind != "body":
        return False
    text = paragraph.text
    if (ends_sentence(text) or END_MARK_RE.search(text) or PHOTO_CREDIT_END_RE.search(text)
            or READER_TIP_RE.search(text)):
        return False
    # Only running text is joined: it has clause punctuation or is long.
    return ends_with(text, BREAK_PUNCT) or any(ch in text for ch in "，,。；") or len(text) > 40


def _append_text(draft: _Draft, text: str, block: int) -> None:
    draft.para_blocks[-1].append(block)
    last = draft.paragraphs[-1]
    joiner = " " if re.match(r"[A-Za-z0-9]", last.text[-1]) and re.match(r"[A-Za-z0-9]", text[0]) else ""
    draft.paragraphs[-1] = Paragraph(last.text + joiner + text, last.kind)


def _finish(draft: _Draft, source: str) -> tuple[Article, list[int]]:
    """The article of a draft, and for each of its paragraphs the draft paragraph it came from."""
    if draft.headline_lines:
        kicker, title, subtitle = split_headline(draft.headline_lines)
    else:
        kicker, subtitle = None, None
        title = ""
    paragraphs, origins = _split_closing_bylines(draft.paragraphs)
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
            credited.extend(credits_of(byline_body(p.text).strip(
                " " + BRACKET_OPEN.replace("\\", "") + BRACKET_CLOSE.replace("\\", ""))))
    if date is None:
        for p in paragraphs[:1]:
            if p.kind == "body":
                date = _date_of(p.text[:60])
    roles: dict[str, str] = {}  # each person once, in order; a role found later fills a missing one
    for role, name in credited:
        if not roles.get(name):
            roles[name] = role
    article = Article(
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        paragraphs=paragraphs,
        authors=list(roles),
        author_roles=list(roles.values()),
        date=date,
        source=source,
    )
    return article, origins


def _date_of(text: str) -> str | None:
    m = NUMERIC_DATE_RE.search(text)
    if not m:
        return None
    month, day = int(m.group("month")), int(m.group("day"))
    if m.group("year"):
        return f"{int(m.group('year')):04d}-{month:02d}-{day:02d}"
    return f"{month:02d}-{day:02d}"


def _split_closing_bylines(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[int]]:
    """``…营造…氛围。(陈晖 区市监)``: the closing credit becomes a byline paragraph of its own.
    Also the index of the paragraph each one came from."""
    out: list[Paragraph] = []
    origins: list[int] = []
    for n, p in enumerate(paragraphs):
        m = CLOSING_BYLINE_RE.search(p.text) if p.kind == "body" else None
        if m and credit_names(m.group("credits")) and not _looks_like_aside(m.group("credits")):
            head = p.text[: m.start("byline")].rstrip()
            if head:
                out.append(Paragraph(head, p.kind))
                origins.append(n)
            out.append(Paragraph(p.text[m.start("byline"):], "byline"))
        else:
            out.append(p)
        origins.append(n)
    return out, origins


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
