"""Other papers' conventions (issue #17): credit lines, agency datelines, kickers, place subheads,
reader-tip boxes — each as a line or a small page of our own, with made-up names."""

from __future__ import annotations

import pytest

from app.segment import classify, credit_names, credits_of, parse_dateline, split_articles, split_headline
from app.segment.lines import byline_body


@pytest.mark.parametrize("line, names", [
    ("作者：孔令斌", ["孔令斌"]),
    ("作者:何静 林晓", ["何静", "林晓"]),
    ("□晚报记者 冯嘉宁 通讯员 岑立平", ["冯嘉宁", "岑立平"]),
    ("N本报记者 钟海涛 柯雨桐", ["钟海涛", "柯雨桐"]),  # a lone letter left by a font swap
    ("?半岛全媒体记者 秦海 陶明明", ["秦海", "陶明明"]),
    ("晚报记者 周立新冯晓雯", ["周立新", "冯晓雯"]),  # two names run together
    ("本报记者 张伟李娜", ["张伟", "李娜"]),
    ("晨报记者 欧阳慕青 梅子涵", ["欧阳慕青", "梅子涵"]),  # a compound surname stays one name
    ("新华社记者 许晨 王丹", ["许晨", "王丹"]),
    ("中新社记者 钱一帆", ["钱一帆"]),
    ("全媒体记者 韦丹丹 通讯员 农海军", ["韦丹丹", "农海军"]),  # 农: a rarer surname after a role
    ("县融媒体中心记者 陆小凤 实习生 蒙佳怡", ["陆小凤", "蒙佳怡"]),
    ("□童慧珍", ["童慧珍"]),  # an essay's author under a bullet
    ("■ 聂文轩", ["聂文轩"]),
    ("新华社记者 达瓦 罗布次仁", ["达瓦", "罗布次仁"]),  # names without a Han surname, after a role
    ("读者 马先生", []),  # a letter's signature: a credit line, no person named
    ("本报评论员 何平", ["何平"]),
    ("本报驻京记者 韩冰", ["韩冰"]),
    ("本报特派记者 高原", ["高原"]),
    ("文 本报记者 杨帆", ["杨帆"]),
])
def test_credit_lines_are_bylines_with_their_names(line, names):
    assert classify(line).kind == "byline"
    assert [n for _role, n in credits_of(byline_body(line))] == names


@pytest.mark.parametrize("line", ["张家界迎来旅游旺季", "乡村振兴看台山", "广州南站——", "■ 江海区", "□“无证托管班”调查后续"])
def test_headlines_and_subheads_are_not_bylines(line):
    assert classify(line).kind != "byline"


def test_reported_by_and_place_are_not_names():
    assert credit_names("记者 蘇雅琳 廈門報道") == ["蘇雅琳"]
    assert credit_names("记者谭晓光报道") == ["谭晓光"]
    assert credit_names("记者 吴迪 广州报道") == ["吴迪"]
    assert credit_names("记者 王小明 近日") == ["王小明"]  # a word of time is no name after a role


@pytest.mark.parametrize("line, agency, names", [
    ("新华社上海3月5日电 题：城市更新让老弄堂焕发新生机", "新华社上海3月5日电", []),
    ("新华社上海3月5日电 题：城市更新让老弄堂焕发新生机 新华社记者 许晨 王丹", "新华社上海3月5日电", ["许晨", "王丹"]),
    ("中新社杭州三月五日电 题：山村小学有了“云端课堂”", "中新社杭州三月五日电", []),
    ("【新华社南宁3月5日电】（记者 覃海燕）记者从商务部门获悉，今年前两个月进出口增长。", "新华社南宁3月5日电】", ["覃海燕"]),
    ("央广网南昌11月8日消息（记者 熊晓鸥）随着气温逐渐降低，候鸟陆续飞抵湖区。", "央广网南昌11月8日消息", ["熊晓鸥"]),
    ("本报长沙4月8日电 记者谭晓光报道：一季度全省城镇新增就业二十八万人。", "本报长沙4月8日电", ["谭晓光"]),
])
def test_agency_datelines(line, agency, names):
    dateline = parse_dateline(line)
    assert dateline is not None and dateline.agency == agency
    assert credit_names(dateline.credits or "") == names


