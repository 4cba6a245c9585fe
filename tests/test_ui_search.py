"""Searching in the window: the background index, the search box, hits in the list and the reader."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from app.export import ExportOptions  # noqa: E402
from app.library import Library  # noqa: E402
from app.paths import sample_page  # noqa: E402
from app.ui import errors  # noqa: E402
from app.ui.search import library_search  # noqa: E402
from app.ui.article_list.model import SNIPPET_ROLE  # noqa: E402
from app.ui.export.dialog import ExportChoice  # noqa: E402
from app.model import Snippet  # noqa: E402
from app.ui.search.hit_marks import find_terms, mark_ranges, marked_terms, utf16_offset  # noqa: E402
from app.search.scan import scan_articles  # noqa: E402
from app.ui.search.box import DEBOUNCE_MS  # noqa: E402

pytestmark = pytest.mark.gui

from conftest import INDEX_TIMEOUT  # noqa: E402






@pytest.fixture()
def window(make_window, qtbot):
    """The sample page open and indexed."""
    w = make_window()
    with qtbot.waitSignal(w.library_search.index_finished, timeout=INDEX_TIMEOUT):
        w.open_paths([str(sample_page())], run_now=True)
    assert w.library_search.index_ready
    return w


def search(window, qtbot, query: str):
    """Type ``query`` (setText: QTest cannot type Chinese) and wait for its results in the list."""
    with qtbot.waitSignal(window.library_search.results_ready, timeout=5000,
                          check_params_cb=lambda outcome: outcome.query == query) as blocker:
        window.panel.search.setText(query)
    return blocker.args[0]


def listed_ids(window) -> list[str]:
    proxy = window.panel.proxy
    return [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(proxy.rowCount())]


def sample_articles():
    library = Library()
    library.add(sample_page())
    return library.articles


# -- offsets and terms (no window) ---------------------------------------------------------------
def test_utf16_offset_counts_emoji_and_non_bmp_characters_twice():
    text = "a😀b𠀋扬尘"
    assert utf16_offset(text, 0) == 0
    assert utf16_offset(text, 1) == 1
    assert utf16_offset(text, 2) == 3  # after the emoji: two code units
    assert utf16_offset(text, 4) == 6  # after 𠀋 (U+2000B), also a surrogate pair
    assert utf16_offset(text, len(text)) == len(text.encode("utf-16-le")) // 2 == 8
    assert utf16_offset("扬尘", 1) == 1  # BMP characters are one unit each
    start, end = find_terms(text, ["扬尘"])[0]
    assert text[start:end] == "扬尘"
    assert text.encode("utf-16-le")[2 * utf16_offset(text, start):2 * utf16_offset(text, end)].decode(
        "utf-16-le") == "扬尘"


def test_terms_to_mark_come_from_the_query_without_fields_operators_or_exclusions():
    assert marked_terms("扬尘 治理") == ["扬尘", "治理"]
    assert marked_terms('"食品 安全" OR 江海') == ["食品 安全", "江海"]
    assert marked_terms("title:江海 -广告 NOT 会议") == ["江海"]
    assert marked_terms("author:何榕") == []  # an author is not marked in the text
    assert marked_terms('unclosed "quote') == ['unclosed "quote']  # the core's literal fallback
    assert find_terms("臺灣ABC台湾abc", ["台湾", "abc"]) == [(0, 2), (2, 5), (5, 7), (7, 10)]


def test_a_snippets_marks_are_painted_at_their_utf16_places_up_to_the_elided_end():
    hit = Snippet("…𠀋<b>扬尘</b> & 扬尘", ((5, 7), (14, 16)))  # markup is text; 𠀋 is two UTF-16 units
    assert mark_ranges(hit) == [(6, 2), (15, 2)]
    assert mark_ranges(hit, visible=15) == [(6, 2), (15, 1)]  # the line was elided inside a mark
    assert mark_ranges(hit, visible=14) == [(6, 2)]
    assert mark_ranges(Snippet("没有标记")) == []


@pytest.mark.parametrize("query", ["扬尘", "江海", "江海 会议", '"食品安全"', "江海 -会议", "title:江海",
                                   "大气 OR 食品", 'ABC"', "author:何榕", "   "])
def test_the_scan_before_the_index_is_ready_finds_what_the_index_finds(query, tmp_path):
    from app.search import SearchIndex

    articles = sample_articles()
    library = Library()
    library.add(sample_page())
    index = SearchIndex(tmp_path / "index")
    index.update(library.sources)
    try:
        indexed = index.search(query, limit=None)
    finally:
        index.close()
    cache: dict = {}
    scanned = scan_articles(articles, query, limit=None, cache=cache)  # folding as it goes
    assert scanned.total == indexed.total
    assert {h.id for h in scanned.hits} == {h.id for h in indexed.hits}
    for hit in scanned.hits:
        if marked_terms(query):
            assert hit.snippet.marks
    if query.strip():
        assert len(cache) == len(articles)
    # every article folded now: the scan narrows by C-level iterators first, with the same answer
    again = scan_articles(articles, query, limit=None, cache=cache)
    assert [(h.id, h.score, h.snippet) for h in again.hits] == [(h.id, h.score, h.snippet) for h in scanned.hits]


def test_the_scans_folded_fields_are_each_part_folded():
    from app.model import Article, Paragraph
    from app.search.analysis import fold
    from app.search.scan import _Folded

    plain = Article(id="x#1", source="/tmp/臺灣.txt", ordinal=1, title="揚塵ＡＢＣ", subtitle="副題…",
                    kicker="引題", authors=["記者 陳婵", "通讯员 林瑞蓬"], date="2023年",
                    paragraphs=[Paragraph("第一段，揚塵。"), Paragraph(""), Paragraph("第三段…")])
    no_body = Article(id="x#2", source="s", ordinal=2, title="只有标题", paragraphs=[])
    no_head = Article(id="x#3", source="s", ordinal=3, title="", paragraphs=[Paragraph("正文，正文")])
    for article in [plain, no_body, no_head, *sample_articles()]:
        texts = _Folded(article)
        body = "\n".join(p.text for p in article.paragraphs)
        assert texts.text("body") == fold(body)
        assert texts.all[texts.body_start:] == fold(body)
        assert texts.fields["title"] == fold(article.title)
        assert texts.fields["authors"] == fold("\n".join(article.authors))
        assert texts.all == fold(texts.original)


@pytest.mark.parametrize("limit", [None, 3, 1000])
def test_the_whole_text_scan_ranks_and_counts_as_the_per_article_scan(limit, tmp_path):
    from app.search import parse_query
    from app.search.scan import _all_folded, _scan_each, _scan_whole_texts, folded
    from tests.benchmarks.corpus import add_pages

    library = Library()
    library.add(sample_page())
    add_pages(library, tmp_path, 12, seed=7)
    articles = library.articles
    cache: dict = {}
    for article in articles:
        folded(cache, article)
    queries = ["江", "江海", "扬尘 治理", "江海 OR 扬尘", '"食品安全"', "的 江", "邓群标", "不在任何文章里"]
    for query in queries:
        plan = parse_query(query)
        quick = _scan_whole_texts(articles, plan, _all_folded(articles, cache), limit)
        assert quick is not None, query
        slow = _scan_each(articles, plan, cache, _all_folded(articles, cache), limit)
        assert quick[0] == slow[0], query
        assert [(s, a.id) for s, _o, a, _t in quick[1]] == [(s, a.id) for s, _o, a, _t in slow[1]], query
    texts = _all_folded(articles, cache)
    assert _scan_whole_texts(articles, parse_query("title:江海"), texts, limit) is None  # fields: per article
    assert _scan_whole_texts(articles, parse_query("江海 -会议"), texts, limit) is None
    assert _all_folded(articles, {}) is None  # not folded yet: the per-article loop folds
    assert _scan_whole_texts(articles, parse_query("江海"), _all_folded(articles, {}), limit) is None


# -- the search box --------------------------------------------------------------------------------
def test_articles_are_folded_for_the_scan_in_the_background_before_any_search(qapp, qtbot, tmp_path):
    from app.ui.search.library_search import LibrarySearch

    articles = sample_articles()
    search = LibrarySearch(tmp_path / "index")
    search.set_articles(articles)
    qtbot.waitUntil(lambda: len(search._cache) == len(articles), timeout=10000)
    search.warm_pool.waitForDone(10000)
    warmed = dict(search._cache)
    assert all(warmed[a.id].article is a for a in articles)
    result = scan_articles(articles, "扬尘", cache=search._cache)
    assert result.total >= 1
    from app.search import parse_query
    from app.search.scan import _all_folded, _candidates

    narrowed = _candidates(articles, parse_query("扬尘"), _all_folded(articles, search._cache))  # the C-level first pass
    assert {a.id for a in narrowed} == {h.id for h in result.hits} and len(narrowed) < len(articles)
    assert all(search._cache[k] is v for k, v in warmed.items())  # the scan folded nothing itself
    search.set_articles(articles[:2])  # fewer articles: the cache keeps only theirs
    assert set(search._cache) == {a.id for a in articles[:2]}
    search.shut_down()
    search.writer_pool.waitForDone(10000)


def test_the_background_folding_rests_while_a_scan_runs_and_results_are_shown(qapp, qtbot, tmp_path):
    from app.ui.search.library_search import LibrarySearch

    articles = sample_articles()
    search = LibrarySearch(tmp_path / "index")
    search._scanning = True  # as while the search thread scans
    search.set_articles(articles)
    time.sleep(0.3)
    qapp.processEvents()
    assert len(search._cache) <= 1  # it waits before its next article
    search._scanning = False
    search._quiet_until = time.monotonic() + 0.3  # results just arrived
    time.sleep(0.15)
    assert len(search._cache) <= 1
    qtbot.waitUntil(lambda: len(search._cache) == len(articles), timeout=10000)
    search.shut_down()
    search.warm_pool.waitForDone(10000)
    search.writer_pool.waitForDone(10000)


def test_quick_keystrokes_make_one_search(window, qtbot, monkeypatch):
    asked: list[str] = []
    real = window.library_search.search

    def counting(query):
        asked.append(query)
        return real(query)

    monkeypatch.setattr(window.library_search, "search", counting)
    box = window.panel.search
    assert box.debounce.isSingleShot() and box.debounce.interval() == DEBOUNCE_MS == 150
    with qtbot.waitSignal(window.library_search.results_ready, timeout=5000) as blocker:
        qtbot.keyClicks(box, "sample")  # six keystrokes, well inside 150 ms of each other
        assert asked == []  # nothing is searched while typing
    qtbot.wait(3 * DEBOUNCE_MS)
    assert asked == ["sample"] and blocker.args[0].query == "sample"


def test_a_slow_earlier_search_never_replaces_a_later_one(window, qtbot, monkeypatch):
    real = library_search.run_query
    slow_started, slow_done = threading.Event(), threading.Event()

    def slow_first(index, articles, query, cache):
        if query == "扬尘":
            slow_started.set()
            time.sleep(0.6)
            result = real(index, articles, query, cache)
            slow_done.set()
            return result
        return real(index, articles, query, cache)

    monkeypatch.setattr(library_search, "run_query", slow_first)
    applied: list[str] = []
    window.library_search.results_ready.connect(lambda outcome: applied.append(outcome.query))
    box = window.panel.search
    box.setText("扬尘")
    box.flush()  # the slow search starts now
    qtbot.waitUntil(slow_started.is_set, timeout=5000)
    box.setText("江海")
    with qtbot.waitSignal(window.library_search.results_ready, timeout=5000):
        box.flush()
    qtbot.waitUntil(slow_done.is_set, timeout=5000)
    qtbot.wait(200)  # the slow answer has arrived on the GUI thread by now, and was dropped
    assert applied == ["江海"]
    assert window.panel.proxy.rowCount() == 7
    assert all("江海" in window.panel.model.article(i).all_text() for i in listed_ids(window))


def test_results_list_only_the_hits_in_rank_order_with_snippets_and_a_count(window, qtbot, qtmodeltester,
                                                                           reports):
    outcome = search(window, qtbot, "会议")
    assert outcome.via_index
    hits = outcome.result.hits
    assert len(hits) == outcome.result.total == 2
    assert listed_ids(window) == [h.id for h in hits]
    first = window.panel.proxy.index(0, 0)
    shown = first.data(SNIPPET_ROLE)
    assert shown == hits[0].snippet and "会议" in [shown.text[s:e] for s, e in shown.marks]
    label = window.panel.result_label
    assert label.isVisibleTo(window) and re.fullmatch(r"2 articles · \d+\.\d ms", label.text())
    assert window.panel.current_id() == hits[0].id  # the reader opens the best hit

    # the list paints the marked words on the highlight colour
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    image = window.panel.view.viewport().grab().toImage()
    highlight = QColor("#ffe066").rgb()
    assert any(image.pixel(x, y) == highlight for x in range(0, image.width(), 2) for y in range(image.height()))

    qtmodeltester.check(window.panel.proxy)

    outcome = search(window, qtbot, "没有这个词")
    assert window.panel.proxy.rowCount() == 0 and label.text().startswith("No articles found")
    assert window.reader.article is None

    for malformed in ('"扬尘', "title:", "扬尘 OR", "-扬尘"):  # read as literal text, never an error
        search(window, qtbot, malformed)
    assert reports == []


def test_escape_clears_the_search_and_shows_every_article(window, qtbot):
    search(window, qtbot, "会议")
    reading = window.panel.current_id()
    assert window.panel.proxy.rowCount() == 2 and window.reader.hits
    qtbot.keyClick(window.panel.search, Qt.Key.Key_Escape)
    assert window.panel.search.text() == ""
    assert window.panel.proxy.rowCount() == 7
    assert not window.panel.result_label.isVisibleTo(window)
    assert window.panel.current_id() == reading  # still reading the same article
    assert window.reader.hits == [] and window.reader.extraSelections() == []
    assert not window.reading_pane.hit_bar.isVisibleTo(window)
    qtbot.wait(3 * DEBOUNCE_MS)
    assert window.panel.proxy.rowCount() == 7  # no late result brings the hits back


# -- the reading pane ------------------------------------------------------------------------------
def test_a_pinyin_search_lists_its_hits_and_marks_the_chinese_it_matched(window, qtbot):
    outcome = search(window, qtbot, "jiangmen")  # no article holds these letters: read as pinyin
    assert outcome.via_index and outcome.result.pinyin and "江门" in outcome.result.marks
    ids = listed_ids(window)
    assert ids and ids == [h.id for h in outcome.result.hits]
    assert "pinyin" in window.panel.result_label.text()
    reader = window.reader
    assert reader.article.id in ids
    text = reader.toPlainText()
    marked = {text[s:e] for s, e in reader.hits}  # (the sample has no characters outside the BMP)
    assert marked and marked <= set(outcome.result.marks)


def test_f3_and_shift_f3_step_through_the_hits_and_wrap_around(window, qtbot):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    search(window, qtbot, "江海")
    article = next(a for a in window.panel.model.articles() if a.ordinal == 6)
    window.panel.select_article(article.id)
    total = article.all_text().count("江海")
    assert total == 14
    reader, bar = window.reader, window.reading_pane.hit_bar
    assert len(reader.hits) == total
    assert bar.counter_text == f"1/{total}" and f"1/{total}" in bar.counter.text()

    def current_text() -> str:
        selection = reader.extraSelections()[reader.current_hit]
        return selection.cursor.selectedText()

    assert current_text() == "江海"
    qtbot.keyClick(reader, Qt.Key.Key_F3)
    assert bar.counter_text == f"2/{total}" and current_text() == "江海"
    qtbot.keyClick(reader, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(reader, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.counter_text == f"{total}/{total}"  # wrapped to the last
    assert reader.verticalScrollBar().value() > 0  # the last hit was scrolled into view
    qtbot.keyClick(reader, Qt.Key.Key_F3)
    assert bar.counter_text == f"1/{total}"  # and round again to the first
    # Enter in the search box goes to the next hit too
    qtbot.keyClick(window.panel.search, Qt.Key.Key_Return)
    assert bar.counter_text == f"2/{total}"
    # the current hit is drawn differently from the others
    formats = [s.format.background().color().name() for s in reader.extraSelections()]
    assert formats[1] != formats[0] and len(set(formats)) == 2


def test_hits_after_an_emoji_and_a_non_bmp_character_cover_the_right_characters(make_window, qtbot, tmp_path):
    page = tmp_path / "emoji.txt"
    page.write_text("😀标题里有𠀋扬尘二字\n\n本报讯(记者/王小明)11月2日,正文😀😀里的𠀋字后面是扬尘,再来一次扬尘。\n",
                    encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    search(window, qtbot, "扬尘")
    marked = [s.cursor.selectedText() for s in window.reader.extraSelections()]
    assert marked == ["扬尘", "扬尘", "扬尘"]
    assert window.reading_pane.hit_bar.counter_text == "1/3"


def test_markup_in_a_hit_is_listed_as_text_with_only_the_matches_marked(make_window, qtbot, tmp_path):
    from app.ui.entities.browser import entity_snippet

    page = tmp_path / "markup.txt"
    page.write_text("市区治理扬尘\n\n本报讯 文中写着<b>扬尘</b> & 扬尘，还有&amp;。\n", encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    search(window, qtbot, "扬尘")
    shown = window.panel.proxy.index(0, 0).data(SNIPPET_ROLE)
    assert shown == Snippet("…本报讯 文中写着<b>扬尘</b> & 扬尘，还有&amp;。", ((12, 14), (21, 23)))
    assert mark_ranges(shown) == [(12, 2), (21, 2)]  # what the list's delegate highlights
    # an entity's articles are listed with snippets made the same way: plain text and spans
    around = entity_snippet(window.panel.model.article(listed_ids(window)[0]), "还有&amp;")
    assert around.text.endswith("<b>扬尘</b> & 扬尘，还有&amp;。")
    assert [around.text[s:e] for s, e in around.marks] == ["还有&amp;"]


# -- the index in the background -------------------------------------------------------------------
def test_the_index_is_built_in_the_background_with_progress_then_searched(make_window, qtbot):
    window = make_window()
    progress: list[tuple[int, int]] = []
    named: list[tuple[int, int]] = []
    window.library_search.index_progress.connect(lambda done, total: progress.append((done, total)))
    window.library_search.names_progress.connect(lambda done, total: named.append((done, total)))
    assert not window.library_search.index_ready
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT) as finished:
        window.open_paths([str(sample_page())], run_now=True)
        assert window.library_search.indexing and window.index_progress.isVisibleTo(window)
    stats = finished.args[0]
    assert stats.articles_indexed == 7 and not stats.cancelled
    assert progress and progress[-1] == (7, 7)
    assert named and named[-1] == (7, 7)  # the names found first, counted as they arrived
    assert not window.index_progress.isVisibleTo(window)
    assert window.library_search.index_ready
    assert (window.library_search.index_dir / "CURRENT").is_file()
    outcome = search(window, qtbot, "扬尘")
    assert outcome.via_index
    assert [h.id for h in outcome.result.hits] == [a.id for a in sample_articles() if a.ordinal == 0]


def test_the_status_bar_counts_the_names_found_then_the_articles_written(qapp):
    """While the indexer finds names (most of a first build) the bar shows how far it is, not
    Qt's busy bar, which repainted the status bar 60 times a second for all that time."""
    from app.ui.search.index_progress import IndexProgress

    progress = IndexProgress()
    progress.start()
    assert progress.bar.maximum() == 0 and progress.label.text() == "Indexing…"  # nothing counted yet
    progress.set_names_progress(300, 1000)
    assert (progress.bar.maximum(), progress.bar.value()) == (1000, 300)
    assert progress.label.text() == "Finding names in 300 of 1000 articles…"
    progress.set_progress(10, 1000)
    progress.set_names_progress(400, 1000)  # (a late batch: the writing's count stays)
    assert progress.bar.value() == 10 and progress.label.text() == "Indexing 10 of 1000 articles…"
    progress.start()  # another update: nothing counted again
    assert progress.bar.maximum() == 0 and progress.label.text() == "Indexing…"


