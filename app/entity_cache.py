"""The entities of each source, computed once per source content and entity model.

A source's entities are kept in a small file beside the search index they feed (:func:`entity_cache_dir`),
named by the source's content hash (or a corrected source's own key) and the model's version
(:func:`entity_model_version`, a hash of every file the recogniser reads), so the recogniser runs
once per page and a new model re-annotates everything once. Many sources to recognise are shared
among a pool of processes. Split out of :mod:`app.library`, whose sources it annotates.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import zlib
from collections import deque
from functools import lru_cache
from pathlib import Path

from app.library import POOL_MIN_SOURCES, LoadedSource, cpu_count, pool_context, read_lazily, splitter_version
from app.model import ENTITY_TYPES, Article, EntitySpan
from app.store import RACY_NS, stat_tuple


MODEL_FILE_SUFFIXES = (".model", ".tsv", ".txt", ".json")  # the files of resources/ner the tagger reads
VERSION_CACHE = "entity-model-version.json"  # in the data folder: the version and the files' stats it was hashed from


@lru_cache(maxsize=1)
def entity_model_version() -> str:
    """Identifies the shipped entity model (and the splitter's output format) in cache keys.

    It is a hash of every file the tagger reads (the CRF, its config, the gazetteers of training
    names and of China's divisions, the word lists: a new places.tsv changes entities as surely as
    a new crf.model; the model card, licences and recorded metrics change none) and of the rules'
    code in app/entities and its sub-folders (a checkout's edits to them must not be masked by an
    old cache). Those ~7 MB are hashed once: the data folder keeps the version with the files'
    stats (:data:`VERSION_CACHE`), trusted the way the article store's stat cache is (the same
    size, modification and change times and inode of each file, none modified within
    :data:`app.store.RACY_NS` of the hashing)."""
    from app import __version__

    head = f"entities-v1 {__version__} {splitter_version()}"
    files = _model_files()
    stats = _model_stats(files)
    cached = _cached_version(head, stats)
    if cached is not None:
        return cached
    started = time.time_ns()
    h = hashlib.sha256(head.encode())
    for name, path in files:
        h.update(name.encode())
        h.update(path.read_bytes())
    version = h.hexdigest()[:16]
    if stats is not None and all(st[2] < started - RACY_NS for st in stats):
        _keep_version(head, stats, version)
    return version


def _model_files() -> list[tuple[str, Path]]:
    """``(name hashed, path)`` of every file :func:`entity_model_version` covers, in order."""
    from app.paths import resource

    ner = resource("ner")
    files = [(path.name, path) for path in (sorted(ner.iterdir()) if ner.is_dir() else ())
             if path.is_file() and path.suffix in MODEL_FILE_SUFFIXES and path.name != "metrics.json"
             and not path.name.startswith("LICENSE")]
    rules = Path(__file__).resolve().parent / "entities"
    files += [(path.relative_to(rules).as_posix(), path)
              for path in sorted(rules.rglob("*.py"), key=lambda p: p.relative_to(rules).as_posix())]
    return files


def _model_stats(files: list[tuple[str, Path]]) -> list[tuple] | None:
    """``(name, size, mtime_ns, inode, ctime_ns)`` of each file (None when one cannot be read)."""
    try:
        return [(name, *stat_tuple(os.stat(path))) for name, path in files]
    except OSError:
        return None


def _cached_version(head: str, stats: list | None) -> str | None:
    if stats is None:
        return None
    from app.paths import data_dir

    try:
        kept = json.loads((data_dir() / VERSION_CACHE).read_text(encoding="utf-8"))
        if kept["head"] == head and [tuple(s) for s in kept["files"]] == stats:
            return str(kept["version"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _keep_version(head: str, stats: list, version: str) -> None:
    """Write the version cache; a data folder that cannot be written to is left alone."""
    from app.paths import data_dir

    _write_quietly(data_dir() / VERSION_CACHE,
                   json.dumps({"head": head, "files": stats, "version": version}).encode("utf-8"))


def _write_quietly(path: Path, data: bytes) -> None:
    """``data`` into ``path`` all or nothing (a temporary file beside it, renamed over it): a crash
    never leaves half a file. A cache's file: when it cannot be written, nothing is, and no error."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def entity_cache_dir(index_dir: Path) -> Path:
    """Entities are cached beside the search index they feed (the index ignores this folder)."""
    return Path(index_dir) / "entities"


