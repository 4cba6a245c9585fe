"""The recogniser's word lists, now in :mod:`app.lexicon` (one lexicon for the splitter, the
recogniser and search); re-exported here under their old names for build_scripts/train_ner.py."""

from __future__ import annotations

from app.lexicon import (  # noqa: F401
    ADMIN_SUFFIXES,
    COMPOUND_SURNAMES,
    KNOWN_PERSONS,
    KNOWN_PLACES,
    ORG_SUFFIX_SET,
    ORG_SUFFIXES,
    PLACE_SUFFIX_CHARS,
    SINGLE_SURNAMES,
)
from app.lexicon import TITLES_BEFORE_NAME as ROLE_WORDS  # noqa: F401
