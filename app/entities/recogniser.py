"""The recogniser: CRF tagging (lazily loaded model) + news rules + in-article consistency."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Iterable, Sequence

from . import rules
from .features import Gazetteer, WordList, normalise, sentence_features
from .lexicon import COMPOUND_SURNAMES, KNOWN_PERSONS, KNOWN_PLACES, ORG_SUFFIX_SET, ROLE_WORDS

Span = tuple[str, int, int]
_CRF_TYPES = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}

_lock = threading.Lock()
_tag_lock = threading.Lock()  # a crfsuite Tagger must not tag from two threads at once
_state: dict = {}


def model_dir() -> Path:
    """``resources/ner`` (``BAOZHI_NER_MODEL_DIR`` overrides it, for evaluating a new model)."""
    override = os.environ.get("BAOZHI_NER_MODEL_DIR")
    if override:
        return Path(override)
    from app.paths import resource

    return resource("ner")


def _load() -> tuple[object, Gazetteer | None, WordList | None]:
    st = _state
    if "tagger" in st:
        return st["tagger"], st["gaz"], st["words"]
    with _lock:
        if "tagger" not in st:
            import json

            import pycrfsuite

            d = model_dir()
            cfg_path = d / "config.json"
            cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
            tagger = pycrfsuite.Tagger()
            tagger.open(str(d / "crf.model"))
            gaz = None
            if cfg.get("gazetteer", True):
                entries: dict[str, str] = {}
                gpath = d / "gazetteer.tsv"
                if gpath.exists():
                    with open(gpath, encoding="utf-8") as fh:
                        for line in fh:
                            w, _, t = line.rstrip("\n").partition("\t")
                            if w and t:
                                entries[w] = t
                for w in KNOWN_PLACES:
                    entries.setdefault(w, "PLACE")
                gaz = Gazetteer(entries)
            words = None
            if cfg.get("words"):
                words = WordList.from_lines((d / "words.txt").read_text(encoding="utf-8"))
            st["gaz"], st["words"], st["trigrams"] = gaz, words, bool(cfg.get("trigrams"))
            st["plain"] = _read_plain_words(d / "plain_words.tsv")
            st["extra"] = frozenset(cfg.get("extra", ()))
            st["tagger"] = tagger
    return st["tagger"], st["gaz"], st["words"]


# ---------------------------------------------------------------- words that are rarely names
# ``plain_words.tsv`` (train_ner.py): strings tagged as an entity somewhere in the training data,
# with how often they are tagged as that type and how often they occur outside any entity
# (田野, 钟声, 白云 are a person's name once or twice, but ordinary words a dozen times; 保险公司,
# 分局 likewise as organisations). A CRF span with such a string is an
# ordinary word far more often than not, and is dropped (rules may still find it: a name after
# 记者 or a title stays). Lexicon names are never dropped. Tuned on held-out training data
# (train_ner.py --holdout 5000): with places, dev F1 +0.17 alone and +0.40 together with the
# marginal recall below (within 0.07 of that for shares 0.2-0.3 and counts 3-5); without places
# +0.36 together.
# Places are left out: the place names on the list are real places (海地, 安康, 白银, 朝阳, 高明
# are a country, cities and districts) that local news names as places, where the CRF's context
# decides better than a count from 1990s text; on dev they were worth only 0.04 of the 0.40.
PLAIN_MIN = 3  # at least this many occurrences outside entities
PLAIN_MAX_SHARE = 0.25  # and tagged as the type in fewer than this share of its occurrences
PLAIN_TYPES = ("PERSON", "ORG")


def _read_plain_words(path: Path) -> frozenset[tuple[str, str]]:
    """(string, type) pairs that are rarely that entity (see above); lexicon names are kept."""
    if not path.exists():
        return frozenset()
    keep = set(KNOWN_PLACES) | set(KNOWN_PERSONS)  # 江海, 大新, 礼乐 are also ordinary words
    out = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            w, t, n_ent, n_plain = line.rstrip("\n").split("\t")
            n_ent, n_plain = int(n_ent), int(n_plain)
            if (t in PLAIN_TYPES and w not in keep and n_plain >= PLAIN_MIN
                    and n_ent < PLAIN_MAX_SHARE * (n_ent + n_plain)):
                out.add((w, t))
    return frozenset(out)


def unload() -> None:
    """Forget the loaded model (tests, or after changing ``BAOZHI_NER_MODEL_DIR``)."""
    with _lock:
        _state.clear()


def is_loaded() -> bool:
    return "tagger" in _state


def _labels_to_spans(labels: Sequence[str]) -> list[Span]:
    """Spans from BIO or BIOES labels (a span also ends where the type changes)."""
    spans: list[Span] = []
    cur, start = None, 0
    for i, lab in enumerate(labels):
        if lab == "O":
            if cur is not None:
                spans.append((_CRF_TYPES.get(cur, cur), start, i))
                cur = None
            continue
        pre, t = lab[0], lab[2:]
        if pre in "BS" or t != cur:
            if cur is not None:
                spans.append((_CRF_TYPES.get(cur, cur), start, i))
            cur, start = t, i
        if pre in "ES":
            spans.append((_CRF_TYPES.get(cur, cur), start, i + 1))
            cur = None
    if cur is not None:
        spans.append((_CRF_TYPES.get(cur, cur), start, len(labels)))
    return spans


_SEG_RE = re.compile(r"[^。！？!?]*[。！？!?]*")
_MAX_SEG = 400


def _pieces(s: str):
    """(offset, text) pieces to tag: lines, and long lines a sentence at a time."""
    pos = 0
    for line in s.split("\n"):
        if line.strip():
            if len(line) <= _MAX_SEG:
                yield pos, line
            else:
                for m in _SEG_RE.finditer(line):
                    if m.group().strip():
                        yield pos + m.start(), m.group()
        pos += len(line) + 1


# ---------------------------------------------------------------- recall from the CRF's marginals
# Where the best label sequence has O but the CRF gives the entity labels a fair share of the
# probability, the most probable entity span there is added (左翎 in 廖京生和左翎主演, 纪委 in
# 最怕见纪委的人). Only where the whole sequence is unsure: a position's P(O) is at least the
# probability of the best sequence, so a sentence whose best sequence has P >= 1 - MARGINAL_MIN
# costs one call (~4 % more CPU time in all). Tuned on held-out training data: dev F1 +0.17 alone,
# +0.23 more on top of the plain-word filter above (which also drops its ordinary words); within
# 0.1 of that for thresholds 0.3-0.4. Organisations found so still face _check_crf (score = sureness).
MARGINAL_MIN = 0.35
# no single-character places or organisations from marginals (美, 华, 法: mostly wrong on dev)
_MARGINAL_SINGLE = ("PER",)


def _marginal_spans(tagger, labels: Sequence[str]) -> list[tuple[str, int, int, float]]:
    """(crf type, start, end, score) of the best span in each run of positions that the best
    sequence labels O but whose P(O) is at most 1 - MARGINAL_MIN; a span's score is the least
    marginal of its BIOES labels. Call right after ``tagger.tag``."""
    n = len(labels)
    if not n or tagger.probability(labels) >= 1 - MARGINAL_MIN:
        return []
    marg = tagger.marginal
    unsure = [lab == "O" and marg("O", i) <= 1 - MARGINAL_MIN for i, lab in enumerate(labels)]
    out = []
    i = 0
    while i < n:
        if not unsure[i]:
            i += 1
            continue
        j = i
        while j < n and unsure[j]:
            j += 1
        best = (0.0, "", 0, 0)
        for t in ("PER", "LOC", "ORG"):
            B = [marg("B-" + t, k) for k in range(i, j)]
            I = [marg("I-" + t, k) for k in range(i, j)]
            E = [marg("E-" + t, k) for k in range(i, j)]
            S = [marg("S-" + t, k) for k in range(i, j)] if t in _MARGINAL_SINGLE else None
            for a in range(i, j):
                if S is not None and S[a - i] > best[0]:
                    best = (S[a - i], t, a, a + 1)
                m = B[a - i]  # least marginal of B-, I-... so far
                for b in range(a + 2, j + 1):
                    sc = min(m, E[b - 1 - i])
                    if sc > best[0]:
                        best = (sc, t, a, b)
                    m = min(m, I[b - 1 - i])
                    if m <= best[0]:
                        break
        if best[0] >= MARGINAL_MIN:
            out.append((best[1], best[2], best[3], best[0]))
        i = j
    return out


def _crf_norm(s: str, sureness: dict[tuple[int, int], float] | None = None, recall: bool = False) -> list[Span]:
    """CRF spans over normalised text ``s`` (tagged a line, or a sentence of a long line, at a time).

    With ``sureness`` (a dict), records for each organisation span ``(start, end)`` the least
    marginal probability of its labels. With ``recall``, adds the spans of ``_marginal_spans``.
    """
    if not s.strip():
        return []
    tagger, gaz, words = _load()
    tri, extra = _state["trigrams"], _state["extra"]
    out: list[Span] = []
    for off, seg in _pieces(s):
        feats = sentence_features(seg, gaz, words, tri, extra, as_bytes=True)
        with _tag_lock:
            labels = tagger.tag(feats)
            spans = _labels_to_spans(labels)
            if sureness is not None:
                for t, a, b in spans:
                    if t == "ORG":
                        sureness[(a + off, b + off)] = min(tagger.marginal(labels[k], k) for k in range(a, b))
            if recall:
                for t, a, b, score in _marginal_spans(tagger, labels):
                    spans.append((_CRF_TYPES[t], a, b))
                    if sureness is not None and t == "ORG":
                        sureness[(a + off, b + off)] = score
                spans.sort(key=lambda x: x[1])
        for t, a, b in spans:
            out.append((t, a + off, b + off))
    return out


def crf_spans(text: str) -> list[Span]:
    """The bare CRF (no rules), for evaluation."""
    return _crf_norm(normalise(text))


_PRIORITY = {"date": 5, "money": 5, "byline": 4, "role": 4, "mou": 4, "namerun": 4, "known": 3, "org": 3, "crf": 2, "consistency": 1}


def _vocabulary() -> frozenset[str]:
    words = _load()[2]
    return words.words if words is not None else frozenset()


def _person_words() -> frozenset[str]:
    pw = _state.get("person_words")
    if pw is None:
        gaz = _load()[1]
        pw = frozenset(w for w, t in gaz.words.items() if t == "PERSON") if gaz is not None else frozenset()
        _state["person_words"] = pw
    return pw


_OPENERS = {"(": ")", "（": "）", "“": "”", "《": "》", "‘": "’", "【": "】"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_TRIM = " \t\u3000,，。、;；:：!！?？\"'“”‘’()（）《》<>[]【】"


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    """Strip spaces and punctuation off a span's edges, keeping balanced brackets/quotes."""
    while a < b and s[a] in _TRIM and not (s[a] in _OPENERS and _OPENERS[s[a]] in s[a + 1 : b]):
        a += 1
    while b > a and s[b - 1] in _TRIM and not (s[b - 1] in _CLOSERS and _CLOSERS[s[b - 1]] in s[a : b - 1]):
        b -= 1
    return a, b


