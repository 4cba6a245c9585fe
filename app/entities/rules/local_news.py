"""Rules for today's local news (issue #18): China's administrative divisions from the bundled
gazetteer (``places.tsv``, built from jionlp's data by build_scripts/make_gazetteer.py), roads,
stations and villages with boundaries that respect suffixes and numbers, party and government
bodies (二十大, 区委办, 镇政府, 第二巡查组, 区十一届人大常委会), media (…日报, 新华社, 人民网),
companies by short name, and people by surname and form of address (刘先生 -> 刘).

All functions take normalised text and return ``(type, start, end)`` spans, like the other rules.
One module because these rules share the gazetteer's lookups and one notion of a place's
boundaries (suffixes, numbers, the next unit), which the organisation and person rules here
consult too; split by type, each part would re-derive them.
"""

from __future__ import annotations

import operator
import re
from itertools import compress

from app.lexicon import COMPOUND_SURNAMES, SINGLE_SURNAMES

from ..chars import HAN, is_han
from ..spans import Span

# ---------------------------------------------------------------- administrative divisions
FULL_LEVELS = frozenset(("province", "prefecture", "county", "township"))
SHORT_LEVELS = frozenset(("province-short", "prefecture-short", "county-short", "township-short"))
# characters that link two places or start a place after a word (在江海区, 到大新县, 赴台山)
_PLACE_BEFORE = frozenset("的和与及在是为由等到对向从将被让给了同跟把并或而且这该其各每此个、赴往经驻至于沿近进抵返住")
_CHAIN_MAX = 9  # longest full name looked up (宁夏回族自治区)


def read_places(text: str) -> dict[str, str]:
    """``name<TAB>level`` lines of places.tsv -> name -> level."""
    # (every line a name and a level: split once, pair them up; read at each program start)
    parts = text.replace("\r\n", "\n").replace("\n", "\t").split("\t")
    if parts and not parts[-1]:
        parts.pop()
    if len(parts) % 2 == 0 and "" not in parts:
        it = iter(parts)
        return dict(zip(it, it))
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


def _full_at(s: str, i: int, end: int, places: dict[str, str]) -> int:
    """Length of the longest full administrative name (or province short form) at ``s[i:]``
    ending by ``end``; 0 when none."""
    for L in range(min(_CHAIN_MAX, end - i), 1, -1):
        lv = places.get(s[i : i + L])
        if lv is not None and (lv in FULL_LEVELS or lv == "province-short"):
            return L
    return 0


_UNIT_ENDS = ("村", "社区", "居委会", "路", "街", "巷", "大道", "镇", "乡", "街道")


_CHAIN_BODIES = ("委", "政府", "人民政府", "委办", "政府办")


_VILLAGE_BODY_RE = re.compile(f"([{HAN}]{{2,4}}?(?:村|社区))(?:党委|党总支部|党支部|党总支|居委会|村委会)")


def _chain(s: str, a: int, b: int, places: dict[str, str]) -> tuple[list[tuple[int, int]], int]:
    """Administrative units from ``a`` (广西, 崇左市, 大新县 ...) and where they stop."""
    pieces = []
    i = a
    while i < b:
        L = _full_at(s, i, b, places)
        if not L or (b - (i + L) == 1 and s[b - 1] not in "委"):
            break
        pieces.append((i, i + L))
        i += L
    return pieces, i


def split_place_chain(s: str, spans: list[Span], places: dict[str, str]) -> list[Span]:
    """A place the CRF ran together from several units is one place per unit: 广西崇左市大新县 ->
    广西, 崇左市, 大新县; 礼乐街道英南村 -> 礼乐街道, 英南村 (the rest, three characters or more,
    is the last unit when it ends like one). A local body after such a chain keeps only its own
    place when the chain is a whole address of three units or more: 广西崇左市大新县委 -> 广西,
    崇左市 + 大新县委 (MSRA keeps two units whole: 湖南省沅江市委, 山东高青县人民政府)."""
    out: list[Span] = []
    for t, a, b in spans:
        if b - a < 4 or t not in ("PLACE", "ORG"):
            out.append((t, a, b))
            continue
        pieces, i = _chain(s, a, b, places)
        rest = s[i:b]
        if t == "ORG":
            v = _VILLAGE_BODY_RE.fullmatch(rest) if len(pieces) >= 3 else None
            if len(pieces) >= 3 and rest in _CHAIN_BODIES:
                out.extend(("PLACE", x, y) for x, y in pieces[:-1])
                out.append(("ORG", pieces[-1][0], b))
            elif v:
                # 仓前街道 + 葛巷社区 + 党委: the places; the branch only when no 书记 follows
                out.extend(("PLACE", x, y) for x, y in pieces)
                out.append(("PLACE", i, i + v.end(1)))
                if not s.startswith(("书记", "副书记"), b):
                    out[-1] = ("ORG", i, b)
            elif pieces and (not rest or any(places.get(s[i : b + k]) in FULL_LEVELS for k in (1, 2))):
                # an "organisation" that is only places, or cuts the next unit short
                # (汕头市金平区石炮台 | 街道): the places, the last one whole
                out.extend(("PLACE", x, y) for x, y in pieces)
                if rest:
                    k = next(k for k in (1, 2) if places.get(s[i : b + k]) in FULL_LEVELS)
                    out.append(("PLACE", i, b + k))
            else:
                out.append((t, a, b))
            continue
        if not pieces or (rest and (len(rest) < 3 or not (rest.endswith(_UNIT_ENDS) or places.get(rest) in FULL_LEVELS))):
            out.append((t, a, b))  # 江门市博物馆: one place, not 江门市 + 博物馆
            continue
        if rest:
            pieces.append((i, b))
        out.extend(("PLACE", x, y) for x, y in pieces)
    return out


