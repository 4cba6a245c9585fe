"""The splitter scored on the test pages as the held-out real pages are (build_scripts/eval_pages.py)."""

from __future__ import annotations

import json

from build_scripts.eval_pages import PAGES, evaluate, hard_wrap, page_files, score
from app.segment.source import split_source


def test_every_test_page_has_its_expectation():
    assert len(page_files()) >= 4


def test_as_printed_every_article_whole_headed_and_credited():
    s = evaluate("as printed")
    assert s.problems == []
    assert (s.produced, s.whole, s.headlines, s.persons_found) == (s.expected, s.expected, s.expected, s.persons)


def test_the_score_sees_a_wrong_split():
    """The yardstick itself: a page split wrongly (two stories glued) is not scored whole."""
    path = PAGES / "county_daily.txt"
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["articles"]
    articles = split_source(path.read_text(encoding="utf-8"), source=path.name)
    articles[0].paragraphs += articles[1].paragraphs
    del articles[1]
    s = score(articles, expected)
    assert s.whole == len(expected) - 2 and s.produced == len(expected) - 1


def test_hard_wrap_cuts_lines_and_indents_paragraphs():
    wrapped = hard_wrap("标题\n\n" + "字" * 30 + "\n")
    assert wrapped.splitlines() == ["\u3000\u3000标题", "\u3000\u3000" + "字" * 22, "字" * 8]


def test_hard_wrapped_pages_score_as_the_printed_ones():
    """The same pages copied out of a PDF (cut at 24 characters, paragraphs indented or flush, no
    blank lines) split as well as printed: the same articles, whole, headed and credited (the
    printed pages' own targets are the test above)."""
    printed = evaluate("as printed")
    for layout in ("hard-wrapped at 24, indented", "hard-wrapped at 24, flush"):
        s = evaluate(layout)
        assert (s.produced, s.whole, s.headlines, s.persons_found) == \
            (printed.produced, printed.whole, printed.headlines, printed.persons_found), (layout, s.problems)
        assert sorted(s.problems) == sorted(printed.problems), layout


def test_all_pages_in_one_issue_score_as_the_pages_and_stand_on_their_page():
    """The test pages put together as one day's issue (rules, page headers, editors' lines;
    printed and hard-wrapped) split as the pages do, each article on its own page."""
    from build_scripts.eval_pages import ISSUE_LAYOUTS, evaluate_issue

    printed = evaluate("as printed")
    for layout in ISSUE_LAYOUTS:
        s, on_page = evaluate_issue(layout)
        assert (s.produced, s.whole, s.headlines, s.persons_found) == \
            (printed.produced, printed.whole, printed.headlines, printed.persons_found), (layout, s.problems)
        assert on_page == s.expected, layout
