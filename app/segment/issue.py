"""A whole day's issue in one file -> its pages, each with its own lines (header, masthead, editors).

E-paper archives and PDF copies print, around each page's articles, lines that belong to the page:

* a **page header** naming the page (版次 and 版名): ``第A03版：要闻``, ``第3版(要闻)``, ``01版:要闻``,
  ``A03 要闻``, ``03 江海新闻``, ``==== 第A05版 体育 ====``, ``版次：A03 版名：要闻``;
* a **dated header** or **masthead**: ``2023年10月31日 星期二 责任编辑:某某 美编:某某 校对:某某``,
  ``某某日报 2023年10月31日 星期二 第12345期``, ``人民日报 2024年5月4日 星期六 第4版 责任编辑：王小明``,
  ``2024年1月9日 星期二 A03 要闻``; the paper's name alone (``某某日报电子版``) beside a header;
* an **editors' line**, at the top or the foot of a page: ``责任编辑：某某 美编：某某 校对：某某``;
* **separators** between pages: rules (``====``, ``----``) and form feeds.

A page header or a dated header (or a form feed) after some article text starts a new page;
the header lines together (and the separators, mastheads and editors' lines around them) are
that page's ``page_lines``: page metadata, never article text. Lines that might be a story's own
are page lines only where the file vouches for them: a bare ``A03 要闻`` when the file has several
such numbers in order or another page line stands beside it (``G20 峰会开幕`` is a headline), a
date with its weekday alone beside another page line (a diary's dated entries stay in their
story), a paper's name beside a header. A rule with no page header near it stays where it is (a
rule between two stories of one page, as before); an editors' line is always page metadata. A
running footer repeating the page's number stays on its page; a list of the issue's pages (a
header after a header, no text between) goes with the first page that has text. Traditional
characters are read as simplified (``第A03版：要聞``, ``責任編輯``), names kept as printed. A file
without any of these is one page whose text is untouched.

Nothing is lost: every non-blank line of the input is either in exactly one page's ``lines``
(its article text) or in exactly one page's ``page_lines``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.segment.lines import is_person_name
from app.segment.text import CJK_RE, SPACE_RE, fold

# ---------------------------------------------------------------------------------------------
# Line shapes

RULE_RE = re.compile(r"^[\W_]{3,}$")  # as the page splitter reads a separator (and without CJK)
RULE_CHARS = "=-—_*~#·.．─━－＝＊～"
_NO = r"(?:[A-Za-z]{0,2}\s?\d{1,3}|[一二三四五六七八九十]{1,3})"  # 3, 03, A03, B 12, 三
# the page's own staff (a story's credits — 制图, 设计, 摄影 — stay with the story)
EDITOR_ROLES = (
    "责任编辑", "本版责编", "责编", "本版编辑", "版面编辑", "美术编辑", "美编", "校对", "校對", "版式设计", "版式",
    "值班主任", "值班编辑", "组版", "审读", "本版统筹", "图片编辑",
)
_ROLE_ALT = "|".join(EDITOR_ROLES)
# what a page's name cannot be: the next field of the header
_NOT_NAME = re.compile(rf"^(?:{_ROLE_ALT}|星期|第|编辑|农历|周[一二三四五六日天])")
_NAME = r"[\u4e00-\u9fff·][\u4e00-\u9fff·0-9A-Za-z]{1,9}"

PAGE_NO_RE = re.compile(  # 第A03版：要闻, 第3版(要闻), 第 1 版, 第04版 江海新闻
    # the name after a separator or in brackets; run on, only a short one ("第A03版要闻", never
    # "第五版人民币今起发行")
    rf"第\s*(?P<no>{_NO})\s*版(?:(?:\s*[:：|｜·\-—]\s*|\s+)[（(【\[〔]?(?P<name>{_NAME})[)）】\]〕]?"
    rf"|\s*[（(【\[〔](?P<bracketed>{_NAME})[)）】\]〕]|(?P<run_on>[\u4e00-\u9fff]{{2,4}})(?=\s|$))?"
)
LEADING_NO_RE = re.compile(  # 01版:要闻, A03版 要闻, A03 要闻, 03 江海新闻, A03｜要闻
    rf"^(?P<no>[A-Za-z]{{1,2}}\s?\d{{1,3}}|0\d{{1,2}}|\d{{1,3}}(?=\s*版))\s*版?\s*(?:[:：|｜·\-—]\s*|\s+)"
    rf"[（(【\[〔]?(?P<name>{_NAME})[)）】\]〕]?(?=\s|$)"
)
_RESIDUE_RE = re.compile(r"[\s()（）【】\[\]〔〕:：|｜·\-—=]+|(?:专栏|栏目)\s*[:：]?\s*[\u4e00-\u9fff·]{0,10}$")
INNER_NO_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<no>[A-Z]{{1,2}}\d{{1,3}})\s*版?(?:(?:\s*[:：|｜·]\s*|\s+)(?P<name>{_NAME}))?(?=\s|$)"
)
# an e-paper export's labelled fields: "版次：A03 版名：要闻 日期：2023-10-31"
FIELD_NO_RE = re.compile(rf"版\s*次\s*[:：]\s*第?\s*(?P<no>{_NO})\s*版?")
FIELD_NAME_RE = re.compile(rf"版\s*名\s*[:：]\s*(?P<name>{_NAME})")
FIELD_DATE_RE = re.compile(r"^(?:日\s*期|出版日期|刊期)\s*[:：]")
DATE_RE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*(?:年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
    r"|[-./](?P<month2>\d{1,2})[-./](?P<day2>\d{1,2})(?!\d))"
)
WEEKDAY_RE = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日天](?![\u4e00-\u9fff]{2})|农历")
ISSUE_NO_RE = re.compile(r"第\s*\d{2,6}\s*期|总第\s*\d+\s*期")
PAPER_RE = re.compile(r"[\u4e00-\u9fff]{2,10}(?:日报|晚报|早报|时报|商报|都市报|报)")
COLUMN_RE = re.compile(r"(?:专栏|栏目)\s*[:：]\s*[\u4e00-\u9fff·]{0,10}")
MASTHEAD_RE = re.compile(
    r"[\u4e00-\u9fff]{1,8}(?:日报|晚报|早报|晨报|时报|商报|都市报|周报|导报)(?:电子版|电子报|数字报|数字版)?")
EDITORS_RE = re.compile(
    rf"(?:^|[\s|｜,，;；])(?:{_ROLE_ALT})\s*[:：/／]?\s*[\u4e00-\u9fff·]{{2,4}}"
)
_EDITOR_CREDIT_RE = re.compile(  # one role and its names
    rf"(?:{_ROLE_ALT}|编辑)\s*[:：/／]?\s*[\u4e00-\u9fff·]{{2,4}}(?:[、,，\s]+[\u4e00-\u9fff·]{{2,4}}(?=[、,，\s]|$))*"
)
# "本期责任编辑:" with its names on the next line
ROLE_ONLY_RE = re.compile(rf"(?:本期|本版)?(?:{_ROLE_ALT})\s*[:：]")
NAMES_ONLY_RE = re.compile(r"[\u4e00-\u9fff·]{2,4}(?:[、，,\s]+[\u4e00-\u9fff·]{2,4}){0,7}")
_SENTENCE = re.compile(r"[。！？!?；;]|，.*，")


@dataclass(frozen=True)
class PageLine:
    """What a line says about the page it is on."""

    # "header" (starts/names a page), "editors", "rule", "masthead", "furniture" (a date or weekday
    # before the first story, as the page splitter reads one), or "text" (article text)
    kind: str
    number: str | None = None
    name: str | None = None
    date: str | None = None
    # a header that starts a page only beside other page lines: "date" (a date and weekday alone:
    # a diary's entry?), "number" (a bare "A03 要闻": a headline "C919 首飞"?), "" (any header)
    weak: str = ""


def _date_of(text: str) -> str | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    month, day = m.group("month") or m.group("month2"), m.group("day") or m.group("day2")
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{int(m.group('year')):04d}-{int(month):02d}-{int(day):02d}"


def _page_no(text: str, original: str) -> tuple[str | None, str | None]:
    """The page's number and name in a header line (``text`` folded to simplified characters,
    the name as ``original`` prints it)."""
    field = FIELD_NO_RE.search(text)
    m = field or PAGE_NO_RE.search(text) or LEADING_NO_RE.match(text)
    if not m and (DATE_RE.search(text) or WEEKDAY_RE.search(text)):
        m = INNER_NO_RE.search(text)  # "2024年1月9日 星期二 A03 要闻": a dated header's page
    if not m:
        return None, None
    number = re.sub(r"\s+", "", m.group("no")).upper()
    named = FIELD_NAME_RE.search(text)
    if named:
        span = named.span("name")
    elif field:
        return number, None
    else:
        group = next((g for g in ("name", "bracketed", "run_on") if m.groupdict().get(g)), None)
        if group is None:
            return number, None
        span = m.span(group)
    if _NOT_NAME.match(text[span[0]:span[1]]):
        return number, None
    return number, original[span[0]:span[1]]


def _editors_only(text: str) -> bool:
    """A line of editors' credits and nothing else: ``责任编辑：某某 美编：某某 校对：某某`` (a plain
    ``编辑`` only beside a page role: ``（编辑 某某）`` closes an article)."""
    if text[:1] in "(（[【〔":
        return False
    rest = _EDITOR_CREDIT_RE.sub("", text)
    return bool(EDITORS_RE.search(text)) and not re.sub(r"[\s|｜,，;；:：/／()（）【】\[\]]", "", rest)


def read_page_line(text: str) -> PageLine:
    """The page-level role of one stripped line (``text`` when it is article text)."""
    line = text.strip()
    if not line:
        return PageLine("text")
    if RULE_RE.match(line) and not CJK_RE.search(line):
        return PageLine("rule")
    printed = line.strip(RULE_CHARS + " \t\u3000")  # "==== 第A05版 体育 ====": a rule carrying a header
    if len(printed) > 80 or _SENTENCE.search(printed):
        return PageLine("text")
    core = fold(printed)  # 第A03版：要聞, 責任編輯 read as simplified (one character for one)
    number, name = _page_no(core, printed)
    date = _date_of(core)
    if number and (len(core) <= 24 or date or EDITORS_RE.search(core) or PAPER_RE.search(core)
                   or WEEKDAY_RE.search(core)):
        # a bare "A03 要闻" must stand alone; inside a longer line the other header fields vouch
        alone = not (date or EDITORS_RE.search(core) or PAPER_RE.search(core) or WEEKDAY_RE.search(core))
        bare = alone and not FIELD_NO_RE.search(core) and not PAGE_NO_RE.search(core)
        explicit = PAGE_NO_RE.search(core)
        if alone and explicit and _RESIDUE_RE.sub("", core[:explicit.start()] + core[explicit.end():]):
            pass  # "第五版人民币今起发行": a headline that names an edition, not a page
        elif not (bare and len(core) > 24):
            leading = LEADING_NO_RE.match(core)
            weak = "number" if bare and leading and "版" not in leading.group() else ""
            return PageLine("header", number, name, date, weak)
    if date and (WEEKDAY_RE.search(core) or ISSUE_NO_RE.search(core) or EDITORS_RE.search(core)
                 or (PAPER_RE.search(core) and len(core) <= 40)):
        if len(CJK_RE.findall(DATE_RE.sub("", core))) <= 40:
            # a date and weekday alone may head a diary's entry: it starts a page only beside
            # other page lines
            strong = ISSUE_NO_RE.search(core) or EDITORS_RE.search(core) or PAPER_RE.search(core)
            return PageLine("header", None, None, date, "" if strong else "date")
    named = FIELD_NAME_RE.fullmatch(core)
    if named:  # "版名：要闻" on a line of its own, beside the 版次
        return PageLine("masthead", None, printed[named.start("name"):named.end("name")])
    if date and FIELD_DATE_RE.match(core) and len(core) <= 24:  # "日期：2023-10-31"
        return PageLine("header", None, None, date, "date")
    if _editors_only(core) or ROLE_ONLY_RE.fullmatch(core):
        return PageLine("editors", None, None, date)
    if COLUMN_RE.fullmatch(core):
        # an archive's column label under a page header ("专栏:"): a page line beside a header
        return PageLine("masthead")
    if MASTHEAD_RE.fullmatch(SPACE_RE.sub("", core)):
        # the paper's name alone: a masthead beside a page header, else (a headline?) text
        return PageLine("masthead")
    return PageLine("text")


def has_page_field(text: str) -> bool:
    """The text holds one of a page header's fields: an editor's credit, a weekday, a full date,
    a page number (``第3版``), an issue number."""
    text = fold(text)
    return bool(EDITORS_RE.search(text) or WEEKDAY_RE.search(text) or DATE_RE.search(text)
                or PAGE_NO_RE.search(text) or ISSUE_NO_RE.search(text))


def is_page_line(text: str) -> bool:
    """A header, editors' line or rule: a line that belongs to its page, not to an article (a
    paper's name alone or a bare page number only count beside a header, so not here)."""
    line = read_page_line(text)
    return line.kind not in ("text", "masthead") and line.weak != "number"


