"""Articles per day, week, month or year (the articles are made up for these tests)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from app.insight.facts import ArchiveFacts
from app.insight.timeline import (UNITS, article_day, bucket_start, choose_unit, label, make_timeline, next_start,
                                  parse_day)
from tests.insight_helpers import dated


def labels(t):
    return [b.label for b in t.buckets]


def test_full_dates_only_the_rest_undated():
    assert parse_day("2023-05-03") == date(2023, 5, 3)
    for text in ("05-03", None, "", "2023-02-30", "2023-13-01", "2023/05/03", "２０２３-05-03", "2023-5-3",
                 "2023-05-3x", "0000-01-01", "9999-12-31", "+023-05-03"):
        assert parse_day(text) is None, text
    assert article_day(dated("a", "2024-02-29")) == date(2024, 2, 29)


@pytest.mark.parametrize("unit, first, last, expected", [
    ("day", "2023-12-30", "2024-01-02", ["2023-12-30", "2023-12-31", "2024-01-01", "2024-01-02"]),
    # ISO weeks from Monday: 2024-12-30 is in 2025-W01, 2021-01-03 still in 2020-W53
    ("week", "2024-12-27", "2025-01-06", ["2024-W52", "2025-W01", "2025-W02"]),
    ("week", "2020-12-31", "2021-01-04", ["2020-W53", "2021-W01"]),
    ("month", "2023-11-30", "2024-02-01", ["2023-11", "2023-12", "2024-01", "2024-02"]),
    ("year", "2019-12-31", "2021-01-01", ["2019", "2020", "2021"]),
])
def test_bucket_boundaries_and_labels(unit, first, last, expected):
    t = make_timeline([("", [dated("a", first), dated("b", last)])], unit)
    assert t.unit == unit and labels(t) == expected
    for b in t.buckets:
        assert b.end == next_start(b.start, unit) and b.start == bucket_start(b.start, unit)
    for a, b in zip(t.buckets, t.buckets[1:]):
        assert a.end == b.start  # no gaps, no overlaps
    assert t.series[0].counts[0] == 1 and t.series[0].counts[-1] == 1


def test_week_buckets_start_on_monday():
    t = make_timeline([("", [dated("a", "2025-01-01")])], "week")  # a Wednesday
    assert t.buckets[0].start == date(2024, 12, 30) and t.buckets[0].end == date(2025, 1, 6)
    assert label(date(2024, 12, 30), "week") == "2025-W01"


def test_month_and_year_rollovers():
    assert next_start(date(2023, 12, 1), "month") == date(2024, 1, 1)
    assert next_start(date(2024, 1, 1), "month") == date(2024, 2, 1)
    assert next_start(date(2023, 1, 1), "year") == date(2024, 1, 1)
    assert bucket_start(date(2024, 2, 29), "month") == date(2024, 2, 1)
    assert bucket_start(date(2024, 2, 29), "year") == date(2024, 1, 1)


def test_empty_buckets_are_included():
    t = make_timeline([("", [dated("a", "2023-01-15"), dated("b", "2023-05-02")])], "month")
    assert labels(t) == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"]
    assert t.series[0].counts == (1, 0, 0, 0, 1)
    assert t.series[0].ids == (("a",), (), (), (), ("b",))


def test_undated_are_counted_apart_never_guessed():
    arts = [dated("a", "2023-01-15"), dated("b", "01-15"), dated("c", None), dated("d", "2023-02-30"),
            dated("e", "soon")]
    s = make_timeline([("", arts)], "day").series[0]
    assert s.counts == (1,) and s.undated_ids == ("b", "c", "d", "e")
    assert s.undated == 4 and s.total == 5


def test_nothing_dated_gives_no_buckets():
    t = make_timeline([("x", [dated("b", "01-15"), dated("c", None)]), ("y", [])])
    assert t.buckets == () and [s.undated for s in t.series] == [2, 0] and [s.counts for s in t.series] == [(), ()]
    assert make_timeline([]).series == ()
    assert json.loads(json.dumps(t.to_dict()))["series"][0] == {"name": "x", "counts": [], "undated": 2, "total": 2}


def test_the_unit_follows_the_span():
    d = date(2020, 1, 1)
    assert choose_unit(d, date(2020, 4, 1)) == "day"  # 92 days
    assert choose_unit(d, date(2020, 4, 2)) == "week"
    assert choose_unit(d, date(2022, 1, 1)) == "week"  # 732 days
    assert choose_unit(d, date(2022, 1, 2)) == "month"
    assert choose_unit(d, date(2029, 12, 31)) == "month"
    assert choose_unit(d, date(2030, 1, 30)) == "year"
    assert make_timeline([("", [dated("a", "2020-01-01"), dated("b", "2020-01-20")])]).unit == "day"
    with pytest.raises(ValueError):
        make_timeline([("", [])], "fortnight")
    assert UNITS == ("day", "week", "month", "year")


def test_several_series_share_the_buckets():
    dust = [dated("a", "2023-01-10"), dated("b", "2023-03-02"), dated("u", None)]
    food = [dated("c", "2023-02-11"), dated("d", "2023-02-12"), dated("e", "2023-06-30")]
    t = make_timeline([("扬尘", dust), ("食品安全", iter(food))], "month")  # any iterable
    assert labels(t) == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]
    assert [s.name for s in t.series] == ["扬尘", "食品安全"]
    assert t.series[0].counts == (1, 0, 1, 0, 0, 0) and t.series[1].counts == (0, 2, 0, 0, 0, 1)
    assert t.series[0].undated == 1 and t.series[1].total == 3


def test_ids_between_in_date_order_either_way_round():
    arts = [dated("late", "2023-03-20"), dated("early", "2023-01-02"), dated("mid2", "2023-02-14"),
            dated("mid1", "2023-02-03")]
    t = make_timeline([("", arts)], "month")
    assert t.ids_between(0, 0, 2) == ["early", "mid1", "mid2", "late"]
    assert t.ids_between(0, 2, 1) == ["mid1", "mid2", "late"]
    assert t.ids_between(0, 1, 1) == ["mid1", "mid2"]
    same_day = make_timeline([("", [dated("x", "2023-01-01"), dated("a", "2023-01-01")])], "day")
    assert same_day.ids_between(0, 0, 0) == ["x", "a"]  # the order given within a day


def test_to_dict_and_to_csv_shapes():
    t = make_timeline([("扬尘", [dated("a", "2023-12-31"), dated("b", "2024-01-01"), dated("u", "12-31")]),
                       ("", [dated("c", "2024-01-01")])], "week")
    data = json.loads(json.dumps(t.to_dict(), ensure_ascii=False))
    assert data == {
        "unit": "week",
        "buckets": [{"label": "2023-W52", "start": "2023-12-25", "end": "2024-01-01"},
                    {"label": "2024-W01", "start": "2024-01-01", "end": "2024-01-08"}],
        "series": [{"name": "扬尘", "counts": [1, 1], "undated": 1, "total": 3},
                   {"name": "", "counts": [0, 1], "undated": 0, "total": 1}],
    }
    rows = list(csv.reader(io.StringIO(t.to_csv())))
    assert rows == [["bucket", "start", "end", "扬尘", "articles"],
                    ["2023-W52", "2023-12-25", "2023-12-31", "1", "0"],
                    ["2024-W01", "2024-01-01", "2024-01-07", "1", "1"],
                    ["undated", "", "", "1", "0"]]


def test_archive_facts_give_the_same_timelines_by_id():
    arts = [dated(f"a{i}", f"20{10 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 7 else "05-05")
            for i in range(300)]
    facts = ArchiveFacts(arts)
    for unit in (None, *UNITS):
        assert facts.timeline([("", None)], unit) == make_timeline([("", arts)], unit)
    some = [a for a in arts if int(a.id[1:]) % 3 == 0]
    others = arts[::-5]
    got = facts.timeline([("x", [a.id for a in some]), ("y", [a.id for a in others] + ["unknown"])], "year")
    assert got == make_timeline([("x", some), ("y", others)], "year")


def test_archive_facts_count_the_whole_librarys_timeline_once(monkeypatch):
    """The list shows the whole library again after every search cleared: its timeline (100k
    dates at 100k articles, in the thread that shares the interpreter with the GUI thread) is
    counted once per facts, a search's each time."""
    import app.insight.facts as facts_module

    arts = [dated(f"a{i}", f"2024-{1 + i % 12:02d}-01") for i in range(50)]
    facts = ArchiveFacts(arts)
    counted = []
    real = facts_module.timeline_of_days
    monkeypatch.setattr(facts_module, "timeline_of_days", lambda *a: counted.append(1) or real(*a))
    first = facts.timeline([("", None)])
    assert facts.timeline([("", None)]) == first == make_timeline([("", arts)], None)
    assert len(counted) == 1
    assert facts.timeline([("", None)], "year") == make_timeline([("", arts)], "year") and len(counted) == 2
    facts.timeline([("", [a.id for a in arts[:5]])])
    facts.timeline([("", [a.id for a in arts[:5]])])
    assert len(counted) == 4  # a search's ids: counted each time


