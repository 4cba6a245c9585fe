"""What the timeline and the network need of each article, worked out once per library.

:func:`~app.insight.timeline.make_timeline` and :func:`~app.insight.network.make_network` read
the articles themselves: fine for a few thousand, but at 100,000 articles (1.2 million entity
spans) reading every span again for each search costs most of a second. :class:`ArchiveFacts`
reads each article once — its full date, and the people, places and organisations it names as
small numbers — and then answers timelines and networks for the whole library or any subset of
article ids (a search's hits, an entity filter) from those, with C-level counting:

    facts = ArchiveFacts(library.articles)          # once, off the GUI thread (~1 s at 100k)
    facts.timeline([("扬尘", index.matching_ids("扬尘"))], unit=None)
    facts.network(ids=None, top=30)                 # the whole library (its counts are kept)
    facts.ids_naming(("PERSON", "夏加伟"))            # the articles to filter the list to

Qt-free and read-only after it is made: any thread may ask it anything. It is a snapshot: make
a new one when the library's articles or their entities change (ids it does not know are left
out). The answers equal those of ``make_timeline``/``make_network`` over the same articles
(tests check it).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from heapq import nsmallest
from itertools import chain, combinations
from operator import attrgetter
from typing import Iterable, Sequence

from app.insight.network import NETWORK_TYPES, Edge, Network, Node
from app.insight.timeline import Timeline, day_reader, timeline_of_days
from app.model import Article


class ArchiveFacts:
    """Each article's full date and the names it mentions, numbered once (see the module)."""

    def __init__(self, articles: Iterable[Article], types: Iterable[str] = NETWORK_TYPES):
        self.types = tuple(types)
        # (a list is read as it is: the window passes its list's own, which a reset replaces)
        articles = articles if isinstance(articles, list) else list(articles)
        # tuples of strings and dates: the cyclic collector stops tracking them at its next pass,
        # where lists of 100k were walked by every full collection until the facts were frozen
        self.ids: tuple[str, ...] = tuple(map(attrgetter("id"), articles))
        day = day_reader()
        self.days: tuple[date | None, ...] = tuple([day(a.date) or day(a.issue_date) for a in articles])  # timeline.article_date
        self.position: dict[str, int] = {}
        for n, article_id in enumerate(self.ids):
            self.position.setdefault(article_id, n)
        # The names are read when first asked for (the network, a pair): the timeline, made after
        # every load and search, needs only the dates, and reading 1.2 million names at 100k
        # articles (~0.3 s, 200,000 tuples the cyclic collector then walked) was most of it.
        self._articles: list[Article] | None = articles
        self._named: tuple[list, list, list, dict] | None = None
        self._whole: tuple[Counter, Counter] | None = None
        self._whole_timelines: dict[tuple[str, str | None], Timeline] = {}  # (name, unit) -> the library's

    @property
    def keys(self) -> list[tuple[str, str]]:
        """Name number -> ``(type, text)``."""
        return self._read_names()[0]

    @property
    def names(self) -> list[tuple[int, ...]]:
        """Per article: the names it mentions, each once, sorted."""
        return self._read_names()[1]

    @property
    def mentions(self) -> list[tuple[int, ...]]:
        """Per article: a name number per mention."""
        return self._read_names()[2]

    @property
    def number(self) -> dict[tuple[str, str], int]:
        """``(type, text)`` -> name number."""
        return self._read_names()[3]

    def _read_names(self) -> tuple[list, list, list, dict]:
        if self._named is None:
            wanted = set(self.types)
            keys: list[tuple[str, str]] = []
            names: list[tuple[int, ...]] = []
            mentions: list[tuple[int, ...]] = []
            number: dict[tuple[str, str], int] = {}
            for article in self._articles:
                said = []
                for e in article.entities:
                    if e.type in wanted:
                        key = (e.type, e.text)
                        n = number.get(key)
                        if n is None:
                            n = number[key] = len(keys)
                            keys.append(key)
                        said.append(n)
                once = tuple(sorted(set(said)))
                names.append(once)
                mentions.append(once if len(once) == len(said) else tuple(said))
            self._named, self._articles = (keys, names, mentions, number), None
        return self._named

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, ids: Iterable[str] | None) -> list[int]:
        """The places of ``ids`` (all articles for None), in the order given; unknown ids left out."""
        if ids is None:
            return list(range(len(self.ids)))
        get = self.position.get
        return [p for p in map(get, ids) if p is not None]

    # ------------------------------------------------------------------ timeline

    def timeline(self, named: Sequence[tuple[str, Iterable[str] | None]], unit: str | None = None) -> Timeline:
        """:func:`~app.insight.timeline.make_timeline` of article ids: one series per ``(name,
        ids)`` (``ids`` None: the whole library)."""
        if len(named) == 1 and named[0][1] is None:  # the whole library's: made once (the list
            key = (named[0][0], unit)  # shows it again after every search cleared)
            made = self._whole_timelines.get(key)
            if made is None:
                made = self._whole_timelines[key] = self._timeline(named, unit)
            return made
        return self._timeline(named, unit)

    def _timeline(self, named: Sequence[tuple[str, Iterable[str] | None]], unit: str | None) -> Timeline:
        days, ids = self.days, self.ids
        series = []
        for name, wanted in named:
            if wanted is None:  # the whole library: its own columns, not copies
                series.append((name, days, ids))
                continue
            places = self.positions(wanted)
            series.append((name, list(map(days.__getitem__, places)), list(map(ids.__getitem__, places))))
        return timeline_of_days(series, unit)

    # ------------------------------------------------------------------ network

    def counts(self, ids: Iterable[str] | None = None) -> tuple[Counter, Counter]:
        """``(articles naming each name number, mentions of each)`` over ``ids`` (None: all; the
        whole library's counts are kept after the first time)."""
        return self._counts(None if ids is None else self.positions(ids))

    def _counts(self, places: list[int] | None) -> tuple[Counter, Counter]:
        if places is None:
            if self._whole is None:
                self._whole = (_counted(self.names), _counted(self.mentions))
            return self._whole
        names, mentions = self.names, self.mentions
        return (_counted(list(map(names.__getitem__, places))), _counted(list(map(mentions.__getitem__, places))))

    def network(self, ids: Iterable[str] | None = None, top: int = 30, types: Iterable[str] | None = None,
                min_shared: int = 1) -> Network:
        """:func:`~app.insight.network.make_network` of the articles ``ids`` (None: all)."""
        places = None if ids is None else self.positions(ids)
        in_articles, mentions = self._counts(places)
        keys = self.keys
        if types is not None and set(types) != set(self.types):
            wanted = set(types)
            candidates = [n for n in in_articles if keys[n][0] in wanted]
        else:
            candidates = list(in_articles)
        ranked = nsmallest(max(0, top), candidates,
                           key=lambda n: (-in_articles[n], -mentions[n], keys[n][1], keys[n][0]))
        index = {n: i for i, n in enumerate(ranked)}
        chosen = set(index)
        shared: Counter[tuple[int, int]] = Counter()
        names = self.names
        for p in (range(len(names)) if places is None else places):
            present = chosen.intersection(names[p])
            if len(present) > 1:
                shared.update(combinations(sorted(map(index.__getitem__, present)), 2))
        nodes = tuple(Node(keys[n][0], keys[n][1], mentions[n], in_articles[n]) for n in ranked)
        edges = tuple(Edge(a, b, w) for (a, b), w in sorted(shared.items(), key=lambda item: (-item[1], item[0]))
                      if w >= min_shared)
        return Network(nodes, edges)

    def ids_naming(self, *keys: tuple[str, str], ids: Iterable[str] | None = None) -> list[str]:
        """The ids (of ``ids``, or all) of the articles naming every one of ``keys``, in order
        (:func:`~app.insight.network.articles_naming` by id)."""
        numbers = [self.number.get(k) for k in keys]
        if None in numbers:
            return []
        wanted = set(numbers)
        names = self.names
        return [self.ids[p] for p in self.positions(ids) if wanted.issubset(names[p])]


COUNT_STEP = 2000  # articles counted per C-level call (~2 ms)


def _counted(lists: list[tuple[int, ...]]) -> Counter:
    """Every number in ``lists``, counted in C-level steps of :data:`COUNT_STEP` articles: one
    call over the whole library (1.2 million names at 100k) held the interpreter ~70 ms at a
    time, and the window's GUI thread, which needs it for every paint, waited that long."""
    found: Counter = Counter()
    for start in range(0, len(lists), COUNT_STEP):
        found.update(chain.from_iterable(lists[start:start + COUNT_STEP]))
    return found