def _resolve(cands: Iterable[tuple[str, Span]], s: str) -> list[Span]:
    """Greedy overlap resolution: higher priority first, then longer spans."""
    items = []
    for src, (t, a, b) in cands:
        a, b = _trim(s, a, b)
        if b > a:
            items.append((_PRIORITY[src], b - a, -a, t, a, b))
    items.sort(reverse=True)
    taken = [False] * len(s)
    out: list[Span] = []
    for _, _, _, t, a, b in items:
        if any(taken[a:b]):
            continue
        for k in range(a, b):
            taken[k] = True
        out.append((t, a, b))
    out.sort(key=lambda x: x[1])
    return out


_ROLE_END_RE = re.compile("(?:" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + ")$")


_BRACKET_RE = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_CLOSERS)) + "]")
_SPACE_RE = re.compile(r"\s")
_LATIN_NAME_RE = re.compile(r"[A-Za-z .·-]+")


def _unbalanced(seg: str) -> bool:
    if not _BRACKET_RE.search(seg):
        return False  # (most spans hold no bracket or quote at all: skip the counting)
    return any(seg.count(o) != seg.count(c) for o, c in _OPENERS.items())


def _clean_crf(s: str, crf: list[Span]) -> list[Span]:
    """Drop CRF spans that cannot be right: a title as a name (区领导), a half-quoted name
    (江门“侨梦苑), a span across spaces or lines (江门日报记者 何榕)."""
    out = []
    for t, a, b in crf:
        if t == "PERSON" and _ROLE_END_RE.search(s, a, b):
            continue
        a, b = _trim(s, a, b)
        if b <= a or _unbalanced(s[a:b]):
            continue
        if _SPACE_RE.search(s, a, b) and not _LATIN_NAME_RE.fullmatch(s, a, b):
            continue  # "江门日报记者 何榕": Chinese names have no spaces inside
        out.append((t, a, b))
    return out


