"""One line of a page: datelines, credits and bylines, markers, headline shape -> a Block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.lexicon import (
    COMMON_SURNAMES, COMPOUND_SURNAMES, CREDIT_ROLES, KNOWN_PLACES, PLACE_SUFFIX_CHARS, REPORTER_ROLES,
    SINGLE_SURNAMES,
)
from app.segment.text import (
    BREAK_PUNCT, BULLETS, Block, CJK_RE, CLOSERS, ORG_TOKEN_END, RELATED_MARKERS, SENTENCE_END,
    SPACE_RE, text_core, ends_with, strip_bullets, fold,
)

# ---------------------------------------------------------------------------------------------
# Regular expressions for datelines, bylines, dates and page furniture

BRACKET_OPEN = "(（〔［\\["
BRACKET_CLOSE = ")）〕］\\]"
AGENCY_RE = re.compile(
    r"(?:本报|本刊|新华社|中新社|中新网|人民网|央视网|央广网|"
    r"[\u4e00-\u9fff]{1,10}?(?:日报|晚报|早报|时报|商报|都市报|新闻网|电视台|融媒体中心|报社|报|网|社|台))"
    r"[\u4e00-\u9fff0-9A-Za-z ]{0,14}?(?:[讯电]|消息)"
)
CREDITS_RE = re.compile(rf"\s*[{BRACKET_OPEN}](?P<credits>[^{BRACKET_CLOSE}]{{1,60}})[{BRACKET_CLOSE}]")


_ROLE_ALT = "|".join(REPORTER_ROLES)
CREDIT_RUN_RE = re.compile(
    rf"^[\s:：]*(?:(?:{_ROLE_ALT})\s*[/／:：]?\s*[\u4e00-\u9fff]{{2,4}}"
    rf"(?:[、，,\s]+(?!{_ROLE_ALT})[\u4e00-\u9fff]{{2,4}}(?=[\s、，,]))*(?=[\s、，,])[\s、，,]*)+"
)


@dataclass(frozen=True)
class Dateline:
    agency: str  # 江门日报讯, 新华社北京5月3日电
    credits: str | None  # 记者/陈婵 通讯员/曾梓欣
    rest: str  # the running text after the dateline


def parse_dateline(text: str) -> Dateline | None:
    """``江门日报讯(记者/陈婵)10月31日,…`` -> its agency, credits and the text after them.

    Also ``【新华社南宁3月5日电】``, ``央广网广州1月30日消息(记者某某)``, ``本报长沙4月8日电 记者某某报道：``
    and agency copy's ``新华社上海3月5日电 题：<its own headline> 新华社记者 某某 某某``."""
    body = text.lstrip(BULLETS + " \t\u3000【[")
    folded = fold(body)
    for m in re.finditer("[讯电]|消息", folded[:30]):
        agency = body[: m.end()]
        if not AGENCY_RE.fullmatch(folded[: m.end()]):
            continue
        rest = body[m.end():]
        if rest[:1] in "】]":  # 【新华社重庆4月2日电】
            agency, rest = agency + rest[:1], rest[1:]
        if TI_RE.match(fold(rest)):  # 题：…… — a story sent under a headline of its own
            trailing = TRAILING_CREDIT_RE.search(fold(rest))
            credits = rest[trailing.start("credits"):].strip() if trailing else None
            return Dateline(agency, credits if credits and credit_names(credits) else None, rest)
        credits = CREDITS_RE.match(rest)
        if credits:
            return Dateline(agency, credits.group("credits"), rest[credits.end():])
        reported = REPORTED_RE.match(fold(rest))  # "记者某某报道：……"
        if reported and credit_names(rest[: reported.end("credits")]):
            return Dateline(agency, rest[: reported.end("credits")].strip(), rest[reported.end():])
        # credits without brackets: "南方日报讯 记者/张三 通讯员/李四 10月31日，……"
        run = CREDIT_RUN_RE.match(fold(rest))
        if run and credit_names(rest[: run.end()]):
            return Dateline(agency, rest[: run.end()].strip(), rest[run.end():])
        # without credits, a dateline still leads running text: "本报讯 近日，……"
        if len(rest.strip()) >= 8 and rest[:1] in " \u3000　,，:：" :
            return Dateline(agency, None, rest)
    return None