def _starts_chunk(s: str, i: int, ends: set[int]) -> bool:
    return i == 0 or not is_han(s[i - 1]) or s[i - 1] in _PLACE_BEFORE or i in ends


# after a full name: the suffix starts another word (江门市场, 大新县城, 江海区域)
_FULL_BAD_NEXT = {
    "市": set("场民长容貌级值"), "区": set("域长块划间别"), "县": set("城长级域"), "镇": set("长"), "乡": set("亲土下村镇长"),
    "省": set("长份级会"), "道": set("路理德"),
}


class _PlaceIndex:
    """The gazetteer's full names and short forms by their first two characters: only positions
    where a name may start are looked at (most positions start none)."""

    def __init__(self, places: dict[str, str]) -> None:
        self.full = {w: lv for w, lv in places.items() if lv in FULL_LEVELS}
        self.short = {w: lv for w, lv in places.items() if lv in SHORT_LEVELS and len(w) <= 3}
        full, short = _by_prefix(self.full), _by_prefix(self.short)
        # first two characters -> (lengths of full names, lengths of short forms) starting so
        self.by2 = {k: (full.get(k, ()), short.get(k, ())) for k in full.keys() | short.keys()}


def _by_prefix(names: dict[str, str]) -> dict[str, tuple[int, ...]]:
    """First two characters -> the lengths of the names starting so, longest first. (Made at
    the first tagging of each run: a bit mask of lengths per prefix, one integer operation per
    name, instead of a set of them.)"""
    d: dict[str, int] = {}
    get = d.get
    for w in names:
        k = w[:2]
        d[k] = get(k, 0) | (1 << len(w))
    return {k: _LENGTHS[v] for k, v in d.items()}


class _Lengths(dict):
    """Bit mask -> the lengths it holds, longest first (few different masks: made once each)."""

    def __missing__(self, mask: int) -> tuple[int, ...]:
        value = self[mask] = tuple(L for L in range(mask.bit_length() - 1, -1, -1) if mask >> L & 1)
        return value


_LENGTHS = _Lengths()


_INDEX: list[tuple[int, _PlaceIndex]] = []


def place_index(places: dict[str, str]) -> _PlaceIndex:
    """The index of ``places``, made on first use and kept (one gazetteer per model)."""
    if not _INDEX or _INDEX[0][0] != id(places):
        _INDEX[:] = [(id(places), _PlaceIndex(places))]
    return _INDEX[0][1]


def place_starts(s: str, places: dict[str, str]) -> list[tuple[int, tuple[tuple[int, ...], tuple[int, ...]]]]:
    """(position, (full-name lengths, short-form lengths)) where a name of the gazetteer may
    start: one look-up per position for both rules below (pass it to them as ``starts``)."""
    found = list(map(place_index(places).by2.get, map(operator.add, s, s[1:])))
    return [(i, found[i]) for i in compress(range(len(found)), found)]


def admin_place_spans(
    s: str, spans: list[Span], places: dict[str, str], words: frozenset[str] = frozenset(), known: dict[str, str] | None = None,
    starts: list | None = None,
) -> list[Span]:
    """Full administrative names (大新县, 崇左市, 棠下镇, 礼乐街道) where a place can start (after
    punctuation, a function word or another place), not run on into another word (江门市场).
    (Names that are mostly ordinary words, 解放区, 城区, are not in places.tsv.)"""
    known = known or {}
    idx = place_index(places)
    full = idx.full
    ends = {b for t, a, b in spans if t == "PLACE"}
    out: list[Span] = []
    floor = 0
    for i, (lens, _) in place_starts(s, places) if starts is None else starts:
        if i < floor or not lens:
            continue
        for k in lens:
            w = s[i : i + k]
            if len(w) == k and w in full:
                break
        else:
            continue
        if _starts_chunk(s, i, ends):
            nxt = s[i + k : i + k + 1]
            if not nxt or nxt not in _FULL_BAD_NEXT.get(s[i + k - 1], ()):
                out.append(("PLACE", i, i + k))
                ends.add(i + k)
                floor = i + k
    return out


