"""News-specific rules: dates, money, bylines, role + name, organisation/place suffixes.

All functions take the *normalised* text (see ``features.normalise``: same length as the
original, full-width ASCII folded) and return ``(type, start, end)`` tuples.
"""

from __future__ import annotations

import re

from app.lexicon import (
    ADMIN_SUFFIXES,
    CN_DIGITS,
    COMPOUND_SURNAMES,
    DATE_EXPRESSION_RE,
    KNOWN_PERSONS,
    SINGLE_SURNAMES,
    TITLES_BEFORE_NAME,
)

Span = tuple[str, int, int]

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003ffff"
_HAN_RE = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    return bool(_HAN_RE.match(ch))


# --------------------------------------------------------------------------- DATE and MONEY
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
# "年" after a 4-digit year is required; "今年" already contains it.
_YEAR_NEEDS_NIAN = re.compile(rf"^(?:\d{{4}}|[{CN_DIGITS}]{{4}})(?!年)")

_NUM = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_NUM}]+(?:点[{CN_DIGITS}]+)?)"
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
        if not any(c.isdigit() or c in _CN_NUM for c in text):
            continue
        out.append(("MONEY", m.start(), m.end()))
    return out


# --------------------------------------------------------------------------- person names
_SURNAME_CHARS = "".join(sorted(SINGLE_SURNAMES))
# Words that commonly follow a name in news: they mark where a 2- or 3-character name ends.
FOLLOWERS = tuple(
    sorted(
        """表示 说 指出 强调 介绍 参加 出席 主持 带队 率队 率团 认为 要求 提出 称 等 和 与 及 在 到 对 向 为 是 也 还 一行 同志 先生 女士 参观 陪同 会见 调研 讲话 致辞
        告诉 坦言 透露 说道 发言 作 做 主讲 一同 一起 分别 共同 则 就 已 又 都 便 随即 当选 任 担任 兼任 同 跟 把 被 将 的 获 荣获 补充 回忆 笑 谈 希望 建议 代表 作为 签署 致 看望 慰问 前往 来到
        深入 走访 视察 检查 考察 听取 宣布 宣读 颁发 颁奖 会长 一直 今年 去年 所 告 答 问 现场 正在 接受 从 于 以 用 因 报道 摄 通讯员 实习生 这样 这么 如是 对此 指导 主动 带领 亲自 率先 特别 首先 最后 同样 当即 立即""".split(),
        key=len,
        reverse=True,
    )
)
_FOLLOWER_SET = frozenset(FOLLOWERS)
_FOLLOWER_LENS = sorted({len(w) for w in FOLLOWERS}, reverse=True)

# Role words that precede a person's name; "同志"/"领导" style words also work as a list head.
# 记者/通讯员 are bylines (byline_spans knows their "…摄", "…报道" tails)
_PRE_ROLES = tuple(w for w in TITLES_BEFORE_NAME if w not in ("同志", "领导", "记者", "通讯员"))
ROLE_RE = re.compile("(?:" + "|".join(map(re.escape, _PRE_ROLES)) + r")[:：]?")
BYLINE_RE = re.compile(
    r"(?=[见特实首记通摄编责校撰文图])"  # (first characters: see lexicon.DATE_EXPRESSION_RE)
    r"(?:见习记者|特约记者|实习记者|首席记者|记者|通讯员|实习生|摄影|编辑|责编|校对|撰文|文/图|图/文|(?<![^\s(（])[文图摄](?=\s*[/:：]))\s*[/:：]?\s*"
)
_BYLINE_TAILS = ("报道", "摄影", "摄", "通讯员", "实习生", "见习记者", "记者", "文", "图")


# Common words that start with a surname character but are not names after a role or byline.
NOT_NAMES = frozenset(
    """干部 班子 相识 郑重 连日 于是 和平 高度 常委 成员 全体 全面 文件 明确 关于 关心 龙头 安全 高新 余名 何时 任务 方面 同时 左右 管理 包括 严格
    严肃 江海 钱款 金融 万元 高质 高效 高层 黄金 石油 林业 马上 司法 史上 连续 应急 应当 应该 经济 经营 经理 程序 党委 党政 党员 党组 向前 于今""".split()
)


# characters that do not start a given name right after a surname in running text
_NOT_GIVEN_FIRST = frozenset("的了是也都就还把被让给对向从做说")


def starts_follower(s: str, i: int) -> bool:
    for L in _FOLLOWER_LENS:
        if s[i : i + L] in _FOLLOWER_SET:
            return True
    return False


