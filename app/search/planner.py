"""The one query planner, for the index and the scan alike.

A query is parsed (:mod:`app.search.query`) into groups of literals (AND of ORs) and exclusions;
each literal's documents come from the searcher (the index from its postings, the scan from the
folded texts), the groups are intersected, the exclusions removed, and what is left is ranked by
:func:`app.search.scoring.score`. A query of Latin letters only that nothing contains is tried
again as pinyin (:func:`pinyin_fallback`). The index and the scan differ only in how they find a
literal's documents, so they return the same hits in the same order (an index may skip scoring
the unlikeliest of a very large result: :meth:`Searcher.shortlist`).

The reader's marks (``is:starred``, ``is:unread``, ``is:read``, ``tag:``, ``note:``) live outside
the index, in :mod:`app.marks`: the planner itself turns such a literal into the documents whose
article ids the marks store names (:func:`mark_docs`), for the index and the scan alike, so they
combine with everything else (AND, OR, exclusion); they add nothing to a hit's score.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from heapq import nsmallest
from typing import Protocol

from app.model import SearchHit
from app.search import pinyin, scoring
from app.search.pinyin import PinyinMatch
from app.search.query import MARK_FIELDS, Literal, QueryPlan, clean_query, parse_query
from app.search.results import HitList, PendingHits, SearchResult

MARKABLE = ("all", "title", "subtitle", "body")
SCORE_CHUNK = 1000  # documents scored per step (each step holds the interpreter: ~1-2 ms)


class Searcher(scoring.Scorable, Protocol):
    """What the planner asks of the index or the scan; documents are ints."""

    pinyin_found: dict[Literal, dict[int, PinyinMatch]]  # this query's pinyin matches, by literal
    # (optional) make only this many hits now, the rest when asked (SearchResult.pending)
    hits_now: int | None

    def shortcut(self, plan: QueryPlan, limit: int | None) -> tuple[int, list[SearchHit]] | None:
        """A faster way to the same answer for this plan, or None."""

    def matching(self, lit: Literal) -> tuple[set[int], object]:
        """The documents whose field holds the literal, and a ranking hint for :meth:`shortlist`."""

    def excluding(self, docs: set[int], lit: Literal) -> set[int]:
        """``docs`` without those whose field holds the literal."""

    def shortlist(self, result: set[int], positives: list[Literal], keep: int, hint: object) -> set[int]:
        """The documents of a large ``result`` worth scoring for the best ``keep``."""

    def hit(self, doc: int, score: float, positives: list[Literal]) -> SearchHit: ...


def search(searcher: Searcher, query: str, limit: int | None) -> SearchResult:
    """Parse, plan, find, rank (trying pinyin when an all-letter query finds nothing)."""
    start = time.perf_counter()
    query = clean_query(query if isinstance(query, str) else str(query))
    if limit is not None:
        limit = max(0, int(limit))
    plan = parse_query(query)
    searcher.pinyin_found = {}
    try:
        total, hits = execute(searcher, plan, limit)
        fallback = None if total else pinyin_fallback(plan)
        if fallback is not None:
            plan = fallback
            total, hits = execute(searcher, plan, limit)
        found_marks = marks(plan, searcher.pinyin_found)
    finally:
        searcher.pinyin_found = {}
    took = round((time.perf_counter() - start) * 1000, 3)
    by_pinyin = any(lit.field == "pinyin" for lit in plan.literals) and bool(total)
    return SearchResult(query, total, took, list(hits), marks=found_marks, pinyin=by_pinyin,
                        pending=getattr(hits, "pending", None))


def execute(searcher: Searcher, plan: QueryPlan, limit: int | None) -> tuple[int, list[SearchHit]]:
    """``(total, best hits)`` of a parsed query."""
    if not plan.groups:
        return 0, []
    with_marks = has_marks(plan)
    quick = None if with_marks else searcher.shortcut(plan, limit)
    if quick is not None:
        return quick
    result, df, hint = find(searcher, plan)
    total = len(result)
    if not total:
        return 0, []
    positives = [lit for lit in plan.literals if lit.field not in MARK_FIELDS] if with_marks else plan.literals
    chosen = result
    if limit is not None and total > 4 * (limit + 16) and limit < total:
        chosen = searcher.shortlist(result, positives, limit + 16, hint)
    return total, rank(searcher, chosen, positives, df, limit)


def find(searcher: Searcher, plan: QueryPlan) -> tuple[set[int], dict[Literal, int], object]:
    """Every document of a parsed query, unranked: ``(documents, each literal's document
    frequency, the ranking hint of a lone first literal)``."""
    if not plan.groups:
        return set(), {}, None
    group_sets: list[set[int]] = []
    df: dict[Literal, int] = {}
    hint = None
    for group in plan.groups:
        union: set[int] = set()
        for lit in group:
            if lit.field in MARK_FIELDS:
                docs, lit_hint = mark_docs(searcher, lit), None
            else:
                docs, lit_hint = searcher.matching(lit)
            df[lit] = len(docs)
            if lit is plan.groups[0][0] and len(group) == 1:
                hint = lit_hint
            union |= docs
        group_sets.append(union)
    group_sets.sort(key=len)
    result = group_sets[0]
    for s in group_sets[1:]:
        if not result:
            break
        result = result & s
    for lit in plan.exclude:
        if not result:
            break
        result = result - mark_docs(searcher, lit) if lit.field in MARK_FIELDS else searcher.excluding(result, lit)
    return result, df, hint


def has_marks(plan: QueryPlan) -> bool:
    """Does the query ask about the reader's marks?"""
    return any(lit.field in MARK_FIELDS for lit in plan.literals) or any(lit.field in MARK_FIELDS
                                                                           for lit in plan.exclude)


