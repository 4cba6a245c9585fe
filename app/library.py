"""The service layer the command line and the window share: sources -> articles.

A :class:`Library` holds the opened sources in order; each keeps its decoded text and its
articles, and each article remembers its source. Parsing happens once per source content
(keyed by the SHA-256 of the bytes). The reader's corrections of the splitter
(:mod:`app.corrections`, kept per source content in the data folder) are applied right after the
split, so the window and the command line both see them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.corrections import Correction, CorrectionStore, apply_corrections, digest
from app.model import ENTITY_TYPES, Article, EntitySpan
from app.segment import source as segment_source
from app.segment.source import split_source
from app.sources import SourceError, SourceText, display_path, read_source

log = logging.getLogger("baozhi.library")


def splitter_version() -> str:
    """The splitter's version (``app.segment.source.SPLITTER_VERSION``), "" before it had one."""
    return getattr(segment_source, "SPLITTER_VERSION", "")


@dataclass
class LoadedSource:
    source: SourceText
    articles: list[Article]
    corrections: list[Correction] = field(default_factory=list)  # the reader's, kept for this content
    skipped: list[Correction] = field(default_factory=list)  # those whose place is gone from the split
    notices: list[str] = field(default_factory=list)  # what the reader should be told (a damaged file)

    @property
    def index_key(self) -> str:
        """This source's key in the search index and the entity cache: its content hash, and for
        a corrected source a digest of the corrections and the splitter version with it (so a
        corrected page is indexed again, and its uncorrected entry dropped)."""
        if not self.corrections:
            return self.source.sha256
        return f"{self.source.sha256}.{digest(self.corrections, splitter_version())}"


@dataclass
class Library:
    sources: list[LoadedSource] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    # where the reader's corrections are kept (None: app.paths.corrections_dir(); False: none applied)
    corrections_dir: Path | None | bool = None

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sources for a in s.articles]

    def correction_store(self) -> CorrectionStore | None:
        if self.corrections_dir is False:
            return None
        if self.corrections_dir is None:
            from app.paths import corrections_dir

            self.corrections_dir = corrections_dir()
        return CorrectionStore(Path(self.corrections_dir))

    def add(self, path: str | Path) -> LoadedSource:
        """Read and split one source, with its corrections; raises :class:`SourceError` for a bad file."""
        text = read_source(path)
        loaded = load_source(text, self.correction_store())
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

    h = hashlib.sha256(f"entities-v1 {__version__} {splitter_version()}".encode())
    for name in ("ner/crf.model", "ner/config.json", "ner/gazetteer.tsv", "ner/words.txt"):
        path = resource(name)
        if path.is_file():
            h.update(path.read_bytes())
    # the rules are code, in app/entities and its sub-folders (app/entities/rules/…): a checkout's
    # edits to them must not be masked by an old cache
    rules = Path(__file__).resolve().parent / "entities"
    for path in sorted(rules.rglob("*.py"), key=lambda p: p.relative_to(rules).as_posix()):
        h.update(path.relative_to(rules).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


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
        key = getattr(loaded, "index_key", loaded.source.sha256)  # a corrected source has its own
        cached = cache_dir / f"{key}-{entity_model_version()}.json" if cache_dir else None
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