TI_RE = re.compile(r"^\s*题\s*[:：]")
# "…… 新华社记者 某某 某某" closing an agency's 题 line
TRAILING_CREDIT_RE = re.compile(r"\s(?P<credits>[\u4e00-\u9fff]{0,8}(?:记者|通讯员)[\s\u4e00-\u9fff、]{2,30})$")
REPORTED_RE = re.compile(rf"^\s*(?P<credits>(?:{_ROLE_ALT})[^，,。：:；;（(]{{2,30}}?)\s*报道\s*[:：]\s*")


CLOSING_BYLINE_RE = re.compile(
    rf"(?<=[{SENTENCE_END}{CLOSERS}])\s*(?P<byline>[{BRACKET_OPEN}](?P<credits>[^{BRACKET_CLOSE}{SENTENCE_END}，,。]{{2,40}})[{BRACKET_CLOSE}])\s*$"
)
PAGE_FURNITURE_RE = re.compile(
    r"(责任编辑|责编|美术编辑|美编|校对|版式|值班主任|值班编辑|组版|第\s*\d+\s*版|星期[一二三四五六日天]|"
    r"^[A-Z]?\d{1,2}\s*版?$)"
)
PHOTO_CREDIT_RE = re.compile(
    rf"^[{BRACKET_OPEN}]?[^{BRACKET_CLOSE}{SENTENCE_END}，,。]{{1,40}}?\s*(?:摄|供图|摄影|图)[{BRACKET_CLOSE}]?$"
    rf"|^[{BRACKET_OPEN}](?:图|摄影|图片)\s*[/／:：]"
)
END_MARK_RE = re.compile(r"[（(]\s*完\s*[)）]\s*$")
CAPTION_MARK_RE = re.compile(
    r"^(?:[▲△↑↓←→]|图为|上图|下图|左图|右图|图\s*[:：]|图片说明)|(?:摄|供图|图片来源\S*)\s*[)）]?\s*$"
)


def is_dateline(text: str) -> bool:
    return parse_dateline(text) is not None


def credit_names(credits: str) -> list[str]:
    """People named in a credit string such as ``记者/陈婵 通讯员/曾梓欣`` or ``陈晖 区市监``."""
    return [name for _role, name in credits_of(credits)]


# The role a credit gives the names after it, as the article shows it again: the paper's name and
# 本报 dropped (江门日报记者 -> 记者), the kind of work kept (通讯员, 实习生, 摄影 ...). Credits of
# the work itself (文/图, 文, 图) give no role of their own.
PERSON_ROLES = {
    "本报记者": "记者", "本报通讯员": "通讯员", "特约记者": "特约记者", "见习记者": "见习记者",
    "实习记者": "实习记者", "首席记者": "首席记者", "实习生": "实习生", "通讯员": "通讯员", "记者": "记者",
    "摄影": "摄影", "摄像": "摄像", "编辑": "编辑", "校对": "校对", "撰文": "撰文", "制图": "制图",
    "整理": "整理", "摄影记者": "摄影记者", "作者": "作者", "特派记者": "特派记者", "本报评论员": "评论员",
    "特约评论员": "评论员", "评论员": "评论员",
}
_TRAILING_ROLES = {"摄": "摄影", "供图": "供图"}


def credits_of(credits: str) -> list[tuple[str, str]]:
    """``(role, name)`` for each person in a credit string, in order; role "" when none is given.

    ``记者/陈婵 通讯员/曾梓欣`` -> [("记者", "陈婵"), ("通讯员", "曾梓欣")]; a role stands for every
    name after it (``通讯员 某甲 某乙``), a trailing 摄 for the names before it (``某某 摄``)."""
    found: list[tuple[str, str]] = []
    role = ""
    text = credits
    for sep in "/／:：|｜":
        text = text.replace(sep, " ")
    for token in re.split(r"[\s、，,；;]+", text):
        token = token.strip(BULLETS)
        changed = True
        while changed and token:
            changed = False
            folded = fold(token)
            for word in CREDIT_ROLES:
                if folded.startswith(word) and len(token) > len(word):
                    token, changed = token[len(word):], True
                    role = PERSON_ROLES.get(word, role)
                    break
            if changed:
                continue
            # "江门日报记者何榕": a paper's name followed by a role
            m = PAPER_ROLE_RE.match(folded)
            if m and len(token) > m.end():
                token, changed = token[m.end():], True
                role = PERSON_ROLES.get(m.group("role"), role)
        if not token:
            continue
        folded = fold(token)
        if folded in _TRAILING_ROLES:  # "某某 摄": the names before it took the photos
            found = [(r or _TRAILING_ROLES[folded], n) for r, n in found]
            continue
        if folded in CREDIT_ROLES:
            role = PERSON_ROLES.get(folded, role)
            continue
        m = PAPER_ROLE_RE.match(folded)
        if m and m.end() == len(folded):  # "江门日报记者" standing alone: the role of the names after it
            role = PERSON_ROLES[m.group("role")]
            continue
        reported = folded.endswith(("报道", "报导")) and len(token) > 2  # "记者某某报道", "某某 福州报道"
        if reported:
            token = token[:-2]
            if fold(token) in KNOWN_PLACES:
                continue
        for name in _names_in(token, explicit_role=bool(role) and not reported):
            found.append((role, name))
    return found