# a short form (大新, 恩平, 中山) standing alone: after a place-starting word, before a word
# that ends a name (、, 的, 两地 ...)
_SHORT_AFTER = re.compile(r"(?:[、,，。;；:：!！?？)）”\s]|[两三四五][地区县市镇]|等地|等市|等镇|的|和|与|及|至|到|籍|人|企业|警方|市民|侨胞|乡亲|段|站)")
# a county's or town's short form the CRF took for a person is a place in a list of places
_LIST_AFTER = re.compile(r"(?:[两三四五][地区县市镇]|等[地区县市镇])")


def short_place_spans(
    s: str, spans: list[Span], places: dict[str, str], words: frozenset[str], known: dict[str, str] | None = None,
    starts: list | None = None,
) -> list[Span]:
    """Short forms of provinces, prefectures, counties and towns standing alone as a place
    (到江门, 赴台山, 恩平、开平两地, 棠下的), not inside a longer word (中山装, 江海关). One that the
    gazetteer does not know as a place must be no ordinary word (复兴, 前进, 合作 are counties
    too), and a county's only right after its province or city (海南 + 三亚)."""
    known = known or {}
    idx = place_index(places)
    short = idx.short
    ends = {b for t, a, b in spans if t == "PLACE"}
    out: list[Span] = []
    for i, (_, lens) in place_starts(s, places) if starts is None else starts:
        if not lens or not _starts_chunk(s, i, ends):
            continue
        for L in lens:
            w = s[i : i + L]
            lv = short.get(w) if len(w) == L else None
            if lv is None:
                continue
            after_place = i in ends and lv in ("prefecture-short", "county-short") and s[i - 2 : i + L] not in words  # 海南 + 三亚, not 长治久安
            if after_place or _SHORT_AFTER.match(s, i + L):
                if s[i : i + L + 1] in words or s[i : i + L + 2] in words:
                    continue  # 中山装, 新华社
                if known.get(w) not in (None, "PLACE") and not after_place:
                    continue  # the training data knows it as a person or organisation
                out.append(("PLACE", i, i + L))
                break
    return out


def retype_short_places(s: str, spans: list[Span], places: dict[str, str]) -> list[Span]:
    """A "person" that is a province's or prefecture's name (中山, 武威) is a place; a county's or
    town's only before 等镇/两区 (容桂等镇街, 南沙两区): alone, or in a list, it is too often a
    person's name as well (杨芳; 王益、王仿子)."""
    out = []
    for t, a, b in spans:
        lv = places.get(s[a:b]) if t == "PERSON" and b - a >= 2 else None
        if lv in ("prefecture-short", "province-short", "prefecture", "province") or (
            lv in ("county-short", "township-short") and _LIST_AFTER.match(s, b)
        ):
            t = "PLACE"
        out.append((t, a, b))
    return out


# ---------------------------------------------------------------- roads, stations, villages
_ROAD_SUFFIX_RE = re.compile("大道|大街|路|街|巷")
_ROAD_BAD_ENDS = ("道路", "马路", "公路", "铁路", "线路", "网路", "思路", "出路", "电路", "水路", "陆路", "街道", "之路", "环路", "街巷", "沿街", "逛街", "老街", "步行街", "走路", "上路", "让路", "带路", "开路", "修路")
_ROAD_BAD_WHOLE = frozenset(("新路", "小路", "大路", "老路", "一路", "上路", "走路", "高速路", "大街小巷", "上街"))
_ROAD_NEXT = re.compile(r"(?:[东西南北]?\d|与|、|交叉口|交汇|交界|路口|沿线|两侧|附近|一带|以[东西南北])")


def road_spans(s: str, spans: list[Span]) -> list[Span]:
    """Roads ending at their suffix, before a house number, a junction or punctuation: 胜利路
    (42号), 建设二路(38号), 江华路(与江华二路); the name starts a chunk (after punctuation, a
    function word or a place: 白沙街道 + 长堤路)."""
    ends = {b for t, a, b in spans if t == "PLACE"}
    out: list[Span] = []
    for m in _ROAD_SUFFIX_RE.finditer(s):
        b = m.end()
        if not _ROAD_NEXT.match(s, b):
            continue
        for x in range(max(0, m.start() - 4), m.start() - 1):
            if any(x < e < m.start() for e in ends):
                continue
            if all(is_han(c) for c in s[x : m.start()]) and _starts_chunk(s, x, ends):
                w = s[x:b]
                if any(c in _PLACE_BEFORE for c in w[:-1]):
                    continue  # 家住 | 建设路: the name starts after the verb
                if not w.endswith(_ROAD_BAD_ENDS) and w not in _ROAD_BAD_WHOLE:
                    out.append(("PLACE", x, b))
                break
    return out


