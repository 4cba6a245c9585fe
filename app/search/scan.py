"""Searching loaded articles without an index: the index's query planner and scorer over a scan.

Until the window's index is ready (first build, an update under way, cancelled, or another
program holding it), queries are answered by :func:`scan_articles` over the loaded articles,
through the same planner and scorer as the index (:mod:`app.search.planner`,
:mod:`app.search.scoring`): the same hits in the same order, pinyin included, so the list does
not change its mind when the index becomes ready. For a large library the indexer child process
runs the scan (:mod:`app.index_worker`), so the window's own interpreter stays free for its GUI
thread; the window scans itself only for small libraries or when no indexer is running.

A literal's articles are found by C-level iterators :data:`SCAN_CHUNK` articles at a time (each
step holds the interpreter ~1-2 ms): typed before the index is ready, a one-character query
matches nearly every article, and a Python test per article cost 0.3 s per keystroke at 100,000
articles, all of it holding the interpreter the GUI needs. Ranking is chunked too
(:func:`app.search.planner.rank`).

Qt-free and Whoosh-free: the window and the indexer child both use it before the index exists.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import attrgetter, contains, is_, methodcaller

from app.model import Article, SearchHit

ENTITY_FIELDS = {"person": "PERSON", "place": "PLACE", "org": "ORG"}
RESULT_LIMIT = 1000  # hits listed at most (the count says how many there are)
SCAN_CHUNK = 1000  # articles tested per C-level step of the scan (each step holds the interpreter: ~1-2 ms)


class _Folded:
    """An article's searchable texts, folded like the index folds them (kept for the next scan)."""

    # Only the folded whole text is kept of the article's body: the original text is made again
    # for the few hits whose snippet is shown, the body sliced off when a body: query asks (kept,
    # both were two more copies of every article's text: about 400 MB at 100,000 articles).
    __slots__ = ("article", "all", "body_start", "fields", "_entities", "_cells")

    def __init__(self, article: Article):
        from app.search.analysis import fold
        from app.search.pages import date_text, page_text
        from app.search.records import searchable_text

        self.article = article
        self.all = fold(searchable_text(article))
        # The body is the end of the whole text, after a line per head part; folding works char
        # by char, so its folded form is the folded text after the folded head parts (slicing it
        # off rather than folding the body again made this a third of its cost).
        head = [fold(p) for p in (article.kicker, article.title, article.subtitle, *article.authors) if p]
        self.body_start = sum(map(len, head)) + len(head) if article.paragraphs else len(self.all)
        self.fields = {
            "title": fold(article.title),
            "subtitle": fold(article.subtitle or ""),
            "authors": "\n".join(map(fold, article.authors)),
            "date": date_text(article),
            "source": fold(article.source),
            "page": page_text(article),
        }
        self._entities = None  # the entity list the person:/place:/org: fields were made from
        self._cells = None  # pinyin cells of the name lines, made on first use

    @property
    def original(self) -> str:
        from app.search.records import searchable_text

        return searchable_text(self.article)

    def text(self, field: str) -> str:
        if field == "all":
            return self.all
        if field == "body":
            return self.all[self.body_start:]
        if field in ENTITY_FIELDS and self.article.entities is not self._entities:
            self._fold_entities()  # they arrived (or changed) since: only these fields are redone
        return self.fields.get(field, "")

    def _fold_entities(self) -> None:
        from app.search.analysis import fold

        entities = self.article.entities
        for field, kind in ENTITY_FIELDS.items():
            # each name once, in order, as the index stores them (app.search.records)
            self.fields[field] = fold("\n".join(dict.fromkeys(e.text for e in entities if e.type == kind)))
        self._entities = entities
        self._cells = None

    def name_lines(self) -> list[str]:
        """What pinyin reads: the title, then the person, place and org names (a line each)."""
        return [self.fields["title"], *(self.text(f).replace("\n", " ") for f in ENTITY_FIELDS)]

    def name_cells(self) -> str:
        """:func:`name_lines` as pinyin cells (:class:`app.search.pinyin.NameCells`)."""
        from app.search import pinyin

        lines = self.name_lines()  # first: may refold the entity fields (and forget the cells)
        if self._cells is None:
            self._cells = pinyin.cells(pinyin.document_text(lines))
        return self._cells