def _boundary(s: str, i: int) -> bool:
    return i >= len(s) or not is_han(s[i])


def surname_len(s: str, i: int) -> int:
    if s[i : i + 2] in COMPOUND_SURNAMES:
        return 2
    if i < len(s) and s[i] in SINGLE_SURNAMES:
        return 1
    return 0


def name_at(s: str, i: int, crf_person: dict[int, int] | None = None, words: frozenset[str] = frozenset()) -> int:
    """Length of the person name starting at ``i`` (0 when there is none we are sure of).

    ``words`` (general vocabulary) vetoes candidates that are ordinary words (高峰, 简介) unless
    the CRF tagged that very span as a person.
    """
    k = surname_len(s, i)
    if not k or starts_follower(s, i):
        return 0  # 总统和夫人, 负责人强调
    if s[i : i + 2] in NOT_NAMES:
        return 0
    if s[i + k : i + k + 1] in _NOT_GIVEN_FIRST:
        return 0  # 司长应做的事, 书记于是: a verb or function word, not a given name
    lens = [
        L
        for L in (k + 1, k + 2)
        if i + L <= len(s) and all(is_han(c) for c in s[i : i + L]) and s[i + L : i + L + 1] not in ("·", "•", "・")
    ]
    hint = crf_person.get(i, -1) - i if crf_person else -1
    if words:
        lens = [L for L in lens if L == hint or (s[i : i + L] not in words and s[i : i + 2] not in words)]
    if hint in lens and hint < max(lens) and starts_follower(s, i + hint):
        return hint  # 副秘书长陶晔说,: the CRF's shorter name, then 说
    bound = [L for L in lens if _boundary(s, i + L)]
    if len(bound) == 1:  # punctuation right after the name is the surest sign ("李国和、")
        return bound[0]
    follow = [L for L in lens if starts_follower(s, i + L)]
    if len(follow) == 1:
        return follow[0]
    if hint in lens:
        return hint
    return (bound or follow or [0])[0]


def role_name_spans(s: str, crf_person: dict[int, int] | None = None, words: frozenset[str] = frozenset()) -> list[Span]:
    """"区委书记夏加伟", "总经理李志发", "区领导廖华、区用": a role word and the name after it."""
    out = []
    for m in ROLE_RE.finditer(s):
        i = m.end()
        while True:
            L = name_at(s, i, crf_person, words)
            if not L:
                break
            out.append(("PERSON", i, i + L))
            j = i + L
            if j < len(s) and s[j] == "、" and j + 1 < len(s) and not ROLE_RE.match(s, j + 1):
                i = j + 1  # list of names after one role: "区领导郑伟潮、黄振波"
                continue
            break
    return out


_CLOSING_BYLINE_RE = re.compile(r"[(（]([^()（）]{2,30})[)）]\s*$")


def byline_spans(s: str, crf_person: dict[int, int] | None = None) -> list[Span]:
    """"记者/陈婵", "通讯员 林瑞蓬", "文/图 江门日报记者 何榕", "(陈晖 区市监)"."""
    out = []
    for m in BYLINE_RE.finditer(s):
        i = m.end()
        while i < len(s):
            j = i
            while j < len(s) and is_han(s[j]):
                j += 1
            run = s[i:j]
            for tail in _BYLINE_TAILS:
                if run.endswith(tail) and len(run) - len(tail) >= 2:
                    run = run[: -len(tail)]
                    break
            k = surname_len(s, i)
            if k and k + 1 <= len(run) <= k + 2 and run[:2] not in NOT_NAMES:
                out.append(("PERSON", i, i + len(run)))
                i += len(run)
                while i < len(s) and s[i] in " 、\u3000":
                    i += 1
                if BYLINE_RE.match(s, i):
                    break
                continue
            break
    # a closing byline in parentheses at the end of a paragraph: "(陈晖 区市监)"
    m = _CLOSING_BYLINE_RE.search(s) if ")" in s or "）" in s else None
    if m and re.search(r"\s", m.group(1).strip()):
        pos = m.start(1)
        for tok in re.finditer(r"\S+", m.group(1)):
            t = tok.group()
            st = pos + tok.start()
            k = surname_len(s, st)
            if k and k + 1 <= len(t) <= k + 2 and all(is_han(c) for c in t):
                if t[0] in "区市县省镇乡村" and not (crf_person and crf_person.get(st) == st + len(t)):
                    continue  # "区市监" is an abbreviated office, not 区 + name
                out.append(("PERSON", st, st + len(t)))
    return out


