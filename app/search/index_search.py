"""Finding a literal's documents in the index's postings (the index's side of :mod:`.planner`).

Searching a single literal that is one gram (1-2 characters, or 3 with a trigram term of its own)
reads no posting list in full when only the first hits are wanted: the total is the document
frequency (less deleted articles), the candidates for ranking come from the segment's short
"hot" list of the gram's highest-frequency documents plus title matches. Longer literals
intersect their rarest trigram lists while that prunes enough to pay, then check the
candidates' text. ``pinyin:`` literals are matched in titles and names (:mod:`app.search.pinyin`).
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains

from whoosh.reading import TermNotFound

from app.model import SearchHit
from app.search import pinyin, planner
from app.search.analysis import gram_buckets, query_grams, query_trigrams, trigram_bucket
from app.search.pinyin import PinyinMatch
from app.search.postings import top_by_weight
from app.search.query import Literal, QueryPlan
from app.search.records import GRAM_FIELDS, original_text
from app.search.segments import Loaded, Placed, pinyin_cells
from app.search.snippet import make_snippet
from app.search.whoosh_private import read_postings
from app.search.writer import BUCKETED, HOT_FIELD, HOT_KEEP, HOT_MIN, TRIGRAM_FIELD


class IndexSearcher:
    """One query's view of an open index (a :class:`~app.search.planner.Searcher`)."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.live = loaded.live
        self.avg_len = loaded.avg_len
        self.pinyin_found: dict[Literal, dict[int, PinyinMatch]] = {}
        # what a single-gram literal's postings already say (see _known_from_postings): its count
        # in each document they list, and every document whose title holds it
        self._tf: dict[Literal, dict[int, int]] = {}
        self._titled: dict[Literal, set[int]] = {}

    # ---------------------------------------------------------------- for scoring

    def lengths(self, docs: list[int]) -> list[int]:
        return list(map(self.loaded.lengths.__getitem__, docs))

    def counts(self, docs: list[int], lit: Literal) -> list[int]:
        known = self._tf.get(lit)
        if known is not None:  # from the postings: no text read (the others are counted below)
            out = list(map(known.get, docs))
            if None in out:
                missing = [d for d, n in zip(docs, out) if n is None]
                counted = dict(zip(missing, self._counts_in_text(missing, lit)))
                out = [counted[d] if n is None else n for d, n in zip(docs, out)]
            return out
        return self._counts_in_text(docs, lit)

    def _counts_in_text(self, docs: list[int], lit: Literal) -> list[int]:
        if lit.field == "all":
            return list(map(str.count, map(self.loaded.folded.__getitem__, docs), repeat(lit.text)))
        out = []
        for d in docs:
            text, lo, hi = self.loaded.field_text(d, lit.field)
            out.append(text.count(lit.text, lo, hi))
        return out

    def in_title(self, docs: list[int], lit: Literal) -> list[bool]:
        titled = self._titled.get(lit)
        if titled is not None:
            return [d in titled for d in docs]
        out = []
        for d in docs:
            text, lo, hi = self.loaded.field_text(d, "title")
            out.append(text.find(lit.text, lo, hi) >= 0)
        return out

    # ---------------------------------------------------------------- for planning

    def contains(self, docnum: int, lit: Literal) -> bool:
        if lit.field == "pinyin":
            return docnum in self.pinyin_docs(lit)
        text, lo, hi = self.loaded.field_text(docnum, lit.field)
        return text.find(lit.text, lo, hi) >= 0

    def excluding(self, docs: set[int], lit: Literal) -> set[int]:
        if lit.field == "all":
            folded, text = self.loaded.folded, lit.text
            return {d for d in docs if text not in folded[d]}
        return {d for d in docs if not self.contains(d, lit)}

    def shortcut(self, plan: QueryPlan, limit: int | None) -> tuple[int, list[SearchHit]] | None:
        if len(plan.groups) == 1 and len(plan.groups[0]) == 1 and not plan.exclude:
            lit = plan.groups[0][0]
            grams = grams_of(lit)
            if len(grams) == 1 and single_gram(lit):
                return self._one_term(lit, grams[0], limit)
            if len(lit.text) == 3 and lit.field == "all":
                # a common trigram: its own term in every segment answers it exactly
                df, found = self._term_infos(TRIGRAM_FIELD, lit.text)
                if df and all(exact for *_rest, exact in found):
                    return self._one_term(lit, (TRIGRAM_FIELD, lit.text), limit)
        return None

    def shortlist(self, result: set[int], positives: list[Literal], keep: int, hint) -> set[int]:
        """Score exactly only the likeliest: the top by the first literal's rarest-gram tf (a
        C-level pass, no per-document Python) plus title matches."""
        chosen: set[int] = set()
        if hint is not None:
            chosen = set(top_by_weight(hint, result, keep))
        if len(chosen) < keep:
            chosen.update(sorted(result - chosen)[: keep - len(chosen)])
        title_lits = [lit for lit in positives if lit.field in ("all", "title")]
        if title_lits:
            chosen.update(self._title_candidates(title_lits, result, keep))
        return chosen

    def hit(self, docnum: int, score: float, positives: list[Literal]) -> SearchHit:
        placed, local = self.loaded.locate(docnum)
        meta = placed.seg.doc_meta(local)
        folded = placed.seg.text(local)
        texts = planner.marked_texts(positives, self.pinyin_found, docnum)
        original = folded
        if meta.differs:
            original = original_text(placed.seg.record(local)[4], folded)
        snippet = make_snippet(original, folded, texts, prefer_from=meta.spans.body_start)
        return SearchHit(id=meta.id, ordinal=meta.ordinal, source=meta.source, title=meta.title, score=score,
                         snippet=snippet)

    # ---------------------------------------------------------------- postings

    def matching(self, lit: Literal) -> tuple[set[int], tuple | None]:
        """Documents whose field contains the literal, exactly; and (docnums, tfs) of its rarest
        gram, a ranking hint."""
        if lit.field == "pinyin":
            return set(self.pinyin_docs(lit)), None
        grams = []
        for index_field, gram in grams_of(lit):
            df, found = self._term_infos(index_field, gram)
            if not df:
                return set(), None
            grams.append((df, gram, found))
        grams.sort(key=lambda g: g[0])
        # The rarest grams give few candidates; the text check below makes them exact, so the
        # commoner grams' long posting lists are read only while they prune enough to pay.
        result, ids, weights, exact = self._read(grams[0][2])
        exact = exact and grams[0][1] == lit.text  # the literal's own postings, not a part's
        for df, _gram, found in grams[1:]:
            if len(result) <= 32 or df > 2 * len(result):
                break
            result &= self._read(found)[0]
            exact = False
        if not (exact and single_gram(lit)) and result:
            if lit.field == "all":
                cands = list(result)
                texts = map(self.loaded.folded.__getitem__, cands)
                result = set(compress(cands, map(contains, texts, repeat(lit.text))))
            else:
                result = {d for d in result if self.contains(d, lit)}
        return result, (ids, weights)

    def pinyin_docs(self, lit: Literal) -> dict[int, PinyinMatch]:
        """Documents whose title or person/place/org names read as the pinyin ``lit.text``."""
        found = self.pinyin_found.get(lit)
        if found is not None:
            return found
        found = {}
        pat = pinyin.pattern(lit.text)
        if pat is not None:
            for placed in self.loaded.segments:
                for local, match in pinyin_cells(placed.seg).find(pat, placed.seg.deleted).items():
                    found[placed.offset + local] = match
        self.pinyin_found[lit] = found
        return found

    def _one_term(self, lit: Literal, gram: tuple[str, str], limit: int | None) -> tuple[int, list[SearchHit]]:
        """A literal read from one gram's postings: the total comes from document frequencies
        (corrected for deleted articles and checked bucket postings), and for a small ``limit``
        the best candidates come from the short "hot" lists instead of the whole posting list."""
        df, found = self._term_infos(*gram)
        if not df:
            return 0, []
        keep = None if limit is None else limit + 16
        total = 0
        # only for a common gram (its total is far above what is kept), so that ranking the hot
        # candidates with the title matches stands for ranking them all
        hot = keep is not None and keep <= HOT_KEEP and df > 4 * keep and gram[0] in ("all", TRIGRAM_FIELD)
        used_hot = False
        ids: list[int] = []
        weights: list = []
        for placed, fieldname, info, btext, exact in found:
            seg, offset, leaf = placed
            if not exact:  # a shared bucket: check each of its (few) documents
                docs = [d for d in read_postings(leaf, fieldname, info, btext)[0]
                        if d not in seg.deleted and self.contains(d + offset, lit)]
                total += len(docs)
                ids.extend(d + offset for d in docs)
                weights.extend(self.counts([d + offset for d in docs], lit))
                continue
            n = info.doc_frequency()
            hot_info = None
            if hot and n > HOT_MIN:
                try:
                    hot_info = leaf.term_info(HOT_FIELD, btext)
                except TermNotFound:
                    hot_info = None
            if hot_info is None:
                seg_ids, seg_weights = read_postings(leaf, fieldname, info, btext)
                if seg.deleted:
                    live = [d not in seg.deleted for d in seg_ids]
                    seg_ids = list(compress(seg_ids, live))
                    seg_weights = list(compress(seg_weights, live))
                total += len(seg_ids)
                ids.extend(map(offset.__add__, seg_ids) if offset else seg_ids)
                weights.extend(seg_weights)
                continue
            total += n - self._deleted_with(placed, fieldname, info, btext, lit)
            used_hot = True
            seg_ids, seg_weights = read_postings(leaf, HOT_FIELD, hot_info, btext)
            for d, w in zip(seg_ids, seg_weights):
                if d not in seg.deleted:
                    ids.append(d + offset)
                    weights.append(w)
        if not total:
            return 0, []
        self._known_from_postings(lit, gram, ids, weights)
        if keep is not None and (total > 4 * keep or used_hot):
            chosen = set(top_by_weight((ids, weights), None, keep))
            if lit.field == "all":
                chosen.update(self._title_candidates([lit], None, keep))
        else:
            chosen = ids
        return total, planner.rank(self, chosen, [lit], {lit: total}, limit)

    def _known_from_postings(self, lit: Literal, gram: tuple[str, str], ids: list[int], weights: list) -> None:
        """Note what ranking a one-gram literal of the whole text would otherwise read each
        candidate's text and record for (~30 µs a document, cold; a common character has a
        thousand candidates): its count in each document of ``ids`` (their postings' term
        frequencies, ``weights``) and the documents whose title holds it (the title's postings
        of the same gram). Only where the two say exactly what the text says: one character, or
        two different ones (a gram's postings count overlapping occurrences, ``str.count`` does
        not: 哈哈 in 哈哈哈), and a title gram with a term of its own in every segment."""
        text = lit.text
        if lit.field != "all" or gram != ("all", text) or not (len(text) == 1 or (len(text) == 2 and text[0] != text[1])):
            return
        self._tf[lit] = dict(zip(ids, weights))
        df, found = self._term_infos("title", text)
        if not all(exact for *_rest, exact in found):
            return
        self._titled[lit] = self._read(found)[0] if df else set()

    def _deleted_with(self, placed: Placed, fieldname: str, info, btext: bytes, lit: Literal) -> int:
        """How many deleted documents of a segment hold an exact single-gram literal."""
        seg, offset, leaf = placed
        if not seg.deleted:
            return 0
        n = info.doc_frequency()
        if len(seg.deleted) * 4 < n:
            return sum(1 for d in seg.deleted if self.contains(d + offset, lit))
        ids = read_postings(leaf, fieldname, info, btext)[0]  # Whoosh may leave deleted ones out
        return n - len(ids) + sum(map(seg.deleted.__contains__, ids))

    def _term_infos(self, fieldname: str, gram: str) -> tuple[int, list]:
        """Document frequency of a gram over all segments, and where its postings are: entries
        ``(placed segment, field, info, btext, exact)``; a trigram, or a unigram or bigram of the
        whole text, without a term of its own in a segment is looked up in its bucket there
        (``exact`` False)."""
        btext = gram.encode("utf-8")
        found = []
        df = 0
        trigram = fieldname == TRIGRAM_FIELD
        for placed in self.loaded.segments:
            leaf = placed.leaf
            try:
                info = leaf.term_info(fieldname, btext)
                exact = True
                key = btext
            except TermNotFound:
                if trigram:  # a rare trigram has no term: every document of the segment may hold it
                    found.append((placed, fieldname, None, None, False))
                    df += placed.seg.count
                    continue
                if fieldname not in BUCKETED:
                    continue
                # a rare unigram or bigram shares a bucket
                key = trigram_bucket(gram, gram_buckets(placed.seg.count)).encode("utf-8")
                try:
                    info = leaf.term_info(fieldname, key)
                except TermNotFound:
                    continue
                exact = False
            found.append((placed, fieldname, info, key, exact))
            df += info.doc_frequency()
        return df, found

    @staticmethod
    def _read(found: list) -> tuple[set[int], list[int], list, bool]:
        """Live global docnums (set), all docnums with their term frequencies (lists), and
        whether every list was exact."""
        all_ids: list[int] = []
        all_weights: list = []
        docs: set[int] = set()
        exact_all = True
        for placed, fieldname, info, btext, exact in found:
            seg, offset, leaf = placed
            if info is None:  # no term in this segment: all its documents (see _term_infos)
                ids, weights = list(range(seg.count)), [1] * seg.count
            else:
                ids, weights = read_postings(leaf, fieldname, info, btext)
            exact_all = exact_all and exact
            if offset:
                ids = list(map(offset.__add__, ids))
            docs.update(ids)
            if seg.deleted:
                docs.difference_update(map(offset.__add__, seg.deleted))
            all_ids.extend(ids)
            all_weights.extend(weights)
        return docs, all_ids, all_weights, exact_all

    def _title_candidates(self, lits: list[Literal], result: set[int] | None, keep: int) -> list[int]:
        """Results whose title holds a literal (they get the title boost), at most about ``keep``."""
        out: set[int] = set()
        best: tuple | None = None
        for lit in lits:
            docs = None
            exact = True
            for gram in query_grams(lit.text):
                df, found = self._term_infos("title", gram)
                if not df:
                    docs = None
                    break
                got, ids, weights, gram_exact = self._read(found)
                exact = exact and gram_exact
                if best is None:
                    best = (ids, weights)
                docs = got if docs is None else docs & got
                if not docs:
                    break
            if not docs:
                continue
            if result is not None:
                docs &= result
            if len(lit.text) > 2 or not exact:  # bigrams of a longer text may all occur without
                # the text, and a rare gram's bucket holds other grams' documents
                title = Literal(lit.text, "title")
                docs = {d for d in docs if self.contains(d, title)}
            out |= docs
        if len(out) > keep:
            return top_by_weight(best, out, keep) if best is not None else sorted(out)[:keep]
        return list(out)


def grams_of(lit: Literal) -> list[tuple[str, str]]:
    """(index field, gram) whose postings hold (a superset of) the literal's documents; a literal
    that is a single gram (1-2 characters, or 3 in the whole text with a term of its own) needs no
    check against the text, except where a rare gram shares a bucket (see app.search.writer). A
    longer one has its trigrams (the common ones have terms) and its bigrams."""
    if lit.field in ("all", "subtitle", "body"):
        trigrams = query_trigrams(lit.text)
        bigrams = [("all", g) for g in query_grams(lit.text)]
        if trigrams:
            return [(TRIGRAM_FIELD, g) for g in trigrams] + bigrams
        return bigrams
    return [(lit.field, g) for g in query_grams(lit.text)]


def single_gram(lit: Literal) -> bool:
    """Is the literal exactly one gram of a field that has gram postings? (Not ``pinyin``: a
    two-letter ``pinyin:qu`` is one gram long but is matched in titles and names.)"""
    return len(lit.text) <= 2 and lit.field in GRAM_FIELDS or (len(lit.text) == 3 and lit.field == "all")