def test_cancelling_the_index_build_keeps_search_working(make_window, qtbot):
    window = make_window()
    gate = threading.Event()
    window.library_search.writer_pool.start(lambda: gate.wait(10))  # the writer is busy
    window.open_paths([str(sample_page())], run_now=True)
    progress = window.index_progress
    assert progress.isVisibleTo(window)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT) as finished:
        qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    assert finished.args[0].cancelled
    assert not progress.isVisibleTo(window)
    assert "cancelled" in window.statusBar().currentMessage()
    assert not window.library_search.index_ready
    assert not (window.library_search.index_dir / "CURRENT").exists()  # nothing was written
    outcome = search(window, qtbot, "会议")
    assert not outcome.via_index and outcome.result.total == 2
    assert window.panel.proxy.rowCount() == 2


def test_another_program_holding_the_index_is_noticed_and_search_scans(make_window, qtbot):
    from app.search import SearchIndex
    from whoosh import index as whoosh_index

    window = make_window()
    index_dir = window.library_search.index_dir
    library = Library()
    library.add(sample_page())
    other = SearchIndex(index_dir)
    other.update(library.sources[:0] or [])  # an index of nothing: the window must add the sample
    other.close()
    gen = index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    writer = whoosh_index.open_dir(str(gen)).writer()  # "another program" is writing
    try:
        with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT) as finished:
            window.open_paths([str(sample_page())], run_now=True)
    finally:
        writer.cancel()
    assert finished.args[0].locked
    assert "Another Baozhi Reader" in window.statusBar().currentMessage()
    outcome = search(window, qtbot, "扬尘")
    assert not outcome.via_index and outcome.result.total == 1