# A source's cached entities: per article, rows [type, text, paragraph, start, end], as JSON,
# deflated. The first form (until this version) was JSON objects with named fields: 314 MB for
# 105,209 articles (321 MB on disk); these are 43 MB (65 MB on disk). A first-form file is read
# once, written anew and removed.
ENTITY_CACHE_SUFFIX = ".ents"
FIRST_ENTITY_CACHE_SUFFIX = ".json"


def entity_cache_file(cache_dir: Path, key: str) -> Path:
    """Where the entities of the source (or corrected source) ``key`` are cached in ``cache_dir``."""
    return Path(cache_dir) / f"{key}-{entity_model_version()}{ENTITY_CACHE_SUFFIX}"


STALE_TEMPORARY_S = 3600  # a cache file's temporary older than this was left by a killed program
_TIDIED: set[str] = set()  # cache folders tidied by this process (once each)


def tidy_entity_cache(cache_dir: Path) -> int:
    """Remove the cached entities of entity models other than this program's and the newest
    other one (an older copy of the program may still be in use beside this one: its cache is
    left alone), and temporaries a killed program left; returns the files removed. Each model
    version had kept a full set (65 MB at 105,209 articles) until the folder was cleared. Files
    whose names this program did not make are left alone."""
    current = entity_model_version()
    others: dict[str, list[os.DirEntry]] = {}
    stale_before = time.time() - STALE_TEMPORARY_S
    removed = 0
    try:
        entries = list(os.scandir(cache_dir))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if name.startswith(".tmp-"):
            try:
                if entry.stat().st_mtime < stale_before:
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                pass
            continue
        stem, dot, suffix = name.rpartition(".")
        key, dash, version = stem.rpartition("-")
        if (dot and dash and key and f".{suffix}" in (ENTITY_CACHE_SUFFIX, FIRST_ENTITY_CACHE_SUFFIX)
                and version != current and len(version) == 16 and all(c in "0123456789abcdef" for c in version)):
            others.setdefault(version, []).append(entry)
    if len(others) > 1:
        def newest(files: list[os.DirEntry]) -> float:
            stamps = []
            for entry in files:
                try:
                    stamps.append(entry.stat().st_mtime)
                except OSError:
                    pass
            return max(stamps, default=0.0)

        kept = max(others, key=lambda version: newest(others[version]))
        for version, files in others.items():
            if version == kept:
                continue
            for entry in files:
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed


def annotate_sources(sources: list[LoadedSource], cache_dir: Path | None = None, cancel=None,
                     workers: int | None = None, progress=None) -> int:
    """Fill ``entities`` of every article of ``sources`` that has none yet.

    With ``cache_dir``, a source's entities are read from (or written to) a small file keyed by
    the source's content hash and the model version (:func:`entity_cache_file`), so the recogniser
    runs once per page.
    Returns how many sources had to be recognised. ``cancel()`` is checked between sources.
    Many sources to recognise are shared among a pool of ``workers`` processes (default: one per
    core); ``progress(done, total)`` follows the sources recognised.
    """
    if cache_dir is not None and str(cache_dir) not in _TIDIED:
        _TIDIED.add(str(cache_dir))
        tidy_entity_cache(Path(cache_dir))
    waiting = [s for s in sources if not getattr(s, "articles_loaded", True) and s.store is not None]
    for loaded, articles in zip(waiting, read_lazily(waiting)):  # lazily opened: read in a few queries
        if articles is not None:
            loaded.articles = articles
    todo: list[tuple[LoadedSource, Path | None]] = []
    for loaded in sources:
        if cancel is not None and cancel():
            return 0
        if loaded.articles and all(a.entities for a in loaded.articles):
            continue
        key = getattr(loaded, "index_key", loaded.source.sha256)  # a corrected source has its own
        cached = entity_cache_file(cache_dir, key) if cache_dir else None
        if cached is not None and _load_entities(cached, loaded.articles):
            continue
        todo.append((loaded, cached))
    n_workers = cpu_count() if workers is None else max(1, workers)
    if len(todo) >= POOL_MIN_SOURCES and n_workers > 1 and (cancel is None or not cancel()):
        return _annotate_in_pool(todo, n_workers, cancel, progress)
    from app.entities import annotate_articles

    recognised = 0
    for loaded, cached in todo:
        if cancel is not None and cancel():
            break
        annotate_articles(loaded.articles)
        recognised += 1
        if cached is not None:
            _save_entities(cached, loaded.articles)
        if progress is not None:
            progress(recognised, len(todo))
    return recognised