def test_archive_facts_read_the_names_only_when_asked():
    """The timeline (made after every load and search) needs only dates; the names (1.2 million
    at 100k articles) are read the first time the network or a pair asks, and then kept."""
    from app.model import EntitySpan

    read = []

    class Counted:
        def __init__(self, i):
            self.id, self.date, self.issue_date = f"a{i}", f"2024-0{1 + i % 3}-01", None

        @property
        def entities(self):
            read.append(self.id)
            return [EntitySpan("PERSON", "郝明", 0, 0, 2), EntitySpan("PLACE", "城东区", 0, 3, 6)]

    facts = ArchiveFacts([Counted(i) for i in range(6)])
    assert facts.timeline([("", None)], "month").series[0].counts == (2, 2, 2)
    assert read == []
    assert facts.ids_naming(("PERSON", "郝明"), ("PLACE", "城东区")) == [f"a{i}" for i in range(6)]
    assert len(read) == 6
    assert [n.text for n in facts.network().nodes] == ["城东区", "郝明"] and len(read) == 6  # read once


def test_archive_facts_keep_columns_the_collector_stops_walking():
    """A full collection walked every element of the facts' lists of ids and dates (100k each at
    100k articles) until the window froze them; as tuples of strings and dates the collector stops
    tracking them at its first pass."""
    import gc

    facts = ArchiveFacts([dated(f"a{i}", f"2024-{1 + i % 12:02d}-0{1 + i % 9}") for i in range(500)])
    gc.collect()
    assert not gc.is_tracked(facts.ids) and not gc.is_tracked(facts.days)
    assert not gc.is_tracked(facts.position)


def test_a_timeline_of_many_articles_makes_no_pair_per_article():
    """Made in the counting thread right after a load, the whole library's timeline made a (day,
    id) pair per article (100k at 100k articles): enough new objects to start the cyclic
    collector's full pass while the window had just loaded. The articles are grouped by day as
    they come instead: a few collections of the youngest objects at most, not one per 700."""
    import gc

    n = 20_000
    arts = [dated(f"a{i}", f"20{10 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 11 else None) for i in range(n)]
    facts = ArchiveFacts(arts)
    gc.collect()
    young = gc.get_stats()[0]["collections"]
    timeline = facts.timeline([("", None)], "month")
    started = gc.get_stats()[0]["collections"] - young
    assert sum(timeline.series[0].counts) + timeline.series[0].undated == n
    assert started < 5, started  # 26 with a pair per article (at the default threshold of 700)
