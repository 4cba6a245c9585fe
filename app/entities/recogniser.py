"""The recogniser: CRF tagging (a lazily loaded :class:`~app.entities.crf.Model`) + news rules +
in-article consistency.

A :class:`Recogniser` holds one model folder's model, loaded on first use, once, under a lock;
nothing about the model lives in module state. The module-level functions use :data:`default`,
the recogniser of ``model_dir()`` (``BAOZHI_NER_MODEL_DIR`` read when it loads).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Sequence

from . import rules
from .rules import local_news as local
from .consistency import consistent_spans
from .crf import Model, load_model, model_dir, tag
from .features import Gazetteer, normalise
from app.lexicon import KNOWN_PLACES, TITLES_BEFORE_NAME
from .spans import Span, resolve, trim, unbalanced

__all__ = ["Recogniser", "default", "model_dir", "crf_spans", "paragraph_spans", "consistent_spans", "unload"]


class Recogniser:
    """Entities of text with the model in ``folder`` (``model_dir()`` at load time when None)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._lock = threading.Lock()
        self._model: Model | None = None

    def model(self) -> Model:
        """The model, read from disk by the first caller (the others wait for it)."""
        m = self._model
        if m is None:
            with self._lock:
                m = self._model
                if m is None:
                    m = self._model = load_model(self._folder or model_dir())
        return m

    @property
    def is_loaded(self) -> bool:
        return self._model is not None

    def unload(self) -> None:
        """Forget the model (tests, or after changing ``BAOZHI_NER_MODEL_DIR``)."""
        with self._lock:
            self._model = None

    def crf_spans(self, text: str) -> list[Span]:
        """The bare CRF (no rules), for evaluation."""
        s = normalise(text)
        return tag(self.model(), s) if s.strip() else []

    def paragraph_spans(self, text: str) -> list[Span]:
        """All entities of one paragraph (no cross-paragraph context)."""
        s = normalise(text)
        if not s.strip():
            return []  # (no entity is all blank; and the model is loaded only for text)
        return _paragraph_spans(self.model(), s)

    def article_spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """The entities of each paragraph of one article, names found in one tagged in all."""
        found = consistent_spans(texts, [self.paragraph_spans(t) for t in texts])
        m = self._model
        if m is not None and m.places:
            found = local.article_short_places([normalise(t) for t in texts], found, m.places)
        return found


default = Recogniser()  # the bundled model (or BAOZHI_NER_MODEL_DIR's): what app.entities uses
crf_spans = default.crf_spans
paragraph_spans = default.paragraph_spans
unload = default.unload


_ROLE_END_RE = re.compile("(?:" + "|".join(sorted(TITLES_BEFORE_NAME, key=len, reverse=True)) + ")$")

_SPACE_RE = re.compile(r"\s")
_LATIN_NAME_RE = re.compile(r"[A-Za-z .·-]+")


def _clean_crf(s: str, crf: list[Span]) -> list[Span]:
    """Drop CRF spans that cannot be right: a title as a name (区领导), a half-quoted name
    (江门“侨梦苑), a span across spaces or lines (江门日报记者 何榕)."""
    out = []
    for t, a, b in crf:
        if t == "PERSON" and _ROLE_END_RE.search(s, a, b):
            continue
        a, b = trim(s, a, b)
        if b <= a or unbalanced(s[a:b]):
            continue
        if _SPACE_RE.search(s, a, b) and not _LATIN_NAME_RE.fullmatch(s, a, b):
            continue  # "江门日报记者 何榕": Chinese names have no spaces inside
        out.append((t, a, b))
    return out


# ---------------------------------------------------------------- checks on the CRF's organisations
# An organisation the CRF proposes is kept when it is a known one (gazetteer), or when it ends the
# way organisations end and the CRF is sure enough of it; otherwise the places inside it are kept
# ("大新县农产品" -> 大新县, "江海区一大新县粤桂协" -> 江海区, 大新县).
# These thresholds and crf.ORG_END_MIN were tuned on held-out training data (train_ner.py --holdout 5000) for the
# 250-iteration model; a model trained with other settings has other marginals: re-tune them.
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


