"""The service layer the command line and the window share: sources -> articles.

A :class:`Library` holds the opened sources in order; each keeps its decoded text and its
articles, and each article remembers its source. Parsing happens once per source content
(keyed by the SHA-256 of the bytes). The reader's corrections of the splitter
(:mod:`app.corrections`, kept per source content in the data folder) are applied right after the
split, so the window and the command line both see them.

One module because every path through it is the same lifecycle of a source — stat, read, split
(or take the stored split), correct — and the window, the command line, the indexer child and
the pools' workers all enter it at different points of that one sequence. The entities of the
sources and their cache, the step after, are :mod:`app.entity_cache`.
"""

from __future__ import annotations

import logging
import os
import stat
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from app.corrections import Correction, CorrectionStore, apply_corrections, digest
from app.model import Article
from app.segment import version as segment_version
from app.sources import SourceError, SourceText, display_path, read_source
from app.store import split_key

log = logging.getLogger("baozhi.library")


def split_source(text: str, source: str = "", source_key: str = "") -> list[Article]:
    """:func:`app.segment.source.split_source`, imported when a page must first be split: a
    command on an unchanged library never loads the splitting rules."""
    from app.segment.source import split_source as split

    return split(text, source=source, source_key=source_key)


def splitter_version() -> str:
    """The splitter's version (``app.segment.version.SPLITTER_VERSION``)."""
    return segment_version.SPLITTER_VERSION


@dataclass
class LoadedSource:
    source: SourceText
    articles: list[Article]  # (a property, see below: read from the article store on first use)
    corrections: list[Correction] = field(default_factory=list)  # the reader's, kept for this content
    skipped: list[Correction] = field(default_factory=list)  # those whose place is gone from the split
    notices: list[str] = field(default_factory=list)  # what the reader should be told (a damaged file)
    # a source opened lazily (``articles`` given as None): the store and key its articles are read
    # from when first asked for (split again if the store lost them)
    store: object = field(default=None, repr=False, compare=False)
    store_key: str = field(default="", repr=False, compare=False)
    # the articles are the store's StoredArticle heads (the window's lazy opening): they cross to
    # the indexer child as the store's folder and key, and the child reads them there
    heads_only: bool = field(default=False, repr=False, compare=False)

    @classmethod
    def lazily(cls, source: SourceText, store, store_key: str) -> "LoadedSource":
        """A source opened lazily: what ``LoadedSource(source, None, store=store,
        store_key=store_key)`` makes, in a third of the time (10,000 at a time on the command line)."""
        item = cls.__new__(cls)
        item.__dict__.update(source=source, _articles=None, corrections=[], skipped=[], notices=[], store=store,
                             store_key=store_key, heads_only=False)
        return item

    @property
    def index_key(self) -> str:
        """This source's key in the search index and the entity cache: its content hash, and for
        a corrected source a digest of the corrections and the splitter version with it (so a
        corrected page is indexed again, and its uncorrected entry dropped)."""
        if not self.corrections:
            return self.source.sha256
        return f"{self.source.sha256}.{digest(self.corrections, splitter_version())}"

    @property
    def articles_loaded(self) -> bool:
        return self.__dict__.get("_articles") is not None

    def article_ids(self) -> list[str]:
        """The ids of the articles in order: from the store without reading the articles when
        they are not loaded yet."""
        if not self.articles_loaded and self.store is not None:
            ids = self.store.ids(self.store_key)
            if ids is not None:
                return ids
        return [a.id for a in self.articles]

    def article_count(self) -> int:
        """``len(self.article_ids())`` without making the list when the articles are at hand (at
        100k articles, making every source's ids to count them was 25 ms of the GUI thread)."""
        if self.articles_loaded or self.store is None:
            return len(self.articles)
        return len(self.article_ids())  # (from the store, without reading the articles)

    def __getstate__(self):
        """Pickled (for the indexer child) with its articles, without the store; a source opened
        with its heads only, with the store's folder instead (the child reads the articles there:
        :func:`fetch_from_store`)."""
        state = dict(self.__dict__)
        if self.heads_only and self.store is not None:
            state["_articles"] = None
            state["store"] = str(self.store.folder)
        else:
            state["_articles"] = self.articles
            state["store"] = None
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)
        if isinstance(self.store, str):
            self.store = _store_at(self.store)
            self.heads_only = False