def test_a_damaged_index_is_rebuilt_with_a_notice(make_window, qtbot):
    first = make_window()
    index_dir = first.library_search.index_dir
    index_dir.mkdir(parents=True)
    (index_dir / "CURRENT").write_text("gen-broken\n", encoding="utf-8")
    with qtbot.waitSignal(first.library_search.index_finished, timeout=INDEX_TIMEOUT) as finished:
        first.open_paths([str(sample_page())], run_now=True)
    stats = finished.args[0]
    assert stats.rebuilt and stats.notice and stats.articles_indexed == 7
    assert "rebuilt" in first.statusBar().currentMessage()
    assert search(first, qtbot, "扬尘").via_index


# -- memory and selection --------------------------------------------------------------------------
def test_recent_searches_are_offered_and_remembered_across_a_restart(make_window, qtbot):
    first = make_window()
    first.open_paths([str(sample_page())], run_now=True)
    for query in ("扬尘", "江海"):
        search(first, qtbot, query)
        qtbot.keyClick(first.panel.search, Qt.Key.Key_Return)
    assert first.settings.recent_searches == ["江海", "扬尘"]
    first.close()

    second = make_window()
    box = second.panel.search
    assert box.recent() == ["江海", "扬尘"]
    assert box.completer().model().rowCount() == 2
    for n in range(12):
        second._remember_query(f"q{n}")
    assert len(second.settings.recent_searches) == 10 and box.recent()[0] == "q11"