# ---------------------------------------------------------------------------------------------
# Pages


@dataclass
class Page:
    """One page of a source: its article lines and its own lines, each with its line numbers in
    the original text (a tuple: a rejoined hard-wrapped line stands for several)."""

    lines: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)
    page_lines: list[tuple[str, tuple[int, ...], str]] = field(default_factory=list)  # (text, numbers, kind)
    number: str | None = None
    name: str | None = None
    date: str | None = None

    @property
    def has_text(self) -> bool:
        return any(text.strip() for text, _ in self.lines)

    def take(self, text: str, numbers: tuple[int, ...], info: PageLine) -> None:
        self.page_lines.append((text.strip(), numbers, info.kind))
        if info.number and not self.number:
            self.number = info.number
        if info.name and not self.name:
            self.name = info.name
        if info.date and not self.date:
            self.date = info.date


def split_pages(units: Sequence[tuple[str, tuple[int, ...]]]) -> list[Page]:
    """The pages of a source, from its lines (``(text, original line numbers)``, in order).

    Always at least one page. A page that has no article text gives its lines to the next page
    (else to the one before), so that none is lost."""
    pages = [Page()]
    pending: list[tuple[str, tuple[int, ...], PageLine, bool]] = []  # lines since the last text

    def flush() -> None:
        if not pending:
            return
        page = pages[-1]
        starts = [k for k, (_, _, info, ff) in enumerate(pending) if ff or info.kind == "header"]
        # a running footer repeating this page's number, right before the next page's header,
        # is this page's
        while (len(starts) > 1 and not pending[starts[0]][3] and page.number
               and pending[starts[0]][2].number == page.number):
            starts.pop(0)
        if page.has_text and starts:
            first = starts[0]
            # the break falls at the rule just before the first header, if any; else at the header
            # (with the paper's name right over it)
            cut = first
            if not pending[first][3]:
                rules = [k for k in range(first) if pending[k][2].kind == "rule"]
                if rules:
                    cut = rules[0]
                while cut > 0 and pending[cut - 1][2].kind == "masthead":
                    cut -= 1
            for text, numbers, info, _ in pending[:cut]:
                page.take(text, numbers, info)
            pages.append(Page())
            rest = pending[cut:]
        elif page.has_text:
            # no page starts here: editors' lines are the page's; rules, a paper's name without a
            # page header (a headline?) and a lone date (a diary's entry?) stay in its text
            for text, numbers, info, _ in pending:
                if info.kind != "editors":
                    page.lines.append((text, numbers))
                else:
                    page.take(text, numbers, info)
            pending.clear()
            return
        else:
            rest = list(pending)
        headed = any(info.kind == "header" for _, _, info, _ in rest)
        for text, numbers, info, ff in rest:
            page = pages[-1]
            if info.kind == "masthead" and not headed:
                page.lines.append((text, numbers))
                continue
            # a second page number with no text between: the first page was empty
            if (ff and page.page_lines) or (info.number and page.number and info.number != page.number):
                pages.append(Page())
            pages[-1].take(text, numbers, info)
        pending.clear()

    for text, numbers, info, ff in _read_lines(units):
        if info.kind == "text":
            if ff and pages[-1].has_text:
                pending.append(("", numbers, PageLine("rule"), True))
            flush()
            pages[-1].lines.append((text, numbers))
        else:
            pending.append((text, numbers, info, ff))
    flush()
    return merge_empty_pages(pages)