# ---------------------------------------------------------------- checks on the CRF's organisations
# An organisation the CRF proposes is kept when it is a known one (gazetteer), or when it ends the
# way organisations end and the CRF is sure enough of it; otherwise the places inside it are kept
# ("大新县农产品" -> 大新县, "江海区一大新县粤桂协" -> 江海区, 大新县).
# The three thresholds were tuned on held-out training data (train_ner.py --holdout 5000) for the
# 250-iteration model; a model trained with other settings has other marginals: re-tune them.
ORG_END_MIN = 10  # a last character ending at least this many training organisations is an ending
ORG_MIN_MARGINAL = 0.4  # least marginal probability over the span's labels
WEAK_ORG_MIN_MARGINAL = 0.7  # the same, for a span whose last 2-4 characters are no known ending
_INNER_GAP = frozenset("的和与及在是为由等到对向从将被让给了同跟把并或而且这该其各每此个一—-~～至赴往经驻暨")
# Characters found between two places in the training data (和, 驻, 赴, 经 ...) plus function
# words; another character between two places means the second is part of a longer local name
# (外海横海南沙场: 横海南 is a village, not 海南 the province).
_PLACE_GAP = frozenset(
    "一上与东为人从以任侵像允再军冬出到北医去及反受口古同后向和回因在大对将小就属应归往恐或打把抗抵援旅映是晋暨材来杯残由电登的离称等籍经给至获藏被裔西视让设访诉说请赴距返进通逛郊除驻"
    "、，,；;：:—-~～ 及暨并而且这该其各每此我你他她它们个又也都还乃即了着过下里内外间中"
)
_COUNTRY_NEXT = re.compile("人民|政府|共和国|王国|联邦|国内|境内|首都")
_HEAD_TITLE = re.compile("总统|副总统|总理|副总理|首相|国王|女王|外长|外交部长|国防部长|议长|驻华大使|大使")