# --------------------------------------------------------------------------- ORG and PLACE suffixes
STRONG_ORG_SUFFIXES = tuple(
    sorted(
        """股份有限公司 有限责任公司 有限公司 集团有限公司 集团 联合实验室 重点实验室 研究院 研究所 委员会 常委会 管委会 党工委 学会 协会 商会 联合会 联谊会 同乡会
        促进会 基金会 研究会 大学 学院 医院 银行 分行 支行 局 法院 检察院 派出所""".split(),
        key=len,
        reverse=True,
    )
)
ORG_SUFFIX_RE = re.compile("|".join(map(re.escape, STRONG_ORG_SUFFIXES)))
_ORG_STOP_CHARS = set("的和与及暨在是为由等到对向从将被让给了同跟把并或而且这该其各每此我你他她它们个")
_ORG_STOP_WORDS = ("走访", "参观", "考察", "签订", "签署", "成立", "设立", "加入", "来自", "位于", "联合", "携手", "入驻", "落户", "委托", "包括", "相关", "有关", "所属", "举行", "召开", "主办", "承办", "协办")
_ORG_STOP_WORDS += (
    "加强", "推动", "推进", "打造", "建设", "开展", "促进", "支持", "依托", "通过", "实现", "提升", "发挥", "组织", "成为", "作为", "担任",
    "不断", "进一步", "积极", "全力", "深化", "完善", "围绕", "按照", "根据", "经过", "引进", "引导", "帮助", "服务", "挂牌", "揭牌", "授予",
    "获得", "获评", "评为", "命名", "批准", "联系", "对接", "合作", "共建", "走进", "前往", "来到", "赴", "同", "向", "以及", "还有", "是否",
    "借助", "依靠", "利用", "著名", "学府", "方有", "兼", "关于", "就", "分别", "建立", "创办", "控制", "办好", "要求", "大力", "一些", "外国", "所", "几", "多", "每", "全市", "全区", "全县", "全省", "各地",
)
_ORG_STOP_SET = frozenset(_ORG_STOP_WORDS)
_ORG_STOP_LENS = sorted({len(w) for w in _ORG_STOP_WORDS})
_COMPANY_SUFFIXES = frozenset(("股份有限公司", "有限责任公司", "有限公司", "集团有限公司"))
_LOCAL_HEAD = frozenset("区市县省镇乡")
_MAX_ORG_HEAD = 12
# suffix look-alikes: 格局/局面/布局, 大学生, 学会了 ...
_BAD_BEFORE = {"局": set("布格大结当全开终时战变败胜赌饭骗僵定平残政出入骗新"), "学会": set("要会能应得须该们先已没都也就才")}
_BAD_AFTER = {"局": set("面势部限促长"), "大学": set("生"), "学会": set("了用如做在把与长")}
for _suf in ("委员会", "常委会", "管委会", "协会", "商会", "联合会", "联谊会", "同乡会", "促进会", "基金会", "研究会"):
    _BAD_AFTER.setdefault(_suf, set()).add("长")


def _org_head_start(s: str, end: int, floor: int) -> int:
    """Scan back from ``end`` over the words of an organisation name; return where it starts."""
    i = end
    depth = 0
    while i > floor and end - i < _MAX_ORG_HEAD:
        c = s[i - 1]
        if c in ")）":
            depth += 1
        elif c in "(（":
            if depth == 0:
                break
            depth -= 1
        elif not is_han(c) and not c.isalnum():
            break
        elif depth == 0:
            if c in _ORG_STOP_CHARS:
                break
            if any(i >= L and s[i - L : i] in _ORG_STOP_SET for L in _ORG_STOP_LENS):
                break
            if _ROLE_END.search(s, 0, i):
                break  # "…联盟主席沃尔斯基分别就委员会": a title ends the name's head
        i -= 1
    return i