_ZONE_SUFFIX_RE = re.compile(
    "高新技术产业开发区|经济技术开发区|高新区|开发区|经济区|集聚区|工业城|产业园|工业园|科技园|人才岛|合作区|自贸区|综合保税区|保税区|滨海新区|新区|新城"
)


def zone_spans(s: str, spans: list[Span], places: dict[str, str]) -> list[Span]:
    """Development zones named after a place (江门国家高新区, 新会经济开发区, 鹤山工业城) as one place;
    industrial parks (江门市安全应急产业园) as one organisation."""
    out: list[Span] = []
    for m in _ZONE_SUFFIX_RE.finditer(s):
        b = m.end()
        for x in range(max(0, m.start() - 8), m.start()):
            if not all(is_han(c) for c in s[x : m.start()]) or not _starts_chunk(s, x, set()):
                continue
            head = next((L for L in (4, 3, 2) if places.get(s[x : x + L]) is not None), 0)
            if head and x + head < b - 1:
                out.append(("ORG" if s[b - 1] == "园" else "PLACE", x, b))
            break
    return out


# a station takes no hall, square or gate after it: 江门站 | 候车厅, 江门站 | 东广场
_AFTER_STATION = re.compile("[东西南北]?(?:广场|候车|进站|出站|售票|站前|站台|站房|交通枢纽|综合交通|公交)")
_STATION_RE = re.compile(f"[{HAN}]{{2,4}}?[东西南北]?站")


def station_spans(
    s: str, spans: list[Span], places: dict[str, str], words: frozenset[str] = frozenset(), known: dict[str, str] | None = None
) -> list[Span]:
    """A railway station named after a place (江门站, 江门北站, 广州南站), ending at 站 (not 文化站,
    人民站: the name must be no ordinary word unless the gazetteer knows it as a place)."""
    if "站" not in s:
        return []
    known = known or {}
    out: list[Span] = []
    for m in re.finditer("站", s):
        b = m.end()
        if s[b : b + 1] in ("长", "点", "位", "所", "内", "务") or s[b : b + 2] in ("台长",):
            continue
        j = m.start()
        if j and s[j - 1] in "东西南北":
            j -= 1
        for L in (4, 3, 2):
            a = j - L
            if a < 0:
                continue
            name = s[a:j]
            lv = places.get(name) or places.get(name + "市")
            if lv is not None and lv != "township-short" and (name not in words or known.get(name) == "PLACE"):
                out.append(("PLACE", a, b))
                break
    return out


def trim_places(s: str, spans: list[Span]) -> list[Span]:
    """Cut what a place must not hold: a house number and what follows (胜利路42号一楼 ->
    胜利路), the hall after a station (江门站东广场 -> 江门站), a doubled 村 (乌纱村村 -> 乌纱村)."""
    out = []
    for t, a, b in spans:
        if t == "PLACE":
            w = s[a:b]
            m = re.search(r"\d", w)
            if m:
                k = max(w.rfind(x, 0, m.start()) for x in ("路", "街", "道", "巷"))
                if k >= 1:
                    b = a + k + 1
                    w = s[a:b]
            k = w.find("站")
            if 2 <= k < len(w) - 1 and _AFTER_STATION.match(w, k + 1):
                b = a + k + 1
                w = s[a:b]
            if w.endswith("村村") or (w.endswith("市") and s[b : b + 1] in ("场", "民")):
                b -= 1
            elif len(w) >= 4 and w[-2] in "两三四五" and w[-1] in "村镇区县市地":
                b -= 2  # 南坑两村: the count of places is no part of the last one
        out.append((t, a, b))
    return out


_VILLAGE_RE = re.compile(f"[{HAN}]{{2,4}}?(?:村|社区)(?!委|民|务|级|里|头|子|庄|落|镇|两委|干部|集体)")
_NOT_VILLAGE_HEAD = ("农村", "本村", "全村", "该村", "每村", "各村", "乡村", "山村", "渔村", "新农村", "城中村", "各社区", "本社区", "该社区", "全社区")


# verbs that put a village or community after a town or street (祖庙街道举办社区运动会)
_VERBS_BEFORE_PLACE = ("举办", "举行", "开展", "组织", "成立", "建设", "推进", "走访", "深入", "来到", "前往", "进入", "走进", "参观",
                       "调研", "召开", "启动", "打造", "创建", "全面", "所有", "各个", "多个", "部分", "辖区", "联合")


