"""Entities in the window: highlights, the legend, the entity panel and its filter, computed in the
background and cached; and the log file and the missing-font notice (issue 7)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor, QTextFormat  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

import app.entities  # noqa: E402
from app import palette  # noqa: E402
from app.entity_cache import entity_cache_dir  # noqa: E402
from app.model import Article, EntitySpan, Paragraph  # noqa: E402
from app.paths import sample_page  # noqa: E402
from app.ui import errors, log_file  # noqa: E402
from app.ui.settings import theme  # noqa: E402
from app.ui.entities.marks import ENTITY_TYPE_PROPERTY  # noqa: E402
from app.ui.entities.panel import TEXT_ROLE  # noqa: E402
from app.ui.reading.pane import ReadingPane  # noqa: E402

pytestmark = pytest.mark.gui

from conftest import INDEX_TIMEOUT  # noqa: E402
# an emoji and a non-BMP character (two UTF-16 units each) before every entity
TEXT = "😀𠀋记者王小明在北京市见到😀国家统计局的𠀋同事,11月2日捐出100万元。王小明说好。"
SPANS = [("PERSON", "王小明"), ("PLACE", "北京市"), ("ORG", "国家统计局"), ("DATE", "11月2日"),
         ("MONEY", "100万元")]


def emoji_article() -> Article:
    article = Article(title="测试标题", paragraphs=[Paragraph("第一段没有实体。"), Paragraph(TEXT)], id="emoji")
    entities = []
    for entity_type, text in SPANS:
        start = TEXT.index(text)
        entities.append(EntitySpan(entity_type, text, 1, start, start + len(text)))
    second = TEXT.rindex("王小明")
    entities.append(EntitySpan("PERSON", "王小明", 1, second, second + 3))
    article.entities = entities
    return article


@pytest.fixture()
def pane(qtbot):
    pane = ReadingPane()
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.reader.configure(theme.LIGHT, None, 100)
    pane.reader.show_article(emoji_article())
    return pane


def selected(reader, start: int, end: int) -> str:
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def format_at(reader, position: int):
    """The document's character format of the character at ``position``."""
    cursor = QTextCursor(reader.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat()


# -- highlights, legend, tooltip --------------------------------------------------------------------
def test_entity_highlights_cover_the_right_characters_after_emoji_and_non_bmp(pane):
    reader = pane.reader
    marks = reader.entity_marks
    assert [(t, selected(reader, s, e)) for t, s, e in marks] == SPANS + [("PERSON", "王小明")]
    for entity_type, start, end in marks:
        fmt = format_at(reader, start)
        assert fmt.property(ENTITY_TYPE_PROPERTY) == entity_type
        assert fmt.background().color() == QColor(palette.tint(entity_type))
        assert fmt.underlineColor() == QColor(palette.line(entity_type))
        assert fmt.foreground().color() == QColor(palette.LIGHT.text)
        assert format_at(reader, end - 1).property(ENTITY_TYPE_PROPERTY) == entity_type
        # the characters around it (an emoji or 𠀋 is never far) are not marked
        assert format_at(reader, start - 1).property(ENTITY_TYPE_PROPERTY) is None
        assert format_at(reader, end).property(ENTITY_TYPE_PROPERTY) is None


def test_dark_theme_uses_the_dark_tints(pane):
    pane.reader.configure(theme.DARK, None, 100)
    entity_type, start, _end = pane.reader.entity_marks[0]
    assert format_at(pane.reader, start).background().color() == QColor(palette.tint(entity_type, dark=True))
    assert format_at(pane.reader, start).foreground().color() == QColor(palette.DARK.text)
    assert palette.tint(entity_type, dark=True) != palette.tint(entity_type)


def test_search_hit_over_an_entity_keeps_both_marks_visible(pane):
    reader = pane.reader
    reader.set_search_terms(["小明在北"])  # overlaps the end of 王小明 and the start of 北京市
    (hit_start, hit_end), = reader.hits
    assert selected(reader, hit_start, hit_end) == "小明在北"
    person = next(m for m in reader.entity_marks if m[0] == "PERSON")
    overlap = person[1] + 1  # 小, inside both
    assert hit_start <= overlap < hit_end
    selection = next(s for s in reader.extraSelections()
                     if s.cursor.selectionStart() <= overlap < s.cursor.selectionEnd())
    hit_background = selection.format.background().color()
    # the hit's strong background is drawn over the text ...
    assert hit_background.isValid() and hit_background != QColor(palette.tint("PERSON"))
    # ... and leaves the entity's underline (set in the document) alone
    assert not selection.format.hasProperty(QTextFormat.Property.TextUnderlineColor)
    entity = format_at(reader, overlap)
    assert entity.property(ENTITY_TYPE_PROPERTY) == "PERSON"
    assert entity.underlineColor() == QColor(palette.line("PERSON"))


def test_legend_counts_and_toggles_hide_and_show_a_type(pane):
    legend, reader = pane.legend, pane.reader
    assert legend.counts == {"PERSON": 2, "PLACE": 1, "ORG": 1, "DATE": 1, "MONEY": 1}
    assert legend.boxes["PERSON"].text() == "Person 2"
    legend.boxes["PERSON"].setChecked(False)
    assert [t for t, _s, _e in reader.entity_marks] == ["PLACE", "ORG", "DATE", "MONEY"]
    start = TEXT.index("王小明")
    block = reader.document().findBlockByNumber(_block_of(reader))
    assert format_at(reader, block.position() + start + 4).property(ENTITY_TYPE_PROPERTY) is None
    assert legend.counts["PERSON"] == 2  # the count is the article's, shown or not
    legend.boxes["PERSON"].setChecked(True)
    assert [t for t, _s, _e in reader.entity_marks].count("PERSON") == 2


def _block_of(reader) -> int:
    """The block number of the paragraph holding ``TEXT``."""
    block = reader.document().begin()
    while block.isValid() and block.text() != TEXT:
        block = block.next()
    return block.blockNumber()


def test_hovering_an_entity_shows_its_type(pane, qtbot):
    reader = pane.reader
    pane.show()
    qtbot.waitExposed(pane)
    _t, start, end = next(m for m in reader.entity_marks if m[0] == "PERSON")
    assert format_at(reader, start).toolTip() == "人名 / Person"
    assert format_at(reader, next(m for m in reader.entity_marks if m[0] == "ORG")[1]).toolTip() == "机构 / Organisation"
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start + 1)
    point = reader.cursorRect(cursor).center() + QPoint(2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, reader.viewport().mapToGlobal(point))
    QApplication.sendEvent(reader.viewport(), event)
    assert QToolTip.text() == "人名 / Person"
    QToolTip.hideText()


