"""Splitting a plain-text newspaper page into the articles an editor would list.

The page is read as *blocks* (its non-blank lines). Each block is classified by its shape:

* **dateline** — ``江门日报讯(记者/陈婵)10月31日,`` / ``本报讯`` / ``新华社北京5月3日电(记者 某某)``:
  starts a story and names its authors and date; the text stays in the article.
* **byline** — a line of credits such as ``文/图 江门日报记者 何榕 通讯员 林瑞蓬`` or ``■本报记者 某某``,
  and a closing ``(陈晖 区市监)`` at the end of a paragraph (split off as its own paragraph).
* **marker** — ``相关新闻`` and its kin: the next headline is a related article.
* **headline candidate** — short, no sentence punctuation. Whether it opens a new article or is an
  in-article subhead is decided from its surroundings: a following dateline or byline, a
  preceding marker, a title/subtitle split by spaces, the start of the page, or — when none of
  those speak — whether the paragraph after it continues the current story's vocabulary.
* everything else is body text. A body paragraph that stops without sentence-final punctuation
  was cut by a column break and is joined with the next one.

A headline line may hold kicker (引题), title (主题) and subtitle (副题) separated by spaces, and a
title may itself be broken by a space (``江海区召开创建国家食品安全 示范城市动员部署会``). Pieces are
re-joined into clauses and the clause led by a subject, rather than a verb, is taken as the title.

Nothing is lost: every non-blank character of the input ends up, in order, in exactly one
article's kicker, title, subtitle or paragraphs — except pure markers such as ``相关新闻``, which
become the ``related_to`` link. The only characters dropped are whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.lexicon import COMMON_SURNAMES, CREDIT_ROLES, NUMERIC_DATE_RE, REPORTER_ROLES, STRUCTURE_FOLD
from app.model import Article, Paragraph

# ---------------------------------------------------------------------------------------------
# Character classes and small lexicons

SENTENCE_END = "。！？!?…"
CLOSERS = "”’」』）)》〉】\"'"
# A body paragraph whose last character (after closing quotes/brackets) is one of these is complete.
PARAGRAPH_END = SENTENCE_END + "；;"
BREAK_PUNCT = "，,、；;：:"  # a paragraph ending with these certainly continues
SPACE_RE = re.compile(r"[ \t\u3000\u00a0]+")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
BULLETS = "■□●○◆◇▲△▼▽★☆◎※·•►▶"

RELATED_MARKERS = {
    "相关新闻", "相关报道", "相关阅读", "延伸阅读", "相关链接", "新闻链接", "链接", "背景链接",
    "相关新闻链接", "新闻背景", "背景资料",
}

# Words that open a verb-led clause (a slogan-like kicker or subtitle) rather than a subject-led
# title. Two-character verbs and adverbs, and prepositions.
CLAUSE_VERBS = set(
    """
    推动 推进 打造 坚持 促进 加强 加快 加大 助力 守护 搭建 注入 签署 共建 共护 聚焦 深化 提升 扎实 全力
    奋力 持续 着力 强化 筑牢 守住 擦亮 构建 建设 做好 抓好 落实 实现 开创 开启 迈向 书写 谱写 绘就 描绘
    引领 赋能 激发 激活 点燃 释放 培育 发展 优化 完善 服务 保障 确保 织密 筑起 跑出 按下 跑好 当好 争当
    争创 争做 勇当 再创 再上 再添 再掀 开展 举办 召开 启动 携手 凝聚 汇聚 共话 共谋 共绘 共享 共筑 共同
    同心 合力 齐心 喜迎 庆祝 迎接 欢度 致敬 传承 弘扬 践行 学习 贯彻 牢记 不忘 勇担 担当 守正 深入 全面
    切实 大力 积极 努力 坚决 坚定 对标 瞄准 紧盯 锚定 围绕 立足 聚力 发力 用好 管好 建好 办好 讲好 答好
    走好 走深 走实 走出 走进 走向 带动 带领 打通 打响 打好 破解 解决 化解 防范 防止 严防 严格 严厉 规范
    加速 提速 提质 增效 增强 壮大 扩大 拓展 拓宽 延伸 稳定 稳住 巩固 拓宽 鼓励 支持 帮助 引导 推广 探索
    创新 创建 创造 建立 建成 健全 形成 确立 树立 营造 让出 留住 吸引 助推 护航 保护 呵护 关爱 温暖 点亮
    照亮 守牢 兜牢 兜住 夯实 厚植 深耕 抢抓 抢占 抓住 把握 把好 绷紧 拧紧 压实 压紧 落细 落地 落好 展现
    展示 彰显 凸显 亮出 秀出 晒出 献礼 献策 建言 问计 问需 问效 倾听 回应 关注 直击 聚集 探访 走访 调研
    部署 动员 号召 呼吁 倡导 倡议 提倡 要求 强调 指出 表示 希望 期待 期盼 欢迎 感谢 祝贺 热烈 隆重 喜获
    荣获 获评 入选 获得 斩获 摘得 夺得 赢得 收获 迎来 送来 带来 送上 奉上 献上 开出 种下 播下 插上 架起
    铺就 铺开 拉开 吹响 敲响 奏响 唱响 擂响 亮剑 出击 出台 发布 公布 印发 出炉 上线 开通 开放 开工 开业
    """.split()
)
CLAUSE_PREPOSITIONS = set("为以在对向把从用将给让使就据由随经于靠凭趁当")
CLAUSE_PREPOSITION_WORDS = {"围绕", "针对", "关于", "通过", "借助", "依托", "按照", "根据", "随着", "作为", "面对", "面向"}

# A headline piece ending like this is a bare subject (an organisation or place) and continues.
SUBJECT_SUFFIXES = (
    "政府", "分行", "支行", "银行", "公司", "集团", "企业", "学校", "大学", "学院", "医院", "中心", "协会",
    "学会", "委员会", "党委", "党组", "工委", "管委会", "人大", "政协", "法院", "检察院", "公安", "部门",
    "街道", "社区", "村委", "局", "厅", "委", "办", "署", "站", "所", "省", "市", "县", "区", "镇", "乡", "村",
    "与", "和", "及", "同",
)


ORG_TOKEN_END = tuple("局委办监站所院部厅署队处科司会社馆团校社") + ("中心", "公司", "街道", "政府")

# Traditional forms of the characters the patterns below look for (agencies, roles, markers,
# surnames), folded one character to one character so that match positions stay valid in the
# original text. Only for recognising structure: the text itself is never changed.


def fold(text: str) -> str:
    """Traditional -> Simplified for the structural characters only; same length as ``text``."""
    return text.translate(STRUCTURE_FOLD)


# ---------------------------------------------------------------------------------------------
# Regular expressions for datelines, bylines, dates and page furniture

_BRACKET_OPEN = "(（〔［\\["
_BRACKET_CLOSE = ")）〕］\\]"
AGENCY_RE = re.compile(
    r"(?:本报|本刊|新华社|中新社|中新网|人民网|央视网|央广网|"
    r"[\u4e00-\u9fff]{1,10}?(?:日报|晚报|早报|时报|商报|都市报|新闻网|电视台|融媒体中心|报社|报|网|社|台))"
    r"[\u4e00-\u9fff0-9A-Za-z ]{0,14}?[讯电]"
)
CREDITS_RE = re.compile(rf"\s*[{_BRACKET_OPEN}](?P<credits>[^{_BRACKET_CLOSE}]{{1,60}})[{_BRACKET_CLOSE}]")


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
    """``江门日报讯(记者/陈婵)10月31日,…`` -> its agency, credits and the text after them."""
    body = text.lstrip(BULLETS + " \t\u3000")
    folded = fold(body)
    for m in re.finditer("[讯电]", folded[:28]):
        agency = body[: m.end()]
        if not AGENCY_RE.fullmatch(folded[: m.end()]):
            continue
        rest = body[m.end():]
        credits = CREDITS_RE.match(rest)
        if credits:
            return Dateline(agency, credits.group("credits"), rest[credits.end():])
        # credits without brackets: "南方日报讯 记者/张三 通讯员/李四 10月31日，……"
        run = CREDIT_RUN_RE.match(fold(rest))
        if run and credit_names(rest[: run.end()]):
            return Dateline(agency, rest[: run.end()].strip(), rest[run.end():])
        # without credits, a dateline still leads running text: "本报讯 近日，……"
        if len(rest.strip()) >= 8 and rest[:1] in " \u3000　,，:：" :
            return Dateline(agency, None, rest)
    return None


CLOSING_BYLINE_RE = re.compile(
    rf"(?<=[{SENTENCE_END}{CLOSERS}])\s*(?P<byline>[{_BRACKET_OPEN}](?P<credits>[^{_BRACKET_CLOSE}{SENTENCE_END}，,。]{{2,40}})[{_BRACKET_CLOSE}])\s*$"
)
PAGE_FURNITURE_RE = re.compile(
    r"(责任编辑|责编|美术编辑|美编|校对|版式|值班主任|值班编辑|组版|第\s*\d+\s*版|星期[一二三四五六日天]|"
    r"^[A-Z]?\d{1,2}\s*版?$)"
)
PHOTO_CREDIT_RE = re.compile(
    rf"^[{_BRACKET_OPEN}]?[^{_BRACKET_CLOSE}{SENTENCE_END}，,。]{{1,40}}?\s*(?:摄|供图|摄影|图)[{_BRACKET_CLOSE}]?$"
    rf"|^[{_BRACKET_OPEN}](?:图|摄影|图片)\s*[/／:：]"
)
END_MARK_RE = re.compile(r"[（(]\s*完\s*[)）]\s*$")
CAPTION_MARK_RE = re.compile(
    r"^(?:[▲△↑↓←→]|图为|上图|下图|左图|右图|图\s*[:：]|图片说明)|(?:摄|供图|图片来源\S*)\s*[)）]?\s*$"
)


# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass
class Block:
    text: str  # the line, stripped
    kind: str = "body"  # body | dateline | byline | marker | candidate
    pieces: list[str] = field(default_factory=list)  # for candidates: whitespace-separated pieces
    indented: bool = False  # the source line began with indentation (a paragraph start)


def _strip_bullets(text: str) -> str:
    return text.lstrip(BULLETS + " \t\u3000")


def _core(text: str) -> str:
    """The text without trailing closing quotes/brackets and spaces."""
    return text.rstrip(CLOSERS + " \t\u3000")


def _ends_with(text: str, chars: str) -> bool:
    """The text (without closing quotes and brackets) ends with one of ``chars``.

    Not ``_core(text)[-1:] in chars``: for a line of only ``）`` that is ``"" in chars``, always
    true, and the lone bracket became an article's title."""
    core = _core(text)
    return bool(core) and core[-1] in chars