_stores: dict[str, object] = {}


def _store_at(folder: str):
    """One :class:`app.store.ArticleStore` per folder in this process (the indexer child's)."""
    if folder not in _stores:
        from app.store import ArticleStore

        _stores[folder] = ArticleStore(folder)
    return _stores[folder]


def fetch_from_store(sources: list[LoadedSource]) -> None:
    """Read the articles of every source not yet read (lazily opened) from its store, in a few queries."""
    Library(sources=sources).fetch_articles()


def store_origin(source: SourceText) -> tuple[str, str, str, str]:
    """What :meth:`app.store.ArticleStore.lazy_many` needs of a source to read its articles
    lazily: its name as shown, its path, its content hash and its encoding."""
    return display_path(source.path), str(source.path), source.sha256, source.encoding


def heads_from_store(sources: list[LoadedSource]) -> None:
    """Give every source not yet read (lazily opened) its articles' heads from its store, in a
    few queries, as :class:`app.store.StoredArticle` objects: paragraphs are read when asked for
    and let go again (the indexer child held every paragraph of 100,000 articles for its whole
    run). A source the store lost, or a second source of the same content, is read as usual
    when its articles are first asked for."""
    waiting = [s for s in sources if not s.articles_loaded and s.store is not None]
    if not waiting:
        return
    origins: dict[str, tuple[str, str, str, str]] = {}
    for s in waiting:
        origins.setdefault(s.store_key, store_origin(s.source))
    found = waiting[0].store.lazy_many(origins)
    for s in waiting:
        articles = found.pop(s.store_key, None)  # (pop: no articles shared by two sources)
        if articles is not None:
            s.articles = articles


def _get_articles(self: LoadedSource) -> list[Article]:
    articles = self.__dict__.get("_articles")
    if articles is None:
        if self.store is not None:
            articles = self.store.get(self.store_key, source=display_path(self.source.path))
        if articles is None:
            articles = parse_source(self.source)
            if self.store is not None:
                self.store.put(self.store_key, articles)
        self.__dict__["_articles"] = articles
    return articles


def _set_articles(self: LoadedSource, articles: list[Article] | None) -> None:
    self.__dict__["_articles"] = articles


LoadedSource.articles = property(_get_articles, _set_articles,
                                 doc="The source's articles (read from the article store on first use).")