# -- the window: background, cache, panel, filter --------------------------------------------------




@pytest.fixture()
def window(make_window, qtbot):
    w = make_window()
    with qtbot.waitSignal(w.library_search.index_finished, timeout=INDEX_TIMEOUT):
        w.open_paths([str(sample_page())], run_now=True)
    assert all(a.entities for a in w.library.articles[:3])
    return w


def test_entities_are_found_in_the_background_and_the_open_article_refreshes(make_window, qtbot, monkeypatch):
    in_window = []
    monkeypatch.setattr(app.entities, "annotate_articles", in_window.append)  # never in this process
    window = make_window()
    gate = threading.Event()
    window.library_search.writer_pool.start(lambda: gate.wait(10))  # the writer is busy
    window.open_paths([str(sample_page())], run_now=True)
    # the article is open at once, without entities yet
    assert window.reader.article is not None and window.reader.entity_marks == []
    assert sum(window.reading_pane.legend.counts.values()) == 0
    with qtbot.waitSignal(window.library_search.entities_ready, timeout=INDEX_TIMEOUT) as ready:
        gate.set()
    article = window.reader.article
    assert article.id in ready.args[0]
    assert in_window == []  # recognised by the indexer's child process, not by the window
    expected = {t: sum(1 for e in article.entities if e.type == t) for t in window.reading_pane.legend.counts}
    assert sum(expected.values()) > 0
    assert window.reading_pane.legend.counts == expected
    assert len(window.reader.entity_marks) == len(article.entities)
    assert window.entities.panel.article_model.type_totals() == {t: n for t, n in expected.items() if n}
    qtbot.waitUntil(lambda: window.entities.panel.library_model.rowCount() > 0, timeout=5000)