@pytest.mark.parametrize("lines, expected", [
    ([["昨夜今晨，本报记者跟随抢修队见证城区恢复供电"], ["十二小时，点亮三万户"]],
     ("昨夜今晨，本报记者跟随抢修队见证城区恢复供电", "十二小时，点亮三万户", None)),
    ([["□“无证托管班”调查后续"], ["涉事机构已被责令停办"]], ("□“无证托管班”调查后续", "涉事机构已被责令停办", None)),
    ([["《运河人家》系列报道之三"], ["船工老胡的三代水上缘"], ["——从摇橹木船到电动货船"]],
     ("《运河人家》系列报道之三", "船工老胡的三代水上缘", "——从摇橹木船到电动货船")),
    ([["稳就业", "促增收"], ["全省新增城镇就业人数超过预期"], ["一季度新增就业二十八万人"]],
     ("稳就业 促增收", "全省新增城镇就业人数超过预期", "一季度新增就业二十八万人")),
    ([["山歌进校园", "非遗有传承"]], (None, "山歌进校园 非遗有传承", None)),  # a couplet is one title
    ([["乡村振兴看台山"], ["稻田里长出“金饭碗”"]], (None, "乡村振兴看台山", "稻田里长出“金饭碗”")),
    ([["读者来信"], ["小区健身器材坏了谁来修"]], ("读者来信", "小区健身器材坏了谁来修", None)),  # a column label
])
def test_kicker_title_subtitle(lines, expected):
    assert split_headline(lines) == expected


STATIONS = """春运首日各站客流平稳
本报记者 莫晓军

本报讯 昨日是春运首日，全省客流总体平稳，各站秩序井然。

广州南站——

候车大厅里人来人往，自助取票机前排起小队，车站增开了人工窗口。

深圳北站、福田站——

两站当日开行临客三十余趟，预计客流高峰出现在下周末。

夜间公交加开三条线路

本报讯 为方便夜间到站旅客，公交集团加开三条夜班线路。
"""


def test_place_subheads_stay_in_their_report():
    articles = split_articles(STATIONS)
    assert [a.title for a in articles] == ["春运首日各站客流平稳", "夜间公交加开三条线路"]
    subheads = [p.text for p in articles[0].paragraphs if p.kind == "subhead"]
    assert subheads == ["广州南站——", "深圳北站、福田站——"]


TIP = """老人河边落水 小伙跳河相救

本报讯 前天下午，一名老人在河堤滑倒落水，路过的小伙曹俊跳河将他救起。

▲曹俊将老人托向岸边。 市民供图

报料有奖
感谢读者吕女士提供线索，奖励50元。

社区食堂开业

本报讯 昨日，丰乐社区长者食堂开业，老人就餐可享八折优惠。
"""


def test_a_reader_tip_box_stays_in_its_story_and_a_credited_caption_is_not_joined():
    articles = split_articles(TIP)
    assert [a.title for a in articles] == ["老人河边落水 小伙跳河相救", "社区食堂开业"]
    kinds = [(p.kind, p.text) for p in articles[0].paragraphs]
    assert kinds[-3:] == [("caption", "▲曹俊将老人托向岸边。 市民供图"), ("subhead", "报料有奖"),
                          ("body", "感谢读者吕女士提供线索，奖励50元。")]


def test_a_byline_under_the_title_gives_authors_not_a_subtitle():
    [article] = split_articles("城西公园开放夜跑步道\n晚报记者 周立新冯晓雯\n\n晚报讯 记者昨日获悉，城西公园夜跑步道本周六开放。\n")
    assert (article.title, article.subtitle, article.authors) == ("城西公园开放夜跑步道", None, ["周立新", "冯晓雯"])
    assert article.paragraphs[0].kind == "byline"