def folded(cache: dict, article: Article) -> _Folded:
    """``article``'s folded texts from ``cache``, made and kept there when missing or stale."""
    texts = cache.get(article.id)
    if texts is None or texts.article is not article:  # a reload makes new Article objects
        texts = cache[article.id] = _Folded(article)
    return texts


def scan_articles(articles: list[Article], query: str, limit: int | None = RESULT_LIMIT,
                  cache: dict | None = None):
    """Search ``articles`` directly (no index): the same query language, ranking and snippets as
    the index. Articles not in ``cache`` yet are folded (and kept there)."""
    from app.search import planner

    articles = list(articles)
    cache = cache if cache is not None else {}
    texts = _all_folded(articles, cache)
    if texts is None:
        texts = fold_all(articles, cache)
    return planner.search(ScanSearcher(articles, texts), query, limit)


FOLD_READ = 500  # articles opened lazily whose paragraphs a scan reads at a time to fold them


def fold_all(articles: list[Article], cache: dict) -> list[_Folded]:
    """:func:`folded` of every article; those not folded yet that were opened lazily have their
    paragraphs read ``FOLD_READ`` at a time in a query or two (one query each, a first scan of
    100,000 took minutes) and let go once folded."""
    from app.store import load_paragraphs, unload_paragraphs

    missing = [a for a in articles if (texts := cache.get(a.id)) is None or texts.article is not a]
    for start in range(0, len(missing), FOLD_READ):
        some = missing[start:start + FOLD_READ]
        read = load_paragraphs(some)
        try:
            for a in some:
                folded(cache, a)
        finally:
            unload_paragraphs(read)
    return [folded(cache, a) for a in articles]


def matching_ids(articles: list[Article], query: str, cache: dict | None = None) -> list[str]:
    """The id of every article of ``articles`` that ``query`` finds (all of them, as
    ``scan_articles(articles, query, limit=None)`` lists them), in the articles' order, without
    ranking or snippets: what a timeline of the search counts. Same planner as the index
    (:func:`app.search.planner.matching_docs`), so the two agree."""
    from app.search import planner

    articles = list(articles)
    cache = cache if cache is not None else {}
    texts = _all_folded(articles, cache)
    if texts is None:
        texts = fold_all(articles, cache)
    return [articles[d].id for d in planner.matching_docs(ScanSearcher(articles, texts), query)]