def test_entities_are_cached_with_the_index_so_a_second_start_never_runs_the_recogniser(window, make_window,
                                                                                      qtbot, monkeypatch):
    cache = entity_cache_dir(window.library_search.index_dir)
    assert list(cache.glob("*.ents"))
    person = next(e.text for a in window.library.articles for e in a.entities if e.type == "PERSON")
    window.close()
    window.library_search.writer_pool.waitForDone(INDEX_TIMEOUT)
    # the indexer's child process recognises; had it run again it would have rewritten the files
    written = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob("*.ents")}
    second = make_window()
    failures = []
    second.library_search.index_failed.connect(failures.append)
    with qtbot.waitSignal(second.library_search.index_finished, timeout=INDEX_TIMEOUT):
        second.open_paths([str(sample_page())], run_now=True)
    assert not failures
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.glob("*.ents")} == written
    assert all(a.entities for a in second.library.articles[:3])
    assert second.reader.entity_marks  # highlighted from the cache
    # person: searches run through the index, whose person field came from the entities
    with qtbot.waitSignal(second.library_search.results_ready, timeout=5000,
                          check_params_cb=lambda o: o.query == f"person:{person}") as blocker:
        second.panel.search.setText(f"person:{person}")
    outcome = blocker.args[0]
    assert outcome.via_index
    mentioning = {a.id for a in second.library.articles if any(e.text == person for e in a.entities)}
    assert mentioning and mentioning <= {h.id for h in outcome.result.hits}


def listed_ids(window) -> list[str]:
    proxy = window.panel.proxy
    return [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(proxy.rowCount())]


def _library_row(panel, wanted):
    """The library tree's index of the first name for which ``wanted(type, text)`` holds."""
    model = panel.library_model
    for r in range(model.rowCount()):
        head = model.item(r, 0)
        for i in range(head.rowCount()):
            child = head.child(i, 0)
            if wanted(child.data(Qt.ItemDataRole.UserRole + 1), child.data(TEXT_ROLE)):
                return child.index()
    raise AssertionError("no such name in the library")


def test_clicking_a_name_lists_exactly_the_articles_mentioning_it_and_show_all_restores(window, qtbot):
    entities = window.entities
    with qtbot.waitSignal(entities.panel.library_counted, timeout=5000):  # counted off the GUI thread
        entities.recount_library()
    articles = window.library.articles
    total = len(articles)

    def mentioned_by(entity_type, text):
        return [a.id for a in articles if any(e.type == entity_type and e.text == text for e in a.entities)]

    index = _library_row(entities.panel, lambda t, x: 1 < len(mentioned_by(t, x)) < total)
    entity_type, text = index.data(Qt.ItemDataRole.UserRole + 1), index.data(TEXT_ROLE)
    view = entities.panel.library_view
    entities.panel.tabs.setCurrentWidget(view)
    window.show()
    qtbot.waitExposed(window)
    assert not view.isExpanded(index.parent())  # the library shows the types, folded
    view.expand(index.parent())
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())

    assert entities.filter == (entity_type, text)
    assert sorted(listed_ids(window)) == sorted(mentioned_by(entity_type, text))
    assert window.panel.result_label.isVisible() and text in window.panel.result_label.text()
    # the name is marked in the text of the article shown
    reader = window.reader
    assert reader.article.id in mentioned_by(entity_type, text)
    assert reader.hits and all(selected(reader, s, e) == text for s, e in reader.hits)
    assert entities.panel.show_all_button.isVisible()

    qtbot.mouseClick(entities.panel.show_all_button, Qt.MouseButton.LeftButton)
    assert entities.filter is None and len(listed_ids(window)) == total
    assert reader.hits == [] and not entities.panel.show_all_button.isVisible()

    # Esc in the list is the other way back
    entities.filter_by(entity_type, text)
    assert len(listed_ids(window)) < total
    window.panel.view.setFocus()
    qtbot.keyClick(window.panel.view, Qt.Key.Key_Escape)
    assert entities.filter is None and len(listed_ids(window)) == total


