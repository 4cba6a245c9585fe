"""The news rules of the entity recogniser, without the CRF model."""

from __future__ import annotations

import pytest

from app.entities import rules
from app.entities.features import normalise


def texts(s: str, spans) -> list[tuple[str, str]]:
    return [(t, s[a:b]) for t, a, b in spans]


def dates(s: str) -> list[str]:
    n = normalise(s)
    return [n[a:b] for _, a, b in rules.date_spans(n)]


def money(s: str) -> list[str]:
    n = normalise(s)
    return [n[a:b] for _, a, b in rules.money_spans(n)]


def test_dates_from_the_page():
    assert dates("10月31日,区委书记夏加伟带队") == ["10月31日"]
    assert dates("今年7月,联合实验室正式挂牌") == ["今年7月"]
    assert dates("区(高新区)2023年财政预算调整方案") == ["2023年"]
    assert dates("江门日报讯(记者/何榕)10月30日,江海区召开") == ["10月30日"]


def test_dates_other_forms():
    assert dates("１９９７年１１月１３日于北京") == ["1997年11月13日"]
    assert dates("一九九七年七月一日") == ["一九九七年七月一日"]
    assert dates("今年上半年,福盾应急科技") == ["今年上半年"]
    assert dates("5月份的数据") == ["5月份"]


def test_not_dates():
    assert dates("短短3个多月时间") == []
    assert dates("日本客商来访,5年来") == []
    assert dates("累计抽检食品26批次") == []
    assert dates("电话2023") == []


def test_money():
    assert money("达4250万元;发动社会各方力量捐款捐物292.5万元;") == ["4250万元", "292.5万元"]
    assert money("投资1,200万美元建厂") == ["1,200万美元"]
    assert money("人民币5亿元") == ["人民币5亿元"]
    assert money("共计三百万元") == ["三百万元"]
    assert money("每人１０元") == ["10元"]


def test_not_money():
    assert money("推动经济多元化发展") == []
    assert money("一元论哲学") == []
    assert money("大家一块去") == []


def test_bylines():
    s = normalise("江门日报讯(记者/陈婵 通讯员/曾梓欣)10月30日,区十一届人大常委会第十五次会议召开。")
    assert texts(s, rules.byline_spans(s)) == [("PERSON", "陈婵"), ("PERSON", "曾梓欣")]
    s = normalise("文/图 江门日报记者 何榕 通讯员 林瑞蓬")
    assert texts(s, rules.byline_spans(s)) == [("PERSON", "何榕"), ("PERSON", "林瑞蓬")]
    s = normalise("本报讯 记者李雨溪报道:")
    assert texts(s, rules.byline_spans(s)) == [("PERSON", "李雨溪")]
    s = normalise("营造人人参与的食品安全社会共治氛围。(陈晖 区市监)")
    assert texts(s, rules.byline_spans(s)) == [("PERSON", "陈晖")]


def test_role_before_name():
    s = normalise("10月31日,区委书记夏加伟带队到外海调研。")
    assert texts(s, rules.role_name_spans(s)) == [("PERSON", "夏加伟")]
    s = normalise("副区长邓群标、农行江门分行副行长朱波出席启动仪式。")
    assert texts(s, rules.role_name_spans(s)) == [("PERSON", "邓群标"), ("PERSON", "朱波")]
    s = normalise("该公司总经理李志发介绍")
    assert texts(s, rules.role_name_spans(s)) == [("PERSON", "李志发")]
    s = normalise("区人大常委会主任余志坚主持会议")
    assert texts(s, rules.role_name_spans(s)) == [("PERSON", "余志坚")]
    s = normalise("区领导李国和、李志浩、陈国纯、区用、林壮强、陈颖玲出席会议。")
    assert [w for _, w in texts(s, rules.role_name_spans(s))] == ["李国和", "李志浩", "陈国纯", "区用", "林壮强", "陈颖玲"]
    s = normalise("粤湾云谷智慧产业园总经理区倩婷表示")
    assert texts(s, rules.role_name_spans(s)) == [("PERSON", "区倩婷")]


