"""The splitter's version, in a module of its own: the article store, the search index and the
entity cache key on it, and reading it must not import the whole splitter (an unchanged library is
never split, so a command that only searches does not load the splitting rules at all)."""

SPLITTER_VERSION = "2026.12.03-21"
"""The version of the splitting rules. It MUST change whenever a change to the splitter (this
:mod:`.source`, :mod:`.unwrap`, :mod:`.issue`, :mod:`.lines`, :mod:`.headline`, :mod:`.assemble`, the
lexicon it reads) can change the articles a source gives: the article cache, the search index,
the entities cache and the reader's corrections are keyed on it, so stale splits are made again
rather than served (and corrections made against another split are re-checked)."""
