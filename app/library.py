"""The service layer the command line and the window share: sources -> articles.

A :class:`Library` holds the opened sources in order; each keeps its decoded text and its
articles, and each article remembers its source. Parsing happens once per source content
(keyed by the SHA-256 of the bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.model import Article
from app.segment import split_articles
from app.sources import SourceError, SourceText, read_source


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


def parse_source(text: SourceText) -> list[Article]:
    return split_articles(text.text, source=text.path, source_key=text.sha256)


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