@dataclass
class Library:
    sources: list[LoadedSource] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    # where the reader's corrections are kept (None: app.paths.corrections_dir(); False: none applied)
    corrections_dir: Path | None | bool = None
    # the article store that keeps each split (None: app.store.store_dir(); False: none, split each time)
    store: object = None
    # True: sources known to the store are opened without reading their articles (the command line);
    # ``articles`` reads them when asked (all at once, see fetch_articles)
    lazy: bool = False

    @property
    def articles(self) -> list[Article]:
        self.fetch_articles()
        return [a for s in self.sources for a in s.articles]

    def fetch_articles(self) -> None:
        """Read the articles of every lazily opened source from the store in a few queries."""
        waiting = [s for s in self.sources if not s.articles_loaded and s.store is not None]
        for s, articles in zip(waiting, read_lazily(waiting)):
            if articles is not None:
                s.articles = articles

    def iter_articles(self, step: int = 500):
        """Every article in order, as :attr:`articles`, but those of lazily opened sources are read
        ``step`` sources at a time and not kept (the memory of ``baozhi articles`` at 100k)."""
        for start in range(0, len(self.sources), step):
            part = self.sources[start:start + step]
            waiting = [s for s in part if not s.articles_loaded and s.store is not None]
            read = dict(zip(map(id, waiting), read_lazily(waiting)))
            for s in part:
                articles = read.get(id(s))
                yield from (articles if articles is not None else s.articles)

    def article_ids(self) -> list[str]:
        """The ids of all the articles in order, without reading the articles of lazily opened
        sources (the store keeps their ids apart)."""
        lazy = [s for s in self.sources if not s.articles_loaded and s.store is not None]
        kept = lazy[0].store.ids_many([s.store_key for s in lazy]) if lazy else {}
        out: list[str] = []
        for s in self.sources:
            ids = kept.get(s.store_key) if not s.articles_loaded else None
            out.extend(ids if ids is not None else (a.id for a in s.articles))
        return out

    def article_store(self):
        """The :class:`app.store.ArticleStore` in use, or None."""
        if self.store is False:
            return None
        if self.store is None:
            from app.store import ArticleStore

            self.store = ArticleStore()
        return self.store

    def correction_store(self) -> CorrectionStore | None:
        if self.corrections_dir is False:
            return None
        if self.corrections_dir is None:
            from app.paths import corrections_dir

            self.corrections_dir = corrections_dir()
        return CorrectionStore(Path(self.corrections_dir))

    def add(self, path: str | Path) -> LoadedSource:
        """Read and split one source, with its corrections; raises :class:`SourceError` for a bad file."""
        loaded = open_sources([path], self.article_store(), self.correction_store(), lazy=self.lazy,
                              stop_at_error=True)[0][0]
        self.sources.append(loaded)
        return loaded

    def add_many(self, paths: list[str | Path], expand_folders: bool = False, stop_at_error: bool = False,
                 workers: int | None = None, progress=None) -> list[SourceError]:
        """Add every readable source; collect the errors of the others instead of stopping (or,
        with ``stop_at_error``, raise the first in order).

        With ``expand_folders`` (the window's Open folder) a folder stands for the text files in
        it; otherwise a folder is reported as an error like any other unreadable source. Sources
        the store does not know are read and split by a pool of ``workers`` processes (default:
        one per core when there are many). ``progress(done, total)`` follows the splitting.
        """
        files = expand_paths(paths) if expand_folders else list(paths)
        loaded, errors = open_sources(files, self.article_store(), self.correction_store(), lazy=self.lazy,
                                      stop_at_error=stop_at_error, workers=workers, progress=progress)
        self.sources.extend(loaded)
        self.errors.extend(errors)
        return errors


POOL_MIN_SOURCES = 16  # fewer sources to split than this are split in this process
POOL_CHUNK = 8  # sources per task of the pool


def cpu_count() -> int:
    """The cores this process may use."""
    count = getattr(os, "process_cpu_count", None)
    n = count() if count else None
    if not n:
        try:
            n = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            n = os.cpu_count() or 1
    return max(1, n)


def _light(text: SourceText) -> SourceText | str:
    """What a pool's task is given of a source: its text when read, else its path (read there)."""
    return text if text.text_loaded else text.path


def _split_many(sources: list) -> list[list[Article] | SourceError]:
    """A pool's task: the splits of a few sources (a path is read first)."""
    out: list[list[Article] | SourceError] = []
    for source in sources:
        try:
            out.append(parse_source(source if isinstance(source, SourceText) else read_source(source)))
        except SourceError as err:
            out.append(err)
    return out