def mark_docs(searcher: Searcher, lit: Literal) -> set[int]:
    """The documents a mark literal finds: the marks store's article ids, as this searcher's
    documents. A store that cannot be read finds nothing (a search never fails for it)."""
    import sqlite3

    from app import marks
    from app.search.analysis import fold

    try:
        ids, negate = marks.active_store().matching_ids(lit.field, lit.text, fold)
    except (sqlite3.Error, OSError, marks.MarksError):
        ids, negate = set(), False
    found = docs_of_ids(searcher, ids) if ids else set()
    return live_docs(searcher) - found if negate else found


def docs_of_ids(searcher, ids: set[str]) -> set[int]:
    """The live documents of these article ids (the searcher's ``docs_of_ids`` when it has one)."""
    own = getattr(searcher, "docs_of_ids", None)
    if own is not None:
        return own(ids)
    return _index_docs_of_ids(searcher.loaded, ids)


def live_docs(searcher) -> set[int]:
    """Every live document (the searcher's ``live_docs`` when it has one)."""
    own = getattr(searcher, "live_docs", None)
    if own is not None:
        return own()
    loaded = searcher.loaded
    out = set(range(loaded.doc_count))
    for placed in loaded.segments:
        out.difference_update(placed.offset + d for d in placed.seg.deleted)
    return out


_SEGMENT_IDS: OrderedDict = OrderedDict()  # (segment key, ids) -> its documents of those ids
_SEGMENT_IDS_KEEP = 64


def _index_docs_of_ids(loaded, ids: set[str]) -> set[int]:
    """An index's documents of these article ids, from its ``id`` terms, segment by segment (no
    stored record is read). A segment never changes its documents, so what it gave for a set of
    ids is kept: typing after ``is:starred`` looks nothing up again (3,000 ids: ~11 ms a segment)."""
    out: set[int] = set()
    wanted = frozenset(ids)
    for placed in loaded.segments:
        leaf, seg, offset = placed.leaf, placed.seg, placed.offset
        key = (getattr(seg, "key", None), wanted)
        local = _SEGMENT_IDS.get(key) if key[0] is not None else None
        if local is None:
            local = []
            for aid in wanted:
                if ("id", aid) in leaf:
                    local.extend(leaf.postings("id", aid).all_ids())
            if key[0] is not None:
                _SEGMENT_IDS[key] = local
                while len(_SEGMENT_IDS) > _SEGMENT_IDS_KEEP:
                    _SEGMENT_IDS.popitem(last=False)
        else:
            _SEGMENT_IDS.move_to_end(key)
        deleted = seg.deleted
        out.update(offset + d for d in local if d not in deleted)
    return out