def test_select_all_results_then_export_writes_exactly_the_results(window, qtbot, tmp_path, monkeypatch):
    from app.ui.export import run as export_run

    monkeypatch.setattr(export_run, "open_folder", lambda folder: True)
    monkeypatch.setattr(errors, "ask_yes_no", lambda *args: False)  # "open the folder?" no
    assert not window.act_select_results.isEnabled()
    outcome = search(window, qtbot, "江海 -会议")
    hit_ids = [h.id for h in outcome.result.hits]
    assert len(hit_ids) == 5
    window.act_select_results.trigger()
    assert [a.id for a in window.panel.selected_articles()] == hit_ids
    window.act_export.trigger()
    dialog = window._export_dialog
    assert [a.id for a in dialog.articles] == hit_ids
    dialog.reject()
    out = tmp_path / "results.json"
    window.start_export(window.panel.selected_articles(), ExportChoice("json", out, ExportOptions()), run_now=True)
    assert [a["id"] for a in json.loads(out.read_text(encoding="utf-8"))] == hit_ids

    # Ctrl+A in the list selects the same rows
    window.panel.view.clearSelection()
    window.panel.view.setFocus()
    qtbot.keyClick(window.panel.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert sorted(a.id for a in window.panel.selected_articles()) == sorted(hit_ids)


def test_results_found_before_the_index_is_ready_stay_selected_when_the_index_answers(make_window, qtbot):
    window = make_window()
    gate = threading.Event()
    window.library_search.writer_pool.start(lambda: gate.wait(10))
    window.open_paths([str(sample_page())], run_now=True)
    scanned = search(window, qtbot, "食品安全")
    assert not scanned.via_index and scanned.result.total == 2
    window.act_select_results.trigger()
    chosen = [a.id for a in window.panel.selected_articles()]
    assert len(chosen) == 2
    with qtbot.waitSignal(window.library_search.results_ready, timeout=INDEX_TIMEOUT,
                          check_params_cb=lambda outcome: outcome.via_index) as blocker:
        gate.set()  # the index is built, then the same query runs through it
    assert sorted(h.id for h in blocker.args[0].result.hits) == sorted(chosen)
    assert sorted(a.id for a in window.panel.selected_articles()) == sorted(chosen)


def test_a_large_library_is_scanned_by_the_indexer_child_while_it_works(make_window, qtbot, monkeypatch, tmp_path):
    """From CHILD_SCAN_MIN articles, a query asked before the index is ready is answered by the
    indexer child (the same hits as a scan here), and nothing is folded in the window's own
    process; once the index is ready, the index answers."""
    from tests.hardening.held_index_worker import hold

    monkeypatch.setattr(library_search, "CHILD_SCAN_MIN", 5)  # the sample page has 7 articles
    gate = hold(monkeypatch, tmp_path)
    window = make_window()
    window.open_paths([str(sample_page())], run_now=True)
    assert window.library_search.indexing
    for query in ("扬尘", "江海区", "title:会议"):
        outcome = search(window, qtbot, query)
        expected = scan_articles(sample_articles(), query)
        assert not outcome.via_index
        assert [(h.id, h.score, h.snippet) for h in outcome.result.hits] == [
            (h.id, h.score, h.snippet) for h in expected.hits]
        assert outcome.result.total == expected.total >= 1
    qtbot.wait(100)
    assert window.library_search._cache == {}  # the window folded nothing itself
    assert window.library_search.warm_pool.activeThreadCount() == 0
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        gate.touch()
    assert window.library_search.index_ready
    assert search(window, qtbot, "江海").via_index


def test_a_large_library_update_waits_for_the_window_and_cancelling_it_starts_no_child(make_window, qtbot,
                                                                                      monkeypatch):
    """A large library's update starts its child a moment after it is asked for (the window first
    finishes showing the library); a cancel in that moment ends the wait at once, and no child
    is started. A small library's update starts at once."""
    from app.ui import workers

    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())], run_now=True)
    monkeypatch.setattr(library_search, "CHILD_SCAN_MIN", 5)  # the sample page has 7 articles
    monkeypatch.setattr(workers.IndexUpdateTask, "START_DELAY_S", 60.0)
    window.library_search.update_index(window.sources)
    update = window.library_search._update
    assert update.start_delay == 60.0
    qtbot.wait(300)
    assert update.worker.process is None  # still waiting
    with qtbot.waitSignal(window.library_search.index_finished, timeout=10000) as finished:
        window.library_search.cancel_indexing()
    assert finished.args[0].cancelled
    assert update.worker.process is None

    monkeypatch.setattr(library_search, "CHILD_SCAN_MIN", 8)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT) as finished:
        window.library_search.update_index(window.sources)
        assert window.library_search._update.start_delay == 0
    assert window.library_search.index_ready and not finished.args[0].cancelled