def pool_context():
    """fork on Linux in a process with one thread (fast: the command line), else spawn (forking a
    process with threads, the window's, can copy a lock some other thread holds; spawn needs
    ``multiprocessing.freeze_support()`` in a frozen program's entry point)."""
    import multiprocessing
    import sys
    import threading

    fork = sys.platform.startswith("linux") and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def open_sources(paths: list[str | Path], store=None, corrections: CorrectionStore | None = None,
                 lazy: bool = False, stop_at_error: bool = False, workers: int | None = None,
                 progress=None, heads: bool = False, executor=None) -> tuple[list[LoadedSource], list[SourceError]]:
    """Open ``paths`` as sources, in order, with the article store ``store`` (an
    :class:`app.store.ArticleStore`, or None to split every source).

    A file whose stat the store's stat cache knows is not read; one it does not is read and hashed
    (and remembered). A source whose split the store keeps is not split; the others are split —
    in a pool of processes when there are many — and kept. With ``lazy`` the articles of a kept
    split are not even read until asked for (``LoadedSource.articles``). The reader's corrections
    are applied to the split as always (a corrected source is never lazy).

    With ``heads`` (the window) every source the store keeps — those just split included — is
    given its articles' heads as :class:`app.store.StoredArticle`: headlines, dates, authors and
    ledes in memory, paragraphs read from the store when asked for."""
    version = splitter_version()
    known: list[SourceText | SourceError] = []
    stats: list = []
    listed = store.known_list(paths, version) if store is not None and paths else None
    if listed is not None:  # the same list of unchanged files as a run before: nothing to look up
        known = [SourceText(str(raw), None, encoding, sha256) for raw, (sha256, encoding) in zip(paths, listed)]
    for raw in paths if listed is None else ():
        path = str(raw)
        source: SourceText | SourceError | None = None
        st = None
        try:
            st = os.stat(path)
        except OSError:
            pass
        if store is not None and st is not None and stat.S_ISREG(st.st_mode):
            hit = store.lookup_stat(path, st)
            if hit is not None:
                source = SourceText(path, None, hit[1], hit[0])
        known.append(source)
        stats.append(st)

    # files the stat cache does not vouch for are read and hashed (and remembered)
    remembered = []
    texts: dict[int, SourceText] = {}
    for i, source in enumerate(known):
        if source is None:
            try:
                text = read_source(paths[i])
            except SourceError as err:
                known[i] = err
                continue
            known[i] = texts[i] = text
            if stats[i] is not None:
                remembered.append((str(paths[i]), stats[i], text.sha256, text.encoding))
    if stop_at_error:  # the first bad source stops it all, before anything is written
        for source in known:
            if isinstance(source, SourceError):
                raise source
    if store is not None:
        store.remember_stats(remembered)

    # sources the store has no split of are split, in a pool of processes when there are many
    keys = {s.sha256: split_key(s.sha256, version) for s in known if isinstance(s, SourceText)}
    if listed is not None:
        have = set(keys.values())  # (a listed source's split was kept, see ArticleStore.known_list)
    else:
        have = store.has_many(keys.values()) if store is not None and keys else set()
    todo = [i for i, s in enumerate(known) if isinstance(s, SourceText) and keys[s.sha256] not in have]
    done_split: dict[int, list[Article]] = {}
    n_workers = cpu_count() if workers is None else max(1, workers)
    if len(todo) >= POOL_MIN_SOURCES and (n_workers > 1 or executor is not None):
        from concurrent.futures import ProcessPoolExecutor

        chunks = [todo[i:i + POOL_CHUNK] for i in range(0, len(todo), POOL_CHUNK)]
        # ``executor``: the caller's pool, kept over several calls (the window's load opens 500
        # files a call: a pool of its own each time would start its processes again each time)
        with (nullcontext(executor) if executor is not None
              else ProcessPoolExecutor(max_workers=n_workers, mp_context=pool_context())) as pool:
            tasks = [[_light(known[i]) for i in chunk] for chunk in chunks]
            for chunk, answers in zip(chunks, pool.map(_split_many, tasks)):
                for i, answer in zip(chunk, answers):
                    if isinstance(answer, SourceError):
                        known[i] = answer
                    else:
                        done_split[i] = answer
                if progress is not None:
                    progress(len(done_split), len(todo))
    else:
        for i in todo:
            try:
                done_split[i] = parse_source(known[i])  # (a known file whose split was lost: read now)
            except SourceError as err:
                known[i] = err
            if progress is not None:
                progress(len(done_split), len(todo))
    for i in texts:  # the text is not kept: the store has the articles, the file the text
        if isinstance(known[i], SourceText):
            known[i] = SourceText(known[i].path, None, known[i].encoding, known[i].sha256)
    kept_fresh = True
    if store is not None:
        fresh = list({keys[known[i].sha256]: articles for i, articles in done_split.items()}.items())
        for start in range(0, len(fresh), 200):
            kept_fresh = store.put_many(dict(fresh[start:start + 200])) and kept_fresh
        if listed is None and kept_fresh and stats and all(isinstance(s, SourceText) for s in known) \
                and all(st is not None and stat.S_ISREG(st.st_mode) for st in stats):
            store.remember_list(paths, version, [(st, s.sha256, s.encoding) for st, s in zip(stats, known)])
    lazy_heads: dict[str, list] = {}
    if heads and store is not None:
        origins = {}
        for i, s in enumerate(known):
            if isinstance(s, SourceText) and (i not in done_split or kept_fresh):
                origins.setdefault(keys[s.sha256], store_origin(s))
        lazy_heads = store.lazy_many(origins) if origins else {}

    # corrections: the folder listed once; a source with corrections is loaded whole
    corrected = corrections.corrected() if corrections is not None else set()
    loaded: list[LoadedSource] = []
    errors: list[SourceError] = []
    eager = [i for i, s in enumerate(known) if isinstance(s, SourceText) and i not in done_split
             and (not lazy or s.sha256 in corrected) and keys[s.sha256] not in lazy_heads]
    names: dict[str, str] = {}  # (the first of several sources of the same content gets these)
    for i in eager:
        names.setdefault(split_key(known[i].sha256, version), display_path(known[i].path))
    got = store.get_many(list(names), names) if store is not None and names else {}
    for i, source in enumerate(known):
        if isinstance(source, SourceError) or source is None:
            err = source if isinstance(source, SourceError) else SourceError(paths[i], "missing")
            if stop_at_error:
                raise err
            errors.append(err)
            continue
        key = keys[source.sha256]
        if key in lazy_heads and source.sha256 not in corrected:
            stored = lazy_heads.pop(key)  # (a second source of the same content reads its own below)
            loaded.append(LoadedSource(source, stored, store=store, store_key=key, heads_only=True))
            continue
        articles = done_split.get(i)
        if articles is None:
            articles = got.pop(key, None)  # (a second source of the same content reads its own)
        if source.sha256 in corrected:
            if articles is None:
                articles = LoadedSource(source, None, store=store, store_key=key).articles
            item = _with_corrections(source, articles, corrections)
        elif articles is None and lazy:
            item = LoadedSource.lazily(source, store, key)
        else:
            item = LoadedSource(source, articles, store=store, store_key=key)
            if articles is None:
                item.articles  # noqa: B018 - read now (the store lost it: split again)
        loaded.append(item)
    return loaded, errors