def ends_sentence(text: str) -> bool:
    return _ends_with(text, PARAGRAPH_END)


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
    "整理": "整理", "摄影记者": "摄影记者",
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
        if is_person_name(token):
            found.append((role, token))
    return found


PAPER_ROLE_RE = re.compile(
    r"^[\u4e00-\u9fff]{2,8}?(?:日报|晚报|早报|时报|报社|电视台|融媒体中心|新闻网|报)(?:社)?"
    r"(?P<role>记者|通讯员|特约记者|见习记者|实习生|摄影记者)"
)


def is_person_name(token: str) -> bool:
    if not (2 <= len(token) <= 4) or not all("\u4e00" <= ch <= "\u9fff" for ch in token):
        return False
    folded = fold(token)
    if folded.endswith(ORG_TOKEN_END):
        return False
    return folded[0] in COMMON_SURNAMES or folded[:2] in COMMON_SURNAMES


def is_byline_line(text: str) -> bool:
    """A line made only of credits: ``文/图 江门日报记者 何榕 通讯员 林瑞蓬``, ``■本报记者 某某``."""
    body = _strip_bullets(text)
    if len(body) > 60 or any(ch in body for ch in "。，,！？!?；;"):
        return False
    bracketed = re.fullmatch(f"[{_BRACKET_OPEN}]\\s*(.+?)\\s*[{_BRACKET_CLOSE}]", body)
    if bracketed:  # "(通讯员 某甲 某乙)" on a line of its own, closing the story
        body = bracketed.group(1)
    if PHOTO_CREDIT_RE.match(fold(body)):
        return True
    if not re.match(r"^(?:文\s*[/／]\s*图|图\s*[/／]\s*文|文\s*[/／]|图\s*[/／]|本报|特约|见习|实习|首席|记者|通讯员|"
                    r"[\u4e00-\u9fff]{2,8}?(?:日报|晚报|早报|时报|报)记者|摄影)", fold(body)):
        return False
    return bool(credit_names(body))