def _names_in(token: str, explicit_role: bool = False) -> list[str]:
    """The person names a credit token holds: itself, or two or three names run together
    (``周立新冯晓雯``, ``张伟李娜``) when each part is a name and the whole is not one. ``马先生``
    names nobody."""
    if fold(token).endswith(HONORIFICS):
        return []
    if _credit_name(token, explicit_role) and not (len(token) == 4 and fold(token[:2]) not in COMPOUND_SURNAMES
                                                   and _split_names(token, explicit_role)):
        return [token]
    return _split_names(token, explicit_role) or []


def _split_names(token: str, explicit_role: bool) -> list[str] | None:
    if not 4 <= len(token) <= 9 or not all("\u4e00" <= ch <= "\u9fff" for ch in token):
        return None
    for first in (3, 2) if len(token) != 4 else (2,):
        head, tail = token[:first], token[first:]
        if not is_person_name(head) or fold(head[:2]) in COMPOUND_SURNAMES:
            continue
        if fold(tail[:1]) not in COMMON_SURNAMES:  # the next name must start with a surname
            continue
        if _credit_name(tail, explicit_role) and len(tail) <= 3:
            return [head, tail]
        rest = _split_names(tail, explicit_role)
        if rest:
            return [head, *rest]
    return None


# First syllables of Tibetan, Uyghur and Mongolian names as they are written in Han characters.
NAME_INITIALS = frozenset("达扎次格尼多索旦德阿买艾热巴其乌斯卓拉央曲顿普琼仁贡措吾迪努")
NOT_IN_NAMES = frozenset("日月年今昨近前后获悉表示说据了的在从向等")
HONORIFICS = ("先生", "女士", "小姐", "同学", "老师", "阿姨", "大爷", "师傅")
NOT_NAMES = frozenset("报道 报导 发自 联合报道 综合报道 综合 编译 整理 通讯 讯 电".split())


def _credit_name(token: str, explicit_role: bool) -> bool:
    """A person's name in a credit line. After an explicit role (``通讯员 农海军``, ``新华社记者 达瓦``)
    a name need not start with a common surname (rarer surnames, Tibetan and Uyghur names): any
    two to four Han characters that are not a unit, a place or a credit word."""
    if is_person_name(token):
        return True
    folded = fold(token)
    return (explicit_role and 2 <= len(token) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in token)
            and (folded[0] in SINGLE_SURNAMES or folded[0] in NAME_INITIALS)
            and not any(ch in NOT_IN_NAMES for ch in folded)
            and folded not in NOT_NAMES and folded not in KNOWN_PLACES and folded not in CREDIT_ROLES
            and not folded.endswith(ORG_TOKEN_END) and not folded.endswith(tuple(PLACE_SUFFIX_CHARS)))


# The holder of a credit role: a paper, agency, station or media centre, 全媒体 / 融媒体.
ROLE_HOLDER = (r"(?:[\u4e00-\u9fff]{0,10}?(?:日报|晚报|早报|晨报|时报|商报|报社|报|电视台|融媒体中心|新闻中心|"
               r"新闻网|网|社|台|全媒体|融媒体|融媒)(?:驻[\u4e00-\u9fff]{1,4}?)?)")  # 本报驻京记者
PAPER_ROLE_RE = re.compile(
    rf"^{ROLE_HOLDER}(?P<role>首席记者|特约记者|特派记者|见习记者|实习记者|摄影记者|记者|通讯员|实习生)"
)


def is_person_name(token: str) -> bool:
    if not (2 <= len(token) <= 4) or not all("\u4e00" <= ch <= "\u9fff" for ch in token):
        return False
    folded = fold(token)
    if folded.endswith(ORG_TOKEN_END):
        return False
    return folded[0] in COMMON_SURNAMES or folded[:2] in COMMON_SURNAMES