def test_when_the_indexer_child_dies_a_query_is_scanned_here(make_window, qtbot, monkeypatch, tmp_path):
    from tests.hardening.held_index_worker import hold

    monkeypatch.setattr(library_search, "CHILD_SCAN_MIN", 5)
    hold(monkeypatch, tmp_path, die_on_query=True)
    window = make_window()
    with qtbot.waitSignal(window.library_search.index_failed, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())], run_now=True)
        outcome = search(window, qtbot, "扬尘")
    assert not outcome.via_index
    assert [h.id for h in outcome.result.hits] == [h.id for h in scan_articles(sample_articles(), "扬尘").hits]
    assert not window.library_search.index_ready
    qtbot.waitUntil(lambda: len(window.library_search._cache) == 7, timeout=10000)  # folded here now


def test_the_folding_expression_is_compiled_by_the_search_thread_not_the_window(window, qtbot, monkeypatch):
    """The GUI thread folds the reader's paragraphs to mark a search's hits; on a just-opened
    window the expression that folding uses was compiled right then (~20 ms of the GUI thread)."""
    from app.search import analysis

    compiled_on: list[str] = []
    char_class = analysis.char_class

    def recording(code_points):
        compiled_on.append(threading.current_thread().name)
        return char_class(code_points)

    monkeypatch.setattr(analysis, "_FOLDS", None)
    monkeypatch.setattr(analysis, "char_class", recording)
    search(window, qtbot, "江海")
    assert window.reader.hits  # the GUI thread folded the article to mark them
    assert compiled_on and threading.main_thread().name not in compiled_on