def _with_corrections(source: SourceText, articles: list[Article], store: CorrectionStore) -> LoadedSource:
    corrections = store.load(source.sha256)
    notices = list(store.notices)
    store.notices.clear()
    for notice in notices:
        log.warning("baozhi: %s", notice)
    if not corrections:
        return LoadedSource(source, articles, notices=notices)
    applied = apply_corrections(articles, corrections, source.sha256)
    if applied.skipped:
        log.warning("baozhi: %s: %s", display_path(source.path), skipped_text(applied.skipped))
    return LoadedSource(source, applied.articles, list(corrections), applied.skipped, notices)


def read_lazily(waiting: list[LoadedSource]) -> list[list[Article] | None]:
    """The articles of lazily opened sources from their store, in a few queries (None for a source
    the store lost, or a second source of the same content: read on its own)."""
    if not waiting:
        return []
    names: dict[str, str] = {}
    for s in waiting:
        names.setdefault(s.store_key, display_path(s.source.path))
    found = waiting[0].store.get_many(list(names), names)
    return [found.pop(s.store_key, None) for s in waiting]  # (pop: no articles shared by two sources)


MERGE_STEP = 2_000  # sources per step of a merge (~1 ms)


def merge_sources(open_sources: list[LoadedSource], loaded: list[LoadedSource], step: int = MERGE_STEP):
    """Add ``loaded`` to ``open_sources`` as one library, as a generator of short steps (it yields
    ``None`` between steps and returns the merged list).

    A loaded file whose path is open replaces that source (a reload); one whose content is already
    open under another path is left out (the same page twice); the rest are appended in order. By
    dictionaries: a scan of the open sources per loaded one took 25 s for 10,000 pages."""
    sources = list(open_sources)
    at_path: dict[str, int] = {}
    contents: Counter[str] = Counter()
    for start in range(0, len(sources), step):
        part = sources[start:start + step]
        at_path.update(zip((s.source.path for s in part), range(start, start + len(part))))
        contents.update(s.source.sha256 for s in part)
        yield
    for start in range(0, len(loaded), step):
        for item in loaded[start:start + step]:
            same_path = at_path.get(item.source.path)
            if same_path is not None:
                contents[sources[same_path].source.sha256] -= 1
                sources[same_path] = item
            elif contents[item.source.sha256] <= 0:
                at_path[item.source.path] = len(sources)
                sources.append(item)
            else:
                continue
            contents[item.source.sha256] += 1
        yield
    return sources