STRAY_GLYPH_RE = re.compile(r"^[^\u4e00-\u9fff\s\d(（【\[<《“\"'‘「]{1,2}\s*(?=[\u4e00-\u9fff])")
BYLINE_START_RE = re.compile(
    rf"^(?:文\s*[/／]\s*图|图\s*[/／]\s*文|[文图]\s*[/／\s]|本报|特约|见习|实习|首席|记者|通讯员|作者|摄影|评论员|"
    rf"{ROLE_HOLDER}(?:首席|特约|见习|实习|摄影)?记者)"
)


def bare_name(token: str) -> bool:
    """A person's name standing without a role (``□童慧珍``, names under a headline): a common
    surname and one to three more characters, not a known place or a place-like word."""
    folded = fold(token)
    return (is_person_name(token) and folded not in KNOWN_PLACES and not folded.endswith(tuple(PLACE_SUFFIX_CHARS))
            and not folded.endswith(HONORIFICS))


SIGNATURE_RE = re.compile(r"^(?:读者|网友|市民|居民|家长|来信人)\s*[\u4e00-\u9fff]{1,3}(?:先生|女士|同学|老师|阿姨|大爷)$")


def byline_body(text: str) -> str:
    """The credit line without its leading bullet or a stray glyph left by a font swap (``N本报记者``)."""
    body = strip_bullets(text)
    stray = STRAY_GLYPH_RE.match(body)
    if stray and BYLINE_START_RE.match(fold(body[stray.end():])):
        body = strip_bullets(body[stray.end():])
    return body


def is_byline_line(text: str) -> bool:
    """A line made only of credits: ``文/图 江门日报记者 何榕 通讯员 林瑞蓬``, ``■本报记者 某某``,
    ``作者：某某``, ``N本报记者 某某 某某``, ``新华社记者 某某``, or a bullet and names (``□某某``)."""
    body = byline_body(text)
    if len(body) > 60 or any(ch in body for ch in "。，,！？!?；;"):
        return False
    bracketed = re.fullmatch(f"[{BRACKET_OPEN}]\\s*(.+?)\\s*[{BRACKET_CLOSE}]", body)
    if bracketed:  # "(通讯员 某甲 某乙)" on a line of its own, closing the story
        body = bracketed.group(1)
    if PHOTO_CREDIT_RE.match(fold(body)):
        return True
    if SIGNATURE_RE.match(fold(body)):  # a letter's signature: "读者 马先生"
        return True
    if not BYLINE_START_RE.match(fold(body)):
        # "□童慧珍", "■ 某某 某某": a bullet and only names (a column's or an essay's author)
        tokens = body.split()
        return text[:1] in BULLETS and 1 <= len(tokens) <= 3 and all(bare_name(t) for t in tokens)
    return bool(credit_names(body))


def is_related_marker(text: str) -> bool:
    t = fold(strip_bullets(text).strip("【】[]<>《》:："))
    return t in RELATED_MARKERS


READER_TIP_RE = re.compile(
    r"感谢\S{0,12}提供\S{0,6}线索|线索\S{0,12}奖励\s*\d+\s*元|报料(?:有奖|奖励)\S{0,10}\d+\s*元"
)
"""A reader-tip reward note (``感谢读者某某提供线索，奖励50元``): part of the story it closes."""


def classify(text: str) -> Block:
    if is_related_marker(text):
        return Block(text, "marker")
    if READER_TIP_RE.search(text):  # never a headline, even without its full stop
        return Block(text, "body")
    if is_dateline(text):
        return Block(text, "dateline")
    if is_byline_line(text):
        return Block(text, "byline")
    if is_headline_shaped(text):
        return Block(text, "candidate", [p for p in SPACE_RE.split(text) if p])
    return Block(text, "body")


def is_headline_shaped(text: str) -> bool:
    compact = SPACE_RE.sub("", text)
    if not compact or len(compact) > 64 or not CJK_RE.search(compact):
        return False
    if any(ch in compact for ch in "。；;"):
        return False
    if ends_with(compact, SENTENCE_END + BREAK_PUNCT) or not text_core(compact):
        return False
    if compact.count("，") + compact.count(",") > 1:
        return False
    if PAGE_FURNITURE_RE.search(text):
        return False
    return True