def village_spans(s: str, spans: list[Span]) -> list[Span]:
    """A village or community right after a town, street or district: 荷塘镇 + 禾冈村, 礼乐街道 +
    英南村, 白沙街道 + 桥头社区."""
    out: list[Span] = []
    for t, a, b in spans:
        if t != "PLACE" or not s[a:b].endswith(("镇", "乡", "街道", "区", "县", "市")):
            continue
        m = _VILLAGE_RE.match(s, b)
        if m and not any(x in m.group() for x in _NOT_VILLAGE_HEAD) and "的" not in m.group() and not m.group().startswith(_VERBS_BEFORE_PLACE):
            out.append(("PLACE", b, m.end()))
    return out


# ---------------------------------------------------------------- party and government bodies
_NUM = "一二三四五六七八九十"
_CONGRESS_RE = re.compile("(?:中共)?(?:十[五六七八九]|二十[一二]?)大(?![学小型多])")
_TERM_RE = re.compile(
    f"(?:[省市区县镇乡]第?[{_NUM}]{{1,3}}|第?[{_NUM}]{{2,3}})届(?:全国|省|市|区|县|中央)?"
    f"(?:人大常委会|人大|政协|中央委员会|中央纪委|纪委)"
)
_LEVEL = "省市区县镇乡"
_BODY_RE = re.compile(
    f"[{_LEVEL}](?:委(?:常委会|全会|办(?![公理事])|宣传部|组织部|统战部|政法委|宣讲团|党校|巡察组|编办|网信办|老干部局)|委(?![员托屈婉])|政府办(?![公理事])|政府|府办(?![公理事])|人大常委会|人大|政协|纪委监委|纪委"
    "|人民法院|法院|人民检察院|检察院|总工会|妇联|残联|团委|科协|侨联|工商联|红十字会|人民医院|中医院|医院|妇幼保健院|疾控中心|融媒体中心|政务服务中心)"
)
_GROUP_SUFFIXES = ("巡视组", "巡察组", "巡查组", "督察组", "督导组", "检查组", "宣讲团")
_GROUP_RE = re.compile(
    f"(?:中央|国务院|[{_LEVEL}](?:委|纪委|政府)?)?(?:第[{_NUM}]{{1,3}})?[{HAN}]{{0,8}}?(?:" + "|".join(_GROUP_SUFFIXES) + ")"
)


# verbs after which a bare body starts (召开市政府常务会议, 代表县委)
_VERBS_BEFORE_BODY = frozenset(("召开", "主持", "出席", "参加", "印发", "联合", "组织", "带领", "率领", "代表", "根据", "经过", "会同", "协助",
                                "配合", "提请", "报请", "听取", "审议", "列席", "举办", "成立", "走访", "来到", "前往", "进驻"))
_GROUP_SUFFIX_RE = re.compile("|".join(_GROUP_SUFFIXES))


def body_spans(s: str, spans: list[Span], places: dict[str, str] | None = None) -> list[Span]:
    """Party and government bodies local news names in short form: 二十大, 中共二十大,
    区十一届人大常委会, 二十届三中全会, 区委, 县委办, 镇政府, 省政府, 第二巡查组, 市环保督察组;
    a place right before 委/政府 joins it (大新县委, 崇左市委)."""
    out: list[Span] = []
    place_end = {b: a for t, a, b in spans if t == "PLACE" and s[b - 1 : b] in "省市区县镇乡"}
    orgs = [(a, b) for t, a, b in spans if t == "ORG"]
    if "大" in s:
        out += [("ORG", m.start(), m.end()) for m in _CONGRESS_RE.finditer(s)]
    if "届" in s:
        out += [("ORG", m.start(), m.end()) for m in _TERM_RE.finditer(s)]
    for m in _BODY_RE.finditer(s):
        a = m.start()
        if s[a - 2 : a + 1].endswith(("特区", "行政区")) or (a and s[a - 1] == "特"):
            continue  # 特区政府, 香港特区政府: MSRA's place
        if a in place_end or (a + 1) in place_end:
            # 大新县 + 委, 江海区 + 政府: the place joins (the level character is the place's own)
            a0 = place_end.get(a + 1, place_end.get(a))
            out.append(("ORG", a0, m.end()))
        elif a == 0 or not is_han(s[a - 1]) or s[a - 1] in _PLACE_BEFORE or s[a - 2 : a] in _VERBS_BEFORE_BODY:
            out.append(("ORG", a, m.end()))
        elif places:
            for L in range(min(8, a), 1, -1):  # 江海区 + 委 where the CRF saw no place
                if places.get(s[a - L : a + 1]) in FULL_LEVELS and _starts_chunk(s, a - L, set()):
                    out.append(("ORG", a - L, m.end()))
                    break
    if _GROUP_SUFFIX_RE.search(s):
        for m in _GROUP_RE.finditer(s):
            a, b = m.span()
            # the head must start a chunk and name its body: 中央, 省, 市委, 第二 ...
            while a < b and not (a == 0 or not is_han(s[a - 1]) or s[a - 1] in _PLACE_BEFORE):
                a += 1
            head = s[a:b]
            if len(head) >= 4 and (head[0] in _LEVEL + "第" or head.startswith(("中央", "国务院")) or a in place_end.values()):
                out.append(("ORG", a, b))
    # an organisation the CRF found around it is the longer name (五届人大常委会法制委员会)
    return [x for x in out if not any(a <= x[1] and x[2] <= b and (a, b) != (x[1], x[2]) for a, b in orgs)]