def test_the_library_is_counted_off_the_gui_thread_and_only_the_latest_count_is_shown(window, qtbot,
                                                                                    monkeypatch):
    """Counted and its ~1,000 items made in the counting thread (the GUI thread only puts the
    types' rows in and gives them their icons); a count replaced before it is shown never is."""
    from collections import Counter

    from app.ui.entities import panel as entity_panel

    threads, item_threads = [], []
    real, real_rows = entity_panel.count_into, entity_panel.type_rows

    def counting(found, articles):
        threads.append(threading.current_thread())
        return real(found, articles)

    def making(by_type, collator):
        item_threads.append(threading.current_thread())
        return real_rows(by_type, collator)

    monkeypatch.setattr(entity_panel, "count_into", counting)
    monkeypatch.setattr(entity_panel, "type_rows", making)
    panel = window.entities.panel
    articles = window.library.articles
    shown = []
    panel.library_counted.connect(lambda: shown.append(panel.library_model.type_totals()))
    with qtbot.waitSignal(panel.library_counted, timeout=5000):
        panel.set_library(articles[:1])  # replaced at once by the next count: never shown
        panel.set_library(articles)
    qtbot.wait(50)  # the first count's answer, if it came later, must have been dropped
    expected = Counter(e.type for a in articles for e in a.entities)
    assert shown and all(totals == dict(expected) for totals in shown)  # (a recount of the window's may come too)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert item_threads and all(t is not threading.main_thread() for t in item_threads)
    model = panel.library_model
    heads = [model.item(row, 0) for row in range(model.rowCount())]
    assert heads and all(not head.icon().isNull() and head.rowCount() > 0 for head in heads)


def test_arriving_entities_are_added_to_the_library_count_once_each(qtbot):
    from app.ui.entities.panel import EntityPanel

    pending = {}

    def article(n: int, names: list[str]) -> Article:
        text = "".join(names) + "。"
        a = Article(title=f"稿{n}", paragraphs=[Paragraph(text)], ordinal=n, source="/tmp/p.txt")
        a.assign_id("k")
        pending[a.id] = [EntitySpan("PERSON", x, 0, text.index(x), text.index(x) + len(x)) for x in names]
        return a

    articles = [article(0, ["张三", "李四"]), article(1, ["张三"]), article(2, ["王五"])]
    panel = EntityPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.library_counted, timeout=5000):
        panel.set_library(articles)  # nothing recognised yet
    assert panel.library_model.type_totals() == {}
    for a in articles[:2]:
        a.entities = pending[a.id]
    with qtbot.waitSignal(panel.library_counted, timeout=5000):
        panel.add_to_library(articles[:2])
    assert panel.library_model.names("PERSON") == [("张三", 2), ("李四", 1)]
    articles[2].entities = pending[articles[2].id]
    with qtbot.waitSignal(panel.library_counted, timeout=5000):
        panel.add_to_library(articles)  # the first two again: not counted twice
    assert panel.library_model.names("PERSON") == [("张三", 2), ("李四", 1), ("王五", 1)]
    assert panel.library_model.type_totals() == {"PERSON": 4}
    with qtbot.waitSignal(panel.library_counted, timeout=5000):
        panel.set_library(articles[1:])  # a fresh count of another library
    assert panel.library_model.type_totals() == {"PERSON": 2}