def org_suffix_spans(s: str, spans: list[Span]) -> list[Span]:
    """Organisations ending in a strong suffix ("…股份有限公司", "…局", "…学会", "…联合实验室").

    The name's head is found by scanning back from the suffix to punctuation, a function word
    or a verb ("走访", "签署"); an entity already found (``spans``, from the CRF) that straddles
    that point pulls the start back to its own start. Suffixes inside a found ORG are left alone.
    """
    orgs = [(a, b) for t, a, b in spans if t == "ORG"]
    others = [(a, b) for t, a, b in spans if t in ("PLACE", "ORG")]
    anyspan = [(a, b) for t, a, b in spans]
    out: list[Span] = []
    floor = 0
    for m in ORG_SUFFIX_RE.finditer(s):
        a, b = m.start(), m.end()
        suf = m.group()
        if (a > 0 and s[a - 1] in _BAD_BEFORE.get(suf, ())) or (b < len(s) and s[b] in _BAD_AFTER.get(suf, ())):
            continue
        cover = [(x, y) for x, y in orgs if x <= a and b <= y]
        if any(x < b < y for x, y in anyspan if (x, y) not in cover):
            floor = b
            continue  # a found place/person runs on past the suffix
        start = _org_head_start(s, a, floor)
        for x, y in others:
            if x < start < y:
                start = min(start, x)
        if cover:
            x0, y0 = min(cover)
            seg = s[x0:y0]
            unbalanced = seg.count(")") + seg.count("）") > seg.count("(") + seg.count("（")
            if start >= x0 or not (unbalanced or any(start <= x and y <= x0 for x, y in others)):
                floor = max(b, y0)
                continue  # the CRF's organisation is as long, or nothing names the longer head
            b = y0  # the CRF cut the head off: 江门市博士汇 + 息科技有限公司
        merged = False
        if out and start == floor == out[-1][2]:
            # runs straight on from the organisation before: 中国科学院 + 大学 + 江海…联合实验室
            start = out.pop()[1]
            merged = True
        named = (
            merged
            or suf in _COMPANY_SUFFIXES
            or s[start] in _LOCAL_HEAD
            or any(start <= x and y <= a for x, y in anyspan)
        )
        if a - start >= 2 and named:
            out.append(("ORG", start, b))
        floor = b
    return out


_TITLES = "主席 书记 总理 部长 局长 主任 市长 区长 县长 省长 镇长 总统 首相 委员 秘书长 会长 理事长 董事长 总经理 经理 行长 院长 校长 所长 厂长 队长 大使".split()
_ROLE_END = re.compile("(?:" + "|".join(_TITLES) + ")$")
_ADMIN_RE = re.compile("|".join(map(re.escape, sorted(ADMIN_SUFFIXES, key=len, reverse=True))))


_ADMIN_BAD_NEXT = {
    "市": set("场民区委长政内外县容貌级属直值"), "区": set("域委长政内外旗级别间块划"), "县": set("委长政城级域内"),
    "镇": set("委长政内"), "乡": set("村镇委长政亲土下"), "村": set("委民长庄落"), "省": set("委长政内外级会份"),
}


def extend_admin(s: str, spans: list[Span]) -> list[Span]:
    """A place immediately followed by an administrative suffix takes it: 江门 + 市, 礼乐 + 街道.

    Not when the suffix starts another word (中国 + 市场, 香港 + 市民, 江门 + 市长) or the place
    already ends in one (香港特别行政区 + 区旗).
    """
    out = []
    for t, a, b in spans:
        if t == "PLACE" and b - a >= 2 and s[b - 1] not in "省市县区镇乡村道":
            m = _ADMIN_RE.match(s, b)
            if m:
                suf = m.group()
                nxt = s[m.end() : m.end() + 1]
                if not nxt or nxt not in _ADMIN_BAD_NEXT.get(suf, ()):
                    out.append((t, a, m.end()))
                    continue
        out.append((t, a, b))
    return out


_KNOWN_PERSON_RE = re.compile("|".join(sorted(KNOWN_PERSONS, key=len, reverse=True)))


def known_person_spans(s: str) -> list[Span]:
    """Names of national leaders the 1998 training data cannot know (习近平 ...)."""
    return [("PERSON", m.start(), m.end()) for m in _KNOWN_PERSON_RE.finditer(s)]


_MOU_RE = re.compile(
    f"(?:{'|'.join(COMPOUND_SURNAMES)}|[{_SURNAME_CHARS}])某某?(?![人些种地处天时国市县省区村镇乡单部企方一位个项件年月日次家类])"
)


def surname_mou_spans(s: str) -> list[Span]:
    """"郑某", "张某某": anonymised persons."""
    if "某" not in s:
        return []  # (cheap test first: the pattern is costly to run over every line)
    return [
        ("PERSON", m.start(), m.end())
        for m in _MOU_RE.finditer(s)
        if not (m.start() > 0 and _not_a_mou_surname(s, m.start()))
    ]


# 低于某价格, 对于某些: 于 ends a preposition; 军区某部, 该市某厂: 区/市 end a place word
_MOU_BAD_BEFORE = {"于": frozenset("低高等属由对关至在用位鉴善免过归基出处终大小多少")}


