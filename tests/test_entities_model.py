"""The whole recogniser with the committed model: API, offsets, the sample page, MSRA regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.entities import annotate_article, annotate_articles, recognise_text
from app.entities.recogniser import consistent_spans
from app.model import Article, Paragraph
from app.paths import resource

REPO = Path(__file__).resolve().parent.parent
MSRA = REPO.parent / "shared" / "data" / "ner" / "msra"

SAMPLE_PERSONS = {
    "陈婵", "夏加伟", "廖华", "李雨溪", "杨建亮", "郑伟潮", "黄振波", "邓群标", "朱波", "何榕", "陈晖", "曾梓欣",
    "余志坚", "李国和", "李志浩", "陈国纯", "区用", "林壮强", "陈颖玲", "郑丹辉", "曾立", "邓志华", "刘宏杰",
    "郭绪昌", "林瑞蓬", "张麟", "区倩婷", "李志发", "习近平",
}


def check_spans(texts: list[str], spans) -> None:
    by_par: dict[int, list] = {}
    for e in spans:
        assert texts[e.paragraph][e.start : e.end] == e.text
        assert e.text and e.type in ("PERSON", "PLACE", "ORG", "DATE", "MONEY")
        by_par.setdefault(e.paragraph, []).append(e)
    for es in by_par.values():
        es.sort(key=lambda e: e.start)
        for a, b in zip(es, es[1:]):
            assert a.end <= b.start, (a, b)


def sample_article() -> Article:
    text = resource("sample_jianghai.txt").read_text(encoding="utf-8")
    return Article(title="sample", paragraphs=[Paragraph(p.strip()) for p in text.splitlines() if p.strip()])


def test_import_does_not_load_the_model():
    code = "import sys, app.entities; print('pycrfsuite' in sys.modules, 'app.entities.recogniser' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_sample_page_persons_all_found():
    article = sample_article()
    spans = annotate_article(article)
    check_spans([p.text for p in article.paragraphs], spans)
    persons = {e.text for e in spans if e.type == "PERSON"}
    assert SAMPLE_PERSONS <= persons, SAMPLE_PERSONS - persons
    for wrong in ("区领导", "区市监", "区委", "区长"):
        assert wrong not in persons


def test_sample_page_other_types():
    article = sample_article()
    spans = annotate_article(article)
    got = {(e.type, e.text) for e in spans}
    for want in [
        ("DATE", "10月31日"), ("DATE", "今年7月"), ("DATE", "2023年"), ("DATE", "10月30日"),
        ("MONEY", "4250万元"), ("MONEY", "292.5万元"),
        ("ORG", "广东鑫辉科技股份有限公司"), ("ORG", "中国应急管理学会"), ("ORG", "区市场监管局"),
        ("PLACE", "江海区"), ("PLACE", "大新县"),
    ]:
        assert want in got, want


def test_offsets_with_emoji_and_non_bmp():
    text = "😀🎉记者/陈婵报道:𠀋10月31日,副区长邓群标出席,捐款292.5万元😀。"
    spans = recognise_text(text)
    check_spans([text], spans)
    got = {(e.type, e.text, e.start) for e in spans}
    assert ("PERSON", "陈婵", text.index("陈婵")) in got
    assert ("PERSON", "邓群标", text.index("邓群标")) in got
    assert ("DATE", "10月31日", text.index("10月31日")) in got
    assert ("MONEY", "292.5万元", text.index("292.5万元")) in got
    assert all(e.paragraph == 0 for e in spans)


def test_fullwidth_digits_keep_offsets():
    text = "１９９７年７月１日，香港回归。"
    spans = recognise_text(text)
    check_spans([text], spans)
    assert ("DATE", "１９９７年７月１日") in {(e.type, e.text) for e in spans}


def test_consistency_tags_every_occurrence():
    texts = ["区委书记夏加伟带队到江海调研。", "会上,夏加伟强调要加强监管。夏书记说,", "区委书记说"]
    found = [[("PERSON", 4, 7)], [], []]
    out = consistent_spans(texts, found)
    assert out[1] == [("PERSON", 3, 6), ("PERSON", 14, 15)]
    assert out[2] == []  # 区委书记: no name, and 区 is not the surname of anyone found


def test_a_name_cut_short_takes_the_whole_name_found_elsewhere_in_the_article():
    # the sample page: 总经理李志发介绍 … 李志发表示 (发表 is a word: a model may cut 李志|发表示)
    texts = ["该公司总经理李志发介绍,", "“……。”李志发表示,", "李志发展中心成立"]
    found = [[("PERSON", 6, 9)], [("PERSON", 5, 7)], [("ORG", 0, 6)]]
    out = consistent_spans(texts, found)
    assert out[0] == [("PERSON", 6, 9)]
    assert out[1] == [("PERSON", 5, 8)]
    assert out[2] == [("ORG", 0, 6)]  # not a person cut short: an organisation holds the spot


def test_annotate_article_across_paragraphs():
    article = Article(
        title="t",
        paragraphs=[Paragraph("粤湾云谷智慧产业园总经理区倩婷表示,要加强合作。"), Paragraph("区倩婷说,园区将继续扩大规模。")],
    )
    spans = annotate_article(article)
    check_spans([p.text for p in article.paragraphs], spans)
    persons = [(e.paragraph, e.text, e.start) for e in spans if e.type == "PERSON"]
    assert (0, "区倩婷", 12) in persons and (1, "区倩婷", 0) in persons
    assert article.entities == []  # annotate_article does not modify the article


def test_annotate_articles_fills_entities():
    a = Article(title="a", paragraphs=[Paragraph("10月31日,副区长邓群标出席启动仪式。")])
    b = Article(title="b", paragraphs=[Paragraph("")])
    annotate_articles([a, b])
    assert ("PERSON", "邓群标") in {(e.type, e.text) for e in a.entities}
    assert b.entities == []
    assert recognise_text("") == []


@pytest.mark.skipif(not (MSRA / "test.bio").exists(), reason="../shared/data/ner/msra is not here")
def test_msra_test_split_no_regression():
    from app.entities.evaluate import evaluate, read_bio, recogniser_spans

    recorded = json.loads(resource("ner/metrics.json").read_text(encoding="utf-8"))
    types = ("PERSON", "PLACE", "ORG")
    result = evaluate(read_bio(MSRA / "test.bio"), recogniser_spans, types)
    f1 = 100 * result["all"].micro(types)[2]
    f1_clean = 100 * result["no_name_lists"].micro(types)[2]
    assert f1 >= recorded["all"]["micro"]["f1"] - 0.01
    assert f1_clean >= recorded["without_name_lists"]["micro"]["f1"] - 0.01
    for t in types:
        assert 100 * result["all"].per_type(t)[2] >= recorded["all"][t]["f1"] - 0.01


def test_long_text_is_tagged_in_pieces_with_correct_offsets():
    text = resource("sample_jianghai.txt").read_text(encoding="utf-8")
    spans = recognise_text(text)  # one 6,000-character text: tagged a sentence at a time
    check_spans([text], spans)
    persons = {e.text for e in spans if e.type == "PERSON"}
    assert {"区用", "区倩婷", "夏加伟", "林瑞蓬"} <= persons


def test_sample_page_no_fragments():
    """Organisations cut out of running text, and a province inside a local place name, are gone;
    the places inside them stay."""
    article = sample_article()
    spans = annotate_article(article)
    got = {(e.type, e.text) for e in spans}
    for wrong in [
        ("PLACE", "海南"), ("ORG", "江海区一大新县粤桂协"), ("ORG", "大新县农产品"), ("ORG", "外海横海南沙场"),
        ("PLACE", "绿美江海"),  # a campaign name (推动绿美江海生态建设), not a place
    ]:
        assert wrong not in got, wrong
    assert not any(t == "ORG" and w.startswith("系列活动") for t, w in got)
    assert ("PLACE", "外海") in got
    assert ("ORG", "江海区政府") in got
    first = [e for e in spans if e.paragraph == 1 and e.type in ("PLACE", "ORG")]
    assert ("PLACE", "外海") in {(e.type, e.text) for e in first}


def test_organisation_checks_keep_known_and_plausible_ones():
    from app.entities.recogniser import _check_crf, default

    m = default.model()
    s = "帮助采购、销售大新县农产品和特色手工艺品"
    a = s.index("大新县")
    assert _check_crf(m, s, [("ORG", a, a + 6)]) == [("PLACE", a, a + 3)]
    s = "中国应急管理学会常务理事张麟认为"
    assert _check_crf(m, s, [("ORG", 0, 8)], {(0, 8): 0.95}) == [("ORG", 0, 8)]
    assert _check_crf(m, s, [("ORG", 0, 8)], {(0, 8): 0.3}) == [("PLACE", 0, 2)]


def test_campaign_names_keep_only_their_place():
    got = {(e.type, e.text) for e in recognise_text("推动绿美江海生态建设,共建美丽中国。")}
    assert ("PLACE", "绿美江海") not in got and ("PLACE", "美丽中国") not in got
    assert ("PLACE", "中国") in got


def test_known_organisation_is_not_a_run_of_names():
    got = {(e.type, e.text) for e in recognise_text("作品《三颗宝珠》曾获联合国教科文组织“野间”奖。")}
    assert not {w for t, w in got if t == "PERSON"}, got