def test_agency_copy_under_a_headline_of_its_own():
    text = ("老弄堂里的新日子\n新华社上海3月5日电 题：城市更新让老弄堂焕发新生机\n新华社记者 许晨 王丹\n\n"
            "清晨，阳光洒进一条百年老弄堂。\n")
    [article] = split_articles(text)
    assert (article.title, article.subtitle, article.authors) == ("老弄堂里的新日子", None, ["许晨", "王丹"])
    assert article.date == "03-05"


TIP_AFTER = """老人落水 小伙相救

本报讯 前天下午，一名老人在河堤滑倒落水，路过的小伙跳河将他救起。

感谢读者吕女士提供线索，奖励50元
报料热线 96801234

社区食堂开业

本报讯 昨日，丰乐社区长者食堂开业。

【记者观察】

食堂的菜价比外面便宜三成，老人们都说实惠。
"""


def test_a_reward_note_without_its_full_stop_and_the_line_after_it_stay_in_the_story():
    articles = split_articles(TIP_AFTER)
    assert [a.title for a in articles] == ["老人落水 小伙相救", "社区食堂开业"]
    assert [(p.kind, p.text) for p in articles[0].paragraphs][1:] == [
        ("body", "感谢读者吕女士提供线索，奖励50元"), ("subhead", "报料热线 96801234")]
    # a bracketed subhead inside a story does not open one
    assert [p.kind for p in articles[1].paragraphs] == ["body", "subhead", "body"]


@pytest.mark.parametrize("line", ["▌本报记者 孙明", "〓记者 王芳 实习生 李想", "|本报记者 黄河"])
def test_any_stray_glyph_before_a_credit(line):
    assert classify(line).kind == "byline"


def test_credits_printed_over_the_headline_at_the_top_of_the_page():
    text = "本报记者 周立新 通讯员 冯晓雯\n\n城西公园开放夜跑步道\n全长3.2公里的环湖步道周六迎客\n\n本报讯 记者昨日获悉，城西公园夜跑步道本周六开放。\n"
    [article] = split_articles(text)
    assert (article.title, article.subtitle) == ("城西公园开放夜跑步道", "全长3.2公里的环湖步道周六迎客")
    assert article.authors == ["周立新", "冯晓雯"] and article.paragraphs[0].kind == "byline"


def test_names_alone_under_the_headline_are_its_byline():
    text = "为农民提供施展才华的舞台\n——沿海农村专业技术研究会扫描\n常征\n\n农村专业技术研究会，成为科技兴农的一支劲旅。\n"
    [article] = split_articles(text)
    assert (article.subtitle, article.authors) == ("——沿海农村专业技术研究会扫描", ["常征"])
    assert [p.kind for p in article.paragraphs] == ["byline", "body"]


# --- nothing lost with the new conventions ------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = st.sampled_from(
    ["\n", "\n\n", "城西公园开放", "小伙跳河救人", "。", "，", "——", "题：", "【新华社南宁3月5日电】", "新华社上海3月5日电 ",
     "作者：", "N本报记者 钟海涛 柯雨桐", "晚报记者 周立新冯晓雯", "□", "◆", "《运河人家》系列报道之三", "后续",
     "感谢读者吕女士提供线索，奖励50元", "报料热线", "广州南站——", "【记者观察】", "读者 马先生", "常征", " ", "本报讯 "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_new_conventions_never_lose_a_character(text):
    import re

    from app.segment import PAGE_FURNITURE_RE, _blocks

    articles = split_articles(text)
    got = "".join(re.sub(r"\s+", "", a.all_text()) for a in articles)
    # rules and page furniture before the first story are page metadata (as before #17)
    kept = [ln.strip() for ln in text.split("\n") if ln.strip()]
    while kept and (_blocks(kept[0])[0].kind == "separator" or (
            PAGE_FURNITURE_RE.search(kept[0]) and len(kept[0]) <= 80 and _blocks(kept[0])[0].kind == "body")):
        kept.pop(0)
    expected = re.sub(r"\s+", "", "".join(kept))
    if got != expected:  # credits over a page's first headline are kept as its first paragraph
        assert sorted(got) == sorted(expected)
        assert articles[0].paragraphs and articles[0].paragraphs[0].kind == "byline"