def test_role_without_name():
    for text in ("区领导调研大气污染防治工作,主任办公会议精神", "克林顿总统和夫人出席", "负责人强调指出", "美国总统宣布",
                 "党员领导干部要以身作则", "国前总理班汉·西巴阿差近日致函"):
        s = normalise(text)
        assert rules.role_name_spans(s) == [], text


def test_byline_needs_a_separator_after_single_character_keywords():
    s = normalise("文章说,两岸政治谈判")
    assert rules.byline_spans(s) == []


def test_role_name_length_from_crf_hint():
    s = normalise("主任王大明天到")  # ambiguous: 王大 + 明天 or 王大明 + 天
    assert texts(s, rules.role_name_spans(s, {2: 5})) == [("PERSON", "王大明")]


def test_org_suffixes():
    s = normalise("当天,专家现场走访广东鑫辉科技股份有限公司后,")
    assert texts(s, rules.org_suffix_spans(s, [])) == [("ORG", "广东鑫辉科技股份有限公司")]
    s = normalise("近日,区市场监管局在辖区内开展活动")
    assert texts(s, rules.org_suffix_spans(s, [])) == [("ORG", "区市场监管局")]
    s = normalise("中国应急管理学会常务理事张麟认为")
    # 中国 (a place the CRF found) shows the head is a name, not a generic phrase
    assert texts(s, rules.org_suffix_spans(s, [("PLACE", 0, 2)])) == [("ORG", "中国应急管理学会")]
    assert rules.org_suffix_spans(s, []) == []
    s = normalise("今年7月,中国科学院大学江海智慧安全应急联合实验室正式挂牌。")
    got = texts(s, rules.org_suffix_spans(s, [("PLACE", 5, 7)]))
    assert got == [("ORG", "中国科学院大学江海智慧安全应急联合实验室")]
    s = normalise("福盾应急科技(广东)有限公司在江门市落地")
    assert texts(s, rules.org_suffix_spans(s, [])) == [("ORG", "福盾应急科技(广东)有限公司")]
    s = normalise("建立农民协会,全市所有中小学,一些外国银行")
    assert rules.org_suffix_spans(s, []) == []
    s = normalise("俄罗斯工业企业家联盟主席沃尔斯基分别就委员会今后工作")
    assert rules.org_suffix_spans(s, [("ORG", 0, 10), ("PERSON", 12, 16)]) == []
    s = normalise("市食品药品安全委员会办公室")
    assert texts(s, rules.org_suffix_spans(s, [])) == [("ORG", "市食品药品安全委员会")]


def test_org_head_stops_at_a_conjunction():
    s = normalise("科技成果对接系列活动暨中国科学院大学科技成果直通江门")
    a = s.index("中国")
    assert texts(s, rules.org_suffix_spans(s, [("PLACE", a, a + 2)])) == [("ORG", "中国科学院大学")]


def test_org_suffix_look_alikes():
    s = normalise("不断开创粤桂协作工作新局面,构建生态文明建设大格局,他要学会了再说,大学生")
    assert rules.org_suffix_spans(s, []) == []
    s = normalise("该公司与中国科学院大学签约")  # 该公司: no name before the suffix
    assert texts(s, rules.org_suffix_spans(s, [("ORG", 5, 12)])) == []


def test_org_start_pulled_back_to_a_straddling_entity():
    s = normalise("江门市博士汇信息科技有限公司")
    # the head scan would start anywhere; a PLACE found by the CRF that straddles it wins
    assert texts(s, rules.org_suffix_spans(s, [("PLACE", 0, 3)])) == [("ORG", "江门市博士汇信息科技有限公司")]


def test_admin_suffix_extends_places():
    s = normalise("到礼乐街道天盛围,广西崇左市大新县落地")
    got = texts(s, rules.extend_admin(s, [("PLACE", 1, 3), ("PLACE", 11, 13), ("PLACE", 14, 16)]))
    assert got == [("PLACE", "礼乐街道"), ("PLACE", "崇左市"), ("PLACE", "大新县")]
    for text in ("江门市长", "中国市场", "香港市民"):  # 市 starts another word: no extension
        s = normalise(text)
        assert texts(s, rules.extend_admin(s, [("PLACE", 0, 2)])) == [("PLACE", text[:2])]
    s = normalise("香港特别行政区区旗")
    assert texts(s, rules.extend_admin(s, [("PLACE", 0, 7)])) == [("PLACE", "香港特别行政区")]