def merged(open_sources: list[LoadedSource], loaded: list[LoadedSource]) -> list[LoadedSource]:
    """:func:`merge_sources` in one go."""
    steps = merge_sources(open_sources, loaded)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def parse_source(text: SourceText) -> list[Article]:
    """The splitter's articles of a source, without the reader's corrections."""
    return split_source(text.text, source=display_path(text.path), source_key=text.sha256)


def load_source(text: SourceText, store: CorrectionStore | None = None,
                corrections: list[Correction] | None = None) -> LoadedSource:
    """A source split and corrected: with ``corrections`` as given, else as ``store`` keeps them.
    A correction whose place is gone is skipped (``skipped``) and logged; never an error."""
    return corrected_source(text, store, corrections)[0]


def corrected_source(text: SourceText, store: CorrectionStore | None = None,
                     corrections: list[Correction] | None = None) -> tuple[LoadedSource, list[str | None]]:
    """:func:`load_source`, with the id of the article each correction produced or changed (None
    for one skipped): what the window selects after a correction."""
    articles = parse_source(text)
    notices: list[str] = []
    if corrections is None:
        if store is None or not store.folder.is_dir():
            return LoadedSource(text, articles), []
        corrections = store.load(text.sha256)
        notices = list(store.notices)
        store.notices.clear()
    for notice in notices:
        log.warning("baozhi: %s", notice)
    if not corrections:
        return LoadedSource(text, articles, notices=notices), []
    applied = apply_corrections(articles, corrections, text.sha256)
    if applied.skipped:
        log.warning("baozhi: %s: %s", display_path(text.path), skipped_text(applied.skipped))
    loaded = LoadedSource(text, applied.articles, list(corrections), applied.skipped, notices)
    return loaded, applied.focus


def skipped_text(skipped: list[Correction]) -> str:
    """One line on corrections that no longer fit the page."""
    what = "; ".join(c.describe() for c in skipped)
    n = len(skipped)
    return f"{n} correction{'s' if n != 1 else ''} no longer fit{'s' if n == 1 else ''} the page and " \
           f"{'was' if n == 1 else 'were'} skipped ({what})"


TEXT_SUFFIXES = {".txt", ".text", ""}


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given; a folder stands for the text files directly and deeply inside it, sorted."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(map(Path, text_files_in(p)))
        else:
            out.append(p)
    return out


def _suffix(name: str) -> str:
    """``Path(name).suffix``, lower case."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def text_files_in(folder: str | Path) -> list[str]:
    """The text files directly and deeply inside ``folder`` (:data:`TEXT_SUFFIXES`, no hidden
    names), sorted as paths are (by their parts); folders that are symbolic links are not entered.
    From ``os.scandir``'s entries, which know a file from a folder without a system call each:
    ``Path.rglob`` took ~0.1 s for a decade's 10,000 pages, on every command given their folder.
    Each folder's entries are walked sorted by name, files and folders together, a folder's own
    files where its name falls: the order of sorting whole paths by their parts, without making
    and comparing 10,000 lists of parts (21 ms against 9 for one folder of 10,000 pages)."""
    out: list[str] = []
    stack = [iter([os.fspath(Path(folder))])]  # per folder being walked, its entries still to see
    by_name = attrgetter("name") if os.path.normcase("A") == "A" else (lambda e: os.path.normcase(e.name))
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if type(entry) is not str:  # (the root is given as its path)
            try:
                if not entry.is_dir() or entry.is_symlink():
                    if not entry.name.startswith(".") and entry.is_file() and _suffix(entry.name) in TEXT_SUFFIXES:
                        out.append(entry.path)
                    continue
            except OSError:
                continue
        try:
            with os.scandir(entry if type(entry) is str else entry.path) as found:
                entries = sorted(found, key=by_name)
        except OSError:
            continue  # unreadable: left out, as rglob does
        stack.append(iter(entries))
    return out
