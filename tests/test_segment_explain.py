"""The splitter's trace (app/segment/explain.py): each line's final role and why."""

from __future__ import annotations

import pytest

from app.segment import split_articles
from app.segment.explain import Trace, format_trace

PAGE = """人民日报 2024年5月4日 星期六 第4版 责任编辑：王小明

《老城新事》系列报道之二
骑楼里的烟火气回来了
■本报记者 陈晓 通讯员 吴敏

本报讯 清晨六点，长堤街区的骑楼下已经飘出肠粉的香气。经过两年的微改造，
这条百年老街重新热闹起来。

相关新闻

老字号新店比邻而居

本报讯 街区里开出了文创书店和咖啡馆，周末客流比改造前增长了两倍。
"""


def test_every_line_gets_its_final_role():
    trace = Trace(PAGE)
    articles = split_articles(PAGE, trace=trace)
    roles = {n.line: (n.role, n.article) for n in trace.lines()}
    assert roles == {
        1: ("page header", None), 3: ("kicker", 0), 4: ("headline", 0), 5: ("byline", 0), 7: ("dateline", 0),
        8: ("body", 0), 10: ("marker", None), 12: ("headline", 1), 14: ("dateline", 1),
    }
    notes = {n.line: n for n in trace.lines()}
    assert notes[3].why.endswith("kicker (series label over the title)")
    assert notes[5].why == "credit line: 记者/通讯员 + names 陈晓 吴敏"
    assert notes[8].why == "joined: column break (the paragraph above stops mid-sentence)"
    assert notes[12].why.startswith("after a related-article marker")
    assert [a.title for a in articles] == ["骑楼里的烟火气回来了", "老字号新店比邻而居"]


def test_nothing_is_recorded_without_a_trace_and_the_split_is_the_same():
    traced = split_articles(PAGE, trace=Trace(PAGE))
    assert [(a.title, a.paragraphs) for a in traced] == [(a.title, a.paragraphs) for a in split_articles(PAGE)]


def test_a_view_maps_joined_and_shifted_lines_to_the_original_ones():
    trace = Trace("头\n甲一\n甲二\n乙\n")
    trace.note(1, "头", "page header", "page header")
    view = trace.view([2, [3, 4]], article_offset=5)  # its line 2 is lines 3 and 4 joined
    view.note(1, "甲一", "headline", "first line", article=0)
    view.note(2, "甲二乙", "body", "running text", article=0)
    trace.remark(4, "joined to the line above")
    assert [(n.line, n.text, n.role, n.why, n.article) for n in trace.lines()] == [
        (1, "头", "page header", "page header", None),
        (2, "甲一", "headline", "first line", 5),
        (3, "甲二", "body", "running text", 5),
        (4, "乙", "body", "running text; joined to the line above", 5),
    ]
    assert trace.view(line_offset=1).view([1])._original(1) == (2,)
    text = format_trace(trace, [""] * 5 + ["甲"])
    assert text.splitlines()[0] == "── page" and "── article 5: 甲" in text


def test_a_later_note_replaces_an_earlier_one_and_roles_are_checked():
    trace = Trace()
    trace.note(3, "引题", "headline", "candidate")
    trace.note(3, "引题", "kicker", "series label")
    assert [(n.role, n.why) for n in trace.lines()] == [("kicker", "series label")]
    with pytest.raises(ValueError):
        trace.note(1, "x", "title", "not a role")