def is_related_marker(text: str) -> bool:
    t = fold(_strip_bullets(text).strip("【】[]<>《》:："))
    return t in RELATED_MARKERS


def classify(text: str) -> Block:
    if is_related_marker(text):
        return Block(text, "marker")
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
    if _ends_with(compact, SENTENCE_END + BREAK_PUNCT) or not _core(compact):
        return False
    if compact.count("，") + compact.count(",") > 1:
        return False
    if PAGE_FURNITURE_RE.search(text):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Headlines: kicker / title / subtitle


def _join_pieces(pieces: list[str]) -> str:
    """Join headline pieces broken by a space; keep one space between Latin letters or digits."""
    out = ""
    for piece in pieces:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", piece[0]):
            out += " "
        out += piece
    return out


def _verb_led(piece: str) -> bool:
    p = piece.lstrip("“\"'‘「『《")
    return p[:2] in CLAUSE_VERBS or p[:1] in CLAUSE_PREPOSITIONS or p[:2] in CLAUSE_PREPOSITION_WORDS


def _preposition_led(piece: str) -> bool:
    return piece[:1] in CLAUSE_PREPOSITIONS or piece[:2] in CLAUSE_PREPOSITION_WORDS


WIDTH_BROKEN_PIECE = 8


def headline_clauses(lines: list[list[str]]) -> list[str]:
    """Re-join headline pieces into clauses. Lines are hard clause boundaries; within a line a
    piece opens a new clause when it is verb-led and the clause so far is not a bare subject or a
    short prepositional phrase, or when it is led by a dash (副题) or contains a colon title."""
    clauses: list[str] = []
    for pieces in lines:
        current: list[str] = []
        for piece in pieces:
            if not current:
                current = [piece]
                continue
            so_far = _join_pieces(current)
            bare_subject = so_far.endswith(SUBJECT_SUFFIXES)
            # A line broken by the column width leaves a long first piece; a short one
            # ("老街新生 骑楼里的烟火气回来了") is a phrase of its own.
            width_broken = len(current[-1]) >= WIDTH_BROKEN_PIECE
            latin = bool(re.match(r"[A-Za-z0-9]", piece[0]) or re.search(r"[A-Za-z0-9%]$", so_far))
            short_prep = _preposition_led(so_far) and len(so_far) <= 8 and len(current) == 1
            new_clause = (
                piece.startswith(("—", "-", "――"))
                or (_verb_led(piece) and not bare_subject and not short_prep)
                or ((":" in piece or "：" in piece) and not bare_subject)
                or (not width_broken and not bare_subject and not short_prep)
            ) and not latin
            if new_clause and len(so_far) > 2:
                clauses.append(so_far)
                current = [piece]
            else:
                current.append(piece)
        if current:
            clauses.append(_join_pieces(current))
    return clauses


