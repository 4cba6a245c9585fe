"""The splitter's one entry point for a whole source file: what the library, the command line and
the benchmarks call. A source may be one page or a whole issue; its lines may be hard-wrapped."""

from __future__ import annotations

from app.model import Article
from app.segment.assemble import split_articles


def split_source(text: str, source: str = "", source_key: str = "") -> list[Article]:
    """The articles of a source file's text, in reading order."""
    return split_articles(text, source=source, source_key=source_key)