def test_a_date_can_narrow_the_list_too_and_a_search_replaces_the_filter(window, qtbot):
    entities = window.entities
    with qtbot.waitSignal(entities.panel.library_counted, timeout=5000):  # counted off the GUI thread
        entities.recount_library()
    date = next(e.text for a in window.library.articles for e in a.entities if e.type == "DATE")
    ids = entities.filter_by("DATE", date)
    assert ids and sorted(listed_ids(window)) == sorted(ids)
    with qtbot.waitSignal(window.library_search.results_ready, timeout=5000):
        window.panel.search.setText("扬尘")
    assert entities.filter is None and not entities.panel.show_all_button.isVisibleTo(window)


def test_the_tallys_name_map_lists_the_same_articles_as_walking_every_entity_list(qapp):
    import random

    from app.ui.entities.panel import LibraryTally, articles_mentioning

    rng = random.Random(5)
    names = [("PERSON", "张三"), ("PERSON", "李四"), ("PLACE", "北京市"), ("ORG", "国家统计局"), ("DATE", "张三")]

    def spans():
        picked = rng.choices(names, k=rng.randint(0, 4))
        return [EntitySpan(t, x, 0, 0, len(x)) for t, x in picked]

    articles = []
    for n in range(60):
        a = Article(title=f"稿{n}", paragraphs=[Paragraph("正文。")], ordinal=n, source="/tmp/p.txt")
        a.assign_id("k")
        a.entities = spans()
        articles.append(a)
    tally = LibraryTally()
    tally.reset(articles[:40])  # the rest are not counted yet
    for a in articles[::7]:
        a.entities = spans()  # found anew since they were counted
    for (entity_type, text) in names + [("PERSON", "无名氏")]:
        assert tally.mentioning(articles, entity_type, text) == articles_mentioning(articles, entity_type, text)
    tally.add(articles)  # the replaced lists are counted afresh, the others once
    for (entity_type, text) in names:
        expected = articles_mentioning(articles, entity_type, text)
        assert tally.mentioning(articles, entity_type, text) == expected
        assert sorted(tally.where.get((entity_type, text), [])) == sorted(a.id for a in expected)
        assert tally.found[(entity_type, text)] == sum(
            1 for a in articles for e in a.entities if (e.type, e.text) == (entity_type, text))


def test_a_large_librarys_name_list_is_made_in_the_background_and_equals_the_scan(window, qtbot, monkeypatch):
    from app.ui.entities import browser as entity_browser
    from app.ui.entities.panel import articles_mentioning

    entities = window.entities
    with qtbot.waitSignal(entities.panel.library_counted, timeout=5000):
        entities.recount_library()
    articles = window.panel.model.articles()
    total = len(articles)
    entity_type, text = next((e.type, e.text) for a in articles for e in a.entities
                             if 1 < len(articles_mentioning(articles, e.type, e.text)) < total)
    expected = [a.id for a in articles_mentioning(articles, entity_type, text)]
    assert entities.filter_by(entity_type, text) == expected  # a small library: here and now
    entities.show_all()

    monkeypatch.setattr(entity_browser, "BACKGROUND_FILTER_ARTICLES", 0)  # the sample counts as large
    with qtbot.waitSignal(entities.filter_shown, timeout=5000) as shown:
        assert entities.filter_by(entity_type, text) is None
        assert entities.filter == (entity_type, text) and len(listed_ids(window)) == total  # not yet
    assert shown.args[0] == expected  # the same articles, in page order
    assert sorted(listed_ids(window)) == sorted(expected)
    assert text in window.panel.result_label.text()
    assert entities.panel.show_all_button.isVisibleTo(window)

    # a list that arrives after Esc (or another name) is not shown
    entities.show_all()
    came = []
    entities.filter_shown.connect(came.append)
    entities.filter_by(entity_type, text)
    entities.show_all()
    qtbot.wait(300)
    assert came == [] and len(listed_ids(window)) == total and entities.filter is None