def test_surname_mou():
    s = normalise("犯罪嫌疑人郑某和张某某被抓获,某人")
    assert [w for _, w in texts(s, rules.surname_mou_spans(s))] == ["郑某", "张某某"]
    s = normalise("加勒比地区某国政府,王某一行")
    assert rules.surname_mou_spans(s) == []


def test_org_head_the_crf_cut_off_is_restored():
    s = normalise("、江门市博士汇信息科技有限公司、福盾应急科技(广东)有限公司等")
    crf = [("PLACE", 1, 4), ("ORG", 8, 15), ("ORG", 23, 30)]  # 江门市 / 息科技有限公司 / 广东)有限公司
    got = texts(s, rules.org_suffix_spans(s, crf))
    assert got == [("ORG", "江门市博士汇信息科技有限公司"), ("ORG", "福盾应急科技(广东)有限公司")]


def test_local_government_is_an_organisation():
    s = normalise("江海区政府与农行江门分行签署协议,江门市人民政府,中国政府")
    i, k = s.index("江门市"), s.index("中国")
    crf = [("PLACE", 0, 3), ("PLACE", i, i + 3), ("PLACE", k, k + 2)]
    assert texts(s, rules.government_spans(s, crf)) == [("ORG", "江海区政府"), ("ORG", "江门市人民政府")]
    # the CRF's place without its 区 (extend_admin keeps 区 off before 政府)
    assert texts(s, rules.government_spans(s, [("PLACE", 0, 2)])) == [("ORG", "江海区政府")]
    s = normalise("香港特别行政区政府")
    assert rules.government_spans(s, [("PLACE", 0, 7)]) == []
    for s in (normalise("香港特区政府宣布"), normalise("加上特区政府的高度重视")):
        i = s.index("特区")
        a = i - 2 if s.startswith("香港") else i
        assert rules.government_spans(s, [("PLACE", a, i + 2)]) == []  # a region's government


def test_surname_mou_not_after_a_preposition_or_a_place_word():
    for text in ("低于某价格的洗衣机", "对于某些企业", "济南军区某炮团", "该市某厂"):
        s = normalise(text)
        assert rules.surname_mou_spans(s) == [], text
    s = normalise("原副市长于某,记者 区某报道")
    assert [w for _, w in texts(s, rules.surname_mou_spans(s))] == ["于某", "区某"]


def test_role_name_prefers_the_crf_name_before_a_follower_word():
    s = normalise("副秘书长陶晔说,空调作为")
    assert texts(s, rules.role_name_spans(s, {4: 6})) == [("PERSON", "陶晔")]


def test_role_then_a_verb_is_no_name():
    s = normalise("只是做了财政司长应做的事")
    assert rules.role_name_spans(s) == []
    s = normalise("副区长邓群标、区长郑丹辉出席")
    assert [w for _, w in texts(s, rules.role_name_spans(s))] == ["邓群标", "郑丹辉"]


def test_money_in_every_currency_form_passes_the_cheap_test():
    # money_spans skips lines holding no currency character: each form must still be found
    assert money("人民币500") == ["人民币500"]
    assert money("美金300万") == ["美金300万"]
    assert money("$120万") == ["$120万"]
    assert money("50英镑,30卢布,20块钱") == ["50英镑", "30卢布", "20块钱"]
    assert money("一共三百五十六人") == []


def test_overlapping_flag_words_are_all_found():
    # the feature regexes report every start position, longest word first (副书记 and 书记)
    from app.entities.features import _flag_res

    role_re = _flag_res()[3]
    assert [(m.start(), m.group(1)) for m in role_re.finditer("区委副书记说")] == [(2, "副书记"), (3, "书记")]


