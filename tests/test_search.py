"""The search core: Chinese-aware recall, phrases, folding, fields, query language, snippets."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model import Article, EntitySpan, Paragraph, SearchHit
from app.search import SearchIndex, parse_query, searchable_text
from app.search.analysis import fold
from app.sources import SourceText
from tests.benchmarks.corpus import SAMPLE, LoadedSource, source_from_text


def make_source(name: str, articles: list[Article], salt: str = "") -> LoadedSource:
    key = hashlib.sha256((name + salt + "".join(a.title for a in articles)).encode()).hexdigest()
    path = f"/papers/{name}"
    for i, art in enumerate(articles):
        art.ordinal = i
        art.source = path
        art.assign_id(key)
    return LoadedSource(SourceText(path, "", "utf-8", key), articles)


def scan(articles: list[Article], literal: str) -> set[str]:
    lit = fold(literal)
    return {a.id for a in articles if lit in fold(searchable_text(a))}


def marked(snippet) -> list[str]:
    """The texts a snippet marks (its spans sliced out of its plain text)."""
    return [snippet.text[start:end] for start, end in snippet.marks]


def ids(result) -> set[str]:
    return {h.id for h in result.hits}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    loaded = source_from_text(SAMPLE.read_text("utf-8"), str(SAMPLE))
    assert len(loaded.articles) >= 5
    index = SearchIndex(tmp_path_factory.mktemp("sample-index"))
    stats = index.update([loaded])
    assert stats.articles_indexed == len(loaded.articles)
    yield index, loaded.articles
    index.close()


FIELD_ARTICLES = [
    Article(title="江海区推进扬尘污染防治", subtitle="六个百分百要求落实",
            authors=["陈婵"], date="2023-10-31",
            paragraphs=[Paragraph("区委书记夏加伟带队调研大气污染防治工作。"),
                        Paragraph("推动绿美江海生态建设,融入粤港澳大湾区。")],
            entities=[EntitySpan("PERSON", "夏加伟", 0, 4, 7), EntitySpan("PLACE", "粤港澳大湾区", 1, 12, 18)]),
    Article(title="食品安全示范城市创建", authors=["何榕"], date="2023-10-30",
            paragraphs=[Paragraph("创建国家食品安全示范城市,邓群标参加会议。扬尘治理也被提及。")],
            entities=[EntitySpan("PERSON", "邓群标", 0, 13, 16), EntitySpan("ORG", "市场监管局", 0, 0, 0)]),
    Article(title="ＡＩ技术助力企业", authors=["李雨溪"], date="2023-11-01",
            paragraphs=[Paragraph("广东鑫辉科技股份有限公司引入AI质检,产能提升１２３件。<b>标记&符号</b>")]),
    Article(title="體育新聞", authors=["林瑞蓬"], date="2023-11-02",
            paragraphs=[Paragraph("揚塵天氣下的足球比賽照常進行。")]),
]


@pytest.fixture(scope="module")
def fielded(tmp_path_factory):
    arts = [Article.from_dict(a.to_dict()) for a in FIELD_ARTICLES]
    src = make_source("fields.txt", arts)
    index = SearchIndex(tmp_path_factory.mktemp("field-index"))
    index.update([src])
    yield index, arts
    index.close()


# ------------------------------------------------------------------ recall on the sample page


@pytest.mark.parametrize("word", ["伟潮", "湾区", "扬尘", "江海", "百千万工程", "郑伟潮"])
def test_substrings_across_word_boundaries_are_found(sample, word):
    index, articles = sample
    expected = scan(articles, word)
    assert expected, f"the sample should contain {word}"
    result = index.search(word, limit=None)
    assert ids(result) == expected
    assert result.total == len(expected)


def test_weichao_finds_zheng_weichao(sample):
    index, articles = sample
    hits = index.search("伟潮").hits
    titles = {h.title for h in hits}
    assert any("粤桂协作" in t for t in titles)
    assert all("伟潮" in h.snippet.text and "伟潮" in marked(h.snippet) for h in hits)


def test_quoted_phrase_finds_food_safety(sample):
    index, articles = sample
    result = index.search('"食品安全"', limit=None)
    assert ids(result) == scan(articles, "食品安全")
    assert result.total >= 1
    assert any("食品安全示范城市" in h.title for h in result.hits)
    assert "食品安全" in marked(result.hits[0].snippet)


def test_traditional_query_finds_simplified_text(sample):
    index, _ = sample
    simplified = index.search("扬尘", limit=None)
    traditional = index.search("揚塵", limit=None)
    assert simplified.total >= 1
    assert ids(traditional) == ids(simplified)
    assert "扬尘" in marked(traditional.hits[0].snippet)


@pytest.mark.parametrize("char", ["扬", "潮", "侨", "鑫", "湾", "辐"])
def test_single_characters(sample, char):
    index, articles = sample
    expected = scan(articles, char)
    assert expected
    assert ids(index.search(char, limit=None)) == expected


def test_random_substrings_match_a_substring_scan(sample):
    index, articles = sample
    rng = random.Random(4)
    checked = 0
    for _ in range(150):
        text = searchable_text(rng.choice(articles)).replace("\n", "")
        n = rng.randint(1, 7)
        at = rng.randrange(0, len(text) - n)
        piece = text[at:at + n]
        if not piece.strip() or '"' in piece or " " in piece:
            continue
        plan = parse_query(piece)
        if plan.literal_fallback or len(plan.literals) != 1 or plan.literals[0].field != "all":
            continue
        assert ids(index.search(piece, limit=None)) == scan(articles, piece), piece
        checked += 1
    assert checked > 100


def test_misses_find_nothing(sample):
    index, _ = sample
    for q in ["量子纠缠态", "扬尘治理方案书", "xyzzy"]:
        result = index.search(q)
        assert result.total == 0 and result.hits == []


def test_ranking_puts_title_matches_first(sample):
    index, _ = sample
    hits = index.search("食品安全").hits
    assert "食品安全" in hits[0].title
    assert hits == sorted(hits, key=lambda h: -h.score)


# ------------------------------------------------------------------ folding, fields, language


def test_full_width_and_latin_are_folded(fielded):
    index, _ = fielded
    for q in ["ai技术", "ＡＩ", "Ai", "123件", "１２３"]:
        result = index.search(q)
        assert [h.title for h in result.hits] == ["ＡＩ技术助力企业"], q


@given(st.lists(st.sampled_from(list("江海區揚塵天氣，。：ＡＢＣabc１２３ …℃（）\n臺灣体育新聞")) | st.characters(), max_size=300)
       .map("".join))
@settings(max_examples=300, deadline=None)
def test_fold_changes_each_character_as_the_table_says_however_dense_the_changes(text):
    from app.search.analysis import fold_table

    expected = text.lower() if text.isascii() else text.translate(fold_table())
    assert fold(text) == expected
    dense = "體育新聞揚塵天氣" * 40 + text  # Traditional text: the translate way
    assert fold(dense) == dense.translate(fold_table())


def test_traditional_text_found_by_simplified_query(fielded):
    index, _ = fielded
    result = index.search("扬尘天气")
    assert [h.title for h in result.hits] == ["體育新聞"]
    assert marked(result.hits[0].snippet) == ["揚塵天氣"]
    assert [h.title for h in index.search("体育新闻").hits] == ["體育新聞"]


@pytest.mark.parametrize("query, titles", [
    ("title:扬尘", {"江海区推进扬尘污染防治"}),
    ("扬尘", {"江海区推进扬尘污染防治", "食品安全示范城市创建", "體育新聞"}),
    ("author:何榕", {"食品安全示范城市创建"}),
    ("作者:何榕", {"食品安全示范城市创建"}),
    ("date:2023-10-31", {"江海区推进扬尘污染防治"}),
    ("date:11-0", {"ＡＩ技术助力企业", "體育新聞"}),
    ("person:邓群标", {"食品安全示范城市创建"}),
    ("place:大湾区", {"江海区推进扬尘污染防治"}),
    ("org:监管局", {"食品安全示范城市创建"}),
    ("subtitle:百分百", {"江海区推进扬尘污染防治"}),
    ("body:食品安全", {"食品安全示范城市创建"}),
    ("title:\"扬尘污染\"", {"江海区推进扬尘污染防治"}),
    ("source:fields", {"江海区推进扬尘污染防治", "食品安全示范城市创建", "ＡＩ技术助力企业", "體育新聞"}),
    ("扬尘 食品", {"食品安全示范城市创建"}),
    ("扬尘 AND 食品", {"食品安全示范城市创建"}),
    ("夏加伟 OR 邓群标", {"江海区推进扬尘污染防治", "食品安全示范城市创建"}),
    ("扬尘 -食品", {"江海区推进扬尘污染防治", "體育新聞"}),
    ("扬尘 NOT 食品 NOT 足球", {"江海区推进扬尘污染防治"}),
    ("扬尘 -title:扬尘", {"食品安全示范城市创建", "體育新聞"}),
])
def test_query_language(fielded, query, titles):
    index, _ = fielded
    result = index.search(query, limit=None)
    assert {h.title for h in result.hits} == titles
    assert result.total == len(titles)


def test_markup_in_articles_is_literal_text_in_snippets(fielded):
    index, _ = fielded
    snippet = index.search("标记").hits[0].snippet
    assert marked(snippet) == ["标记"]
    assert "<b>标记&符号</b>" in snippet.text  # the article's characters, not markup to parse
    assert "&amp;" not in snippet.text and "<mark>" not in snippet.text


def test_a_snippet_marks_exactly_the_matches_and_keeps_markup_literal():
    from app.model import Snippet
    from app.search.snippet import make_snippet

    text = "<b>扬尘</b> & 扬尘"
    snippet = make_snippet(text, fold(text), ["扬尘"])
    assert snippet == Snippet("<b>扬尘</b> & 扬尘", ((3, 5), (12, 14)))
    assert marked(snippet) == ["扬尘", "扬尘"]
    # characters that fold to several (㈱ -> (株), ㎏ -> kg): the spans are the original's
    text = "㈱扬尘<b>&㎏扬尘"
    assert make_snippet(text, fold(text), ["扬尘", "kg"]) == Snippet(text, ((1, 3), (7, 8), (8, 10)))
    # cut at both ends (the marks count the leading …), in the original's characters (揚塵)
    long = "前" * 40 + "<i>揚塵</i>&amp;" + "后" * 80
    snippet = make_snippet(long, fold(long), ["扬尘"])
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert marked(snippet) == ["揚塵"] and "前<i>揚塵</i>&amp;后" in snippet.text


def test_snippet_style_matches_the_design(sample):
    index, _ = sample
    snippet = index.search("扬尘").hits[0].snippet
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert "严格按照扬尘污染防治" in snippet.text
    at = snippet.text.index("严格按照") + 4
    assert (at, at + 2) in snippet.marks


def test_result_shape(sample):
    index, _ = sample
    data = index.search("扬尘").to_dict()
    assert set(data) == {"query", "total", "took_ms", "hits"}
    assert data["query"] == "扬尘" and data["total"] == 1 and isinstance(data["took_ms"], float)
    hit = data["hits"][0]
    assert set(hit) == {"id", "ordinal", "source", "title", "score", "snippet", "marks"}
    assert hit["source"] == str(SAMPLE)
    assert hit["marks"] and all(hit["snippet"][s:e] == "扬尘" for s, e in hit["marks"])
    assert SearchHit.from_dict(hit) == index.search("扬尘").hits[0]


def test_limit(sample):
    index, articles = sample
    result = index.search("江", limit=2)
    assert len(result.hits) == 2 and result.total == len(scan(articles, "江")) > 2


# ------------------------------------------------------------------ malformed input


@pytest.mark.parametrize("query", ['"', "(((", "title:", "AND OR", "OR", "NOT", "-", '"unclosed 扬尘',
                                   "扬尘 OR", "OR 扬尘", "NOT NOT", ")))", 'title:"', '""', "  ", "",
                                   "\u3000", "：", "-扬尘", "扬尘 OR -食品", "\x00", "a" * 300])
def test_malformed_queries_never_raise(fielded, query):
    index, articles = fielded
    result = index.search(query, limit=None)
    assert result.total == len(result.hits)
    plan = parse_query(query)
    for lit in plan.literals:
        if plan.literal_fallback:
            assert ids(result) == scan(articles, lit.text)


def test_malformed_falls_back_to_literal_text(fielded):
    index, _ = fielded
    assert parse_query('"扬尘').literal_fallback
    assert [h.title for h in index.search('"揚塵天氣').hits] == []  # the literal includes the quote
    assert index.search("扬尘 OR").total == 0  # literal "扬尘 or" is nowhere


QUERY_CHARS = st.sampled_from(list("扬尘污染江海区伟潮湾食品安全揚塵 \"():-ORNTAD标记&<>ａＡ1１\u3000") + ["title:", "OR", "NOT", "author:"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=20), st.lists(QUERY_CHARS, max_size=12).map("".join)))
def test_any_query_is_safe_and_plain_hits_contain_the_text(query):
    index, articles = _PROPERTY_INDEX
    result = index.search(query)
    assert isinstance(result.total, int) and len(result.hits) <= 20
    plan = parse_query(query)
    if len(plan.groups) == 1 and len(plan.groups[0]) == 1 and not plan.exclude:
        lit = plan.literals[0]
        if lit.field == "all" and not result.pinyin:  # letters nothing contains are read as pinyin
            by_id = {a.id: a for a in articles}
            for hit in index.search(query, limit=None).hits:
                assert lit.text in fold(searchable_text(by_id[hit.id]))
            assert result.total == len(scan(articles, lit.text))


@pytest.fixture(scope="module", autouse=True)
def _property_index(sample):
    global _PROPERTY_INDEX
    _PROPERTY_INDEX = sample
    yield


_PROPERTY_INDEX = None


def test_field_prefixes_ignore_case_and_full_width_colons(fielded):
    index, _ = fielded
    for q in ["Title:扬尘", "TITLE：扬尘", "标题:扬尘"]:
        assert [h.title for h in index.search(q).hits] == ["江海区推进扬尘污染防治"], q


def test_zero_and_negative_limits(fielded):
    index, _ = fielded
    for limit in (0, -5):
        result = index.search("扬尘", limit=limit)
        assert result.hits == [] and result.total == 3


# ------------------------------------------------------------------------------------ pinyin

PINYIN_ARTICLES = [
    Article(title="重庆长江大桥通车", authors=["何榕"], date="2023-11-03",
            paragraphs=[Paragraph("大桥今天通车,市民踊跃参观。")]),
    Article(title="绿色发展看江门", authors=["陈婵"], date="2023-11-04",
            paragraphs=[Paragraph("江门推进绿色低碳转型。")],
            entities=[EntitySpan("PLACE", "江门", 0, 0, 2)]),
    Article(title="足球联赛开幕", authors=["林瑞蓬"], date="2023-11-05",
            paragraphs=[Paragraph("扬尘天气下比赛照常进行,夏加伟到场观看。")],
            entities=[EntitySpan("PERSON", "夏加伟", 0, 10, 13)]),
]


@pytest.fixture(scope="module")
def pinyin_index(tmp_path_factory, fielded):
    arts = [Article.from_dict(a.to_dict()) for a in FIELD_ARTICLES + PINYIN_ARTICLES]
    index = SearchIndex(tmp_path_factory.mktemp("pinyin-index"))
    index.update([make_source("pinyin.txt", arts)])
    yield index
    index.close()


def titles(result) -> set[str]:
    return {h.title for h in result.hits}


def test_pinyin_prefix_finds_titles_and_marks_the_chinese_text(pinyin_index):
    result = pinyin_index.search("pinyin:yangchen")
    # 扬尘 is in one title; the football article has it only in its body, which pinyin does not read
    assert titles(result) == {"江海区推进扬尘污染防治"}
    assert result.pinyin and result.marks == ["扬尘"]
    assert "扬尘" in marked(result.hits[0].snippet)
    data = result.to_dict()
    assert data["pinyin"] is True and data["marks"] == ["扬尘"]


def test_pinyin_reads_person_place_and_org_names(pinyin_index):
    assert titles(pinyin_index.search("pinyin:xiajiawei")) == {"江海区推进扬尘污染防治", "足球联赛开幕"}
    assert titles(pinyin_index.search("拼音:dengqunbiao")) == {"食品安全示范城市创建"}
    assert titles(pinyin_index.search("pinyin:shichangjianguanju")) == {"食品安全示范城市创建"}
    result = pinyin_index.search("pinyin:jiangmen")
    assert titles(result) == {"绿色发展看江门"} and result.marks == ["江门"]


def test_pinyin_knows_every_reading_and_u_umlaut(pinyin_index):
    # 重 is zhong or chong, 长 chang or zhang; 绿 is lü, typed lv or lu
    for query in ("pinyin:chongqing", "pinyin:zhongqing", "pinyin:changjiang", "pinyin:zhangjiang"):
        assert titles(pinyin_index.search(query)) == {"重庆长江大桥通车"}, query
    for query in ("pinyin:lvse", "pinyin:luse"):
        assert titles(pinyin_index.search(query)) == {"绿色发展看江门"}, query
    assert pinyin_index.search("pinyin:chongqing").marks == ["重庆"]


def test_pinyin_matches_whole_syllables_only(pinyin_index):
    assert pinyin_index.search("pinyin:iangmen").total == 0  # not the tail of "jiang"
    assert pinyin_index.search("pinyin:jiangme").total == 0
    assert pinyin_index.search("pinyin:zuqiu").total == 1  # 足球 in a title
    assert pinyin_index.search("pinyin:bisai").total == 0  # 比赛 only in a body


def test_all_letter_query_falls_back_to_pinyin_only_when_nothing_contains_it(pinyin_index):
    result = pinyin_index.search("xiajiawei")
    assert result.pinyin and titles(result) == {"江海区推进扬尘污染防治", "足球联赛开幕"}
    assert result.marks == ["夏加伟"]
    # text that articles contain is searched literally, never as pinyin
    literal = pinyin_index.search("ai")
    assert not literal.pinyin and titles(literal) == {"ＡＩ技术助力企业"}
    assert "pinyin" not in literal.to_dict() and literal.marks == ["ai"]
    # not Latin letters only, or not syllables: no pinyin
    for query in ("xyzzy", "yangchen1", "title:yangchen", '"yang chen"'):
        result = pinyin_index.search(query)
        assert result.total == 0 and not result.pinyin, query


def test_whether_a_query_is_pinyin_is_known_without_reading_the_dictionary(monkeypatch):
    import app.search.pinyin as pinyin

    # a Latin query that nothing contains asks whether it is pinyin: a just-started program
    # answers from the syllables it carries, without reading pypinyin's dictionary (0.1 s)
    monkeypatch.setattr(pinyin, "_TABLE", None)
    monkeypatch.setattr(pinyin, "_load", lambda: pytest.fail("the dictionary was read"))
    assert pinyin.is_pinyin("jiangmen") and pinyin.is_pinyin("xian")
    assert not pinyin.is_pinyin("xyzzy") and not pinyin.is_pinyin("abc1")
    monkeypatch.undo()
    # ... and those syllables are the dictionary's own
    pinyin._load()
    assert pinyin.SYLLABLES == pinyin._SYLLABLES


def test_pinyin_combines_with_the_query_language(pinyin_index):
    assert titles(pinyin_index.search("pinyin:xiajiawei -足球")) == {"江海区推进扬尘污染防治"}
    assert titles(pinyin_index.search("pinyin:xiajiawei 足球")) == {"足球联赛开幕"}
    assert titles(pinyin_index.search("pinyin:jiangmen OR pinyin:zuqiu")) == {"绿色发展看江门", "足球联赛开幕"}
    # a pinyin: field with anything but pinyin is malformed and searched literally
    for query in ("pinyin:江门", "pinyin:", "pinyin:xyzzy"):
        result = pinyin_index.search(query)
        assert result.total == 0 and not result.pinyin, query


def test_two_letter_pinyin_is_read_from_titles_not_from_gram_postings(sample):
    # a 1-2 letter pinyin query is one "gram" long, but the pinyin field has no postings of its
    # own: it must not take the single-gram shortcut (it found nothing, while pinyin:hai found 4)
    index, articles = sample
    heads_qu = {a.id for a in articles if a.title.startswith("区")}
    assert len(heads_qu) >= 2
    for query in ("pinyin:qu", "qu"):  # explicit, and the all-letter fallback
        result = index.search(query, limit=None)
        assert result.pinyin, query
        assert heads_qu <= {h.id for h in result.hits}, query
        assert result.total == len(result.hits) and "区" in result.marks, query


def test_the_fold_expressions_match_exactly_the_characters_the_table_changes():
    # written as ranges (compiled on a just-opened index's first search: it must be quick)
    import re

    from app.search import analysis

    table = analysis.fold_table()
    expanding = {cp for cp, out in table.items() if len(out) > 1}
    folds, grows = analysis._folds_re(), analysis._expanding_re()
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        assert bool(folds.fullmatch(ch)) == (cp in table), hex(cp)
        assert bool(grows.fullmatch(ch)) == (cp in expanding), hex(cp)
    assert re.compile(analysis.char_class([])).search("any text\n") is None
    assert re.compile(analysis.char_class([ord("-"), ord("]"), ord("^"), ord("\\")])).findall("a-]^\\b") == \
        ["-", "]", "^", "\\"]