ENTITY_CHUNK_CHARS = 200_000  # text per task of the entity pool (a few seconds of recognition)


def _recognise_many(batches: list[list[Article]]) -> list[list[list[EntitySpan]]]:
    """A pool's task: the entities of each article of each source."""
    from app.entities import annotate_articles

    for articles in batches:
        annotate_articles(articles)
    return [[a.entities for a in articles] for articles in batches]


def _annotate_in_pool(todo: list, n_workers: int, cancel, progress) -> int:
    from concurrent.futures import ProcessPoolExecutor

    sizes = [sum(len(p.text) for a in loaded.articles for p in a.paragraphs) for loaded, _ in todo]
    # tasks of at most ENTITY_CHUNK_CHARS, and at least four per worker (so that they end together)
    target = min(ENTITY_CHUNK_CHARS, max(1, sum(sizes) // (4 * n_workers)))
    chunks: list[list[int]] = [[]]
    size = 0
    for i, chars in enumerate(sizes):
        if chunks[-1] and size + chars > target:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += chars
    recognised = 0
    with ProcessPoolExecutor(max_workers=min(n_workers, len(chunks)), mp_context=pool_context()) as pool:
        waiting = iter(chunks)
        running: deque = deque()  # (chunk, future), at most two per worker in flight (memory)
        try:
            while True:
                while len(running) < 2 * n_workers:
                    chunk = next(waiting, None)
                    if chunk is None:
                        break
                    running.append((chunk, pool.submit(_recognise_many, [todo[i][0].articles for i in chunk])))
                if not running or (cancel is not None and cancel()):
                    break
                chunk, future = running.popleft()
                for i, entities in zip(chunk, future.result()):
                    loaded, cached = todo[i]
                    for article, spans in zip(loaded.articles, entities):
                        article.entities = spans
                    if cached is not None:
                        _save_entities(cached, loaded.articles)
                    recognised += 1
                if progress is not None:
                    progress(recognised, len(todo))
        finally:
            for _, future in running:
                future.cancel()
    return recognised


def _load_entities(path: Path, articles: list[Article]) -> bool:
    """Fill ``articles``' entities from the cache file ``path`` (or from a first-form file beside
    it, which is then written in the present form and removed); False when there is none that
    fits the articles' text."""
    rows = _entity_rows(path)
    first_form = None
    if rows is None:
        first_form = path.with_suffix(FIRST_ENTITY_CACHE_SUFFIX)
        rows = _first_form_rows(first_form)
    try:
        if type(rows) is not list or len(rows) != len(articles):
            return False
        spans = [[EntitySpan(*row) for row in article_rows] for article_rows in rows]
        for article, article_spans in zip(articles, spans):
            for e in article_spans:  # a cache that does not fit the text is ignored, not trusted
                if not _fits(e, article):
                    return False
    except (ValueError, TypeError, IndexError):
        return False
    for article, article_spans in zip(articles, spans):
        article.entities = article_spans
    if first_form is not None:
        _save_entities(path, articles)
        try:
            first_form.unlink()
        except OSError:
            pass
    return True


def _entity_rows(path: Path):
    try:
        return json.loads(zlib.decompress(path.read_bytes()))
    except (OSError, ValueError, zlib.error):
        return None


def _first_form_rows(path: Path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [[[e["type"], e["text"], e["paragraph"], e["start"], e["end"]] for e in rows] for rows in data]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _fits(e: EntitySpan, article: Article) -> bool:
    """A known type, whole-number offsets inside one of the article's paragraphs, the same text."""
    numbers = (e.paragraph, e.start, e.end)
    if e.type not in ENTITY_TYPES or not all(type(n) is int for n in numbers):
        return False
    if not (0 <= e.paragraph < len(article.paragraphs) and 0 <= e.start < e.end):
        return False
    return article.paragraphs[e.paragraph].text[e.start:e.end] == e.text


def _save_entities(path: Path, articles: list[Article]) -> None:
    """Atomic: a crash never leaves a half-written cache file (a failure just skips caching)."""
    rows = [[[e.type, e.text, e.paragraph, e.start, e.end] for e in a.entities] for a in articles]
    data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write_quietly(path, zlib.compress(data))
