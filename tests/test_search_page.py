"""``page:`` (a whole issue's 版次 and 版名) and ``date:`` with the issue's date, from the index and
the scan alike: every article they should find, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.model import Article
from app.search import SearchIndex, parse_query
from app.search.pages import page_number, page_text
from app.search.scan import matching_ids, scan_articles
from tests.benchmarks.corpus import SAMPLE, source_from_text

PAGES = sorted((Path(__file__).parent / "pages").glob("*.txt"))

# (版次, 版名, issue date) given to the articles in turn; None: an article of a single page
ISSUE = [("A03", "要闻", "2023-10-31"), ("A13", "经济新闻", "2023-10-31"), ("3", "地方·要闻", "2023-11-02"),
         ("B03", "文体", "2023-11-02"), ("03", "副刊", "2023-11-03"), ("30", "广告", "2023-11-03"),
         ("特刊", "特别报道", "2023-11-03"), None]

QUERIES = [
    "page:A03", "page:a3", "page:第A03版", "page:A3版", "page:3", "page:03", "page:第3版", "page:13",
    "page:30", "page:B3", "page:要闻", "page:要", "page:特刊", "page:经济 OR page:文体", "page:3 -page:A03",
    "page:A", "江海 page:3", "版名:要闻", "版次:A03", '"page:要闻"', "page:\"地方·要闻\"", "NOT page:3 区",
    "date:2023-10-31", "date:2023-11", "date:10-31 page:要闻", "page:404", "page:C03",
]


def _give_pages(articles):
    for n, article in enumerate(articles):
        spec = ISSUE[n % len(ISSUE)]
        if spec is not None:
            article.page, article.page_name, article.issue_date = spec


def _expected(articles, keep) -> list[str]:
    return sorted(a.id for a in articles if keep(a))


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    sources = [source_from_text(p.read_text("utf-8"), str(p)) for p in [SAMPLE, *PAGES]]
    articles = [a for s in sources for a in s.articles]
    _give_pages(articles)
    index = SearchIndex(tmp_path_factory.mktemp("page-index"))
    index.update(sources)
    yield index, articles
    index.close()


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("limit", [None, 3])
def test_the_index_and_the_scan_find_the_same_pages_in_the_same_order(library, query, limit):
    index, articles = library
    by_index = index.search(query, limit=limit)
    by_scan = scan_articles(articles, query, limit=limit, cache={})
    assert by_scan.total == by_index.total, query
    assert [(h.id, h.score) for h in by_scan.hits] == [(h.id, h.score) for h in by_index.hits], query
    assert sorted(index.matching_ids(query)) == sorted(matching_ids(articles, query, cache={})), query


def _found(library, query) -> list[str]:
    index, articles = library
    by_index = sorted(h.id for h in index.search(query, limit=None).hits)
    assert by_index == sorted(h.id for h in scan_articles(articles, query, limit=None).hits), query
    return by_index


@pytest.mark.parametrize("query", ["page:A03", "page:a3", "page:第A03版", "page:A3版", "版次:A03"])
def test_a_page_with_its_letter_is_that_page_only(library, query):
    articles = library[1]
    want = _expected(articles, lambda a: a.page == "A03")
    assert want and _found(library, query) == want


@pytest.mark.parametrize("query", ["page:3", "page:03", "page:第3版", "page:第三版"])
def test_a_page_number_alone_is_that_number_in_every_section_never_13_or_30(library, query):
    articles = library[1]
    want = _expected(articles, lambda a: a.page in ("A03", "3", "B03", "03"))
    assert {a.page for a in articles if a.id in want} == {"A03", "3", "B03", "03"}
    assert _found(library, query) == want


def test_a_page_name_is_found_by_its_text_and_a_label_that_is_no_number_by_itself(library):
    articles = library[1]
    assert _found(library, "page:要闻") == _expected(articles, lambda a: a.page_name and "要闻" in a.page_name)
    assert _found(library, "page:特刊") == _expected(articles, lambda a: a.page == "特刊")
    assert _found(library, "page:A") == _expected(articles, lambda a: a.page in ("A03", "A13"))
    assert _found(library, "page:13") == _expected(articles, lambda a: a.page == "A13")
    assert _found(library, "page:404") == [] and _found(library, "page:C03") == []


def test_page_combines_with_words_fields_or_and_not(library):
    articles = library[1]
    with_jianghai = _found(library, "江海")
    assert _found(library, "江海 page:3") == sorted(
        set(with_jianghai) & set(_expected(articles, lambda a: a.page in ("A03", "3", "B03", "03"))))
    assert _found(library, "page:经济 OR page:文体") == _expected(articles, lambda a: a.page in ("A13", "B03"))
    assert _found(library, "page:3 -page:A03") == _expected(articles, lambda a: a.page in ("3", "B03", "03"))


def test_date_finds_the_issue_date_beside_the_articles_own(library):
    articles = library[1]
    assert not any(a.date and a.date.startswith("2023") for a in articles)  # only the issue gives it
    assert _found(library, "date:2023-10-31") == _expected(articles, lambda a: a.issue_date == "2023-10-31")
    assert _found(library, "date:2023-11") == _expected(articles, lambda a: (a.issue_date or "")[:7] == "2023-11")
    dated = _expected(articles, lambda a: a.date and "10-31" in a.date)
    assert dated and set(dated) <= set(_found(library, "date:10-31"))


def test_articles_of_single_pages_have_no_page_and_are_never_found_by_one(library):
    articles = library[1]
    single = {a.id for a in articles if a.page is None}
    assert single
    for query in ("page:3", "page:要闻", "page:A", "page:特刊"):
        assert not single & set(_found(library, query)), query


def test_page_numbers_read_as_printed():
    assert page_number("A03") == page_number("a3") == page_number("第A03版") == page_number("Ａ０３") == ("a", 3)
    assert page_number("3") == page_number("03") == page_number("第3版") == page_number("第三版") == ("", 3)
    assert page_number("十二") == ("", 12) and page_number("第二十三版") == ("", 23) and page_number("A十") == ("a", 10)
    assert page_number("要闻") is None and page_number("") is None and page_number(None) is None
    assert page_number("A") is None and page_number("一一") is None and page_number("第版") is None
    assert parse_query("page:A03").groups[0][0].text == "#a3#"
    assert parse_query("page:要闻").groups[0][0].text == "要闻"


def test_the_page_text_marks_numbers_so_a_number_is_never_part_of_another():
    article = Article("标题", page="A13", page_name="经济 新闻")
    assert page_text(article).split("\n") == ["#a13#", "#13#", "经济 新闻"]
    assert page_text(Article("标题")) == ""



ISSUES = sorted((Path(__file__).parent / "issues").glob("*.txt"))


@pytest.fixture(scope="module")
def issues(tmp_path_factory):
    from app.library import Library

    library = Library(corrections_dir=False)
    for path in ISSUES:
        library.add(path)
    index = SearchIndex(tmp_path_factory.mktemp("issues-index"))
    index.update(library.sources)
    yield index, library.articles
    index.close()


@pytest.mark.skipif(not ISSUES, reason="no whole-issue test files")
@pytest.mark.parametrize("query, keep", [
    ("page:A01", lambda a: a.page == "A01"),
    ("page:1", lambda a: a.page in ("A01", "1", "01")),
    ("page:01", lambda a: a.page in ("A01", "1", "01")),
    ("page:第二版", lambda a: a.page in ("A02", "2", "02")),
    ("page:要闻", lambda a: a.page_name == "要闻"),
    ("page:经济 OR page:文体", lambda a: a.page_name in ("经济", "文体")),
    ("date:2024-06-18", lambda a: a.issue_date == "2024-06-18"),
    ("date:2023-11-02 -page:1", lambda a: a.issue_date == "2023-11-02"),
])
def test_whole_issues_split_from_files_are_found_by_page_and_issue_date(issues, query, keep):
    index, articles = issues
    want = sorted(a.id for a in articles if keep(a))
    assert want, query
    assert sorted(h.id for h in index.search(query, limit=None).hits) == want, query
    by_scan = scan_articles(articles, query, limit=None, cache={})
    assert [(h.id, h.score) for h in by_scan.hits] == [(h.id, h.score) for h in index.search(query, limit=None).hits]
