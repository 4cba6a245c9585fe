"""The CRF layer of the recogniser: one model folder loaded into a :class:`Model`, and tagging
normalised text with it (best labels, plus recall from the marginals where the CRF was unsure).

A model folder (``resources/ner``, written by build_scripts/train_ner.py) holds ``crf.model``,
``config.json`` (which features the model was trained with), ``gazetteer.tsv``, ``words.txt``
and ``plain_words.tsv``.
"""

from __future__ import annotations

import json
import operator
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path
from typing import Sequence

from .features import Gazetteer, WordList, sentence_features
from .spans import Span
from app.lexicon import KNOWN_PERSONS, KNOWN_PLACES, ORG_SUFFIX_SET

_CRF_TYPES = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}


def model_dir() -> Path:
    """``resources/ner`` (``BAOZHI_NER_MODEL_DIR`` overrides it, for evaluating a new model)."""
    override = os.environ.get("BAOZHI_NER_MODEL_DIR")
    if override:
        return Path(override)
    from app.paths import resource

    return resource("ner")


@dataclass(frozen=True, slots=True)
class Model:
    """Everything read from one model folder, and what is derived from it once."""

    tagger: object  # a pycrfsuite.Tagger: tag only while holding tag_lock
    gaz: Gazetteer | None
    words: WordList | None
    trigrams: bool  # features the model was trained with (config.json)
    extra: frozenset[str]
    plain: frozenset[tuple[str, str]]  # (string, type) pairs that are rarely that entity
    person_words: frozenset[str]  # the gazetteer's persons
    org_ends: frozenset[str]  # last characters that end organisations
    org_tails: frozenset[str]  # last two characters (and the lexicon's suffixes) that do
    tag_lock: threading.Lock = field(default_factory=threading.Lock, compare=False)
    places: dict[str, str] = field(default_factory=dict, compare=False)  # places.tsv: name -> level

    @property
    def vocabulary(self) -> frozenset[str]:
        return self.words.words if self.words is not None else frozenset()


def load_model(d: Path) -> Model:
    import pycrfsuite

    cfg_path = d / "config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
    tagger = pycrfsuite.Tagger()
    tagger.open(str(d / "crf.model"))
    places = _read_places(d / "places.tsv")
    gaz = _read_gazetteer(d / "gazetteer.tsv", places) if cfg.get("gazetteer", True) else None
    words = WordList.from_lines((d / "words.txt").read_text(encoding="utf-8")) if cfg.get("words") else None
    known = gaz.words.items() if gaz is not None else ()
    ends, tails = _org_endings([w for w, t in known if t == "ORG"])
    return Model(
        tagger=tagger, gaz=gaz, words=words, trigrams=bool(cfg.get("trigrams")), extra=frozenset(cfg.get("extra", ())),
        plain=_read_plain_words(d / "plain_words.tsv"),
        person_words=frozenset(w for w, t in known if t == "PERSON"), org_ends=ends, org_tails=tails,
        places=places,
    )


def _read_places(path: Path) -> dict[str, str]:
    """China's administrative divisions (build_scripts/make_gazetteer.py): name -> level."""
    if not path.exists():
        return {}
    from .rules.local_news import read_places

    return read_places(path.read_text(encoding="utf-8"))


# levels of places.tsv that join the gazetteer the CRF's features look up. None: with the
# current model (trained on MSRA's gazetteer features alone) adding full names cost 0.3 and
# short forms 1.1 micro F1 on the modern development set; the divisions work through the rules
# (rules/local_news.py). A model trained with them as features may take them (retrain, re-tune).
GAZETTEER_PLACE_LEVELS: frozenset[str] = frozenset()


def _read_gazetteer(path: Path, places: dict[str, str] | None = None) -> Gazetteer:
    """The training entities (word<TAB>type), plus the lexicon's places (and the
    administrative divisions of ``GAZETTEER_PLACE_LEVELS``)."""
    entries: dict[str, str] = {}
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                w, _, t = line.rstrip("\n").partition("\t")
                if w and t:
                    entries[w] = t
    for w in KNOWN_PLACES:
        entries.setdefault(w, "PLACE")
    if GAZETTEER_PLACE_LEVELS:
        for w, level in (places or {}).items():
            if level in GAZETTEER_PLACE_LEVELS:
                entries.setdefault(w, "PLACE")
    return Gazetteer(entries)


# a last character ending at least this many training organisations is an organisation ending
# (tuned with the thresholds of recogniser._check_crf)
ORG_END_MIN = 10


def _org_endings(orgs: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Last characters and last two characters that end organisations: learnt from the
    gazetteer's organisations plus the organisation suffixes of the lexicon."""
    last = Counter(w[-1] for w in orgs)
    tails = Counter(w[-2:] for w in orgs if len(w) >= 3)
    return (
        frozenset(c for c, k in last.items() if k >= ORG_END_MIN) | {w[-1] for w in ORG_SUFFIX_SET},
        frozenset(x for x, k in tails.items() if k >= 2) | ORG_SUFFIX_SET,
    )


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


def _labels_to_spans(labels: Sequence[str]) -> list[Span]:
    """Spans from BIO or BIOES labels (a span also ends where the type changes). Only the
    positions not labelled O are visited (most are O); a gap between two of them is an O."""
    spans: list[Span] = []
    cur, start, prev = None, 0, -2
    for i in compress(range(len(labels)), map(operator.ne, labels, repeat("O"))):
        lab = labels[i]
        if cur is not None and i != prev + 1:
            spans.append((_CRF_TYPES.get(cur, cur), start, prev + 1))
            cur = None
        pre, t = lab[0], lab[2:]
        if pre in "BS" or t != cur:
            if cur is not None:
                spans.append((_CRF_TYPES.get(cur, cur), start, i))
            cur, start = t, i
        if pre in "ES":
            spans.append((_CRF_TYPES.get(cur, cur), start, i + 1))
            cur = None
        prev = i
    if cur is not None:
        spans.append((_CRF_TYPES.get(cur, cur), start, prev + 1))
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


def tag(model: Model, s: str, sureness: dict[tuple[int, int], float] | None = None, recall: bool = False) -> list[Span]:
    """CRF spans over normalised text ``s`` (tagged a line, or a sentence of a long line, at a time).

    With ``sureness`` (a dict), records for each organisation span ``(start, end)`` the least
    marginal probability of its labels. With ``recall``, adds the spans of ``_marginal_spans``.
    """
    tagger, gaz, words, tri, extra = model.tagger, model.gaz, model.words, model.trigrams, model.extra
    out: list[Span] = []
    for off, seg in _pieces(s):
        feats = sentence_features(seg, gaz, words, tri, extra, as_bytes=True)
        with model.tag_lock:
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