def split_headline(lines: list[list[str]]) -> tuple[str | None, str, str | None]:
    """(kicker, title, subtitle) from a headline's lines of pieces."""
    clauses = headline_clauses(lines)
    if len(clauses) == 1:
        return None, clauses[0], None
    main = 0
    for i, clause in enumerate(clauses):
        if clause.startswith(("—", "-")):
            break
        if not _verb_led(clause):
            main = i
            break
    kicker = " ".join(clauses[:main]) or None
    subtitle = " ".join(clauses[main + 1:]) or None
    return kicker, clauses[main], subtitle


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
                and _ends_with(block.text, "？！?!") and not any(ch in block.text[:-1] for ch in "。，,；;？！?!")):
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
    j = i + 1
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
    return _ends_with(text, BREAK_PUNCT) or any(ch in text for ch in "，,。；") or len(text) > 40


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
                " " + _BRACKET_OPEN.replace("\\", "") + _BRACKET_CLOSE.replace("\\", ""))))
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
        one_sentence = sum(p.text.count(ch) for ch in SENTENCE_END) == 1 and _ends_with(p.text, SENTENCE_END)
        if one_sentence and len(p.text) <= 50 and not p.text.startswith(("“", "\"", "「")):
            paragraphs[i] = Paragraph(p.text, "caption")
