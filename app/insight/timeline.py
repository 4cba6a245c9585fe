"""Articles per day, week, month or year: for the library, a search, or several searches at once.

Only a full date (``YYYY-MM-DD``, from the dateline or the page header) places an article on the
timeline; ``MM-DD`` alone or no date counts as *undated*, shown apart and never guessed. An article
of a whole issue with no full date of its own goes by its issue's date (:func:`article_date`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Sequence

from app.model import Article

UNITS = ("day", "week", "month", "year")
# The unit chosen for a span of days: a strip stays readable with up to ~120 bars.
UNIT_SPANS = ((92, "day"), (2 * 366, "week"), (10 * 366, "month"))


@dataclass(frozen=True, slots=True)
class Bucket:
    start: date  # the first day in the bucket
    end: date  # the first day after it
    label: str  # "2023-05-03", "2023-W18", "2023-05" or "2023"


@dataclass(frozen=True, slots=True)
class Series:
    name: str  # the query it counts, or "" for the whole list
    counts: tuple[int, ...]  # articles per bucket (the timeline's buckets, in order)
    ids: tuple[tuple[str, ...], ...]  # their ids, per bucket
    undated_ids: tuple[str, ...]  # articles without a full date

    @property
    def undated(self) -> int:
        return len(self.undated_ids)

    @property
    def total(self) -> int:
        return sum(self.counts) + self.undated


@dataclass(frozen=True, slots=True)
class Timeline:
    unit: str
    buckets: tuple[Bucket, ...]
    series: tuple[Series, ...]

    def ids_between(self, series: int, first: int, last: int) -> list[str]:
        """The ids of series ``series`` in buckets ``first`` to ``last`` (inclusive), in date order."""
        lo, hi = sorted((first, last))
        return [i for ids in self.series[series].ids[lo:hi + 1] for i in ids]

    def to_dict(self) -> dict:
        """``{"unit", "buckets": [{"label", "start", "end"}], "series": [{"name", "counts",
        "undated", "total"}]}`` (dates ISO; ``end`` is the first day after the bucket)."""
        return {
            "unit": self.unit,
            "buckets": [{"label": b.label, "start": b.start.isoformat(), "end": b.end.isoformat()}
                        for b in self.buckets],
            "series": [{"name": s.name, "counts": list(s.counts), "undated": s.undated, "total": s.total}
                       for s in self.series],
        }

    def to_csv(self) -> str:
        """One row per bucket: ``bucket,start,end,<series 1>,<series 2>…``, then an ``undated`` row."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = [s.name or "articles" for s in self.series]
        writer.writerow(["bucket", "start", "end", *names])
        for n, b in enumerate(self.buckets):
            writer.writerow([b.label, b.start.isoformat(), (b.end - timedelta(days=1)).isoformat(),
                             *(s.counts[n] for s in self.series)])
        writer.writerow(["undated", "", "", *(s.undated for s in self.series)])
        return out.getvalue()


def article_date(article: Article) -> str | None:
    """The date the archive's views go by: the article's own when full, else its issue's, else
    its own ``MM-DD`` (or None)."""
    if article.issue_date and parse_day(article.date) is None:
        return article.issue_date
    return article.date


def article_day(article: Article) -> date | None:
    """The article's full date, or None when it has none (``MM-DD`` alone is not a full date)."""
    return parse_day(article_date(article))


def parse_day(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` text as a date; None for anything else (``MM-DD``, ``2023-02-30``, "")."""
    if not text or len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        return None
    if not (text[:4].isdigit() and text[5:7].isdigit() and text[8:].isdigit()):
        return None
    if text[:4] == "9999":  # its buckets would end past the last date Python has
        return None
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def choose_unit(first: date, last: date) -> str:
    """The unit for a span: days up to three months, weeks up to two years, months up to ten
    years, years beyond."""
    days = (last - first).days + 1
    for limit, unit in UNIT_SPANS:
        if days <= limit:
            return unit
    return "year"


def bucket_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":  # ISO weeks, from Monday
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def next_start(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def label(start: date, unit: str) -> str:
    if unit == "day":
        return start.isoformat()
    if unit == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{start.year}-{start.month:02d}"
    return str(start.year)


def make_timeline(named: Sequence[tuple[str, Iterable[Article]]], unit: str | None = None) -> Timeline:
    """One series per ``(name, articles)``, over the same buckets: from the first to the last
    dated article of any series, every bucket in between included (empty ones too), in ``unit``
    or the unit :func:`choose_unit` gives for the span."""
    day = day_reader()
    series = []
    for name, articles in named:
        articles = list(articles)
        series.append((name, [day(a.date) or day(a.issue_date) for a in articles], [a.id for a in articles]))
    return timeline_of_days(series, unit)


def day_reader():
    """:func:`parse_day` remembering each date text it read (a library holds a few thousand dates
    for 100,000 articles), for one pass over the articles."""
    return lru_cache(maxsize=None)(parse_day)


def timeline_of_days(named: Sequence[tuple[str, Sequence[date | None], Sequence[str]]],
                     unit: str | None = None) -> Timeline:
    """:func:`make_timeline` of ``(name, full dates or None, article ids)`` series, the dates and
    ids in step (what :class:`app.insight.facts.ArchiveFacts` keeps of each article). Within a
    bucket the ids are in date order, the order given within a day.

    The articles are grouped by day as they come (a library has a few thousand days), then the
    days are sorted: no pair made per article and no sort of 100,000 of them (at 100k articles
    the pairs started the cyclic collector's full pass, and the sort held the interpreter, in the
    counting thread, while the window had just loaded)."""
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    grouped = []
    first = last = None
    for name, days, ids in named:
        by_day: dict[date, list[str]] = {}
        none: list[str] = []
        for day, article_id in zip(days, ids):
            if day is None:
                none.append(article_id)
                continue
            same = by_day.get(day)
            if same is None:
                by_day[day] = [article_id]
            else:
                same.append(article_id)
        if by_day:
            lo, hi = min(by_day), max(by_day)
            first = lo if first is None or lo < first else first
            last = hi if last is None or hi > last else last
        grouped.append((name, by_day, none))
    if first is None:
        return Timeline(unit or "month", (), tuple(Series(name, (), (), tuple(none)) for name, _d, none in grouped))
    unit = unit or choose_unit(first, last)
    starts = [bucket_start(first, unit)]
    while next_start(starts[-1], unit) <= last:
        starts.append(next_start(starts[-1], unit))
    buckets = tuple(Bucket(s, next_start(s, unit), label(s, unit)) for s in starts)
    position = {s: n for n, s in enumerate(starts)}
    series = []
    for name, by_day, none in grouped:
        per: list[list[str]] = [[] for _ in buckets]
        for day in sorted(by_day):
            per[position[bucket_start(day, unit)]].extend(by_day[day])
        series.append(Series(name, tuple(map(len, per)), tuple(map(tuple, per)), tuple(none)))
    return Timeline(unit, buckets, tuple(series))