def test_the_first_hits_are_listed_at_once_and_the_rest_right_after(window, qtbot, monkeypatch):
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    answers = []
    window.library_search.results_ready.connect(answers.append)
    first = search(window, qtbot, "会议")
    assert first.via_index and first.result.total == 2 and len(first.result.hits) == 1
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    whole = answers[1].result
    assert answers[1].query == "会议" and whole.pending is None
    assert [h.id for h in whole.hits] == [h.id for h in window.library_search._index.search("会议", limit=10).hits]
    assert listed_ids(window) == [h.id for h in whole.hits]
    assert window.panel.result_label.text().startswith("2 articles")


def test_the_rest_of_an_earlier_search_never_replaces_a_later_one(window, qtbot, monkeypatch):
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    index = window.library_search._index
    complete = type(index).complete
    made = []
    started = threading.Event()

    def late(self, result, cancel=None, step=100):  # the rest is made only once a newer query is asked
        started.set()
        deadline = time.monotonic() + 5
        while result.query == "会议" and not cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        made.append(complete(self, result, cancel, step))
        return made[-1]

    monkeypatch.setattr(type(index), "complete", late)
    answers = []
    window.library_search.results_ready.connect(answers.append)
    search(window, qtbot, "会议")
    qtbot.waitUntil(started.is_set, timeout=5000)  # the rest of 会议 is being made
    search(window, qtbot, "扬尘")
    qtbot.waitUntil(lambda: len(made) >= 1, timeout=5000)
    qtbot.wait(200)
    assert made[0] is None  # cancelled: the newer query was asked (its answer is dropped)
    assert [a.query for a in answers][:2] == ["会议", "扬尘"] and "会议" not in [a.query for a in answers[2:]]
    assert listed_ids(window) == [h.id for h in index.search("扬尘", limit=10).hits]