def extend_level(s: str, spans: list[Span]) -> list[Span]:
    """An organisation right after a level character that starts a chunk takes it: 区 + 民政局,
    区 + 红十字会 (区市场监管局)."""
    out = []
    for t, a, b in spans:
        if t == "ORG" and a >= 1 and s[a - 1] in _LEVEL and (a == 1 or not is_han(s[a - 2]) or s[a - 2] in _PLACE_BEFORE):
            a -= 1
        out.append((t, a, b))
    return out


_BRANCH_RE = re.compile(f"[{HAN}]{{2,4}}?(?:村|社区)(?:党支部|党总支|党委)(?![书副委])")


def branch_spans(s: str, spans: list[Span]) -> list[Span]:
    """A village's or community's party branch standing alone: 东风村党总支 (被评为...); before
    书记 it is the branch's secretary, and only the village is named."""
    if "党" not in s:
        return []
    ends = {b for t, a, b in spans if t == "PLACE"}
    out = []
    for m in _BRANCH_RE.finditer(s):
        a = m.start()
        while a < m.end() - 4 and not _starts_chunk(s, a, ends):
            a += 1
        if _starts_chunk(s, a, ends) and not s[a:].startswith(_NOT_VILLAGE_HEAD):
            out.append(("ORG", a, m.end()))
    return out


# ---------------------------------------------------------------- media and companies
# national and provincial papers, agencies, broadcasters and portals (their short names too)
MEDIA = frozenset(
    """新华社 中新社 中国新闻社 人民日报 光明日报 经济日报 中国日报 解放军报 中国青年报 工人日报 农民日报 法治日报 科技日报
    人民网 新华网 央视网 中国新闻网 中新网 光明网 中国网 国际在线 央广网 环球网 中青网 澎湃新闻 界面新闻 新京报 财新 第一财经
    南方日报 南方都市报 南方周末 南方农村报 羊城晚报 广州日报 深圳特区报 深圳商报 深圳晚报 金羊网 南方网 南方+ 大洋网 奥一网
    中央广播电视总台 中央电视台 央视 央视新闻 中央人民广播电台 中国国际广播电台 广东广播电视台 广东卫视 人民日报海外版
    学习强国 今日头条 抖音 快手 微博 百度 小红书 微信 腾讯新闻 网易新闻 新浪新闻 凤凰网 红网 大众网 浙江在线 荆楚网 东方网 北青网
    央视财经 央广新闻 封面新闻 上游新闻 红星新闻 极目新闻 潮新闻 九派新闻 大皖新闻 新湖南 齐鲁壹点 川观新闻 看看新闻 紫牛新闻 南方Plus""".split()
)
# companies local news names by their short names
COMPANIES = frozenset(
    """华为 腾讯 阿里巴巴 京东 京东物流 美团 拼多多 字节跳动 小米集团 比亚迪 宁德时代 格力电器 格力 美的集团 海尔 海信 海信家电 TCL 中兴通讯 联想集团 大疆 顺丰 中通 圆通 韵达 申通
    中建 中建三局 中建八局 中建五局 中铁 中铁建 中交 中国中铁 中国铁建 中国建筑 中国交建 中国电建 中广核 国家电投 国家电网 南方电网 中石油 中石化 中海油 中国移动 中国联通 中国电信
    中国平安 中国人寿 工商银行 农业银行 中国银行 建设银行 交通银行 招商银行 农行 工行 建行 中行 邮储银行 万科 碧桂园 保利 恒大 融创 李锦记 维达纸业 金莱特 长安汽车 吉利 蔚来 小鹏 理想汽车 广汽 上汽 一汽 东风""".split()
)
_MEDIA_SUFFIX_RE = re.compile(f"[{HAN}]{{1,5}}?(?:日报|晚报|晨报|商报|特区报|都市报|青年报|法治报|时报|新闻网)(?=讯|社|记者|全媒体|客户端|报道|消息|刊发|发表|评论|[、,，。 (（“·]|$)")


