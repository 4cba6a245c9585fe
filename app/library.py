"""The service layer the command line and the window share: sources -> articles.

A :class:`Library` holds the opened sources in order; each keeps its decoded text and its
articles, and each article remembers its source. Parsing happens once per source content
(keyed by the SHA-256 of the bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.model import ENTITY_TYPES, Article, EntitySpan
from app.segment.source import split_source
from app.sources import SourceError, SourceText, display_path, read_source


@dataclass
class LoadedSource:
    source: SourceText
    articles: list[Article]


@dataclass
class Library:
    sources: list[LoadedSource] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sources for a in s.articles]

    def add(self, path: str | Path) -> LoadedSource:
        """Read and split one source; raises :class:`SourceError` for a bad file."""
        text = read_source(path)
        loaded = LoadedSource(text, parse_source(text))
        self.sources.append(loaded)
        return loaded

    def add_many(self, paths: list[str | Path], expand_folders: bool = False) -> list[SourceError]:
        """Add every readable source; collect the errors of the others instead of stopping.

        With ``expand_folders`` (the window's Open folder) a folder stands for the text files in
        it; otherwise a folder is reported as an error like any other unreadable source.
        """
        errors: list[SourceError] = []
        for path in expand_paths(paths) if expand_folders else [Path(p) for p in paths]:
            try:
                self.add(path)
            except SourceError as err:
                errors.append(err)
        self.errors.extend(errors)
        return errors


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
    return split_source(text.text, source=display_path(text.path), source_key=text.sha256)


TEXT_SUFFIXES = {".txt", ".text", ""}


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given; a folder stands for the text files directly and deeply inside it, sorted."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
                       and not f.name.startswith("."))
            )
        else:
            out.append(p)
    return out


# --- entities, computed once per source content and model --------------------------------------


@lru_cache(maxsize=1)
def entity_model_version() -> str:
    """Identifies the shipped entity model (and the splitter's output format) in cache keys."""
    from app.paths import resource

    from app import __version__

    digest = hashlib.sha256(f"entities-v1 {__version__}".encode())
    for name in ("ner/crf.model", "ner/config.json", "ner/gazetteer.tsv", "ner/words.txt"):
        path = resource(name)
        if path.is_file():
            digest.update(path.read_bytes())
    # the rules are code: a checkout's edits to them must not be masked by an old cache
    rules = Path(__file__).resolve().parent / "entities"
    for path in sorted(rules.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def entity_cache_dir(index_dir: Path) -> Path:
    """Entities are cached beside the search index they feed (the index ignores this folder)."""
    return Path(index_dir) / "entities"


def annotate_sources(sources: list[LoadedSource], cache_dir: Path | None = None, cancel=None) -> int:
    """Fill ``entities`` of every article of ``sources`` that has none yet.

    With ``cache_dir``, a source's entities are read from (or written to) a small JSON file keyed
    by the source's content hash and the model version, so the recogniser runs once per page.
    Returns how many sources had to be recognised. ``cancel()`` is checked between sources.
    """
    from app.entities import annotate_articles

    recognised = 0
    for loaded in sources:
        if cancel is not None and cancel():
            break
        if loaded.articles and all(a.entities for a in loaded.articles):
            continue
        cached = cache_dir / f"{loaded.source.sha256}-{entity_model_version()}.json" if cache_dir else None
        if cached is not None and _load_entities(cached, loaded.articles):
            continue
        annotate_articles(loaded.articles)
        recognised += 1
        if cached is not None:
            _save_entities(cached, loaded.articles)
    return recognised


def _load_entities(path: Path, articles: list[Article]) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if len(data) != len(articles):
            return False
        spans = [[EntitySpan(**e) for e in rows] for rows in data]
        for article, rows in zip(articles, spans):
            for e in rows:  # a cache that does not fit the text is ignored, not trusted
                if not _fits(e, article):
                    return False
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return False
    for article, rows in zip(articles, spans):
        article.entities = rows
    return True


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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump([[e.to_dict() for e in a.entities] for a in articles], f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