def test_the_rest_of_the_hits_is_added_below_the_first_ones_and_the_reader_stays(window, qtbot, monkeypatch,
                                                                                 qtmodeltester):
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    answers = []
    window.library_search.results_ready.connect(answers.append)
    qtmodeltester.check(window.panel.proxy)  # (and follows its changes: the rows inserted below)
    first = search(window, qtbot, "会议")
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    window.panel.select_article(first.result.hits[0].id)  # reading the best hit
    reading = window.reader.article
    window.panel.search.clear()  # every article again, the best hit still read
    answers.clear()
    search(window, qtbot, "会议")  # the same search again
    current = window.panel.current_id()
    assert current == first.result.hits[0].id
    moved = []
    window.panel.proxy.layoutChanged.connect(lambda: moved.append(1))
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    assert answers[1].rest and moved == []  # rows added after the first, nothing laid out again
    assert listed_ids(window) == [h.id for h in answers[1].result.hits] and window.panel.current_id() == current
    assert window.reader.article is reading
    assert window.panel.showing.key is answers[1]  # (what the timeline and Select All go by)


def test_the_rest_of_a_search_is_not_listed_once_the_list_shows_something_else(window, qtbot, monkeypatch):
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    answers = []
    window.library_search.results_ready.connect(answers.append)
    search(window, qtbot, "会议")
    window.panel.search.clear()  # every article again, before the rest arrives
    qtbot.wait(300)
    assert not window.panel.proxy.showing_results
    assert window.panel.proxy.rowCount() == len(window.library.articles)