def _not_a_mou_surname(s: str, i: int) -> bool:
    before = s[i - 1]
    if before in "地某" or before in _MOU_BAD_BEFORE.get(s[i], ()):
        return True
    return s[i] in "区市县省镇乡村" and is_han(before)


# --------------------------------------------------------------------------- names run together
_ORGISH_END = frozenset("会部院委局所厂司行社校党团队组处室馆心台站办军联盟协学府署厅网报刊店场园区市县省镇乡村州国")
_RUN_RE = re.compile(f"[{HAN}·•]{{6,}}")


def name_run_spans(s: str, crf: list[Span], person_words: frozenset[str] = frozenset(), max_word: int = 8) -> list[Span]:
    """Lists of names written with no separator ("李鹏乔石李瑞环彭真朱镕基"), re-segmented.

    Only where the CRF already sees mostly persons in a run of Han characters and has run two
    together or glued them into one over-long span. The run is split into pieces that each start
    with a surname (or are known names), preferring known names and the CRF's own names.
    """
    # an over-long "organisation" that ends in no organisation word is a glued list of names too
    persons = [
        (a, b) for t, a, b in crf if t == "PERSON" or (b - a >= 8 and s[b - 1] not in _ORGISH_END and is_han(s[b - 1]))
    ]
    if not persons or len(persons) < 2 and persons[0][1] - persons[0][0] < 8:
        return []
    out: list[Span] = []
    for m in _RUN_RE.finditer(s):
        ra, rb = m.span()
        inside = [(max(a, ra), min(b, rb)) for a, b in persons if a < rb and ra < b]  # clipped to the run
        covered = sum(b - a for a, b in inside)
        if not inside or covered < 0.6 * (rb - ra) or (len(inside) < 2 and covered < 6):
            continue
        glued = any(x[1] == y[0] for x, y in zip(inside, inside[1:])) or any(
            b - a >= 5 and "·" not in s[a:b] for a, b in inside
        )
        if not glued:
            continue
        crf_at = {a: b for a, b in inside}
        n = rb - ra
        best: list[tuple[float, int, bool]] = [(-1e9, -1, False)] * (n + 1)  # score, previous, is_name
        best[0] = (0.0, -1, False)
        for i in range(n):
            sc = best[i][0]
            if sc <= -1e9:
                continue
            pos = ra + i
            options: dict[int, float] = {}
            for L in range(2, min(max_word, n - i) + 1):
                if s[pos : pos + L] in person_words:
                    options[L] = 3.0
            if pos in crf_at:
                L = crf_at[pos] - pos
                if L <= n - i and L <= 4 or "·" in s[pos : pos + L]:
                    options[L] = max(options.get(L, 0.0), 1.0) + 0.5
            k = surname_len(s, pos)
            if k:
                for L in (k + 1, k + 2):
                    if i + L <= n and "·" not in s[pos : pos + L]:
                        options[L] = max(options.get(L, 0.0), 1.0)
            for L, v in options.items():
                if sc + v > best[i + L][0]:
                    best[i + L] = (sc + v, i, True)
            if sc - 1.0 > best[i + 1][0]:
                best[i + 1] = (sc - 1.0, i, False)
        pieces = []
        j = n
        while j > 0:
            _, i, is_name = best[j]
            if is_name:
                pieces.append((ra + i, ra + j))
            j = i
        if sum(b - a for a, b in pieces) >= 0.8 * n:
            out.extend(("PERSON", a, b) for a, b in reversed(pieces))
    return out


# --------------------------------------------------------------------------- local government
_GOV_RE = re.compile("人民政府|政府")


def government_spans(s: str, spans: list[Span]) -> list[Span]:
    """"江海区政府", "江门市人民政府": a province/city/county/district/town government is an
    organisation in local news (MSRA tags only the place, 中国政府 -> 中国; national
    governments and 香港特别行政区政府 are left that way)."""
    out = []
    for t, a, b in spans:
        if t != "PLACE" or b - a < 2:
            continue
        w = s[a:b]
        if w.endswith(("行政区", "特区")):
            continue  # 香港特区政府, 特区政府: the government of a region, not a local one
        if not (w[-1] in "省市县区镇乡" or w.endswith("街道")):
            if b < len(s) and s[b] in "省市县区镇乡":
                b += 1  # 江海 + 区政府: extend_admin leaves 区 off before 政
            else:
                continue
        m = _GOV_RE.match(s, b)
        if m:
            out.append(("ORG", a, m.end()))
    return out