def matching_docs(searcher: Searcher, query: str) -> list[int]:
    """Every document :func:`search` finds for ``query`` with no limit (the pinyin fallback
    included), in document order, neither ranked nor given snippets: what a timeline or a network
    of a search counts. It skips :meth:`Searcher.shortcut`, whose totals may come from document
    frequencies: here the documents themselves are wanted."""
    query = clean_query(query if isinstance(query, str) else str(query))
    plan = parse_query(query)
    searcher.pinyin_found = {}
    try:
        docs = find(searcher, plan)[0]
        fallback = None if docs else pinyin_fallback(plan)
        if fallback is not None:
            docs = find(searcher, fallback)[0]
    finally:
        searcher.pinyin_found = {}
    return sorted(docs)


def rank(searcher: Searcher, docs, positives: list[Literal], df: dict[Literal, int],
         limit: int | None) -> list[SearchHit]:
    """The best ``limit`` (or all) of ``docs`` as hits: highest score first, then document order."""
    docs = sorted(docs)
    best: list[tuple[float, int]] = []
    for start in range(0, len(docs), SCORE_CHUNK):
        part = docs[start:start + SCORE_CHUNK]
        keys = list(zip(map(float.__neg__, scoring.score(part, positives, df, searcher)), part))
        best = nsmallest(limit, best + keys) if limit is not None else best + keys
    best.sort()
    first = getattr(searcher, "hits_now", None)  # only the first hits made now (see PendingHits)
    if first is None or len(best) <= first:
        # what the hits' snippets need read in one go (a scan's lazily opened articles), let go after
        read_for = getattr(searcher, "read_for_hits", None)
        let_go = read_for([doc for _neg, doc in best]) if read_for is not None else None
        try:
            return [searcher.hit(doc, -neg, positives) for neg, doc in best]
        finally:
            if let_go is not None:
                let_go()
    hits = HitList(searcher.hit(doc, -neg, positives) for neg, doc in best[:first])
    found = searcher.pinyin_found

    def make(doc: int, score: float) -> SearchHit:
        searcher.pinyin_found = found  # (the search reset it when it ended)
        try:
            return searcher.hit(doc, score, positives)
        finally:
            searcher.pinyin_found = {}

    hits.pending = PendingHits(best[first:], make)
    return hits


def pinyin_fallback(plan: QueryPlan) -> QueryPlan | None:
    """An all-letter query that no article contains (``jiangmen``), read as pinyin instead."""
    if plan.literal_fallback or not plan.groups:
        return None
    if not all(lit.field == "all" and pinyin.QUERY_RE.fullmatch(lit.text) for lit in plan.literals):
        return None
    if not all(pinyin.is_pinyin(lit.text) for lit in plan.literals):
        return None
    groups = [[Literal(lit.text, "pinyin") for lit in group] for group in plan.groups]
    return QueryPlan(groups=groups, exclude=plan.exclude)


def marked_texts(positives: list[Literal], found: dict[Literal, dict[int, PinyinMatch]], doc: int) -> list[str]:
    """The folded texts to mark in one hit: its literals, and the Chinese its pinyin matched."""
    texts = [lit.text for lit in positives if lit.field in MARKABLE]
    for lit in positives:
        if lit.field == "pinyin":
            texts.extend(found.get(lit, {}).get(doc, pinyin.NO_MATCH).texts)
    return texts


def marks(plan: QueryPlan, found: dict[Literal, dict[int, PinyinMatch]]) -> list[str]:
    """The folded texts to mark in all hits: the query's literals, then what its pinyin matched,
    most frequent first."""
    out = [lit.text for lit in plan.literals if lit.field in MARKABLE]
    counts: dict[str, int] = {}
    for docs in found.values():
        for match in docs.values():
            for text in match.texts:
                counts[text] = counts.get(text, 0) + 1
    out.extend(sorted(counts, key=lambda t: (-counts[t], t)))
    return list(dict.fromkeys(out))
