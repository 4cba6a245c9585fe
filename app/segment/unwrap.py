"""Hard-wrapped text (copied out of a PDF e-paper, or OCR) -> one line per paragraph again.

Such text cuts every line at the column's width (about 20-30 characters) and marks a paragraph
only by an indent (two full-width spaces) or by a line that ends short; there are no blank
lines. :func:`detect_layout` tells such a page from one whose lines are paragraphs: most lines
have nearly the same length (the *wrap width*, the modal length) and almost none is longer.
:func:`unwrap` then joins a line to the one before when that one is full (the column cut it)
and nothing says a paragraph starts here:

* a line that ends short ends its paragraph (a headline, the last line of a paragraph);
* on a page that indents, an indented line starts a paragraph;
* a dateline (``本报讯``, ``新华社北京5月3日电``), a credit line, a related-news marker, a page
  header or editors' line and a rule start their own line;
* a short headline-shaped line after a sentence's end stands alone (a headline printed flush
  under a full last line of the story before).

Pages that are not hard-wrapped are left exactly as they are (every line a paragraph; or
paragraphs marked by indents only, which the page splitter reads itself). The opposite layout,
several paragraphs run together on one line with spaces between them (a web page flattened),
is cut into one line per paragraph by :func:`split_run_together`.

Each output line keeps the original 1-based line numbers it was made of, for ``--explain``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.segment.issue import has_page_field, is_page_line
from app.segment.lines import (
    AGENCY_RE, CLOSING_BYLINE_RE, END_MARK_RE, is_byline_line, is_dateline, is_headline_shaped, is_related_marker,
)
from app.segment.text import BREAK_PUNCT, BULLETS, PARAGRAPH_END, ends_with, fold

INDENT_RE = re.compile(r"^(?:[\u3000 \t\u00a0]{2,}|\t)")
_LEADING_RE = re.compile(r"^[\u3000 \t\u00a0]*")
OPENING_BRACKETS = "(（〔［[【"
# a page header cut inside one of its fields ("…星期六 第4版 责" + "任编辑：王小明")
_CUT_FIELD_RE = re.compile(
    r"(?:责|责任|责任编|美|美术|美术编|校|星|星期|周|第\s*[A-Za-z]?\d*|\d+|\d+\s*年(?:\s*\d+)?|\d+\s*年\s*\d+\s*月\s*\d*"
    r"|值|值班|组|版|版式|编|[:：]|(?:编辑|美编|校对|版式)\s*[:：/／]?\s*[\u4e00-\u9fff])\s*$"
)
_FIELD_START_RE = re.compile(
    r"^\s*(?:星期|周[一二三四五六日天]|第\s*[A-Za-z]?\s*\d|第[一二三四五六七八九十]{1,3}版|农历|责任编辑|责编|美编|美术编辑|"
    r"校对|版式|版次|版名|[A-Za-z]{0,2}\d|[年月日期版号:：/／])"
)
MIN_WIDTH = 12  # narrower "columns" are lists of short lines, not wrapped text
MAX_WIDTH = 60
MIN_FULL_LINES = 4
PROSE_PUNCT_RE = re.compile(r"[，。、；：！？,;!?]")  # (not ":": 9:00)
PROSE_SHARE = 0.25
FULL_SHARE = 0.2  # at least this share of the lines are full ...
LONG_SHARE = 0.1  # ... and at most this share is longer than the width


@dataclass(frozen=True)
class Layout:
    """How a page's lines are laid out: ``width`` is the wrap width (None: not hard-wrapped),
    ``indented`` whether its paragraphs start with an indent."""

    width: int | None = None
    indented: bool = False
    indent: str = ""  # the indent most paragraphs start with ("\u3000\u3000", four spaces ...)
    # 1 when a full line may be one character longer or shorter than the width (a PDF's
    # line-breaking rules hang or push a punctuation mark; half-width characters take less
    # room), 0 when no line is longer than the width: the text was cut by counting characters
    slack: int = 1

    @property
    def wrapped(self) -> bool:
        return self.width is not None


def _visual(text: str) -> float:
    """Width in full-width cells: half-width characters take half a cell."""
    return sum(0.5 if ord(ch) < 0x2E80 or 0xFF61 <= ord(ch) <= 0xFFDC else 1 for ch in text)


def detect_layout(lines: Sequence[str]) -> Layout:
    """The layout of a page's (or an issue's) lines, as given (with their indentation)."""
    texts = [line.rstrip("\r\n\f") for line in lines if line.strip()]
    lengths = [len(t) for t in texts if len(t) >= MIN_WIDTH]
    if len(lengths) < MIN_FULL_LINES:
        return Layout()
    counts = Counter(lengths)
    # the wrap width: the length most lines share (a line may be one longer or shorter: Chinese
    # line-breaking rules move a punctuation mark to the line before or after)
    width = max(counts, key=lambda w: (counts[w], w))
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return Layout()
    full = [t for t in texts if _is_full(t, width)]
    longer = sum(1 for t in texts if len(t.rstrip()) > width + 1 and _visual(t.rstrip()) > width + 1)
    if len(full) < MIN_FULL_LINES or len(full) < FULL_SHARE * len(texts) or longer > max(1, LONG_SHARE * len(texts)):
        return Layout()
    # running text cut by a column holds punctuation on most lines; rows of a table or a
    # schedule of the same length do not
    if sum(1 for t in full if PROSE_PUNCT_RE.search(t)) < PROSE_SHARE * len(full):
        return Layout()
    slack = int(any(len(t.rstrip()) > width for t in texts))
    indents = Counter(m.group() for m in map(INDENT_RE.match, texts) if m)
    if sum(indents.values()) < max(2, 0.1 * len(texts)):
        return Layout(width, slack=slack)
    return Layout(width, indented=True, indent=indents.most_common(1)[0][0], slack=slack)


def _is_full(text: str, width: int, slack: int = 1) -> bool:
    """The line reaches the column's edge (the column cut it): its length is the wrap width
    (trailing spaces counted or not); or, with ``slack``, one more or less (Chinese line-breaking
    rules move a punctuation mark to the line before or after) when it does not end a sentence;
    or, holding half-width characters (digits, Latin), its width in cells is the wrap width."""
    line = text.rstrip()
    n = len(line)
    if n == width or len(text.rstrip("\r\n\f")) == width:
        return True
    if abs(n - width) == 1 and slack:
        return not _ends_paragraph(line)
    return n > width + 1 and width - 1 <= _visual(line) <= width + 1 and not _ends_paragraph(line)


def unwrap(lines: Sequence[str], layout: Layout | None = None) -> list[tuple[str, tuple[int, ...]]]:
    """The lines rejoined into paragraphs: ``(text, original 1-based line numbers)`` for each.

    ``text`` keeps the first line's indentation, so the page splitter still sees paragraph
    starts. Blank lines are kept (they end paragraphs). When the layout is not hard-wrapped the
    lines come back as they are, one for one."""
    layout = layout or detect_layout(lines)
    if not layout.wrapped:
        return [(line, (n,)) for n, line in enumerate(lines, 1)]
    width = layout.width
    assert width is not None
    parts: list[list[str]] = []  # each output line's pieces, joined at the end
    numbers: list[list[int]] = []
    length = 0  # of the last output line
    for n, line in enumerate(lines, 1):
        previous = lines[n - 2] if n > 1 else ""
        following = lines[n] if n < len(lines) else ""
        line = line.rstrip("\r")
        if (parts and previous.strip() and _is_full(previous, width, layout.slack)
                and _continues(_Paragraph(parts[-1], length), line, following, layout)):
            parts[-1].append(line)
            numbers[-1].append(n)
            length += len(line)
        else:
            parts.append([line])
            numbers.append([n])
            length = len(line)
    return [("".join(p), tuple(ns)) for p, ns in zip(parts, numbers)]


class _Paragraph:
    """The paragraph being rejoined, as the rules read it: its start, its end, and the whole only
    while it is short (a headline or a page header is; a long paragraph's middle never matters,
    and copying it for every line would make a long paragraph's rejoining quadratic)."""

    EDGE = 120

    def __init__(self, pieces: list[str], total: int):
        if total <= self.EDGE:
            self.raw = "".join(pieces)
            self.text = self.raw.strip()
            self.head = self.tail = self.text
        else:
            self.text = self.raw = None
            self.head = "".join(pieces[:self.EDGE // 8 + 1])[:self.EDGE].strip()
            tail = ""
            for piece in reversed(pieces):
                tail = piece + tail
                if len(tail) >= self.EDGE:
                    break
            self.tail = tail[-self.EDGE:].strip()


RUN_TOGETHER_RE = re.compile(r"(?<=[。！？!?…”」』）)])[ \u3000\u00a0\t]{2,}(?=\S)")


def split_run_together(units: Sequence[tuple[str, tuple[int, ...]]]) -> list[tuple[str, tuple[int, ...]]]:
    """Paragraphs run together on one line with spaces between them, as a web page's text is
    often flattened (``……内在要求。   我国幅员辽阔……``): one line each again, each piece
    keeping the spaces before it as its indent. Only when the text does so more than once; the
    pieces keep their line's numbers."""
    if sum(len(RUN_TOGETHER_RE.findall(text)) for text, _ in units) < 2:
        return list(units)
    out: list[tuple[str, tuple[int, ...]]] = []
    for text, numbers in units:
        cuts = [0] + [m.start() for m in RUN_TOGETHER_RE.finditer(text)] + [len(text)]
        out += [(text[a:b], numbers) for a, b in zip(cuts, cuts[1:])]
    return out


def _continues(paragraph: _Paragraph, line: str, following: str, layout: Layout) -> bool:
    """Does ``line`` continue ``paragraph`` (whose last line is full)? ``following`` is the line
    after it."""
    core = line.strip()
    # the whole paragraph while it is short (a headline, a page header), else its end: every
    # whole-text shape below (headline, page line) needs a short text
    so_far = paragraph.text if paragraph.text is not None else paragraph.tail
    short_so_far = paragraph.text is not None
    if not core or "\f" in line:
        return False
    if layout.indented and INDENT_RE.match(line):
        # a paragraph starts, unless spaces inside a line fell at the column's edge: another
        # indent than the page's own, in the middle of a sentence
        if (_LEADING_RE.match(line).group() == layout.indent or _ends_paragraph(so_far)
                or (short_so_far and is_headline_shaped(so_far))):
            return False
    if short_so_far and is_page_line(so_far):
        # a page header or editors' line cut by the column: only its own rest joins
        return is_page_line(core) or (is_page_line(so_far + core) and (
            len(core) <= 2 or bool(_CUT_FIELD_RE.search(so_far) or _FIELD_START_RE.match(core)
                                   or has_page_field(core))))
    if is_page_line(core):  # a page header starts its line, unless it is the rest of one cut short
        return (short_so_far and not _ends_paragraph(so_far) and bool(_CUT_FIELD_RE.search(so_far))
                and is_page_line(so_far + core))
    ended = _ends_paragraph(so_far)
    if short_so_far and not ended and _open_bracket(so_far):
        return True  # "【新华社南宁3月5日电】（" + "记者 某某）……": the bracket closes on the next line
    if short_so_far and is_byline_line(so_far) and not _agency_start(so_far):
        # a credit line cut by the column takes the rest of its credits, never the story's text
        return is_byline_line((paragraph.raw + line).strip())
    headline = short_so_far and is_headline_shaped(so_far) and not is_dateline(paragraph.head)
    if (ended or headline) and (is_related_marker(core) or is_dateline(core)):
        return False
    # a credit line after a sentence's end starts its own line (on a page that indents, an
    # unindented one closes the paragraph above: "图说：……觅食。 记者 某某 摄"; a bracketed one
    # always does: "……名单。（本报记者 某某）")
    if (not layout.indented and core[:1] not in OPENING_BRACKETS and is_byline_line(core)
            and (ended or headline or not (ends_with(so_far, BREAK_PUNCT) or _open_bracket(so_far)))):
        return False
    width = layout.width or 0
    short = len(core) < width - layout.slack
    if (ended and not short and is_headline_shaped(core) and following.strip()
            and len(following.strip()) < width - layout.slack and is_headline_shaped(core + following.strip())):
        return False  # a headline longer than the column, after a sentence's end: the next story
    if short and core[:1] not in OPENING_BRACKETS:
        if ended and is_headline_shaped(core) and not is_byline_line(core):
            # a short headline-shaped line after a sentence's end: the next story's headline
            return False
        if ended and _question_headline(core) and is_dateline(following.strip()):
            return False  # "你的社保卡激活了吗？" over a dateline
        if headline and is_headline_shaped(core) and (not is_headline_shaped(so_far + core)
                                                      or so_far.endswith(("——", "—", "：", ":"))):
            # a kicker line over the title, not one headline cut in two ("……首日运营——" leads in)
            return False
    return True


def _ends_paragraph(text: str) -> bool:
    """The text ends as a paragraph does: a sentence's end, a closing credit, ``（完）``."""
    return ends_with(text, PARAGRAPH_END) or bool(CLOSING_BYLINE_RE.search(text) or END_MARK_RE.search(text))


def _agency_start(text: str) -> bool:
    """The text starts as a dateline does (``本报长沙4月8日电 记者某某``), not as a credit line
    (``本报记者 某某 通讯员 某某``: the 讯 of 通讯员 is no 讯)."""
    folded = fold(text.lstrip(BULLETS))
    m = AGENCY_RE.match(folded)
    return bool(m) and folded[m.end():m.end() + 1] != "员"


def _open_bracket(text: str) -> bool:
    return sum(text.count(ch) for ch in "(（〔［[【") > sum(text.count(ch) for ch in ")）〕］]】")


def _question_headline(text: str) -> bool:
    return ends_with(text, "？！?!") and not any(ch in text[:-1] for ch in "。，,；;？！?!")