def test_sparse_gazetteer_marks_match_the_full_list():
    from app.entities.features import Gazetteer

    gaz = Gazetteer({"江门": "PLACE", "江门市": "PLACE", "门市部": "ORG", "江海区": "PLACE"})
    s = "江门市江海区门市部"
    full = gaz.marks(s)
    sparse = gaz.sparse_marks(s)
    assert [sparse.get(i, []) for i in range(len(s))] == full
    assert full[0] == ["gBPLACE"] and full[2] == ["gEPLACE"]


@pytest.mark.parametrize("extra", [
    ("chunk", "lean", "lookahead", "lookahead2", "seg", "window3"),
    ("compact", "b4", "chunk", "lean", "lookahead", "lookahead2", "seg"),
    ("compact", "u2", "b4", "seg"),
    ("compact",),
])
def test_features_as_bytes_are_the_same_strings(extra):
    # the tagger gets UTF-8 bytes for the dense columns: crfsuite must see identical features
    from app.entities.features import Gazetteer, WordList, sentence_features

    gaz = Gazetteer({"江门": "PLACE", "江海区": "PLACE", "夏加伟": "PERSON"})
    words = WordList.from_lines("江门\n江海\n书记\n带队\n调研\n企业\n")
    extra = frozenset(extra)
    for s in ("10月31日,江海区委书记夏加伟带队到𠀋企业调研。", "a", "中国银行 ABC-12", normalise("１２３ＡＢＣ　江门")):
        plain = sentence_features(s, gaz, words, True, extra)
        as_bytes = sentence_features(s, gaz, words, True, extra, as_bytes=True)
        assert [[f.decode() if isinstance(f, bytes) else f for f in item] for item in as_bytes] == plain
        assert all(isinstance(f, str) for item in plain for f in item)


def test_compact_features_never_share_a_name_across_columns():
    # a compact model has the character and the pair it ends as bare features: no other column,
    # nor a flag (sn, ps, os), may make the same string from other text (Latin "sn", "a=b", "<")
    from app.entities.features import Gazetteer, WordList, sentence_features

    gaz = Gazetteer({"江门": "PLACE"})
    words = WordList.from_lines("江门\n江海\n")
    extra = frozenset(["compact", "u2", "b4", "seg", "chunk", "lookahead"])
    s = "王sn江ps门os a=b=c<d>e 张海公司"
    feats = sentence_features(s, gaz, words, True, extra)
    dense = 11  # u0 a= c= b-1 b= A= C= B= d= e= t=, then sgc=
    columns = [set() for _ in range(dense + 1)]
    flags = set()
    for row in feats:
        if len(row) <= 4:  # punctuation, digits and spaces (lean is off: never)
            continue
        for k in range(dense + 1):
            columns[k].add(row[k])
        flags.update(row[dense + 1:])
    for k, col in enumerate(columns):
        others = set().union(*(c for j, c in enumerate(columns) if j != k)) | flags
        assert not col & others, (k, col & others)
    assert "sn" not in flags and "sn#" in flags  # (the flags' compact names)


# -- second thoughts learnt from the training data: ordinary words, and recall from marginals ----
def _train_ner():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "train_ner", Path(__file__).resolve().parent.parent / "build_scripts" / "train_ner.py")
    train_ner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_ner)
    return train_ner


def _sentence(text: str, name: str | None = None, tag: str = "PER"):
    tags = ["O"] * len(text)
    if name:
        i = text.index(name)
        tags[i:i + len(name)] = ["B-" + tag] + ["I-" + tag] * (len(name) - 1)
    return text, tags


def test_ordinary_words_are_counted_from_the_training_data_outside_entities():
    train_ner = _train_ner()
    sentence = _sentence
    sents = [sentence("田野来信说", "田野")] + [sentence(f"第{i}片田野上") for i in range(5)]
    sents += [sentence("陈婵在田野", "陈婵")] * 4 + [sentence("记者陈婵说")]
    rows = {(w, t): (n, plain) for w, t, n, plain in train_ner.plain_words(sents)}
    assert rows[("田野", "PERSON")] == (1, 9)  # once a name; nine times the word (5 + 4 after 陈婵在)
    assert not any(w == "陈婵" for w, _ in rows)  # a name more often than not


