"""PLACE and ORG spans built on what the CRF found: organisations ending in a strong suffix
(…有限公司, …局), a place taking its administrative suffix (江门 + 市), and a local government
(江海区政府) as an organisation."""

from __future__ import annotations

import re

from app.lexicon import ADMIN_SUFFIXES

from ..chars import is_han
from ..spans import Span

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


def org_suffix_spans(s: str, spans: list[Span], known: dict[str, str] | None = None) -> list[Span]:
    """Organisations ending in a strong suffix ("…股份有限公司", "…局", "…学会", "…联合实验室").

    The name's head is found by scanning back from the suffix to punctuation, a function word
    or a verb ("走访", "签署"); an entity already found (``spans``, from the CRF) that straddles
    that point pulls the start back to its own start. Suffixes inside a found ORG are left alone.
    ``known`` (the gazetteer): a whole name known as an organisation needs no other sign.
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
            or (known is not None and known.get(s[start:b]) == "ORG")  # 清华大学: a known organisation
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