def test_typing_on_drops_the_rest_still_being_made(window, qtbot, monkeypatch):
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    seen = []
    real = window.library_search._complete
    monkeypatch.setattr(window.library_search, "_complete", lambda outcome: (seen.append(outcome), real(outcome)))
    search(window, qtbot, "会议")
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)  # (started once the window painted the first hits)
    generation = window.library_search.generation
    window.panel.search.setText("会议室")  # typed on: the debounce has not fired yet
    assert window.library_search.generation > generation == seen[0].generation


def test_the_article_being_read_stays_while_only_the_first_hits_are_listed(window, qtbot, monkeypatch):
    """A search's first hits do not replace the article being read when it is not among them:
    it may be among the rest, and is selected again when they come."""
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    ranked = [h.id for h in window.library_search._index.search("会议", limit=10).hits]
    assert len(ranked) == 2
    window.panel.select_article(ranked[1])  # reading the second-ranked hit
    reading = window.reader.article
    answers = []
    window.library_search.results_ready.connect(answers.append)
    first = search(window, qtbot, "会议")
    assert [h.id for h in first.result.hits] == ranked[:1]
    assert window.reader.article is reading  # not replaced by the first hit
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    assert listed_ids(window) == ranked and window.panel.current_id() == ranked[1]
    assert window.reader.article is reading


def test_a_hit_chosen_while_the_rest_is_made_stays_chosen(window, qtbot, monkeypatch):
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    ranked = [h.id for h in window.library_search._index.search("会议", limit=10).hits]
    window.panel.select_article(ranked[1])  # reading the second-ranked hit: kept for the rest
    index = window.library_search._index
    complete = type(index).complete
    chosen = threading.Event()

    def after_the_choice(self, result, cancel=None, step=100):
        chosen.wait(5)
        return complete(self, result, cancel, step)

    monkeypatch.setattr(type(index), "complete", after_the_choice)
    answers = []
    window.library_search.results_ready.connect(answers.append)
    search(window, qtbot, "会议")
    window.panel.select_first()  # the reader picks the listed hit before the rest comes
    chosen.set()
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    assert window.panel.current_id() == ranked[0]


def test_a_closing_window_does_not_fold_the_library_when_its_cancelled_update_ends(make_window, qtbot, monkeypatch,
                                                                                  tmp_path):
    """Closing cancels the indexer child that was scanning for a large library. Its update then
    ends as cancelled, which otherwise hands the scans back to the window: the window began
    folding the whole library while it closed (~300 MB more at 100,000 articles)."""
    from tests.hardening.held_index_worker import hold

    monkeypatch.setattr(library_search, "CHILD_SCAN_MIN", 5)
    hold(monkeypatch, tmp_path)
    window = make_window()
    window.open_paths([str(sample_page())], run_now=True)
    search_ = window.library_search
    assert search_.indexing and search_._cache == {}
    with qtbot.waitSignal(search_.index_finished, timeout=INDEX_TIMEOUT) as ended:
        search_.shut_down()
    assert ended.args[0].cancelled
    qtbot.wait(200)
    search_.warm_pool.waitForDone(10000)
    assert search_._cache == {}  # nothing folded after the close