def test_training_copies_get_made_up_names_in_the_same_places():
    from app.entities.evaluate import tags_to_spans

    train_ner = _train_ner()
    names = ["陈婵", "何榕", "林瑞蓬", "欧阳明", "区倩婷", "张麟", "夏加伟", "邓群标"]
    sents = [_sentence(f"记者{n}报道,{n}说", n) for n in names]
    for text, tags in sents:  # the second mention is the same person
        i = text.rindex(text[2:text.index("报")])
        tags[i:i + text.index("报") - 2] = ["B-PER"] + ["I-PER"] * (text.index("报") - 3)
    sents += [_sentence("江海区召开会议", "江海区", "LOC")] * 3  # no person: never copied

    copies = train_ner.augmented(sents, 1.0, seed=7)
    assert copies == train_ner.augmented(sents, 1.0, seed=7)  # seeded: the same copies every time
    assert len(copies) == len(names)
    made_up = set()
    for text, tags in copies:
        assert len(tags) == len(text)
        spans = tags_to_spans(tags)
        assert [t for t, _, _ in spans] == ["PERSON", "PERSON"]
        (_, a, b), (_, c, d) = spans
        assert text[a:b] == text[c:d]  # one person, one made-up name
        assert text[:a] == "记者" and text[b:c] == "报道," and text[d:] == "说"
        assert 2 <= b - a <= 4
        made_up.add(text[a:b])
    assert len(made_up - set(names)) >= len(names) // 2  # mostly new names
    assert train_ner.augmented(sents, 0.0) == []


def test_only_rare_persons_and_organisations_are_dropped_never_places_or_lexicon_names(tmp_path):
    from app.entities import crf
    from app.lexicon import KNOWN_PLACES

    place = next(iter(KNOWN_PLACES))
    path = tmp_path / "plain_words.tsv"
    path.write_text("\n".join([
        "田野\tPERSON\t1\t12",  # a word: dropped
        "高峰\tPERSON\t1\t2",  # too few plain occurrences to tell
        "保险公司\tORG\t1\t9",
        "人大\tORG\t5\t10",  # an organisation a third of the time: kept
        "安康\tPLACE\t1\t20",  # a city: places are left to the CRF's context
        f"{place}\tPERSON\t1\t30",  # the lexicon's names are never dropped
    ]) + "\n", encoding="utf-8")
    assert crf._read_plain_words(path) == {("田野", "PERSON"), ("保险公司", "ORG")}
    assert crf._read_plain_words(tmp_path / "missing.tsv") == frozenset()


class _Marginals:
    """A stand-in for a crfsuite tagger after tag(): per-position label probabilities."""

    def __init__(self, rows: list[dict[str, float]], sequence_probability: float):
        self.rows, self.p = rows, sequence_probability

    def probability(self, labels) -> float:
        return self.p

    def marginal(self, label: str, i: int) -> float:
        return self.rows[i].get(label, 0.0)


def test_recall_from_marginals_adds_the_likeliest_span_where_the_crf_was_unsure():
    from app.entities.crf import MARGINAL_MIN, _marginal_spans

    sure_o = {"O": 0.99}
    unsure = [{"O": 0.4, "B-PER": 0.55}, {"O": 0.45, "E-PER": 0.5}, {"O": 0.5, "S-LOC": 0.5}]
    labels = ["O"] * 5
    tagger = _Marginals([sure_o, *unsure, sure_o], sequence_probability=0.3)
    assert _marginal_spans(tagger, labels) == [("PER", 1, 3, 0.5)]  # B-PER then E-PER: least is 0.5
    # a sure sentence costs one call and adds nothing
    assert _marginal_spans(_Marginals([sure_o, *unsure, sure_o], 1 - MARGINAL_MIN), labels) == []
    # no single-character places (美, 华: mostly wrong), and nothing below the threshold
    tagger = _Marginals([{"O": 0.4, "S-LOC": 0.6}, {"O": 0.6, "B-ORG": 0.3}, {"O": 0.6, "E-ORG": 0.3}], 0.2)
    assert _marginal_spans(tagger, ["O", "O", "O"]) == []
    # where the best sequence already has an entity, it is not second-guessed
    assert _marginal_spans(_Marginals(unsure, 0.2), ["B-PER", "E-PER", "O"]) == []