def _names_only(text: str) -> bool:
    """A line of people's names and nothing else (``沈一鸣、黄小川``), not a headline (one name
    alone only of two or three characters: ``江海新闻`` is a headline)."""
    names = [name for name in re.split(r"[、，,\s]+", text) if name]
    return (bool(NAMES_ONLY_RE.fullmatch(text)) and all(is_person_name(name) for name in names)
            and (len(names) > 1 or len(names[0]) <= 3))


def _page_sequence(numbers: list[str | None]) -> set[str]:
    """Bare page numbers that read as an issue's pages: two or more, all like ``A03`` or ``03``,
    in order (``C919``, ``G20`` over two stories do not)."""
    keys = [(n[:-2], int(n[-2:])) for n in numbers if n and re.fullmatch(r"[A-Z]?\d{2}", n)]
    if len(keys) < 2 or len(keys) < len(numbers) or len(set(keys)) < 2 or keys != sorted(keys):
        return set()
    return {n for n in numbers if n}


def _read_lines(units: Sequence[tuple[str, tuple[int, ...]]]) -> list[tuple[str, tuple[int, ...], PageLine, bool]]:
    """Each non-blank line (and each form feed) with what it says about its page, weak headers
    kept only where the file vouches for them: bare page numbers ("01 要闻") when the file has
    two or more of them in order, or beside another page line (not a mere rule: "G20 峰会开幕" after a
    rule between stories is a headline); a lone date beside any other page line."""
    entries: list[tuple[str, tuple[int, ...], PageLine, bool]] = []
    for raw, numbers in units:
        ff = "\f" in raw
        text = raw.replace("\f", "")
        if text.strip():
            entries.append((text, numbers, read_page_line(text), ff))
        elif ff:
            entries.append(("", numbers, PageLine("rule"), True))
    for k in range(len(entries) - 1):  # "本期责任编辑:" over its names
        if (entries[k][2].kind == "editors" and ROLE_ONLY_RE.fullmatch(fold(entries[k][0].strip()))
                and entries[k + 1][2].kind == "text" and _names_only(entries[k + 1][0].strip())):
            text, numbers, _, ff = entries[k + 1]
            entries[k + 1] = (text, numbers, PageLine("editors"), ff)
    bare = _page_sequence([info.number for _, _, info, _ in entries if info.weak == "number"])
    k = 0
    while k < len(entries):
        if entries[k][2].kind == "text":
            k += 1
            continue
        end = k
        while end < len(entries) and entries[end][2].kind != "text":
            end += 1
        run = entries[k:end]
        ff_after = end < len(entries) and entries[end][3]
        for j in range(k, end):
            text, numbers, info, ff = entries[j]
            if not info.weak:
                continue
            others = [o for i, (_, _, o, _) in enumerate(run) if i != j - k]
            if info.weak == "number":
                kept = info.number in bare or ff or ff_after or any(
                    o.kind in ("editors", "masthead") or (o.kind == "header" and o.weak != "number") for o in others)
            else:
                kept = ff or ff_after or any(o.kind != "header" or o.weak != "date" for o in others)
            if not kept:
                entries[j] = (text, numbers, PageLine("text"), ff)
        k = end
    return entries


def merge_empty_pages(pages: list[Page]) -> list[Page]:
    """Pages with no article text (a masthead over a list of the issue's pages, a blank page)
    give their own lines, and the issue's date they print, to the next page with text (else the
    one before it); blank form-feed marks are dropped."""
    for page in pages:
        page.page_lines = [line for line in page.page_lines if line[0]]
    out: list[Page] = []
    carry: list[tuple[str, tuple[int, ...], str]] = []
    carry_date: str | None = None
    for page in pages:
        if not page.has_text:
            carry += page.page_lines
            carry_date = carry_date or page.date
            continue
        if carry:
            page.page_lines = carry + page.page_lines
            page.date = page.date or carry_date
            carry, carry_date = [], None
        out.append(page)
    if not out:
        return [Page(page_lines=carry, date=carry_date)]
    if carry:
        out[-1].page_lines += carry
        out[-1].date = out[-1].date or carry_date
    # the issue's date, printed on its first page (masthead), holds for the pages after it
    date = None
    for page in out:
        date = page.date = page.date or date
    return out
