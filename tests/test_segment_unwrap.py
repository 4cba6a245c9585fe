"""Hard-wrapped text (PDF and OCR copies) rejoined into paragraphs (app/segment/unwrap.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.segment.source import split_source
from app.segment.unwrap import Layout, detect_layout, split_run_together, unwrap
from build_scripts.eval_pages import hard_wrap, page_files

SAMPLE = (Path(__file__).resolve().parents[1] / "resources" / "sample_jianghai.txt").read_text(encoding="utf-8")
PAGES = [path.read_text(encoding="utf-8") for path in page_files()]


def paragraphs_of(text: str) -> list[str]:
    return [line.strip(" \t\u3000") for line in text.splitlines() if line.strip(" \t\u3000")]


def rejoined(text: str) -> list[str]:
    return [line.strip(" \t\u3000") for line, _ in unwrap(text.split("\n")) if line.strip()]


def shape(articles) -> list:
    return [(a.kicker, a.title, a.subtitle, a.authors, a.date, [(p.kind, p.text) for p in a.paragraphs])
            for a in articles]


def test_pages_whose_lines_are_paragraphs_are_not_hard_wrapped():
    assert detect_layout(SAMPLE.split("\n")) == Layout()
    for text in PAGES:
        assert not detect_layout(text.split("\n")).wrapped


def test_the_wrap_width_and_the_indent_are_found():
    # cut by counting characters, no line is longer than the width: no slack
    assert detect_layout(hard_wrap(SAMPLE).split("\n")) == Layout(24, True, "\u3000\u3000", slack=0)
    assert detect_layout(hard_wrap(SAMPLE, width=30, indent="").split("\n")) == Layout(30, slack=0)
    assert detect_layout(hard_wrap(SAMPLE, width=18, indent="    ").split("\n")) == Layout(18, True, "    ", 0)
    # a PDF's lines, one longer where a punctuation mark hangs: a line one short may be full too
    row = "市区道路，" * 5
    pdf = ["　　" + row[:22], row[:24] + "，", row[:24], row[:23], row[:24], "字" * 10 + "。", "　　" + row[:8] + "。"]
    assert detect_layout(pdf) == Layout(24, True, "　　", slack=1)
    assert len(unwrap(pdf)) == 2
    assert len(unwrap(pdf, Layout(24, True, "　　", slack=0))) == 4  # cut at the 25 and the 23


@pytest.mark.parametrize("width", [18, 24, 30])
def test_indented_wrapped_pages_come_back_line_for_line(width):
    """With an indent at each paragraph, every test page is rejoined exactly as printed."""
    for text in [SAMPLE, *PAGES]:
        assert rejoined(hard_wrap(text, width=width)) == paragraphs_of(text)


def test_a_page_that_is_not_wrapped_comes_back_untouched():
    lines = SAMPLE.split("\n")
    assert unwrap(lines) == [(line, (n,)) for n, line in enumerate(lines, 1)]
    # paragraphs marked by indents only, lines of any length: left to the page splitter as they are
    indents_only = "　　本报讯 " + "甲" * 40 + "，\n" + "乙" * 31 + "。\n　　" + "丙" * 12 + "。\n" + "丁" * 55 + "。\n"
    assert unwrap(indents_only.split("\n")) == [(line, (n,)) for n, line in enumerate(indents_only.split("\n"), 1)]


def test_each_rejoined_line_names_its_original_lines_once_and_in_order():
    wrapped = hard_wrap(SAMPLE, indent="")
    units = unwrap(wrapped.split("\n"))
    numbers = [n for _, ns in units for n in ns]
    assert numbers == list(range(1, len(wrapped.split("\n")) + 1))
    lines = wrapped.split("\n")
    for text, ns in units:
        assert text == "".join(lines[n - 1] for n in ns)
    assert any(len(ns) > 3 for _, ns in units)


def test_spaces_inside_a_line_that_fall_at_the_column_edge_are_no_indent():
    """A copied line holding several paragraphs separated by spaces: where the cut falls just
    before the spaces, the next line starts with them, but mid-sentence it does not start one."""
    line = "　　本报讯 市区今起实施新的交通管理措施，早晚高峰" + "   时段部分路段禁止货车通行。"
    lines = [line[:24], line[24:], "　　下一段。"]
    layout = Layout(24, indented=True, indent="\u3000\u3000")
    assert [t for t, _ in unwrap(lines, layout)] == [line, "　　下一段。"]


def test_a_headline_is_never_joined_to_its_body_when_flush():
    """No indents: a headline under a full last line that ends a sentence stands alone, as does a
    dateline; a headline cut by the column is joined again; a kicker stays over its title."""
    lines = [
        "市民可通过手机应用或银行网点办理，也可在窗口办。",  # full (24), ends a sentence
        "图书馆延长开放时间",  # short, headline-shaped: not joined to the line above
        "市图书馆即日起延长周末开放时间至晚上九点，方便市",
        "民阅读学习。",
        "昨夜今晨，本报记者跟随电力抢修队见证城区恢复供电",  # a kicker filling the column
        "十二小时，点亮三万户",  # the title: not joined to the kicker
        "本报讯（记者 林小燕）记者从市人社局获悉，目前全",
        "市仍有部分新办社保卡未激活。",
    ]
    assert len(lines[0]) == len(lines[2]) == len(lines[4]) == 24
    assert detect_layout(lines + lines).width == 24
    got = [text for text, _ in unwrap(lines, Layout(24))]
    assert got == [
        lines[0], lines[1], lines[2] + lines[3], lines[4], lines[5], lines[6] + lines[7],
    ]


def test_a_question_headline_over_a_dateline_stands_alone():
    lines = ["物流、电子商务等行业。求职者可携带简历免费入场。", "你的社保卡激活了吗？",
             "本报讯（记者 林小燕）记者从市人社局获悉，目前全", "市仍有部分卡未激活。"]
    assert [t for t, _ in unwrap(lines, Layout(24))] == [lines[0], lines[1], lines[2] + lines[3]]


def test_a_page_header_cut_by_the_column_is_one_line_again_but_never_takes_the_story():
    header = "人民日报 2024年5月4日 星期六 第4版 责任编辑：王小明"
    lines = [header[:24], header[24:], "本报北京5月3日电（记者 李晓红）当前，全国春耕生", "产由南向北梯次推进。"]
    assert [t for t, _ in unwrap(lines, Layout(24))] == [header, lines[2] + lines[3]]


@pytest.mark.parametrize("cut", [12, 16, 20, 22, 26, 28, 30])
def test_a_page_header_cut_anywhere_is_one_line_again(cut):
    header = "江门日报 2023年10月31日 星期二 A03 要闻 责任编辑：欧阳小明 校对：王五"
    lines = [header[i:i + cut] for i in range(0, len(header), cut)] + ["区领导调研大气污染防治工作"]
    assert [t for t, _ in unwrap(lines, Layout(cut))] == [header, lines[-1]]


def test_a_closing_credit_on_the_next_line_stays_with_its_paragraph():
    lines = ["区教育局相关负责人表示，将在开学前公布合规名单。", "（本报记者 苏锦程）", "下一段"]
    assert [t for t, _ in unwrap(lines, Layout(24))][0] == lines[0] + lines[1]


def test_half_width_characters_make_a_line_longer_but_still_full():
    line = "2023年10月31日，ABC公司在江海区举行新品发布会，"  # 30 characters, 24 cells
    assert len(line) > 25
    assert [t for t, _ in unwrap([line, "吸引了不少市民。"], Layout(24))] == [line + "吸引了不少市民。"]


@pytest.mark.parametrize("indent", ["\u3000\u3000", ""])
def test_the_wrapped_sample_splits_into_the_same_seven_articles(indent):
    plain = split_source(SAMPLE, source="sample")
    wrapped = split_source(hard_wrap(SAMPLE, indent=indent), source="sample")
    assert len(wrapped) == 7
    assert [(a.kicker, a.title, a.subtitle, a.authors, a.date) for a in wrapped] == \
        [(a.kicker, a.title, a.subtitle, a.authors, a.date) for a in plain]
    # every paragraph's text in the right article (flush, a paragraph ending exactly at the column
    # edge may run into the next one of the same article)
    assert ["".join(p.text for p in a.paragraphs) for a in wrapped] == \
        ["".join(p.text for p in a.paragraphs) for a in plain]
    if indent:
        assert shape(wrapped) == shape(plain)


@pytest.mark.parametrize("width, indent", [(w, "\u3000\u3000") for w in (12, 14, 16, 20, 30, 36, 60)]
                         + [(w, "") for w in (20, 30)])
def test_every_test_page_wrapped_at_other_widths_scores_as_printed(width, indent):
    """Indented, at any width; flush (no indents: only a short line ends a paragraph, so a
    paragraph ending exactly at the column's edge runs into the next) at two more widths."""
    from functools import partial

    import build_scripts.eval_pages as yardstick

    printed = yardstick.evaluate("as printed")
    yardstick.LAYOUTS["_other width"] = partial(hard_wrap, width=width, indent=indent)
    try:
        wrapped = yardstick.evaluate("_other width")
    finally:
        del yardstick.LAYOUTS["_other width"]
    assert sorted(wrapped.problems) == sorted(printed.problems)
    assert (wrapped.produced, wrapped.whole, wrapped.headlines) == (printed.produced, printed.whole, printed.headlines)


def test_paragraphs_run_together_on_one_line_are_cut_apart():
    line = "  区里召开会议。   会议要求加强管理。“我们会做好。”他说。   会后进行了参观。"
    units = split_run_together([("标题", (1,)), (line, (2,))])
    assert units == [("标题", (1,)), ("  区里召开会议。", (2,)), ("   会议要求加强管理。“我们会做好。”他说。", (2,)),
                     ("   会后进行了参观。", (2,))]
    # one stray double space is not a layout; spaces in a headline never cut it
    for text in ("区里召开会议。  会议要求加强管理。", "坚持人民至上   全国春耕生产有序推进"):
        assert split_run_together([(text, (1,))]) == [(text, (1,))]


def test_rejoining_a_very_long_paragraph_takes_linear_time():
    """Each line is checked against the paragraph's ends, never the whole of it (a paragraph of
    200,000 characters took 5 s when it was)."""
    import time

    def best(text: str) -> float:
        lines = hard_wrap(text).split("\n")
        times = []
        for _ in range(3):
            start = time.perf_counter()
            units = unwrap(lines)
            times.append(time.perf_counter() - start)
        assert len(units) <= 3
        return min(times)

    short, long = ("标题\n" + "这是一个很长的段落，没有结束" * n + "。\n" for n in (1500, 6000))
    assert best(long) < 8 * best(short)


def test_a_schedule_of_rows_of_one_length_is_no_wrapped_text():
    rows = ["9:00—10:00 开幕式 市民广场主舞台", "10:00—11:30 专题论坛 会展中心一楼", "13:30—15:00 项目签约 会展中心二楼",
            "15:00—16:30 企业参观 高新区产业园", "16:30—17:30 闭幕式 市民广场主舞台"]
    lines = ["活动日程", *rows]
    assert not detect_layout(lines).wrapped
    assert [t for t, _ in unwrap(lines)] == lines


def test_a_page_whose_paragraphs_are_marked_by_indents_only_splits_as_before():
    """Lines cut at varying lengths, each paragraph starting with an indent: no wrap width to
    find, so the page goes to the page splitter untouched (it reads the indents itself)."""
    from app.segment import split_articles

    cuts = [31, 44, 38, 52, 29, 47]
    out, k = [], 0
    for paragraph in paragraphs_of(SAMPLE):
        line = "\u3000\u3000" + paragraph
        while line:
            out.append(line[:cuts[k % len(cuts)]])
            line = line[cuts[k % len(cuts)]:]
            k += 1
    text = "\n".join(out)
    assert not detect_layout(out).wrapped
    assert [a.to_dict() for a in split_source(text, source="s", source_key="k")] == \
        [a.to_dict() for a in split_articles(text, source="s", source_key="k")]


def test_a_lead_in_line_ending_in_a_dash_stays_over_its_title():
    lines = ["直击早高峰地铁新线首日运营——", "“通勤路上省下半小时”", "本报讯 昨日7时整，地铁十二号线首班列车从西岭", "站缓缓驶出。"]
    assert len(lines[0]) == 15
    assert [t for t, _ in unwrap(lines, Layout(15, slack=0))][:2] == lines[:2]


def test_narrow_flush_columns_credit_lines_brackets_and_long_headlines():
    """Flush text at 12-14 characters: a credit line takes the rest of its credits, never the
    story; an open bracket closes on the next line; a headline longer than the column after a
    sentence's end starts the next story."""
    w = Layout(14, slack=0)
    credits = ["本报记者 陈晓 通讯员 吴敏", "清晨六点，蓬江区长堤历史文化", "街区的骑楼下已经飘出肠粉香。"]
    assert [t for t, _ in unwrap(credits, w)] == [credits[0], credits[1] + credits[2]]
    split_credit = ["文/本报记者 廖思琪 图", "/本报记者 邵峻", "本报讯 随着本地蔬菜大量上市，"]
    assert [t for t, _ in unwrap(split_credit, Layout(12, slack=0))][0] == split_credit[0] + split_credit[1]
    bracket = ["【新华社南宁3月5日电】（", "记者 覃海燕 梁志远）记者从凭", "祥市商务部门获悉。"]
    assert [t for t, _ in unwrap(bracket, Layout(13, slack=0))] == ["".join(bracket)]
    headline = ["业内人士预计，菜价在下月仍将", "保持平稳。一场雨后，城中村排", "水难题怎么解"]
    assert len(unwrap(headline, w)) == 1  # mid-paragraph: joined
    headline = ["预计菜价在下月仍将保持平稳。", "一场雨后，城中村排水难题怎么", "解"]
    assert [t for t, _ in unwrap(headline, w)] == [headline[0], headline[1] + headline[2]]