def media_company_spans(s: str, spans: list[Span]) -> list[Span]:
    """Media (江门日报讯, 新华社, 人民网) and companies by short name (华为, 中建八局) as
    organisations: listed names, and papers named by a place or name and 日报/晚报/…报."""
    out: list[Span] = []
    ends = {b for t, a, b in spans if t == "PLACE"}
    orgs = [(a, b) for t, a, b in spans if t == "ORG"]
    for m in _MEDIA_SUFFIX_RE.finditer(s) if "报" in s or "网" in s else ():
        a, b = m.span()
        while a < b - 3 and not _starts_chunk(s, a, ends):
            a += 1
        if _starts_chunk(s, a, ends) and b - a >= 3 and not any(x <= a and b < y for x, y in orgs):
            out.append(("ORG", a, b))
    for names in (MEDIA, COMPANIES):
        for a, b in _found(s, names):
            if any(x <= a and b <= y and (x, y) != (a, b) for x, y in orgs):
                continue  # 人民日报群工部: the CRF's longer name
            m = _COMPANY_TAIL.match(s, b)
            out.append(("ORG", a, m.end() if m and names is COMPANIES else b))
    return out


_COMPANY_TAIL = re.compile("集团有限公司|集团公司|集团|股份有限公司|有限公司|公司|控股")


def _found(s: str, names: frozenset[str]) -> list[tuple[int, int]]:
    """Where the listed names occur, longest first, starting a chunk, not inside a longer word."""
    key = id(names)
    rx = _NAME_RES.get(key)
    if rx is None:
        firsts = "".join(sorted({re.escape(w[0]) for w in names}))
        # (the class of first characters lets the engine skip most positions at once)
        rx = _NAME_RES[key] = re.compile(f"(?=[{firsts}])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")")
    out = []
    for m in rx.finditer(s):
        a, b = m.span()
        if a == 0 or not is_han(s[a - 1]) or s[a - 1] in _PLACE_BEFORE or s[a - 1] in "据":
            out.append((a, b))
    return out


_NAME_RES: dict[int, re.Pattern] = {}


# ---------------------------------------------------------------- people by form of address
ADDRESS_WORDS = (
    "先生", "女士", "小姐", "阿姨", "阿婆", "阿伯", "阿公", "阿叔", "大叔", "大爷", "大妈", "大姐", "大哥", "大娘", "师傅", "老师",
    "医生", "护士", "同学", "老板", "警官", "律师", "教授", "伯", "婆", "姐", "哥", "叔", "姨",
)
ADDRESS_RE = re.compile("|".join(sorted(ADDRESS_WORDS, key=len, reverse=True)))
_SINGLE_ADDRESS = frozenset(("伯", "婆", "姐", "哥", "叔", "姨"))
# words before a person named so: 市民刘先生, 村民陈阿姨, 工作人员蔡小姐
_PERSON_BEFORE = re.compile(
    "(?:市民|村民|居民|群众|患者|病人|消费者|游客|网友|家长|工作人员|负责人|骑手|民警|店主|摊主|车主|业主|老人|华侨|侨胞|侨领|乘客|司机|"
    "志愿者|党员|员工|职工|租户|房东|老板|事主|当事人|受害人|失主|记者|学生|考生|选手|农户|养殖户|种植户|果农|菜农|渔民|住户|邻居)$"
)
_NOT_ADDRESS_NEXT = {"姐": set("妹夫弟"), "哥": set("们"), "姨": set("妈父"), "叔": set("叔伯"), "伯": set("伯父母"), "婆": set("婆家")}


_ADDRESSED_RE: list[re.Pattern] = []


def address_person_spans(s: str) -> list[Span]:
    """A surname and a form of address (刘先生, 陈阿姨, 谭伯): the surname alone is the person
    (MSRA's convention), where the surname starts a chunk or follows 市民/村民/... ."""
    if not _ADDRESSED_RE:
        sur = "|".join(sorted(COMPOUND_SURNAMES, key=len, reverse=True)) + "|[" + "".join(sorted(SINGLE_SURNAMES)) + "]"
        firsts = "".join(sorted({w[0] for w in COMPOUND_SURNAMES} | set(SINGLE_SURNAMES)))
        _ADDRESSED_RE.append(re.compile(f"(?=[{firsts}])(?=({sur})({ADDRESS_RE.pattern}))"))
    out: list[Span] = []
    for m in _ADDRESSED_RE[0].finditer(s):
        i, j = m.start(1), m.end(1)
        word = m.group(2)
        nxt = s[m.end(2) : m.end(2) + 1]
        if word in _SINGLE_ADDRESS and (nxt in _NOT_ADDRESS_NEXT.get(word, ()) or (nxt and is_han(nxt) and nxt not in "说笑告介表在和与是的家也都就正今每一")):
            continue  # 李姐妹, 陈伯伯; a single-character address needs a clear end
        if s[i] in "那这班同全本该每各此其某":
            continue  # 那同学, 同班同学
        if i == 0 or not is_han(s[i - 1]) or s[i - 1] in "的和与及对向给让叫找跟被把在" or _PERSON_BEFORE.search(s, 0, i):
            out.append(("PERSON", i, j))
    return out


