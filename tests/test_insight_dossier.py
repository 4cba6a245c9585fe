"""A dossier for one name: spellings, the concordance in date order, companions, the timeline,
and its exports (the articles are made up for these tests)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from app.insight.dossier import (COMPANIONS, SENTENCE_MAX, dossier_articles, dossier_to_dict, make_dossier,
                                 mentions_csv, spellings_of)
from tests.insight_helpers import article

P, L, O = "PERSON", "PLACE", "ORG"
NAMES = [(L, "青禾区"), (L, "青禾"), (P, "罗明远"), (P, "罗书记"), (O, "青禾区文化馆"), (P, "苏晓岚"), (L, "白沙镇")]


def library():
    return [
        article("a1", "2021-03-05", ["青禾区召开春耕动员会。区委书记罗明远强调，青禾要抓好农时！罗书记随后走访了白沙镇。"],
                NAMES, title="青禾区部署春耕"),
        article("a2", "03-01", ["苏晓岚在青禾调研：“青禾的茶叶很好。”她说。"], NAMES, title="苏晓岚调研茶园"),
        article("a3", None, ["白沙镇举办龙舟赛；罗明远到场观看。"], NAMES, title="龙舟赛开锣"),
        article("a4", "2020-11-20", ["青禾区文化馆开馆，罗明远出席。", "市民纷纷来到青禾区参观"], NAMES, title="文化馆开馆"),
        article("a5", "2021-01-02", ["新年音乐会在白沙镇上演。"], NAMES, title="新年音乐会"),
        article("a6", "2021-02-30", ["罗明远在青禾区慰问困难群众。"], NAMES, title="节前慰问"),  # no such day
        article("a7", "02-15", ["罗明远主持召开青禾区常务会议。"], NAMES, title="常务会议"),
    ]


def test_spellings_merge_a_short_form_named_with_the_name_and_nothing_else():
    arts = library()
    assert spellings_of(arts, L, "青禾区") == ("青禾区", "青禾")  # 4 mentions of the full name, 3 of 青禾
    assert spellings_of(arts, L, "青禾") == ("青禾区", "青禾")  # either way round
    assert spellings_of(arts, P, "罗明远") == ("罗明远",)  # 罗书记 shares no text
    assert spellings_of(arts, O, "青禾区文化馆") == ("青禾区文化馆",)  # another type is never merged
    assert spellings_of(arts, L, "没有的地方") == ("没有的地方",)


def test_a_form_never_named_beside_the_name_is_not_merged():
    arts = [article("x", "2022-01-01", ["青禾区很美。"], [(L, "青禾区")]),
            article("y", "2022-01-02", ["青禾很美。"], [(L, "青禾")])]
    assert spellings_of(arts, L, "青禾区") == ("青禾区",)
    d = make_dossier(arts, L, "青禾区")
    assert d.articles == 1 and d.article_ids == ("x",)


def test_one_character_forms_and_amounts_are_never_merged():
    arts = [article("x", "2022-01-01", ["青禾区的青字。共投入15万元，其中5万元为补贴。"],
                    [(L, "青禾区"), (L, "青"), ("MONEY", "15万元"), ("MONEY", "5万元")])]
    assert spellings_of(arts, L, "青禾区") == ("青禾区",)
    assert spellings_of(arts, "MONEY", "15万元") == ("15万元",)


def test_the_concordance_is_in_date_order_with_each_sentence_and_the_name_inside_it():
    d = make_dossier(library(), L, "青禾区")
    got = [(m.article_id, m.date, m.spelling, m.sentence) for m in d.mentions]
    assert got == [
        ("a4", "2020-11-20", "青禾区", "市民纷纷来到青禾区参观"),  # a line end closes the sentence
        ("a1", "2021-03-05", "青禾区", "青禾区召开春耕动员会。"),
        ("a1", "2021-03-05", "青禾", "区委书记罗明远强调，青禾要抓好农时！"),
        ("a7", "02-15", "青禾区", "罗明远主持召开青禾区常务会议。"),  # MM-DD after the full dates
        ("a2", "03-01", "青禾", "苏晓岚在青禾调研：“青禾的茶叶很好。”"),  # the closing quote stays
        ("a2", "03-01", "青禾", "苏晓岚在青禾调研：“青禾的茶叶很好。”"),  # the closing quote stays
        ("a6", "2021-02-30", "青禾区", "罗明远在青禾区慰问困难群众。"),  # an impossible date is undated
    ]
    for m in d.mentions:
        assert m.sentence[m.start:m.end] == m.spelling
    assert [m.start for m in d.mentions if m.article_id == "a2"] == [4, 10]
    assert d.articles == 5 and set(d.article_ids) == {"a1", "a2", "a4", "a6", "a7"}
    assert d.article_ids == ("a1", "a2", "a4", "a6", "a7")  # the order given


def test_undated_articles_come_last_in_page_order():
    d = make_dossier(library(), P, "罗明远")
    assert [m.article_id for m in d.mentions] == ["a4", "a1", "a7", "a3", "a6"]
    assert d.mentions[3].sentence == "罗明远到场观看。"  # split at ；


def test_companions_are_counted_by_shared_articles_without_its_own_spellings():
    d = make_dossier(library(), L, "青禾区")
    assert d.companions == ((P, "罗明远", 4), (L, "白沙镇", 1), (P, "罗书记", 1), (P, "苏晓岚", 1),
                           (O, "青禾区文化馆", 1))  # ties by text
    assert (L, "青禾") not in {(t, x) for t, x, _n in d.companions}
    assert dict(((t, x), n) for t, x, n in d.companions)[(P, "苏晓岚")] == 1
    shared = [n for _t, _x, n in d.companions]
    assert shared == sorted(shared, reverse=True)


def test_companions_keep_the_top_twenty():
    names = [(P, f"人物{i:02d}") for i in range(30)]
    arts = [article(f"a{i}", "2022-01-01", ["青禾区：" + "、".join(n for _k, n in names[:i + 1]) + "。"],
                    [(L, "青禾区"), *names]) for i in range(30)]
    d = make_dossier(arts, L, "青禾区")
    assert len(d.companions) == COMPANIONS
    assert d.companions[0] == (P, "人物00", 30) and d.companions[-1] == (P, "人物19", 11)


def test_the_timeline_counts_its_articles_and_the_undated_apart():
    d = make_dossier(library(), L, "青禾区")
    series = d.timeline.series[0]
    assert series.name == "青禾区"
    assert sum(series.counts) == 2 and series.undated == 3  # a4, a1 dated; a2, a7 (MM-DD), a6 (invalid)
    assert d.timeline.unit == "week"  # 2020-11-20 .. 2021-03-05


def test_a_name_no_article_names_gives_an_empty_dossier():
    d = make_dossier(library(), P, "无名氏")
    assert d.articles == 0 and d.mentions == () and d.companions == () and d.spellings == ("无名氏",)
    assert d.timeline.buckets == () and d.timeline.series[0].total == 0
    assert dossier_articles(d)[0].title == "档案：无名氏"


def test_stale_spans_are_found_again_or_left_out():
    a = article("s", "2022-05-01", ["前言。罗明远来了。"], [(P, "罗明远")])
    from app.model import EntitySpan

    a.entities = [EntitySpan(P, "罗明远", 0, 0, 3), EntitySpan(P, "罗明远", 5, 0, 3)]  # wrong place, no paragraph 5
    d = make_dossier([a], P, "罗明远")
    assert [(m.sentence, m.start, m.end) for m in d.mentions] == [("罗明远来了。", 0, 3)]


def test_a_long_sentence_is_cut_around_the_name():
    long_text = "甲" * 300 + "罗明远" + "乙" * 300 + "。"
    d = make_dossier([article("l", "2022-05-01", [long_text], [(P, "罗明远")])], P, "罗明远")
    m = d.mentions[0]
    assert len(m.sentence) <= SENTENCE_MAX + 2 and m.sentence.startswith("…") and m.sentence.endswith("…")
    assert m.sentence[m.start:m.end] == "罗明远"


def test_to_dict_and_csv_shapes():
    d = make_dossier(library(), L, "青禾区")
    data = json.loads(json.dumps(dossier_to_dict(d), ensure_ascii=False))
    assert set(data) == {"type", "name", "spellings", "articles", "article_ids", "mentions", "companions",
                         "timeline"}
    assert data["spellings"] == ["青禾区", "青禾"] and data["articles"] == 5
    assert set(data["mentions"][0]) == {"date", "title", "article_id", "spelling", "sentence", "start", "end"}
    assert data["companions"][0] == {"type": "PERSON", "text": "罗明远", "shared": 4}
    assert data["timeline"]["series"][0]["undated"] == 3
    rows = list(csv.reader(io.StringIO(mentions_csv(d))))
    assert rows[0] == ["date", "title", "spelling", "sentence", "article_id"]
    assert rows[1] == ["2020-11-20", "文化馆开馆", "青禾区", "市民纷纷来到青禾区参观", "a4"]
    assert rows[-1][0] == "2021-02-30" and len(rows) == len(d.mentions) + 1
    assert ["", "苏晓岚调研茶园"] != rows[5][:2] and rows[5][0] == "03-01"


def test_the_dossier_as_an_article_has_a_subhead_per_section():
    d = make_dossier(library(), L, "青禾区")
    [a] = dossier_articles(d)
    assert a.title == "档案：青禾区" and "5 篇文章" in a.subtitle and a.id
    heads = [p.text for p in a.paragraphs if p.kind == "subhead"]
    assert heads == ["提及时间 / Mentions over time", "语境 / Concordance", "同现 / Names beside it",
                     "写法 / Spellings"]
    texts = [p.text for p in a.paragraphs]
    assert "2020-W47：1 篇" in texts and "无完整日期 / undated：3 篇" in texts
    assert "2020-11-20 · 文化馆开馆：市民纷纷来到青禾区参观" in texts
    assert "罗明远（人物）：4 篇" in texts and "青禾区、青禾" in texts
    assert sum(1 for p in a.paragraphs if "·" in p.text) == len(d.mentions)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_exporters_write_it(tmp_path, fmt):
    from app.export import export_articles

    d = make_dossier(library(), L, "青禾区")
    [path] = export_articles(dossier_articles(d), fmt, tmp_path / f"dossier.{fmt}")
    assert path.stat().st_size > 0
    if fmt != "docx":
        text = path.read_text("utf-8")
        assert "档案：青禾区" in text and "语境 / Concordance" in text and "市民纷纷来到青禾区参观" in text
