"""Consistency within an article: a name found once is tagged wherever else it occurs, and a
surname alone before a title (夏书记, 郭总) is a person when a full name with it was found."""

from __future__ import annotations

import re
from typing import Sequence

from . import rules
from .features import normalise
from app.lexicon import COMPOUND_SURNAMES
from .spans import Span, resolve

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
        out.append(resolve(cands, normalise(text)))
    return out