_PLACE_AFTER_NAME = re.compile("沿岸|流域|水系|大桥|跨海|通道|祠|公园|水库|景区|古镇|湿地|碧道|两岸|河畔|江畔|湖畔")


def drop_place_persons(s: str, spans: list[Span]) -> list[Span]:
    """A "person" right before a word that follows a place or a river, not a person (潭江沿岸,
    黄茅海跨海通道, 陈白沙祠): no person."""
    return [x for x in spans if not (x[0] == "PERSON" and x[2] - x[1] >= 2 and _PLACE_AFTER_NAME.match(s, x[2]))]


_ILLNESS_AFTER = re.compile("病(?![房人区床例毒友号假愈情史榻了倒逝故重危得中])|症|综合征")


def drop_illnesses(s: str, spans: list[Span]) -> list[Span]:
    """A person's or place's name right before 病/症/综合征 names an illness, not an entity
    (阿尔茨海默病, 帕金森病)."""
    return [x for x in spans if not (x[0] in ("PERSON", "PLACE") and _ILLNESS_AFTER.match(s, x[2]))]


_ORG_VERBS = ("共建", "签署", "签订", "合作", "联合", "携手", "开展", "举办", "举行", "召开", "发布", "推出", "组织", "成立", "研发")


def cut_known_org(s: str, spans: list[Span], known: dict[str, str]) -> list[Span]:
    """An organisation the CRF ran on into the verb after it keeps the known organisation it starts
    with: 广州中医药大学 | 共建专科联盟."""
    out = []
    for t, a, b in spans:
        if t == "ORG" and b - a >= 6 and known.get(s[a:b]) != "ORG":
            for k in range(b - 2, a + 3, -1):
                if s.startswith(_ORG_VERBS, k) and known.get(s[a:k]) == "ORG":
                    b = k
                    break
        out.append((t, a, b))
    return out


_FULL_SUFFIXES = ("街道", "市", "县", "区", "镇", "乡", "旗")


def article_short_places(texts: list[str], found: list[list[Span]], places: dict[str, str]) -> list[list[Span]]:
    """Within one article, the short form of a district, county or town named in full somewhere
    in it is that place wherever it stands alone (江海区 ... 江海; 大新县 ... 大新), also where
    the CRF took it for a person."""
    shorts: set[str] = set()
    for text, spans in zip(texts, found):
        for t, a, b in spans:
            w = text[a:b]
            if t == "PLACE" and places.get(w) in FULL_LEVELS:
                for suf in _FULL_SUFFIXES:
                    if w.endswith(suf) and len(w) - len(suf) >= 2 and places.get(w[: -len(suf)]) in SHORT_LEVELS:
                        shorts.add(w[: -len(suf)])
                        break
    if not shorts:
        return found
    out = []
    for text, spans in zip(texts, found):
        spans = list(spans)
        for w in shorts:
            i = text.find(w)
            while i >= 0:
                j = i + len(w)
                inside = [x for x in spans if x[1] < j and i < x[2]]
                if not inside and text[j : j + 1] not in _FULL_SUFFIXES:
                    spans.append(("PLACE", i, j))
                elif len(inside) == 1 and inside[0] == ("PERSON", i, j):
                    spans[spans.index(inside[0])] = ("PLACE", i, j)
                i = text.find(w, j)
        spans.sort(key=lambda x: x[1])
        out.append(spans)
    return out


_GLUE = re.compile("[。，,；;！!？?、：:]")


_ORG_LINK = re.compile("(?<=大学|学院|医院|公司|集团|银行|日报|报社)(?:与|和|及|同)")
_ORG_JOINT = re.compile("(?<=[处局委会院所站队])(?:联合|会同|携手)")
_ORG_VERB_TAIL = re.compile("(?<=[会局委部院所处站队])(?:组织|组团)$")


def unglue(s: str, spans: list[Span]) -> list[Span]:
    """No entity runs across punctuation (某某县。某某县委); two organisations joined by 与
    are two (澳门大学与五邑大学); an organisation does not take the verb after it (红十字会|组织)."""
    out = []
    for t, a, b in spans:
        if _GLUE.search(s, a, b):
            continue
        if t == "ORG":
            m = _ORG_VERB_TAIL.search(s[a:b])
            if m:
                b = a + m.start()
            m = _ORG_LINK.search(s, a, b) or _ORG_JOINT.search(s, a, b)
            if m and b - m.end() >= 3:
                out.append((t, a, m.start()))
                a = m.end()
        out.append((t, a, b))
    return out