def _org_endings() -> tuple[frozenset[str], frozenset[str]]:
    """Last characters and last two characters that end organisations: learnt from the
    gazetteer (training entities) plus the organisation suffixes of the lexicon."""
    oe = _state.get("org_endings")
    if oe is None:
        from collections import Counter

        gaz = _load()[1]
        orgs = [w for w, t in gaz.words.items() if t == "ORG"] if gaz is not None else []
        last = Counter(w[-1] for w in orgs)
        tails = Counter(w[-2:] for w in orgs if len(w) >= 3)
        oe = (
            frozenset(c for c, k in last.items() if k >= ORG_END_MIN) | {w[-1] for w in ORG_SUFFIX_SET},
            frozenset(x for x, k in tails.items() if k >= 2) | ORG_SUFFIX_SET,
        )
        _state["org_endings"] = oe
    return oe


def _inner_places(s: str, a: int, b: int, gaz: Gazetteer) -> list[Span]:
    """Known places (with an administrative suffix) inside a rejected organisation span, where a
    place can start: at the span's start, after another place, punctuation or a function word
    (not 海南 in 外海横海南沙场)."""
    out: list[Span] = []
    i = a
    while i < b - 1:
        for L in range(min(b - i, 8), 1, -1):
            w = s[i : i + L]
            if not (gaz.words.get(w) == "PLACE" or (L >= 3 and w[-1] in "省市县区" and gaz.words.get(w[:-1]) == "PLACE")):
                continue
            if not (i == a or (out and out[-1][2] == i) or not rules.is_han(s[i - 1]) or s[i - 1] in _INNER_GAP):
                continue
            if i + L < b and s[i + L] in "省市县区" and w[-1] not in "省市县区":
                L += 1
            out.append(("PLACE", i, i + L))
            i += L
            break
        else:
            i += 1
    return out


_KNOWN_PLACE_SET = frozenset(KNOWN_PLACES)
_PLACE_CHARS = frozenset("东南西北中上下内外前后大小新老省市县区镇乡村州盟旗岛湾港洲河江湖山峰岭道路街")