class ScanSearcher:
    """One query's view of folded articles (a :class:`~app.search.planner.Searcher`); a document is
    an article's place in the list."""

    def __init__(self, articles: list[Article], texts: list[_Folded]):
        self.articles = articles
        self.texts = texts
        self.alls = list(map(attrgetter("all"), texts))
        self.live = len(texts)
        self.avg_len = sum(map(len, self.alls)) / self.live if self.live else 1.0
        self.pinyin_found: dict = {}

    def _column(self, field: str, docs) -> list[str]:
        """The texts of a field of ``docs`` (a list of places, or a slice of them)."""
        if isinstance(docs, slice):
            return self.alls[docs] if field == "all" else list(map(methodcaller("text", field), self.texts[docs]))
        if field == "all":
            return list(map(self.alls.__getitem__, docs))
        return list(map(methodcaller("text", field), map(self.texts.__getitem__, docs)))

    def matching(self, lit) -> tuple[set[int], None]:
        if lit.field == "pinyin":
            return set(self.pinyin_docs(lit)), None
        docs: set[int] = set()
        for start in range(0, self.live, SCAN_CHUNK):
            part = self._column(lit.field, slice(start, start + SCAN_CHUNK))
            docs.update(compress(range(start, start + len(part)), map(contains, part, repeat(lit.text))))
        return docs, None

    def excluding(self, docs: set[int], lit) -> set[int]:
        if lit.field == "pinyin":
            return docs - set(self.pinyin_docs(lit))
        order = sorted(docs)
        return docs - set(compress(order, map(contains, self._column(lit.field, order), repeat(lit.text))))

    def shortcut(self, _plan, _limit) -> None:
        return None

    def docs_of_ids(self, ids: set[str]) -> set[int]:
        """The places of the articles with these ids (what the reader's marks find)."""
        return {d for d, a in enumerate(self.articles) if a.id in ids}

    def live_docs(self) -> set[int]:
        return set(range(len(self.articles)))

    def shortlist(self, result: set[int], _positives, _keep, _hint) -> set[int]:
        return result  # every article is scored: the scan has no cheaper ranking hint

    def lengths(self, docs: list[int]) -> list[int]:
        return list(map(len, map(self.alls.__getitem__, docs)))

    def counts(self, docs: list[int], lit) -> list[int]:
        return list(map(str.count, self._column(lit.field, docs), repeat(lit.text)))

    def in_title(self, docs: list[int], lit) -> list[bool]:
        return list(map(contains, self._column("title", docs), repeat(lit.text)))

    def pinyin_docs(self, lit) -> dict:
        from app.search import pinyin

        found = self.pinyin_found.get(lit)
        if found is None:
            pat = pinyin.pattern(lit.text)
            found = {}
            if pat is not None and self.texts:
                names = pinyin.NameCells("\x00".join(map(methodcaller("name_cells"), self.texts)),
                                         lambda i: self.texts[i].name_lines())
                found = names.find(pat)
            self.pinyin_found[lit] = found
        return found

    def read_for_hits(self, docs: list[int]):
        """Read the paragraphs of the lazily opened articles among ``docs`` (whose snippets are
        about to be made from their text) in a query or two rather than one each (1,000 hits: 1,000
        queries, ~70 ms of every scan in the indexer child); returns what lets them go again."""
        from app.store import load_paragraphs, unload_paragraphs

        read = load_paragraphs(self.articles[d] for d in docs)
        return lambda: unload_paragraphs(read)

    def hit(self, doc: int, score: float, positives) -> SearchHit:
        from app.search.planner import marked_texts
        from app.search.snippet import make_snippet

        a, texts = self.articles[doc], self.texts[doc]
        marked = marked_texts(positives, self.pinyin_found, doc)
        return SearchHit.of(a, score, make_snippet(texts.original, texts.all, marked, prefer_from=texts.body_start))


class _Ranked(ScanSearcher):
    """The planner's best ``(score, order, article, texts)`` instead of hits."""

    read_for_hits = None  # (no snippet made: nothing to read)

    def hit(self, doc: int, score: float, positives):
        return score, doc, self.articles[doc], self.texts[doc]


def _ranked(articles: list[Article], plan, texts: list[_Folded], limit: int | None):
    from app.search import planner

    searcher = _Ranked(articles, texts)
    return planner.execute(searcher, plan, limit)


def _scan_each(articles: list[Article], plan, cache: dict, folded_texts: list[_Folded] | None,
               limit: int | None):
    """``(total, [(score, order, article, texts), ...] best first)`` for any query, folding the
    articles not folded yet (``folded_texts`` from :func:`_all_folded`)."""
    texts = folded_texts if folded_texts is not None else [folded(cache, a) for a in articles]
    return _ranked(articles, plan, texts, limit)


def _scan_whole_texts(articles: list[Article], plan, folded_texts: list[_Folded] | None, limit: int | None):
    """:func:`_scan_each` for a query of plain text only (every literal searches the whole text,
    nothing excluded) over a library folded already; None for any other query or a library not
    all folded."""
    if folded_texts is None or plan.exclude or any(lit.field != "all" for lit in plan.literals):
        return None
    return _ranked(articles, plan, folded_texts, limit)


def _all_folded(articles: list[Article], cache: dict) -> list[_Folded] | None:
    """Every article's folded texts from ``cache``, in order; None when some are missing or stale."""
    texts = list(map(cache.get, map(attrgetter("id"), articles)))
    if None in texts or not all(map(is_, map(attrgetter("article"), texts), articles)):
        return None
    return texts


def _candidates(articles: list[Article], plan, folded_texts: list[_Folded] | None) -> list[Article]:
    """The articles that can match ``plan``, in their order: when every article is folded and
    some group of the query looks only at the whole text, those containing one of its literals,
    found by C-level iterators a few thousand articles at a time."""
    group = next((g for g in plan.groups if all(lit.field == "all" for lit in g)), None)
    if group is None or folded_texts is None:
        return articles
    searcher = ScanSearcher(articles, folded_texts)
    docs: set[int] = set()
    for lit in group:
        docs |= searcher.matching(lit)[0]
    return [articles[d] for d in sorted(docs)]
