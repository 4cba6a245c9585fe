"""Whole issues in one file: pages, their headers and editors' lines as page metadata
(app/segment/issue.py, app/segment/source.py). The issues in tests/issues/ are made up."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from app.segment import split_articles
from app.segment.explain import Trace
from app.segment.issue import read_page_line, split_pages
from app.segment.source import SPLITTER_VERSION, split_source

ISSUES = Path(__file__).parent / "issues"
SAMPLE = (Path(__file__).resolve().parents[1] / "resources" / "sample_jianghai.txt").read_text(encoding="utf-8")
MARKERS = ("相关新闻",)


def issue(name: str, key: str = "key"):
    return split_source((ISSUES / name).read_text(encoding="utf-8"), source=name, source_key=key)


def pages_of(articles) -> list[tuple]:
    """(page, page name, issue date, titles) for each page, in order."""
    out: list[tuple] = []
    for a in articles:
        if not out or out[-1][:3] != (a.page, a.page_name, a.issue_date) or out[-1][4] is not a.page_lines:
            out.append((a.page, a.page_name, a.issue_date, [], a.page_lines))
        out[-1][3].append(a.title)
    return [page[:4] for page in out]


def chars(text: str) -> Counter:
    return Counter(re.sub(r"\s+", "", text))


def test_every_issue_file_mixes_three_or_more_pages():
    names = sorted(p.name for p in ISSUES.glob("*.txt"))
    assert len(names) >= 3
    for name in names:
        assert len({(a.page, a.page_lines) for a in issue(name)}) >= 3, name


def test_a_daily_with_masthead_page_headers_rules_and_editors():
    articles = issue("jiangan_daily.txt")
    assert pages_of(articles) == [
        ("A01", "要闻", "2023-10-31", ["滨江新区启动老旧码头改造工程", "市秋季运动会落幕"]),
        ("A02", "江岸新闻", "2023-10-31", ["社区食堂开进老街坊家门口", "全区今年将建成二十家长者食堂"]),
        ("A03", "文体", "2023-10-31", ["非遗龙舟进校园", "图书馆推出夜读专场"]),
    ]
    first, _, second, related, *_ = articles
    assert first.page_lines == ("江岸日报 2023年10月31日 星期二 第8123期", "第A01版：要闻",
                                "责任编辑：钟晓岚 美编：覃一帆 校对：严可")
    assert second.page_lines == ("====================", "第A02版：江岸新闻",
                                 "2023年10月31日 星期二 责任编辑:潘静怡 美编:覃一帆 校对:严可")
    assert articles[4].page_lines[-1] == "责任编辑：麦颂恩 校对：严可"
    # editors' lines are not article text, and no article takes a page header for its headline
    for a in articles:
        assert not any(re.search("责任编辑|第A0\\d版|={4}|-{4}", p.text) for p in a.paragraphs), a.title
    assert related.related_to == second.id
    # a story's month-day takes the issue's year
    assert [a.date for a in articles if a.date] == ["2023-10-30", "2023-10-30", "2023-10-29", "2023-10-28"]


def test_an_evening_paper_with_bare_page_numbers_and_form_feeds():
    articles = issue("riverside_evening.txt")
    assert pages_of(articles) == [
        ("01", "要闻", "2024-03-05", ["春季招聘会提供岗位八千个", "城区新增三条公交线路"]),
        ("02", "城事", "2024-03-05", ["老小区加装电梯驶入快车道", "夜市摊主有了统一摊位"]),
        ("03", "体育", "2024-03-05", ["市青少年足球联赛开踢"]),
    ]
    # the paper's name under the header is the masthead, not a headline
    assert articles[0].page_lines == ("01 要闻", "2024年3月5日 星期二", "河畔晚报")
    assert articles[0].kicker is None and articles[0].subtitle is None
    assert articles[2].page_lines == ("02 城事", "责任编辑 宋可欣 美编 侯乐天")


def test_a_hard_wrapped_issue_is_rejoined_then_cut_into_pages():
    articles = issue("qinghe_morning_wrapped.txt")
    assert pages_of(articles) == [
        ("1", "要闻", "2024-06-18", ["全市夏粮收购开秤", "清河大桥完成主体加固"]),
        ("2", "经济", "2024-06-18", ["小微企业首贷服务中心挂牌", "夏季用电高峰将至"]),
        ("3", "文化", "2024-06-18", ["古村落里办起乡村音乐节"]),
    ]
    assert articles[3].subtitle == "供电部门提前检修线路"
    assert articles[2].authors == ["贺文韬", "陶然"]
    # each paragraph is one line again, whole sentences
    assert [p.text[-6:] for p in articles[0].paragraphs] == ["择交粮时间。", "“满意价”。"]
    assert articles[0].paragraphs[0].text == (
        "晨报讯（记者 贺文韬）6月17日，全市夏粮收购工作正式启动。今年全市共设收购网点六十八个，比去年增加九个，"
        "并全面推行预约收购，农户可通过手机提前选择交粮时间。")
    # the editors' line at the foot of page 1 is page 1's, not page 2's
    assert articles[0].page_lines[-1] == "责任编辑：邵一舟 校对：甘露"
    assert articles[2].page_lines == ("第2版（经济）", "责任编辑：邵一舟 美编：柯蓝 校对：甘露")


def test_an_issue_with_one_page_hard_wrapped_and_the_others_not():
    text = (ISSUES / "mixed_layouts.txt").read_text(encoding="utf-8")
    trace = Trace()
    articles = split_source(text, source="m", trace=trace)
    assert pages_of(articles) == [
        ("1", "要闻", "2024-09-03", ["港区新航线开通", "校园周边交通整治启动"]),
        ("2", "城区", "2024-09-03", ["社区养老驿站上新", "旧厂房变身创意园"]),
        ("3", "文体", "2024-09-03", ["市民运动会开幕"]),
    ]
    assert [p.text for p in articles[2].paragraphs] == [
        "本报讯（记者 樊星）9月1日，河东社区养老驿站新增了康复理疗室和书画室，每天吸引五十多位老人前来活动。",
        "驿站负责人说，下一步将联合社区卫生服务中心，每周安排一次免费体检。"]
    lines = text.split("\n")
    wrapped_line = lines.index("区养老驿站新增了康复理疗室和书画室，每天") + 1
    assert "hard-wrapped at 20" in {note.line: note for note in trace.lines()}[wrapped_line].why
    # the long lines of pages 1 and 3 are each a paragraph, as printed
    assert len(articles[0].paragraphs) == 2 and articles[4].paragraphs[0].text.endswith("十二个项目。")


def test_pages_marked_only_by_their_dated_editors_line():
    articles = issue("dated_pages_only.txt")
    assert [(p[0], p[2], len(p[3])) for p in pages_of(articles)] == [
        (None, "2023-11-02", 2), (None, "2023-11-02", 2), (None, "2023-11-02", 1)]
    assert articles[2].page_lines == ("2023年11月2日 星期四 责任编辑:庄雨桐 美编:简宁 校对:贝可",)


@pytest.mark.parametrize("name", sorted(p.name for p in ISSUES.glob("*.txt")))
def test_nothing_is_lost_every_character_in_one_article_or_in_its_page_lines(name):
    text = (ISSUES / name).read_text(encoding="utf-8")
    articles = split_source(text, source=name, source_key="k")
    got = Counter()
    seen_pages: set[int] = set()
    for a in articles:
        got += chars(a.all_text())
        if id(a.page_lines) not in seen_pages:  # each page's lines once
            seen_pages.add(id(a.page_lines))
            got += chars("".join(a.page_lines))
    want = chars(text)
    for marker in MARKERS:  # a 相关新闻 marker becomes the related_to link, as on a single page
        want -= chars(marker) if marker in text else Counter()
    assert got == want


@pytest.mark.parametrize("name", sorted(p.name for p in ISSUES.glob("*.txt")))
def test_ids_are_distinct_stable_and_ordinals_run_across_the_issue(name):
    once, twice = issue(name), issue(name)
    assert [a.ordinal for a in once] == list(range(len(once)))
    assert len({a.id for a in once}) == len(once)
    assert [a.id for a in once] == [a.id for a in twice]
    assert not {a.id for a in once} & {a.id for a in issue(name, key="another file")}


def test_a_single_page_without_headers_splits_exactly_as_before():
    assert [a.to_dict() for a in split_source(SAMPLE, source="s", source_key="k")] == \
        [a.to_dict() for a in split_articles(SAMPLE, source="s", source_key="k")]
    articles = split_source(SAMPLE)
    assert len(articles) == 7
    assert all(a.page is None and a.issue_date is None and a.page_lines == () for a in articles)


def test_a_single_page_header_is_page_metadata_and_gives_its_year():
    page = (Path(__file__).parent / "pages" / "renmin_style.txt").read_text(encoding="utf-8")
    articles = split_source(page)
    assert {(a.page, a.page_name, a.issue_date) for a in articles} == {("4", None, "2024-05-04")}
    assert articles[0].page_lines == ("人民日报 2024年5月4日 星期六 第4版 责任编辑：王小明",)
    assert articles[0].date == "2024-05-03"


def fields(text: str) -> tuple:
    line = read_page_line(text)
    return line.kind, line.number, line.name, line.date


def test_page_header_shapes():
    assert fields("第A03版：要闻")[1:3] == ("A03", "要闻")
    assert fields("第3版(要闻)")[1:3] == ("3", "要闻")
    assert fields("01版:要闻")[1:3] == ("01", "要闻")
    assert fields("03 江海新闻")[1:3] == ("03", "江海新闻")
    assert fields("==== 第B05版 体育 ====")[1:3] == ("B05", "体育")
    assert fields("第三版")[1:3] == ("三", None)
    assert fields("第A03版要闻")[1:3] == ("A03", "要闻")
    assert fields("【第A03版 要闻】")[1:3] == ("A03", "要闻")
    assert fields("2024年1月9日 星期二 A03 要闻")[1:4] == ("A03", "要闻", "2024-01-09")
    assert fields("版次：A03 版名：要闻 日期：2023-10-31")[1:4] == ("A03", "要闻", "2023-10-31")
    assert fields("人民日报 2024年5月4日 星期六 第4版 责任编辑：王小明")[1:4] == ("4", None, "2024-05-04")
    assert read_page_line("某某晨报 2024.06.18 星期二").date == "2024-06-18"
    assert read_page_line("责任编辑：某甲 美编：某乙 校对：某丙").kind == "editors"
    assert read_page_line("编辑：张三 校对：李四").kind == "editors"
    # article text that only mentions a page, a date or an editor stays article text
    for text in ("本报第3版曾报道此事。", "1 坚持问题导向", "2023年10月31日", "（编辑 张三）", "本报记者 孙丽",
                 "区领导调研大气污染防治工作 推动绿美江海生态建设", "责任编辑张三说，改版将于下月完成。",
                 "第五版人民币今起发行", "第2版《辞海》出版"):
        assert read_page_line(text).kind == "text", text


def test_page_lines_are_noted_for_explain_with_their_line_numbers():
    text = (ISSUES / "qinghe_morning_wrapped.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    trace = Trace()
    articles = split_source(text, source="q", trace=trace)
    notes = {note.line: note for note in trace.lines()}
    header = lines.index("第2版（经济）") + 1
    assert notes[header].role == "page header" and "版次 2" in notes[header].why
    assert notes[header].article is None
    assert notes[1].role == "page header" and "issue date 2024-06-18" in notes[1].why
    assert "版次" not in notes[1].why
    # a hard-wrapped paragraph: its continuation lines are named, in the right article
    second_line = lines.index("粮收购工作正式启动。今年全市共设收购网点六十") + 1
    assert notes[second_line].article == 0 and "(hard-wrapped at 22)" in notes[second_line].why
    # page 2's headline is noted in the issue's numbering of articles
    headline = lines.index("小微企业首贷服务中心挂牌") + 1
    assert notes[headline].role == "headline" and articles[notes[headline].article].title == "小微企业首贷服务中心挂牌"
    # every non-blank line is explained
    assert {n for n, line in enumerate(lines, 1) if line.strip()} <= set(notes)


def test_a_web_e_paper_with_a_list_of_its_pages_and_paragraphs_run_together():
    articles = issue("web_epaper.txt")
    assert pages_of(articles) == [
        ("01", "要闻", "2025-03-18", ["春耕备耕按下“快进键”", "新建学校秋季开学"]),
        ("03", "城市", "2025-03-18", ["老街巷里的“微更新”"]),
        ("04", "副刊", "2025-03-18", ["春日的河堤"]),
    ]
    # the masthead and the list of pages are the first page's lines
    assert articles[0].page_lines[:3] == ("南湾日报电子版", "南湾日报2025.03.18星期二", "01版:要闻")
    assert articles[0].subtitle == "——全市农资储备充足，农机检修完成九成"
    # paragraphs run together on one line with spaces between them are paragraphs again
    assert [p.text[:6] for p in articles[0].paragraphs] == ["眼下正值春耕", "据市农业农村", "“今年的种子", "市农机服务中"]
    trace = Trace()
    split_source((ISSUES / "web_epaper.txt").read_text(encoding="utf-8"), trace=trace)
    assert "4 paragraphs run together on one line, cut apart" in {n.line: n for n in trace.lines()}[10].why


def test_an_archive_that_heads_every_article_with_its_page_and_column():
    articles = issue("column_archive.txt")
    assert [(a.page, a.page_name, a.issue_date, a.title) for a in articles] == [
        ("4", "体育", "1988-06-12", "市运会游泳比赛破三项纪录"),
        ("4", "体育", "1988-06-12", "少年足球队赴省参赛"),
        ("5", "文化", "1988-06-12", "老艺人重登舞台"),
        ("6", "副刊", "1988-06-12", "说说江城的早茶"),
    ]
    assert articles[0].page_lines == ("1988年6月12日 江城晚报 第4版", "第4版(体育)", "专栏:")
    assert articles[3].page_lines == ("第6版(副刊)", "专栏:江城夜话")
    assert articles[2].authors == ["乔秋雁"]


def test_an_e_paper_export_with_labelled_fields():
    text = ("版次：A01 版名：要闻 日期：2024-01-09\n\n市区新增两处公园\n\n本报讯 近日，市区新增两处街心公园，"
            "方便市民休闲。\n\n版名：城事\n版次：A02\n日期：2024-01-09\n\n老街改造完工\n\n本报讯 历时半年，"
            "老街改造工程完工。\n")
    first, second = split_source(text)
    assert (first.page, first.page_name, first.issue_date) == ("A01", "要闻", "2024-01-09")
    assert (second.page, second.page_name, second.issue_date) == ("A02", "城事", "2024-01-09")
    assert second.page_lines == ("版名：城事", "版次：A02", "日期：2024-01-09")
    assert (first.title, second.title) == ("市区新增两处公园", "老街改造完工")


def test_a_running_footer_stays_on_its_page():
    text = ("A03 要闻\n\n市区新增两处公园\n\n本报讯 近日，市区新增两处街心公园，方便市民休闲。\n\n"
            "2024年1月9日 星期二 A03 要闻\n\nA04 城事\n\n老街改造完工\n\n本报讯 历时半年，老街改造工程完工。\n\n"
            "2024年1月9日 星期二 A04 城事\n")
    first, second = split_source(text)
    assert first.page_lines == ("A03 要闻", "2024年1月9日 星期二 A03 要闻")
    assert second.page_lines == ("A04 城事", "2024年1月9日 星期二 A04 城事")
    assert first.issue_date == second.issue_date == "2024-01-09"


def test_a_headline_shaped_like_a_bare_page_number_is_a_headline():
    """"A03 要闻" names a page when the file has several such lines or other page lines beside
    it; "C919 …" or "G20 …" over a story, even after a rule between stories, is a headline."""
    text = ("C919 大飞机首航\n\n本报讯 近日，国产大飞机执飞新航线。\n\n--------\n\nG20 峰会开幕\n\n"
            "本报讯 峰会昨日开幕，各方代表出席。\n")
    articles = split_source(text)
    assert [a.title.replace(" ", "") for a in articles] == ["C919大飞机首航", "G20峰会开幕"]
    assert all(a.page is None and a.page_lines == () for a in articles)
    assert [a.to_dict() for a in articles] == [a.to_dict() for a in split_articles(text)]
    # beside an editors' line a bare number heads its page
    [article] = split_source("A05 要闻\n责任编辑：某甲\n\n市区新增公园\n\n本报讯 近日，市区新增一处公园。\n")
    assert (article.page, article.page_name, article.title) == ("A05", "要闻", "市区新增公园")


def test_traditional_characters_and_editors_named_on_the_next_line():
    text = ("第A03版：要聞\n責任編輯：杜某某 校對：吳某\n\n市區新增兩處公園\n\n本報訊 近日，市區新增兩處街心公園。\n\n"
            "本期责任编辑:\n沈一鸣、黄小川\n")
    [article] = split_source(text)
    assert (article.page, article.page_name) == ("A03", "要聞")
    assert article.page_lines == ("第A03版：要聞", "責任編輯：杜某某 校對：吳某", "本期责任编辑:", "沈一鸣、黄小川")
    assert [p.text for p in article.paragraphs] == ["本報訊 近日，市區新增兩處街心公園。"]
    # a headline under a bare role is no list of names
    [article] = split_source("责任编辑：\n江海新闻\n\n本报讯 近日，市区新增一处公园。\n")
    assert article.title == "江海新闻" and article.page_lines == ("责任编辑：",)


def test_a_diary_with_dated_entries_is_one_page():
    """A date and weekday alone start a page only beside other page lines: here they head the
    entries of one story."""
    text = ("区里的一周日记\n\n2023年10月30日 星期一\n\n今天上午，社区志愿者来到敬老院，为老人们打扫卫生。\n\n"
            "2023年10月31日 星期二\n\n下午，街道组织了一场消防演练，居民们积极参加。\n")
    [article] = split_source(text)
    assert article.page_lines == () and article.issue_date is None
    assert "2023年10月31日 星期二" in [p.text for p in article.paragraphs]
    # beside an editors' line the same date heads a new page
    [first, second] = split_source(text.replace("2023年10月31日 星期二", "2023年10月31日 星期二\n责任编辑：某甲"))
    assert second.issue_date == "2023-10-31" and second.page_lines[-1] == "责任编辑：某甲"


def test_split_pages_keeps_every_line_once():
    lines = (ISSUES / "jiangan_daily.txt").read_text(encoding="utf-8").split("\n")
    pages = split_pages([(line, (n,)) for n, line in enumerate(lines, 1)])
    numbers = sorted(n for p in pages for _, ns in p.lines + [(t, ns) for t, ns, _ in p.page_lines] for n in ns)
    assert numbers == [n for n, line in enumerate(lines, 1) if line.strip()]


def test_the_splitter_has_a_version():
    assert isinstance(SPLITTER_VERSION, str) and SPLITTER_VERSION


# --- robustness ------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from(
    list("江海区召开会议推动发展。，、：！？“”（）《》—-■ \t\u3000abc123")
    + ["\n", "\n\n", "\f", "\u3000\u3000", "第A03版：要闻", "03 江海新闻", "2023年10月31日 星期二", "星期二",
       "责任编辑：王某 校对：李某", "某某日报", "====", "江门日报讯(记者/陈婵)10月31日,", "本报讯 ", "第12345期",
       "文/图 记者 何榕", "字" * 22, "\r\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_arbitrary_issues_never_raise_and_never_lose_text(text):
    articles = split_source(text, source="x", source_key="k")
    got = Counter()
    pages = {}
    for a in articles:
        got += chars(a.all_text())
        pages.setdefault(id(a.page_lines), a.page_lines)
        assert a.page_lines is not None and (a.issue_date is None or re.fullmatch(r"\d{4}-\d\d-\d\d", a.issue_date))
    for lines in pages.values():
        got += chars("".join(lines))
    if articles:  # (a file of page lines only has no article to carry them)
        assert got == chars(text)
    assert len({a.id for a in articles}) == len(articles)


def test_an_issue_whose_pages_are_wrapped_at_different_widths():
    """All the test pages in one issue, each page cut at its own width (18, 24, 30): every page
    is rejoined on its own and the issue splits as the printed pages do."""
    import json

    from build_scripts.eval_pages import PAGES, hard_wrap, page_files, score

    files = page_files(PAGES)
    issue_text = "\n".join(f"第A{k:02d}版：测试\n责任编辑：某甲 校对：某乙\n" + hard_wrap(p.read_text(encoding="utf-8"),
                                                                            width=(24, 18, 30)[k % 3])
                           for k, p in enumerate(files, 1))
    expected = [a for p in files
                for a in json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))["articles"]]
    printed = [a for p in files for a in split_source(p.read_text(encoding="utf-8"))]
    got = score(split_source(issue_text), expected)
    want = score(printed, expected)
    assert (got.produced, got.whole, got.headlines, got.persons_found) == \
        (want.produced, want.whole, want.headlines, want.persons_found), got.problems