def _slogan_prefix(w: str, gaz: Gazetteer) -> int:
    """Length of a modifier before a known place that makes a campaign name rather than a longer
    place (绿美江海, 美丽中国, 平安广东): two characters, neither a place word nor a known entity,
    before a well-known place (the lexicon's, or a known country/province/city/county/district);
    0 when ``w`` is no such name."""
    head, rest = w[:2], w[2:]
    if gaz.words.get(head) is not None or not (
        rest in _KNOWN_PLACE_SET or (len(rest) >= 3 and rest[-1] in "国省市县区" and gaz.words.get(rest) == "PLACE")
    ):
        return 0  # (not 吉信 + 大厦, 印刷 + 博物馆: buildings are places in the training data)
    if head[0] in _PLACE_CHARS or head[1] in _PLACE_CHARS:
        return 0
    return 2


def _check_crf(s: str, crf: list[Span], sureness: dict[tuple[int, int], float] | None = None) -> list[Span]:
    """Second thoughts on the CRF's spans (see the constants above).

    * a place one character after another place, that character being no word that links
      places, is dropped (外海横海南沙场);
    * a "person" followed by 人民/政府/共和国..., or by a head-of-state title and a person, is a
      country (马拉维总统穆卢齐);
    * an organisation not in the gazetteer goes when its last character ends no organisations,
      when the CRF is unsure of it (``sureness``: least marginal per span), or when its end cuts a
      word in two (粤桂协|作) without a known organisation ending; its places stay.
    """
    gaz, words = _state["gaz"], _state["words"]
    person_starts = {a for t, a, b in crf if t == "PERSON"}
    ends, tails = _org_endings() if gaz is not None else (frozenset(), frozenset())
    ws = None
    out: list[Span] = []
    prev: Span | None = None
    for t, a, b in crf:
        w = s[a:b]
        if (
            t == "PLACE"
            and prev is not None
            and prev[0] == "PLACE"
            and prev[2] == a - 1
            and rules.is_han(s[a - 1])
            and s[a - 1] not in _PLACE_GAP
        ):
            continue
        prev = (t, a, b)
        if t == "PLACE" and gaz is not None and b - a >= 4 and gaz.words.get(w) is None:
            k = _slogan_prefix(w, gaz)
            if k:
                a += k  # 绿美江海, 美丽中国: a campaign name; the known place in it stays
                w = s[a:b]
        if t == "PERSON" and b - a >= 2 and (gaz is None or gaz.words.get(w) != "PERSON"):
            m = _HEAD_TITLE.match(s, b)
            if _COUNTRY_NEXT.match(s, b) or (m and m.end() in person_starts):
                t = "PLACE"
        if t == "ORG" and gaz is not None and gaz.words.get(w) != "ORG":
            known_tail = any(x in tails for x in (w[-2:], w[-3:], w[-4:]))
            bad = w[-1] not in ends
            if not bad and sureness is not None:
                bad = sureness.get((a, b), 1.0) < (ORG_MIN_MARGINAL if known_tail else WEAK_ORG_MIN_MARGINAL)
            if not bad and not known_tail and words is not None:
                if ws is None:
                    ws = words.boundaries(s)[0]
                bad = any(ws[k] and k + ws[k] > b for k in range(a + 1, b))
            if bad:
                out.extend(_inner_places(s, a, b, gaz))
                continue
        out.append((t, a, b))
    return out


def paragraph_spans(text: str) -> list[Span]:
    """All entities of one paragraph (no cross-paragraph context)."""
    s = normalise(text)
    if not s.strip():
        return []  # (no entity is all blank; and the model, needed below, is loaded only for text)
    sureness: dict[tuple[int, int], float] = {}
    crf = rules.extend_admin(s, _crf_norm(s, sureness, recall=True))
    crf = _clean_crf(s, crf)
    plain = _state["plain"]
    if plain:
        crf = [x for x in crf if (s[x[1] : x[2]], x[0]) not in plain]  # 钟声, 朝阳: ordinary words
    checked = _check_crf(s, crf, sureness)
    crf_person = {a: b for t, a, b in crf if t == "PERSON"}
    cands: list[tuple[str, Span]] = []
    cands += [("date", x) for x in rules.date_spans(s)]
    cands += [("money", x) for x in rules.money_spans(s)]
    # a name from a byline or after a role loses to a place/organisation the CRF found there
    taken = [(a, b) for t, a, b in crf if t != "PERSON"]
    bylines = rules.byline_spans(s, crf_person)
    roles = rules.role_name_spans(s, crf_person, _vocabulary())
    for src, found in (("byline", bylines), ("role", roles)):
        cands += [(src, x) for x in found if not any(a < x[2] and x[1] < b for a, b in taken)]
    # (a known organisation is no run of names glued together: 联合国教科文组织)
    gz = _state["gaz"].words if _state["gaz"] is not None else {}
    runs = [x for x in crf if not (x[0] == "ORG" and gz.get(s[x[1] : x[2]]) == "ORG")]
    cands += [("namerun", x) for x in rules.name_run_spans(s, runs, _person_words())]
    cands += [("mou", x) for x in rules.surname_mou_spans(s)]
    cands += [("known", x) for x in rules.known_person_spans(s)]
    # the suffix rule sees the checked spans: it can restore an organisation the check dropped
    # (中国应急管理学会, the CRF unsure) with the place the check kept as its head
    cands += [("org", x) for x in rules.org_suffix_spans(s, checked)]
    cands += [("org", x) for x in rules.government_spans(s, checked)]
    cands += [("crf", x) for x in checked]
    return _resolve(cands, s)


