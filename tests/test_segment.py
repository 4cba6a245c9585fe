"""Splitting pages into articles: the sample page and one test page per convention."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.paths import sample_page
from app.segment import credit_names, parse_dateline, split_articles, split_headline

PAGES = Path(__file__).parent / "pages"


def page(name: str):
    return split_articles((PAGES / name).read_text(encoding="utf-8"), source=name)


def sample():
    return split_articles(sample_page().read_text(encoding="utf-8"), source="sample")


def non_blank(text: str) -> str:
    return re.sub(r"\s+", "", text)


def article_chars(articles) -> str:
    return "".join(non_blank(a.all_text()) for a in articles)


# --- the sample page, as an editor would list it ------------------------------------------------

def test_sample_headlines():
    heads = [(a.kicker, a.title, a.subtitle) for a in sample()]
    assert heads == [
        (None, "区领导调研大气污染防治工作", "推动绿美江海生态建设"),
        (None, "江海区一大新县粤桂协作工作座谈会召开", "打造沿边百亿产业“新引擎”"),
        (None, "江海区政府与农行江门分行签署战略合作协议", "为“百千万工程”注入金融活水"),
        (None, "江海区召开创建国家食品安全示范城市动员部署会", "坚持问题导向 对标细则落实各项工作"),
        (None, "你点我检", "守护“舌尖上的安全”"),
        (None, "区十一届人大常委会第十五次会议召开", "推动江门“侨梦苑”核心区高质量发展"),
        ("加强校地“产学研用”合作 促进科技成果落地生根", "江海:搭建“实验室”直达“生产线”高速通道", None),
    ]


def test_sample_authors_dates_and_related():
    arts = sample()
    assert [a.authors for a in arts] == [
        ["陈婵"], ["李雨溪"], ["陈婵"], ["何榕"], ["陈晖"], ["陈婵", "曾梓欣"], ["何榕", "林瑞蓬"]
    ]
    assert [a.date for a in arts] == ["10-31", "10-31", "10-31", "10-30", None, "10-30", "10-31"]
    assert arts[4].related_to == arts[3].id
    assert all(a.related_to is None for i, a in enumerate(arts) if i != 4)
    assert len({a.id for a in arts}) == len(arts)


def test_sample_paragraph_kinds_of_the_feature():
    feature = sample()[6]
    kinds = [(p.kind, p.text[:8]) for p in feature.paragraphs]
    assert ("byline", "文/图 江门日报") in kinds
    assert [t for k, t in kinds if k == "subhead"] == ["打通科技成果转化", "为小微企业插上“"]
    assert [t for k, t in kinds if k == "caption"] == ["中国科学院大学专", "江海智慧安全应急", "项目对接会上,高"]
    assert kinds[0][0] == "body"


def test_sample_column_breaks_are_rejoined():
    arts = sample()
    texts = [p.text for a in arts for p in a.paragraphs]
    assert any("要加强巡查督导和执法力度,严格按照扬尘污染防治" in t for t in texts)
    assert any("关键一步是实现从实验室到生产线的‘最后一跃’" in t for t in texts)
    assert any("根基在实体经济,关键在科技创新" in t for t in texts)
    # and sentences are not glued to the next paragraph
    assert not any("区领导廖华参加调研。" in t and len(t) > 10 for t in texts)


def test_sample_closing_credit_is_a_byline_paragraph():
    related = sample()[4]
    assert related.paragraphs[-1].kind == "byline"
    assert related.paragraphs[-1].text == "(陈晖 区市监)"
    assert related.paragraphs[-2].text.endswith("社会共治氛围。")


def test_sample_loses_nothing_but_the_marker():
    text = sample_page().read_text(encoding="utf-8")
    expected = non_blank(text.replace("相关新闻", ""))
    assert article_chars(sample()) == expected


def test_dateline_stays_in_the_text():
    first = sample()[0]
    assert first.paragraphs[0].text.startswith("江门日报讯(记者/陈婵)10月31日,区委书记夏加伟")


# --- conventions on other papers' pages -------------------------------------------------------

def test_kicker_title_dash_subtitle_and_page_header():
    arts = page("renmin_style.txt")
    first = arts[0]
    assert (first.kicker, first.title, first.subtitle) == (
        "坚持人民至上", "全国春耕生产有序推进", "——各地加强农资保障和技术服务")
    assert first.authors == ["李晓红", "赵刚", "孙丽"]
    assert first.date == "2024-05-03"  # the year comes from the page header
    assert first.paragraphs[-1].kind == "byline" and first.paragraphs[-1].text == "■本报记者 孙丽"


def test_a_second_dateline_opens_a_brief():
    arts = page("renmin_style.txt")
    assert len(arts) == 2
    brief = arts[1]
    assert brief.paragraphs[0].text.startswith("新华社北京5月3日电（记者 张三）")
    assert brief.authors == ["张三"]
    assert brief.paragraphs[-1].text.endswith("（完）")


def test_photo_credits_captions_and_related_link():
    arts = page("county_daily.txt")
    assert [a.title for a in arts] == ["乡村振兴看台山", "小小番薯成为致富产业", "相关链接"]
    first = arts[0]
    assert first.subtitle == "稻田里长出“金饭碗”"
    assert first.authors == ["黄伟明"] and first.date == "04-28"
    kinds = [p.kind for p in first.paragraphs]
    assert kinds == ["body", "body", "byline", "caption"]
    assert first.paragraphs[1].text.endswith("约一百二十元，并能有效提高秧苗成活率。")
    second = arts[1]
    assert second.paragraphs[0].text.startswith("本报讯 近日")
    assert second.authors == ["刘敏"]  # "都斛镇" is the unit, not a person
    assert arts[2].related_to == second.id


def test_feature_with_start_byline_and_subheads():
    [feature] = page("feature_with_subheads.txt")
    assert (feature.title, feature.subtitle) == ("老街新生", "骑楼里的烟火气回来了")
    assert feature.authors == ["陈晓", "吴敏"]
    assert [p.text for p in feature.paragraphs if p.kind == "subhead"] == ["修旧如旧留住老味道", "新业态带来新客流"]


def test_headline_pieces():
    assert split_headline([["江海区召开创建国家食品安全", "示范城市动员部署会"]]) == (
        None, "江海区召开创建国家食品安全示范城市动员部署会", None)
    assert split_headline([["iPhone", "16", "在华发布"]])[1] == "iPhone 16在华发布"
    assert split_headline([["坚持稳中求进"], ["江门经济持续向好"]]) == ("坚持稳中求进", "江门经济持续向好", None)


def test_datelines_of_several_agencies():
    cases = {
        "本报讯（记者 王某 通讯员 李某）近日，市里召开会议。": ("本报讯", ["王某", "李某"]),
        "新华社北京5月3日电（记者 张三）国务院新闻办公室3日举行发布会。": ("新华社北京5月3日电", ["张三"]),
        "中新网广州10月31日电 (记者 蔡敏婕)广东省": ("中新网广州10月31日电", ["蔡敏婕"]),
        "江门日报讯(记者/陈婵 通讯员/曾梓欣)10月30日,": ("江门日报讯", ["陈婵", "曾梓欣"]),
        "本報訊（記者 陳美玲）臺北市政府": ("本報訊", ["陳美玲"]),
        "南方日报讯 记者/张三 通讯员/李四 10月31日，广州市召开会议。": ("南方日报讯", ["张三", "李四"]),
        "本报讯 记者 王小明 近日，市政府召开会议研究部署": ("本报讯", ["王小明"]),
    }
    for text, (agency, names) in cases.items():
        d = parse_dateline(text)
        assert d is not None, text
        assert d.agency == agency
        assert credit_names(d.credits) == names
    assert parse_dateline("据了解,今年以来,江海区引导14家企业到大新县落地") is None
    assert parse_dateline("电讯业务持续增长") is None


def test_credit_names():
    assert credit_names("文/图 江门日报记者 何榕 通讯员 林瑞蓬") == ["何榕", "林瑞蓬"]
    assert credit_names("陈晖 区市监") == ["陈晖"]
    assert credit_names("区倩婷") == ["区倩婷"]


# --- robustness ------------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("江海区召开会议推动发展。，、；：！？“”（）()《》—-■▲ \t\u3000abc123")
    + ["\n", "\n\n", "相关新闻", "江门日报讯(记者/陈婵)10月31日,", "文/图 江门日报记者 何榕", "(陈晖 区市监)",
       "本报讯", "责任编辑：王某", "2023年", "\r\n", "\r"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_arbitrary_text_never_raises_and_never_loses_text(text):
    articles = split_articles(text)
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    from app.segment import PAGE_FURNITURE_RE, is_related_marker

    # markers become metadata; leading page headers become page metadata
    # (only those before any other line: after a 相关新闻 marker, 责任编辑 is the related item's text)
    kept = [ln for ln in lines if ln]
    while kept and (_kind(kept[0]) == "separator" or (
            PAGE_FURNITURE_RE.search(kept[0]) and len(kept[0]) <= 80 and _kind(kept[0]) == "body")):
        kept.pop(0)
    kept = [ln for ln in kept if not is_related_marker(ln)]
    expected = non_blank("".join(kept))
    got = article_chars(articles)
    # a marker with no story of its own after it (at the end, or before a line that cannot be a
    # headline, e.g. "相关新闻\n。", where it becomes the title) is kept as text: nothing is lost
    if (got != expected and sorted(got) == sorted(expected) and articles[0].paragraphs[:1]
            and articles[0].paragraphs[0].kind == "byline"):
        return  # credits printed over the first headline: its first paragraph, the headline before them
    if got != expected:
        # each kept marker may stand at any of its occurrences ("相关新闻江\n相关新闻" keeps the last)
        reduced = {got}
        for marker in (non_blank(ln) for ln in lines if ln and is_related_marker(ln)):
            if expected not in reduced:
                reduced = {r[:i] + r[i + len(marker):] for r in reduced
                           for i in range(len(r)) if r.startswith(marker, i)} | reduced
        assert expected in reduced, f"{got!r} is not {expected!r} plus kept markers"
    for a in articles:
        assert a.title is not None
        assert all(p.kind in ("body", "subhead", "caption", "byline") for p in a.paragraphs)


def _kind(line: str) -> str:
    from app.segment import _blocks

    [block] = _blocks(line)
    return block.kind


def test_briefs_wrapped_lines_separators_and_question_headline():
    arts = page("briefs_wrapped.txt")
    assert [a.title for a in arts] == ["市区今起实施新交规", "春季招聘会本周六举行", "你的社保卡激活了吗？", "图书馆延长开放时间"]
    # an unindented line continues the indented paragraph before it, even after a full stop
    assert [p.text for p in arts[0].paragraphs] == [
        "从今天起，市区主要道路将实行新的交通管理措施。早晚高峰时段部分路段禁止货车通行，交警部门提醒市民提前规划出行路线。"]
    assert arts[1].paragraphs[0].text.endswith("涉及制造、物流、电子商务等行业。求职者可携带简历免费入场。")
    assert arts[2].authors == ["林小燕"]
    assert arts[2].paragraphs[-1].kind == "byline"  # the rule line is kept, as furniture


def test_a_file_holding_the_page_twice_splits_the_same_way_twice():
    text = sample_page().read_text(encoding="utf-8")
    once = [(a.title, [p.kind for p in a.paragraphs]) for a in split_articles(text)]
    twice = [(a.title, [p.kind for p in a.paragraphs]) for a in split_articles(text + "\n\n" + text)]
    assert twice == once + once


def test_a_lone_closing_bracket_before_a_dateline_is_not_a_title():
    """Issue 16, bug 7: ``''[-1:] in "？！?!"`` is true, so a line holding only ``）`` before a
    dateline was taken for a short question headline and opened an article titled ``）``."""
    text = ("区领导调研工作\n\n正文第一段,说明情况。\n）\n"
            "江门日报讯(记者/陈婵)10月31日,区委书记带队调研。\n")
    articles = split_articles(text)
    assert "）" not in [a.title for a in articles]
    assert any(p.text == "）" for a in articles for p in a.paragraphs)  # nothing lost
