"""The splitter's one entry point for a whole source file: what the library, the command line and
the benchmarks call. A source may be one page or a whole issue; its lines may be hard-wrapped."""

from __future__ import annotations

from app.model import Article
from app.segment.assemble import split_articles

SPLITTER_VERSION = "2026.12.03-1"
"""The version of the splitting rules. It MUST change whenever a change to the splitter (this
module, :mod:`.unwrap`, :mod:`.issue`, :mod:`.lines`, :mod:`.headline`, :mod:`.assemble`, the
lexicon it reads) can change the articles a source gives: the article cache, the search index,
the entities cache and the reader's corrections are keyed on it, so stale splits are made again
rather than served (and corrections made against another split are re-checked)."""


def split_source(text: str, source: str = "", source_key: str = "") -> list[Article]:
    """The articles of a source file's text, in reading order."""
    return split_articles(text, source=source, source_key=source_key)
