"""A dossier for one name: its mentions over time, every sentence that names it (a concordance,
in date order with each article's headline), the names most often beside it, and its spellings.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.insight.timeline import Timeline


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    title: str  # the article's headline
    date: str | None  # the article's date as the page gave it (YYYY-MM-DD, MM-DD or None)
    sentence: str  # the sentence that names it
    start: int  # the name's place in ``sentence`` (code points)
    end: int
    spelling: str  # the form the sentence uses (one of Dossier.spellings)


@dataclass(frozen=True, slots=True)
class Dossier:
    type: str  # PERSON, PLACE, ORG, DATE or MONEY
    name: str  # the name asked for
    spellings: tuple[str, ...]  # the name and the forms merged with it (江海区 / 江海), most used first
    mentions: tuple[Mention, ...]  # in date order (full dates, then MM-DD, then undated), page order within
    timeline: Timeline  # its articles over time (one series)
    companions: tuple[tuple[str, str, int], ...]  # (type, text, articles naming both), most first
    articles: int  # articles naming it
