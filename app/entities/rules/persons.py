"""PERSON spans from the shape of news text: a title and the name after it (区委书记夏加伟), bylines
(记者/陈婵), anonymised persons (郑某), the names of national leaders, and lists of names run
together. ``name_at`` decides where a name that starts with a surname ends."""

from __future__ import annotations

import re

from app.lexicon import COMPOUND_SURNAMES, KNOWN_PERSONS, SINGLE_SURNAMES, TITLES_BEFORE_NAME

from ..chars import HAN, is_han
from ..spans import Span

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