def _check_crf(m: Model, s: str, crf: list[Span], sureness: dict[tuple[int, int], float] | None = None) -> list[Span]:
    """Second thoughts on the CRF's spans (see the constants above).

    * a place one character after another place, that character being no word that links
      places, is dropped (外海横海南沙场);
    * a "person" followed by 人民/政府/共和国..., or by a head-of-state title and a person, is a
      country (马拉维总统穆卢齐);
    * an organisation not in the gazetteer goes when its last character ends no organisations,
      when the CRF is unsure of it (``sureness``: least marginal per span), or when its end cuts a
      word in two (粤桂协|作) without a known organisation ending; its places stay.
    """
    gaz, words, ends, tails = m.gaz, m.words, m.org_ends, m.org_tails
    person_starts = {a for t, a, b in crf if t == "PERSON"}
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
            head = _HEAD_TITLE.match(s, b)
            if _COUNTRY_NEXT.match(s, b) or (head and head.end() in person_starts):
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


def _paragraph_spans(m: Model, s: str) -> list[Span]:
    """All entities of normalised, non-blank paragraph text ``s``."""
    sureness: dict[tuple[int, int], float] = {}
    crf = rules.extend_admin(s, tag(m, s, sureness, recall=True))
    crf = _clean_crf(s, crf)
    plain = m.plain
    if plain:
        crf = [x for x in crf if (s[x[1] : x[2]], x[0]) not in plain]  # 钟声, 朝阳: ordinary words
    places = m.places
    if places:
        crf = local.retype_short_places(s, crf, places)
        crf = local.split_place_chain(s, crf, places)
    crf = local.drop_illnesses(s, local.drop_place_persons(s, local.trim_places(s, local.unglue(s, crf))))
    if m.gaz is not None:
        crf = local.cut_known_org(s, crf, m.gaz.words)
    checked = local.extend_level(s, _check_crf(m, s, crf, sureness))
    crf_person = {a: b for t, a, b in crf if t == "PERSON"}
    cands: list[tuple[str, Span]] = []
    cands += [("date", x) for x in rules.date_spans(s)]
    cands += [("money", x) for x in rules.money_spans(s)]
    # a name from a byline or after a role loses to a place/organisation the CRF found there
    taken = [(a, b) for t, a, b in crf if t != "PERSON"]
    bylines = rules.byline_spans(s, crf_person)
    roles = rules.role_name_spans(s, crf_person, m.vocabulary)
    for src, found in (("byline", bylines), ("role", roles)):
        cands += [(src, x) for x in found if not any(a < x[2] and x[1] < b for a, b in taken)]
    # (a known organisation is no run of names glued together: 联合国教科文组织)
    gz = m.gaz.words if m.gaz is not None else {}
    runs = [x for x in crf if not (x[0] == "ORG" and gz.get(s[x[1] : x[2]]) == "ORG")]
    cands += [("namerun", x) for x in rules.name_run_spans(s, runs, m.person_words)]
    cands += [("mou", x) for x in rules.surname_mou_spans(s)]
    cands += [("known", x) for x in rules.known_person_spans(s)]
    # the suffix rule sees the checked spans: it can restore an organisation the check dropped
    # (中国应急管理学会, the CRF unsure) with the place the check kept as its head
    cands += [("org", x) for x in rules.org_suffix_spans(s, checked, gz)]
    cands += [("org", x) for x in rules.government_spans(s, checked)]
    cands += [("crf", x) for x in checked]
    # today's local news (issue #18): people by form of address, party and government bodies,
    # media and companies, roads and stations, administrative divisions from places.tsv
    addressed = local.address_person_spans(s)
    if addressed:
        # 谭伯, 卢女士 as a role's or the CRF's name: the surname alone is the person
        cut = {a: b for _, a, b in addressed}
        cands = [c for c in cands if not (c[1][0] == "PERSON" and c[1][1] in cut and c[1][2] > cut[c[1][1]]
                                         and local.ADDRESS_RE.match(s, cut[c[1][1]]))]
        cands += [("role", x) for x in addressed]
    cands += [("org", x) for x in local.body_spans(s, checked, places)]
    cands += [("org", x) for x in local.branch_spans(s, checked)]
    cands += [("org", x) for x in local.media_company_spans(s, checked)]
    if places:
        starts = local.place_starts(s, places)
        found = local.admin_place_spans(s, checked, places, m.vocabulary, gz, starts)
        cands += [("place", x) for x in local.station_spans(s, checked, places, m.vocabulary, gz)]
        cands += [("place", x) for x in local.zone_spans(s, checked, places)]
        cands += [("gaz", x) for x in found]
        cands += [("gaz", x) for x in local.short_place_spans(s, checked + found, places, m.vocabulary, gz, starts)]
        cands += [("gaz", x) for x in local.village_spans(s, checked + found)]
    cands += [("place", x) for x in local.road_spans(s, checked + found if places else checked)]
    return resolve(cands, s)