_TITLE_AFTER_SURNAME = (
    "书记", "区长", "市长", "县长", "镇长", "省长", "主任", "主席", "部长", "局长", "处长", "科长", "厅长", "院长", "校长", "所长",
    "行长", "会长", "董事长", "总经理", "经理", "厂长", "队长", "站长", "总", "董", "老师", "先生", "女士", "小姐", "师傅", "教授",
    "博士", "医生", "警官", "律师", "某某", "某",
)
_TITLE_RE = re.compile("|".join(sorted(_TITLE_AFTER_SURNAME, key=len, reverse=True)))


_PLACE_LIKE_SURNAMES = frozenset("区市县省镇乡村")
# shortest name of each type that consistency copies to its other occurrences in the article
_CONSISTENT_MIN_LEN = {"PERSON": 2, "PLACE": 3, "ORG": 4, "DATE": 999, "MONEY": 999}
_SOFT_TITLE_RE = re.compile("先生|女士|小姐|老师|师傅|某某|某")


def consistent_spans(texts: Sequence[str], found: Sequence[list[Span]]) -> list[list[Span]]:
    """Tag every other occurrence of a name found somewhere in the same article.

    Also tags a surname alone before a title ("夏书记", "郭总") when a full name with that surname
    is in the article.
    """
    votes: dict[str, dict[str, int]] = {}
    surnames: set[str] = set()
    for text, spans in zip(texts, found):
        for t, a, b in spans:
            if b - a >= _CONSISTENT_MIN_LEN[t]:
                w = text[a:b]
                votes.setdefault(w, {}).setdefault(t, 0)
                votes[w][t] += 1
                if t == "PERSON" and 2 <= b - a <= 4 and "某" not in w:
                    surnames.add(w[:2] if w[:2] in COMPOUND_SURNAMES else w[0])
    if not votes and not surnames:
        return [list(s) for s in found]
    names = {w: max(v.items(), key=lambda kv: kv[1])[0] for w, v in votes.items()}
    out = []
    for text, spans in zip(texts, found):
        cands: list[tuple[str, Span]] = [("crf", x) for x in spans]  # already resolved: keep all
        extra = False
        have = {(a, b) for _, a, b in spans}
        grown: set[Span] = set()  # persons inside a longer person name of the article at that spot
        for w, t in names.items():
            i = text.find(w)
            while i >= 0:
                j = i + len(w)
                if (i, j) not in have:
                    cands.append(("consistency", (t, i, j)))
                    extra = True
                    if t == "PERSON":
                        inside = [x for x in spans if x[1] < j and i < x[2]]
                        if inside and all(x[0] == "PERSON" and i <= x[1] and x[2] <= j for x in inside):
                            grown.update(inside)  # 李志|发表示 beside 李志发介绍: 李志发
                i = text.find(w, j)
        if grown:
            cands = [c for c in cands if c[1] not in grown]
        for sur in surnames:
            i = text.find(sur)
            while i >= 0:
                e = i + len(sur)
                if (
                    _TITLE_RE.match(text, e)
                    and not (i > 0 and rules.is_han(text[i - 1]))  # 区委书记: not a surname on its own
                    and not (sur in _PLACE_LIKE_SURNAMES and not _SOFT_TITLE_RE.match(text, e))  # 区总工会
                ):
                    cands.append(("consistency", ("PERSON", i, e)))
                    extra = True
                i = text.find(sur, e)
        if not extra:
            out.append(list(spans))
            continue
        out.append(_resolve(cands, normalise(text)))
    return out
