"""Entities of today's local news (issue #18): administrative divisions from the bundled gazetteer,
roads, stations and villages, party and government bodies, media, companies, people by surname
and form of address; the development set's markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.entities import annotate_article, recognise_text
from app.entities.evaluate import parse_markup, read_markup, tags_to_spans
from app.entities.rules import local_news as local
from app.model import Article, Paragraph
from app.paths import resource

REPO = Path(__file__).resolve().parent.parent
MODERN = REPO / "tests" / "fixtures" / "ner" / "modern"
PLACES = {"广西": "province-short", "广西壮族自治区": "province", "崇左市": "prefecture", "大新县": "county", "大新": "county-short",
          "礼乐街道": "township", "江门市": "prefecture", "江门": "prefecture-short", "江海区": "county", "棠下镇": "township"}


def found(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.text) for e in recognise_text(text)}


def test_bundled_gazetteer_has_the_divisions_with_short_forms():
    places = local.read_places(resource("ner/places.tsv").read_text(encoding="utf-8"))
    assert places["广西壮族自治区"] == "province" and places["广西"] == "province-short"
    assert places["崇左市"] == "prefecture" and places["大新县"] == "county" and places["大新"] == "county-short"
    assert places["礼乐街道"] == "township" and places["棠下镇"] == "township"
    assert places["襄樊市"] == "prefecture"  # a former name, from the change list
    assert len(places) > 30000


def test_place_chain_is_one_place_per_unit():
    s = "广西崇左市大新县委副书记"
    assert local.split_place_chain(s, [("ORG", 0, 9)], PLACES) == [("PLACE", 0, 2), ("PLACE", 2, 5), ("ORG", 5, 9)]
    s = "在礼乐街道英南村调研"
    assert local.split_place_chain(s, [("PLACE", 1, 8)], PLACES) == [("PLACE", 1, 5), ("PLACE", 5, 8)]
    s = "江门市博物馆开馆"  # the rest is no place unit: one place
    assert local.split_place_chain(s, [("PLACE", 0, 6)], PLACES) == [("PLACE", 0, 6)]


def test_admin_names_found_where_a_place_starts_not_inside_words():
    s = "到大新县调研,江门市场火爆"
    got = local.admin_place_spans(s, [], PLACES)
    assert ("PLACE", 1, 4) in got
    assert not any(s[a:b] == "江门市" for _, a, b in got)  # 江门 + 市场


def test_places_do_not_take_numbers_halls_or_a_second_village_character():
    s = "胜利路42号一楼商铺"
    assert local.trim_places(s, [("PLACE", 0, 7)]) == [("PLACE", 0, 3)]
    s = "江门站东广场启用"
    assert local.trim_places(s, [("PLACE", 0, 6)]) == [("PLACE", 0, 3)]
    s = "乌纱村村民说"
    assert local.trim_places(s, [("PLACE", 0, 4)]) == [("PLACE", 0, 3)]
    s = "事故发生在东海路89号门前"
    assert ("PLACE", 5, 8) in local.road_spans(s, [])


def test_station_ends_at_its_suffix():
    s = "旅客在江门站候车厅排队"
    assert local.station_spans(s, [], PLACES) == [("PLACE", 3, 6)]
    assert local.station_spans("江门站长说", [], PLACES) == []  # 站长: the head of a station, no station


def test_party_and_government_bodies():
    def bodies(s, spans=()):
        return {s[a:b] for _, a, b in local.body_spans(s, list(spans), PLACES)}

    assert bodies("学习贯彻党的二十大精神") == {"二十大"}
    assert bodies("中共二十大报告提出") == {"中共二十大"}
    assert "区十一届人大常委会" in bodies("10月30日,区十一届人大常委会第十五次会议召开")
    assert {"县委办", "县政府办"} <= bodies("县委办、县政府办相关负责人参加")
    assert {"镇政府"} <= bodies("镇政府组织工作人员")
    assert "第二巡查组" in bodies("第二巡查组对杜阮镇开展巡查")
    assert "市环保督察组" in bodies("市环保督察组对西江沿岸砂场进行暗访")
    assert "大新县委" in bodies("大新县委副书记", [("PLACE", 0, 3)])
    assert bodies("特区政府宣布") == set()  # MSRA's place (特区), not a local government
    assert bodies("十大新闻评选") == set()  # top ten, no congress
    # the CRF's longer organisation stays whole
    assert bodies("设立五届人大常委会法制委员会", [("ORG", 2, 14)]) == set()


def test_media_and_companies():
    s = "江门日报讯(记者/陈婵)新华社、人民网报道,华为与中建八局签约,碧桂园集团出席"
    got = {s[a:b] for _, a, b in local.media_company_spans(s, [])}
    assert {"江门日报", "新华社", "人民网", "华为", "中建八局", "碧桂园集团"} <= got
    assert local.media_company_spans("得到美的享受", []) == []  # 美的 is listed only as 美的集团


def test_person_by_surname_and_form_of_address():
    def persons(s):
        return [s[a:b] for _, a, b in local.address_person_spans(s)]

    assert persons("家住长堤路的刘先生说") == ["刘"]
    assert persons("村民陈阿姨高兴地说") == ["陈"]
    assert persons("市民梁小姐在广场丢失钱包") == ["梁"]
    assert persons("村民谭伯笑着说") == ["谭"]
    assert persons("欧阳先生说") == ["欧阳"]
    assert persons("同班同学借口研究") == [] and persons("那同学身着时装") == []
    assert persons("李姐妹俩") == []


def test_no_entity_across_punctuation_and_two_organisations_joined_by_and():
    s = "大新县。大新县委"
    assert local.unglue(s, [("ORG", 0, 8)]) == []
    s = "澳门大学与五邑大学交流"
    assert local.unglue(s, [("ORG", 0, 9)]) == [("ORG", 0, 4), ("ORG", 5, 9)]
    s = "区红十字会组织开展培训"
    assert local.unglue(s, [("ORG", 0, 7)]) == [("ORG", 0, 5)]


def test_whole_recogniser_on_local_news():
    got = found("广西崇左市大新县委副书记杨建亮率队到江海区对接交流。")
    assert {("PLACE", "广西"), ("PLACE", "崇左市"), ("ORG", "大新县委"), ("PLACE", "江海区"), ("PERSON", "杨建亮")} <= got
    got = found("家住白沙街道长堤路的刘先生说,路灯终于亮了。")
    assert ("PERSON", "刘") in got and ("PERSON", "刘先生") not in got
    got = found("旅客在江门站候车厅排队检票。")
    assert ("PLACE", "江门站") in got
    got = found("江门日报讯(记者/陈婵)镇政府组织工作人员连夜转移群众。")
    assert {("ORG", "江门日报"), ("ORG", "镇政府"), ("PERSON", "陈婵")} <= got


def test_sample_page_local_entities():
    text = resource("sample_jianghai.txt").read_text(encoding="utf-8")
    article = Article(title="sample", paragraphs=[Paragraph(p.strip()) for p in text.splitlines() if p.strip()])
    got = {(e.type, e.text) for e in annotate_article(article)}
    for want in [("PLACE", "广西"), ("PLACE", "崇左市"), ("PLACE", "大新县"), ("ORG", "大新县委"),
                 ("ORG", "区十一届人大常委会"), ("ORG", "江门市安全应急产业园"), ("ORG", "江门日报")]:
        assert want in got, want
    assert ("ORG", "人大常委会") not in got


def test_markup_is_read_as_bio():
    text, tags = parse_markup("[O江门日报]讯 [P刘]先生在[L江门站]")
    assert text == "江门日报讯 刘先生在江门站"
    assert tags_to_spans(tags) == [("ORG", 0, 4), ("PERSON", 6, 7), ("PLACE", 10, 13)]
    with pytest.raises(ValueError):
        parse_markup("[L江门站")


def test_development_set_is_there_and_well_formed():
    sents = [s for f in sorted(MODERN.glob("*.txt")) for s in read_markup(f)]
    assert len(sents) >= 400
    assert len(read_markup(MODERN / "heldout.txt")) >= 100
    assert all("[" not in text and "]" not in text for text, _ in sents)


def test_short_form_of_a_place_named_in_full_in_the_article():
    texts = ["大新县召开会议。", "大新将继续推进,大新企业表示支持。", "大新县委书记出席。"]
    found = [[("PLACE", 0, 3)], [("PERSON", 0, 2)], [("ORG", 0, 4)]]
    out = local.article_short_places(texts, found, PLACES)
    assert out[1] == [("PLACE", 0, 2), ("PLACE", 8, 10)]  # the "person" too
    assert out[2] == [("ORG", 0, 4)]  # inside an organisation: left alone
    assert local.article_short_places(["大新将继续推进"], [[]], PLACES) == [[]]  # no full name in the article


def test_no_person_before_a_river_bank_or_a_shrine():
    s = "潭江沿岸的碧道工程,陈白沙祠修缮,李明说"
    spans = [("PERSON", 0, 2), ("PERSON", 10, 13), ("PERSON", 16, 18)]
    assert local.drop_place_persons(s, spans) == [("PERSON", 16, 18)]


def test_address_chains_roads_after_a_verb_and_joint_organisations():
    places = dict(PLACES, 浙江省="province", 杭州市="prefecture", 余杭区="county", 仓前街道="township")
    s = "浙江省杭州市余杭区仓前街道葛巷社区党委书记许卫国"
    got = local.split_place_chain(s, [("ORG", 0, 19)], places)
    assert [s[a:b] for _, a, b in got] == ["浙江省", "杭州市", "余杭区", "仓前街道", "葛巷社区"]
    assert all(t == "PLACE" for t, _, _ in got)  # before 书记 the branch is its secretary's title
    s = "家住建设路128号的市民"
    assert local.road_spans(s, []) == [("PLACE", 2, 5)]
    s = "东城街道办事处联合区市场监管局开展检查"
    assert local.unglue(s, [("ORG", 0, 15)]) == [("ORG", 0, 7), ("ORG", 9, 15)]


def test_places_cut_short_by_the_crf_and_roads_ending_like_words():
    places = dict(PLACES, 汕头市="prefecture", 金平区="county", 石炮台街道="township")
    s = "汕头市金平区石炮台街道新兴社区居民"
    got = local.split_place_chain(s, [("ORG", 0, 9)], places)
    assert got == [("PLACE", 0, 3), ("PLACE", 3, 6), ("PLACE", 6, 11)]
    assert local.road_spans("科技大道与创新路交汇处", []) == [("PLACE", 0, 4), ("PLACE", 5, 8)]
    assert local.road_spans("村民走路、骑车", []) == []


def test_village_after_a_street_not_a_verb():
    s = "禅城区祖庙街道举办社区运动会,荷塘镇禾冈村村民"
    got = local.village_spans(s, [("PLACE", 3, 7), ("PLACE", 15, 18)])
    assert [s[a:b] for _, a, b in got] == ["禾冈村"]


def test_media_in_datelines_with_a_middle_dot_and_after_ju():
    s = "齐鲁晚报·齐鲁壹点记者 王杰;据央视财经报道"
    got = {s[a:b] for _, a, b in local.media_company_spans(s, [])}
    assert {"齐鲁晚报", "齐鲁壹点", "央视财经"} <= got


def test_illness_names_are_no_entities():
    s = "还有阿尔茨海默病,凤霞病了以后"
    assert local.drop_illnesses(s, [("PLACE", 2, 7), ("PERSON", 9, 11)]) == [("PERSON", 9, 11)]


def test_short_forms_of_counties_and_towns_in_lists():
    places = dict(PLACES, 番禺="county-short", 南沙="county-short", 容桂="township-short")
    s = "番禺、南沙两区交界处"
    assert {s[a:b] for _, a, b in local.short_place_spans(s, [], places, frozenset())} == {"番禺", "南沙"}
    s = "北滘、容桂等镇街"
    assert local.retype_short_places(s, [("PERSON", 3, 5)], places) == [("PLACE", 3, 5)]
    s = "王益、容桂出席"  # a person's name in a list of names stays a person
    assert local.retype_short_places(s, [("PERSON", 3, 5)], places) == [("PERSON", 3, 5)]


def test_bundled_gazetteer_leaves_out_short_forms_that_are_ordinary_words():
    places = local.read_places(resource("ner/places.tsv").read_text(encoding="utf-8"))
    for word in ("复兴", "前进", "合作", "解放", "通道", "新建"):
        assert word not in places, word
    assert places["番禺"] == "county-short" and places["中山"] == "prefecture-short"


def test_a_count_of_places_is_no_part_of_the_last_one():
    s = "东坑、南坑两村率先"
    assert local.trim_places(s, [("PLACE", 3, 7)]) == [("PLACE", 3, 5)]


def test_a_bare_body_after_a_verb():
    s = "市长李明主持召开市政府常务会议"
    assert "市政府" in {s[a:b] for _, a, b in local.body_spans(s, [], PLACES)}
