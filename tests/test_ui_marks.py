"""The reader's marks in the window: star, tags, note and read state from the keyboard, the menu
and the reading pane's bar, shown in the list and the pane; read after a delay and undoable;
highlights drawn, kept through a re-split, and said to be gone when their passage is."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from app.marks import active_store  # noqa: E402
from app.ui.marks import dialogs  # noqa: E402
from conftest import INDEX_TIMEOUT  # noqa: E402

pytestmark = pytest.mark.gui

PAGE = """湖屿镇启动老街改造

本报讯(记者/方以澄 通讯员/黎南星)12月2日,湖屿镇老街改造工程开工,计划明年春节前完成沿街立面整治。

据介绍,改造涉及沿街商铺四十二间,镇里将同步更新排水管网。

东坪村办起农民夜校

本报讯(记者/钟晚晴)东坪村农民夜校日前开课,首期课程讲授果树修剪和电商直播。

夜校每周开课两次,已有六十多名村民报名。

社区图书室延长开放时间

本报讯 锦华社区图书室自本月起延长开放时间,工作日晚间开放至九点。
"""


@pytest.fixture()
def page(tmp_path) -> Path:
    path = tmp_path / "huyu.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def opened(make_window, qtbot, page: Path, read_delay_ms: int = 60_000):
    window = make_window()
    window.marks.read_timer.setInterval(read_delay_ms)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    window.marks.wait()
    qtbot.wait(10)
    return window


def article(window, title: str):
    return next(a for a in window.panel.model.articles() if a.title == title)


def show(window, title: str):
    window.panel.select_article(article(window, title).id)
    assert window.reader.article.title == title
    return window.reader.article


def row_image(window, article_id: str):
    """The list row of ``article_id`` as painted."""
    panel = window.panel
    index = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(article_id), 0))
    rect = panel.view.visualRect(index)
    return panel.view.viewport().grab(rect).toImage()


def test_star_from_the_keyboard_shows_in_the_list_and_the_pane_and_undoes(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    window.resize(1200, 800)
    window.show()
    shown = show(window, "东坪村办起农民夜校")
    before = row_image(window, shown.id)
    assert window.reading_pane.marks_bar.star_button.text() == "☆"

    window.marks.actions["star"].trigger()  # S
    assert active_store().get(shown).starred
    assert window.panel.view.itemDelegate().marks_of(shown.id).starred  # what the row paints from
    assert window.reading_pane.marks_bar.star_button.isChecked()
    assert window.reading_pane.marks_bar.star_button.text() == "★"
    assert row_image(window, shown.id) != before  # the star is drawn in the row

    window.corrections.undo_stack.undo()  # Edit ▸ Undo
    assert not active_store().get(shown).starred
    assert not window.reading_pane.marks_bar.star_button.isChecked()
    assert window.marks.actions["star"].shortcut().toString() == "S"


def test_tags_with_completion_and_a_markdown_note_from_the_pane(make_window, qtbot, page, monkeypatch):
    window = opened(make_window, qtbot, page)
    first = show(window, "湖屿镇启动老街改造")
    asked = []
    monkeypatch.setattr(dialogs, "ask_tags", lambda parent, title, current, known: asked.append(known) or
                        dialogs.parse_tags("城建，民生、 城建"))
    window.reading_pane.marks_bar.tags_button.click()
    assert active_store().get(first).tags == ["城建", "民生"]
    assert window.reading_pane.marks_bar.tags_label.text() == "#城建  #民生"
    second = show(window, "东坪村办起农民夜校")
    window.marks.actions["tags"].trigger()  # T: the tags in use are offered
    assert set(asked[-1]) == {"城建", "民生"}
    assert active_store().get(second).tags == ["城建", "民生"]

    monkeypatch.setattr(dialogs, "ask_note", lambda parent, title, current: "**回访** 夜校学员\n\n- 电商课\n- <b>不是标签</b>")
    window.reading_pane.marks_bar.note_button.click()
    bar = window.reading_pane.marks_bar
    assert active_store().get(second).note.startswith("**回访**")
    assert bar.note_view.isVisibleTo(bar)
    assert "font-weight" in bar.note_view.text()  # **回访** set in bold
    assert "回访 夜校学员" in bar.note_text and "**" not in bar.note_text
    assert "<b>不是标签</b>" in bar.note_text  # HTML in a note is shown as typed
    assert bar.note_button.text() == "Edit Note…"
    assert window.panel.view.itemDelegate().marks_of(second.id).note


def test_an_article_shown_for_a_while_is_read_and_can_be_unread(make_window, qtbot, page):
    window = opened(make_window, qtbot, page, read_delay_ms=80)
    shown = show(window, "社区图书室延长开放时间")
    assert not active_store().get(shown).read
    qtbot.waitUntil(lambda: active_store().get(shown).read, timeout=3000)
    delegate = window.panel.view.itemDelegate()
    assert delegate.marks_of(shown.id).read  # no longer bold in the list
    window.panel.view.viewport().grab()  # painted with its read row: the others' headlines stay bold
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.font = window.panel.view.font()
    assert delegate._fonts(option)[0].bold()
    assert window.reading_pane.marks_bar.read_button.text() == "Mark as Unread"
    assert window.corrections.act_undo.text().replace("&", "") == "Undo Mark as Read"
    window.corrections.undo_stack.undo()
    assert not active_store().get(shown).read

    window.marks.read_timer.setInterval(60_000)
    show(window, "湖屿镇启动老街改造")
    other = show(window, "社区图书室延长开放时间")  # shown again, only for a moment
    qtbot.wait(150)
    assert not active_store().get(other).read  # the long delay has not passed
    window.marks.actions["read"].trigger()  # U: read now
    assert active_store().get(other).read
    window.reading_pane.marks_bar.read_button.click()  # Mark as Unread
    assert not active_store().get(other).read
    window.marks.read_timer.setInterval(80)
    qtbot.wait(200)
    assert not active_store().get(other).read  # the reader's "unread" stands


def select_text(window, text: str) -> None:
    reader = window.reader
    found = reader.document().find(text)
    assert not found.isNull()
    cursor = QTextCursor(reader.document())
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)


def highlighted_texts(window) -> list[str]:
    doc = window.reader.document()
    out = []
    for start, end, _key in window.reader.highlights:
        cursor = QTextCursor(doc)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        out.append(cursor.selectedText())
    return out


def test_a_highlight_keeps_its_passage_through_a_re_split_and_says_when_it_is_gone(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    window.resize(1200, 800)
    window.show()
    show(window, "东坪村办起农民夜校")
    select_text(window, "果树修剪和电商直播")
    menu = window.reader.context_menu(window.reader.cursorRect().center())
    assert "Highlight the Selected Passage…" in [a.text() for a in menu.actions()]
    assert window.marks.highlight_selection(note="第二期想加直播课")
    assert highlighted_texts(window) == ["果树修剪和电商直播"]
    assert "第二期想加直播课" in window.reading_pane.marks_bar.highlights_label.text()

    # the page is edited and split again: a new article before it (new ids, new numbers) and a
    # sentence before the passage (new offsets)
    old_id = window.reader.article.id
    edited = "镇里召开冬季防火会议\n\n本报讯 镇里近日召开冬季防火工作会议。\n\n" + PAGE.replace(
        "东坪村农民夜校日前开课,", "东坪村农民夜校日前开课,报名踊跃。")
    page.write_text(edited, encoding="utf-8")
    with qtbot.waitSignal(window.loading_finished, timeout=INDEX_TIMEOUT):
        window.reload()
    window.marks.wait()
    qtbot.wait(20)
    again = show(window, "东坪村办起农民夜校")
    assert again.id != old_id
    assert highlighted_texts(window) == ["果树修剪和电商直播"]
    assert not window.reading_pane.marks_bar.gone_label.isVisibleTo(window.reading_pane.marks_bar)

    # the passage is rewritten in the file: the highlight says it is gone
    page.write_text(PAGE.replace("果树修剪和电商直播", "柑橘嫁接"), encoding="utf-8")
    with qtbot.waitSignal(window.loading_finished, timeout=INDEX_TIMEOUT):
        window.reload()
    window.marks.wait()
    shown = show(window, "东坪村办起农民夜校")
    qtbot.waitUntil(lambda: window.reading_pane.marks_bar.gone_label.isVisibleTo(window.reading_pane.marks_bar),
                    timeout=5000)
    assert "果树修剪和电商直播" in window.reading_pane.marks_bar.gone_label.text()
    assert window.reader.highlights == []
    assert active_store().get(shown).highlights  # kept, not thrown away


def test_marks_reattach_when_a_closed_file_returns(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    shown = show(window, "湖屿镇启动老街改造")
    window.marks.set_starred(True)
    window.close_sources([str(page)])
    window.marks.wait()
    qtbot.waitUntil(lambda: window.marks.orphans == 1, timeout=5000)
    assert window.panel.model.rowCount() == 0
    label = window.marks.orphans_label
    assert label.isVisibleTo(window) and label.text().startswith("1 marked article is no longer in the library")
    assert label.toolTip() == "湖屿镇启动老街改造"
    with qtbot.waitSignal(window.loading_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)])
    window.marks.wait()
    qtbot.waitUntil(lambda: window.marks.orphans == 0, timeout=5000)
    again = article(window, "湖屿镇启动老街改造")
    assert window.marks.marks[again.id].starred and again.id == shown.id
    assert not label.isVisibleTo(window)


def test_typing_in_the_search_box_is_no_mark_shortcut(make_window, qtbot, page):
    from PySide6.QtTest import QTest

    window = opened(make_window, qtbot, page)
    window.show()
    qtbot.waitExposed(window)
    shown = show(window, "湖屿镇启动老街改造")
    window.panel.search.setFocus()
    qtbot.waitUntil(window.panel.search.hasFocus)
    QTest.keyClicks(window.panel.search, "stun")
    assert window.panel.search.text() == "stun"
    marks = active_store().get(shown)
    assert not marks.starred and not marks.read
    window.panel.view.setFocus()
    qtbot.waitUntil(window.panel.view.hasFocus)
    QTest.keyClick(window.panel.view, Qt.Key.Key_S)  # in the list, S stars the article shown
    assert active_store().get(window.reader.article).starred


def test_a_second_window_sees_the_first_ones_marks(make_window, qtbot, page):
    first = opened(make_window, qtbot, page)
    second = opened(make_window, qtbot, page)
    second.marks.poll.setInterval(50)
    shown = show(first, "社区图书室延长开放时间")
    first.marks.set_starred(True)
    qtbot.waitUntil(lambda: shown.id in second.marks.marks and second.marks.marks[shown.id].starred, timeout=3000)


def test_the_tag_completer_completes_the_tag_being_typed(qapp):
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit("城建, 民")
    completer = dialogs.TagCompleter(["民生", "城建", "政策"], edit)
    edit.setCompleter(completer)
    assert completer.splitPath(edit.text()) == ["民"]
    completer.setCompletionPrefix("民")
    assert completer.currentIndex().data() == "民生"
    assert completer.currentCompletion() == "城建, 民生, "  # the line with the tag completed, ready for the next
    assert dialogs.parse_tags(" 城建，民生、城建;政策  ") == ["城建", "民生", "政策"]


def test_a_mark_made_while_all_marks_are_read_again_is_not_lost(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    shown = show(window, "东坪村办起农民夜校")
    before = active_store().marks_by_id()  # a read of every mark, made before the star below
    window.marks._tasks[object()] = None  # ... and still under way when the star is made
    window.marks.set_starred(True)
    window.marks._tasks.clear()
    window.marks._take(before)  # the read arrives
    assert window.marks.marks[shown.id].starred
    assert window.reading_pane.marks_bar.star_button.isChecked()


def test_the_bar_is_there_only_with_an_article(make_window, qtbot, page):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    assert not window.reading_pane.marks_bar.isVisible()
    assert not window.marks.actions["star"].isEnabled()
    with qtbot.waitSignal(window.loading_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    qtbot.waitUntil(lambda: window.reader.article is not None, timeout=5000)
    assert window.reading_pane.marks_bar.isVisible()
    assert window.marks.actions["star"].isEnabled()


def test_a_highlight_after_a_character_outside_the_bmp_sits_on_its_passage(make_window, qtbot, tmp_path):
    page = tmp_path / "rare.txt"
    page.write_text("𠮷村修好进村路\n\n本报讯 𠮷村𠮷家组的村民集资修好了进村路,孩子上学不再绕远。\n", encoding="utf-8")
    window = opened(make_window, qtbot, page)
    show(window, "𠮷村修好进村路")
    select_text(window, "修好了进村路")
    assert window.marks.selected_span() is not None
    body = "\n".join(p.text for p in window.reader.article.paragraphs)
    start, end = window.marks.selected_span()
    assert body[start:end] == "修好了进村路"  # code points, though Qt counted two units per 𠮷
    assert window.marks.highlight_selection(note="")
    assert highlighted_texts(window) == ["修好了进村路"]