# -- issue 7: the log file, the missing font -------------------------------------------------------
def test_errors_are_logged_with_their_traceback_to_a_lazily_made_log_file(tmp_path, reports):
    path = log_file.log_path()
    assert path == Path(os.environ["BAOZHI_DATA_DIR"]) / "logs" / "baozhi.log"  # BAOZHI_DATA_DIR is honoured
    handler = log_file.install(qt_messages=False)
    try:
        logging.getLogger("baozhi.ui").info("not worth a file")
        assert not path.parent.exists()  # nothing is made until something is worth logging
        try:
            raise ValueError("broken page")
        except ValueError as err:
            errors._excepthook(type(err), err, err.__traceback__)
        handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" in text and "ValueError: broken page" in text
        assert reports and "broken page" in reports[0][1]
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_help_open_log_file_opens_it_in_the_viewer(make_window, monkeypatch):
    opened = []
    monkeypatch.setattr(log_file, "open_in_viewer", lambda url: opened.append(url) or True)
    window = make_window()
    assert window.act_open_log in window.menu_help.actions()
    window.act_open_log.trigger()
    assert [u.toLocalFile() for u in opened] == [str(log_file.log_path())]
    assert log_file.log_path().is_file()


def test_a_log_file_that_cannot_be_opened_is_reported(make_window, monkeypatch, reports):
    monkeypatch.setattr(log_file, "open_in_viewer", lambda url: False)
    make_window().act_open_log.trigger()
    assert reports and reports[0][0] == "Cannot open the log file"


@pytest.mark.parametrize("has_font", [False, True])
def test_a_missing_chinese_font_is_a_lasting_notice_saying_how_to_fix_it(monkeypatch, make_window, has_font):
    from app.ui.reading import fonts

    monkeypatch.setattr(fonts, "has_chinese_font", lambda: has_font)
    window = make_window()
    window.open_paths([str(sample_page())], run_now=True)
    window.statusBar().showMessage("something else")  # the status bar moves on; the notice stays
    notice = window.reading_pane.font_notice
    assert notice.isVisibleTo(window) is (not has_font)
    assert "fonts-noto-cjk" in notice.text() and "Chinese font" in notice.text()


def test_many_qt_calls_that_return_nothing_do_not_use_up_none(qapp):
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None per void call, so a long session
    aborted ("none_dealloc"); 6.11.3 is pinned for that reason. This guards against the regression."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(50_000):  # with the faulty binding the interpreter aborts long before the end
        label.setText("报")
        label.hide()
    assert label.text() == "报"
    assert sys.getrefcount(None) >= before - 100


def test_counts_arriving_in_quick_succession_are_shown_once_the_latest(qtbot, monkeypatch):
    """While the indexer's entities arrive batch after batch, the library tab is rebuilt at most
    every LIBRARY_REFRESH_S with the latest count (it was rebuilt for each batch)."""
    from app.ui.entities import panel as entity_panel
    from app.ui.entities.panel import EntityPanel

    monkeypatch.setattr(entity_panel, "LIBRARY_REFRESH_S", 0.4)
    articles = []
    for n, name in enumerate(["张三", "李四", "王五", "赵六"]):
        a = Article(title=f"稿{n}", paragraphs=[Paragraph(name + "。")], ordinal=n, source="/tmp/p.txt")
        a.assign_id("k")
        a.entities = [EntitySpan("PERSON", name, 0, 0, 2)]
        articles.append(a)
    panel = EntityPanel()
    qtbot.addWidget(panel)
    shown = []
    panel.library_counted.connect(lambda: shown.append(panel.library_model.type_totals()))
    with qtbot.waitSignal(panel.library_counted, timeout=5000):
        panel.set_library(articles[:1])  # shown at once: nothing was shown lately
    for a in articles[1:]:
        panel.add_to_library([a])
    qtbot.wait(150)
    assert shown == [{"PERSON": 1}]  # the next counts wait their turn
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
    qtbot.wait(600)
    assert shown == [{"PERSON": 1}, {"PERSON": 4}]  # once, the latest
