"""News-specific rules: dates, money, bylines, role + name, organisation/place suffixes.

All functions take the *normalised* text (see ``chars.normalise``: same length as the
original, full-width ASCII folded) and return ``(type, start, end)`` tuples. They live in three
modules by what they find: :mod:`.dates_money`, :mod:`.persons` and :mod:`.places_orgs`; the
recogniser and the tests use them through this package (``rules.date_spans``, ``rules.is_han``).
"""

from __future__ import annotations

from ..chars import HAN, is_han
from ..spans import Span
from .dates_money import MONEY_RE, date_spans, money_spans
from .persons import (
    BYLINE_RE,
    FOLLOWERS,
    NOT_NAMES,
    ROLE_RE,
    byline_spans,
    known_person_spans,
    name_at,
    name_run_spans,
    role_name_spans,
    starts_follower,
    surname_len,
    surname_mou_spans,
)
from .places_orgs import (
    ORG_SUFFIX_RE,
    STRONG_ORG_SUFFIXES,
    extend_admin,
    government_spans,
    org_suffix_spans,
)

__all__ = [
    "BYLINE_RE", "FOLLOWERS", "HAN", "MONEY_RE", "NOT_NAMES", "ORG_SUFFIX_RE", "ROLE_RE",
    "STRONG_ORG_SUFFIXES", "Span", "byline_spans", "date_spans", "extend_admin", "government_spans",
    "is_han", "known_person_spans", "money_spans", "name_at", "name_run_spans", "org_suffix_spans",
    "role_name_spans", "starts_follower", "surname_len", "surname_mou_spans",
]
