"""Correcting the splitter in the window: the reading pane's context menu and the Article menu,
undo and redo, the corrections kept over a restart, and the index following them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from app.model import Article, Paragraph  # noqa: E402
from app.paths import corrections_dir  # noqa: E402
from app.ui.reading.reader import ReadingContext  # noqa: E402
from conftest import INDEX_TIMEOUT  # noqa: E402
from test_corrections import PAGE  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture()
def page(tmp_path) -> Path:
    path = tmp_path / "qingxi.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def opened(make_window, qtbot, page: Path):
    """A window with ``page`` open, its index built. (An article shown 4 s counts as read, a
    command on the same undo stack as the corrections: on a busy machine the index took longer
    than that and the counts below were one off; the reading clock is set aside here.)"""
    window = make_window()
    window.marks.read_timer.setInterval(600_000)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    return window


def titles(window) -> list[str]:
    return [a.title for a in window.panel.model.articles()]


def menu_at_line(window, line):
    """The reading pane's context menu for ``line`` of the article shown, as a right-click there makes it."""
    if not window.isVisible():
        window.resize(1280, 800)
        window.show()
    reader = window.reader
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.position_of_line(line) + 1)
    reader.setTextCursor(cursor)
    reader.ensureCursorVisible()
    point = reader.cursorRect(cursor).center()
    assert reader.line_at(reader.cursorForPosition(point).position()) == line  # the pointer is on that line
    reader.setTextCursor(QTextCursor(reader.document()))  # (a right-click does not move the text cursor)
    return reader.context_menu(point)


def trigger(menu, text: str) -> None:
    action = next((a for a in menu.actions() if a.text().replace("&", "") == text), None)
    assert action is not None, [a.text() for a in menu.actions()]
    action.trigger()


def test_merge_from_the_context_menu_undo_and_redo(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    assert titles(window) == ["青溪镇启动河道清淤工程", "南岭村举办丰收节", "文化站新添阅读角"]
    first_id = window.panel.model.articles()[0].id
    second_id = window.panel.model.articles()[1].id
    window.panel.select_article(second_id)
    menu = menu_at_line(window, "title")
    assert "Merge with Previous Article" in [a.text().replace("&", "") for a in menu.actions()]
    trigger(menu, "Merge with Previous Article")

    assert titles(window) == ["青溪镇启动河道清淤工程", "文化站新添阅读角"]
    assert window.panel.current_id() == first_id  # the selection on the merged article
    shown = window.reader.toPlainText()
    assert "南岭村举办丰收节" in shown and "活动现场还设置了农技咨询台" in shown
    assert "Merged “南岭村举办丰收节” with the previous article" in window.statusBar().currentMessage()
    kept = json.loads((corrections_dir() / f"{window.sources[0].source.sha256}.json").read_text("utf-8"))
    assert [c["op"] for c in kept["corrections"]] == ["merge"]

    assert window.corrections.act_undo.isEnabled()
    assert window.corrections.act_undo.text().replace("&", "") == "Undo Merge with Previous Article"
    window.corrections.act_undo.trigger()
    assert titles(window) == ["青溪镇启动河道清淤工程", "南岭村举办丰收节", "文化站新添阅读角"]
    assert window.panel.current_id() == second_id
    assert not (corrections_dir() / f"{window.sources[0].source.sha256}.json").exists()

    # the keys: Ctrl+Shift+Z redoes, Ctrl+Z undoes, with the list (or the pane) focused
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.panel.view.setFocus()
    qtbot.keyClick(window.panel.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert titles(window) == ["青溪镇启动河道清淤工程", "文化站新添阅读角"]
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(titles(window)) == 3


def test_the_correction_survives_a_restart_and_the_index_follows_it(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    window.panel.select_article(window.panel.model.articles()[1].id)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        trigger(menu_at_line(window, 0), "Merge with Previous Article")
    assert window.library_search.index_ready
    with qtbot.waitSignal(window.library_search.results_ready, timeout=5000,
                          check_params_cb=lambda outcome: outcome.query == "丰收节") as blocker:
        window.panel.search.setText("丰收节")
    outcome = blocker.args[0]
    assert outcome.via_index and [h.title for h in outcome.result.hits] == ["青溪镇启动河道清淤工程"]
    # the entities of the changed source came back with the update
    assert any(e.text == "陈沐阳" for e in window.sources[0].articles[0].entities)
    window.close()

    again = opened(make_window, qtbot, page)  # the same data folder: a restart
    assert titles(again) == ["青溪镇启动河道清淤工程", "文化站新添阅读角"]
    assert not again.corrections.act_undo.isEnabled()  # the undo history is the session's


def test_split_here_then_make_title_from_the_article_menu(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    first = window.panel.model.articles()[0]
    window.panel.select_article(first.id)
    trigger(menu_at_line(window, 2), "Split Here")
    assert titles(window) == ["青溪镇启动河道清淤工程", "", "南岭村举办丰收节", "文化站新添阅读角"]
    new = window.panel.current_article()
    assert new.paragraphs[0].text.startswith("施工期间") and window.reader.article is new
    # the Article menu works on the line last clicked: the new part's first paragraph
    reader = window.reader
    cursor = reader.textCursor()
    cursor.setPosition(reader.position_of_line(0) + 1)
    reader.setTextCursor(cursor)
    window.corrections.menu.aboutToShow.emit()
    act = window.corrections.actions["title"]
    assert act.isEnabled() and not window.corrections.actions["split"].isEnabled()
    act.trigger()
    assert titles(window)[1].startswith("施工期间")
    assert window.panel.current_id() == new.id
    assert window.corrections.undo_stack.count() == 2
    window.corrections.act_undo.trigger()
    window.corrections.act_undo.trigger()
    assert titles(window) == ["青溪镇启动河道清淤工程", "南岭村举办丰收节", "文化站新添阅读角"]
    assert window.panel.current_id() == first.id


def test_the_first_article_cannot_be_merged_and_links_have_no_corrections(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    window.panel.select_article(window.panel.model.articles()[0].id)
    texts = [a.text().replace("&", "") for a in menu_at_line(window, "title").actions()]
    assert "Merge with Previous Article" not in texts and "Make Title" not in texts
    assert "Make Kicker" in texts and "Make Body Text" in texts
    assert not window.corrections.correct("merge", window.reader.article, None)
    assert len(titles(window)) == 3 and window.corrections.undo_stack.count() == 0


def test_a_damaged_corrections_file_is_told_not_raised(make_window, qtbot, page, reports):
    from app.sources import read_source

    folder = corrections_dir()
    folder.mkdir(parents=True)
    (folder / f"{read_source(page).sha256}.json").write_text("{not json", encoding="utf-8")
    window = opened(make_window, qtbot, page)
    assert len(titles(window)) == 3
    assert "could not be read and were set aside" in window.statusBar().currentMessage()
    assert not reports


def test_the_reading_pane_shows_where_the_issue_printed_the_article(make_window):
    window = make_window()
    article = Article(title="青溪镇启动河道清淤工程", paragraphs=[Paragraph("本报讯 正文。")], page="A03",
                      page_name="要闻", issue_date="2023-10-31")
    window.reader.show_article(article, ReadingContext())
    lines = window.reader.toPlainText().splitlines()
    assert lines[0] == "Page A03 要闻 · 2023-10-31" and lines[1] == "青溪镇启动河道清淤工程"
    window.reader.show_article(Article(title="无版面信息"), ReadingContext())
    assert window.reader.toPlainText().splitlines()[0] == "无版面信息"


def test_a_correction_that_cannot_be_kept_changes_nothing(make_window, qtbot, page, reports):
    window = opened(make_window, qtbot, page)
    corrections_dir().parent.mkdir(parents=True, exist_ok=True)
    corrections_dir().write_text("a file where the folder should be", encoding="utf-8")
    window.panel.select_article(window.panel.model.articles()[1].id)
    assert window.corrections.correct("merge", window.reader.article, None)
    assert len(titles(window)) == 3  # not kept, not shown
    assert [title for title, _message in reports] == ["The correction cannot be kept"]
    assert window.corrections.undo_stack.count() == 0 and not window.corrections.act_undo.isEnabled()


def test_corrections_that_no_longer_fit_are_told_when_the_page_opens(make_window, qtbot, page):
    from app.corrections import Correction, CorrectionStore
    from app.sources import read_source

    gone = Correction("merge", title="已经改写的标题", first="本报讯 这一段已经不在了", ordinal=1)
    CorrectionStore(corrections_dir()).save(read_source(page).sha256, [gone])
    window = opened(make_window, qtbot, page)
    assert len(titles(window)) == 3
    assert "one of your corrections no longer fits the page and was skipped" in window.statusBar().currentMessage()


def test_the_corrections_of_a_page_can_be_cleared_after_a_restart(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    window.panel.select_article(window.panel.model.articles()[1].id)
    window.corrections.menu.aboutToShow.emit()
    assert not window.corrections.act_clear.isEnabled()  # nothing to clear yet
    assert window.corrections.correct("merge", window.reader.article, None)
    window.close()

    again = opened(make_window, qtbot, page)
    assert len(titles(again)) == 2
    again.corrections.menu.aboutToShow.emit()
    assert again.corrections.act_clear.isEnabled()
    again.corrections.act_clear.trigger()
    assert titles(again) == ["青溪镇启动河道清淤工程", "南岭村举办丰收节", "文化站新添阅读角"]
    assert not (corrections_dir() / f"{again.sources[0].source.sha256}.json").exists()
    assert "shown as the splitter made it again" in again.statusBar().currentMessage()
    again.corrections.act_undo.trigger()  # and back
    assert len(titles(again)) == 2


def test_a_large_source_is_split_again_in_the_background(make_window, qtbot, page, monkeypatch):
    import app.ui.corrections as window_corrections

    monkeypatch.setattr(window_corrections, "RESPLIT_NOW_CHARS", 0)  # as a whole issue would be
    window = opened(make_window, qtbot, page)
    shown: list[str] = []
    window.corrections.corrected.connect(shown.append)
    second = window.panel.model.articles()[1]
    window.panel.select_article(second.id)
    with qtbot.waitSignal(window.corrections.corrected, timeout=10000):
        window.corrections.correct("merge", window.reader.article, None)
    assert len(titles(window)) == 2 and shown == [window.panel.model.articles()[0].id]
    # undone and redone before either split is back: only the latest is shown
    window.corrections.act_undo.trigger()
    window.corrections.act_redo.trigger()
    window.corrections.act_undo.trigger()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10000)
    qtbot.wait(200)
    assert len(shown) == 2 and shown[-1] == second.id and len(titles(window)) == 3


def test_article_menu_explains_the_split_of_the_page_shown(make_window, qtbot, page):
    """Article ▸ Why Was the Page Split So?: baozhi articles --explain as a table, the lines of the
    article being read first in view and in bold, and the corrections said to come after it."""
    window = opened(make_window, qtbot, page)
    second = window.panel.model.articles()[1]
    window.panel.select_article(second.id)
    window.corrections.update_actions()
    assert window.corrections.act_explain.isEnabled()
    dialog = window.corrections.explain_current()
    qtbot.addWidget(dialog)
    model = dialog.model
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert len(rows) == len([line for line in PAGE.splitlines() if line.strip()])
    by_text = {row[3]: row for row in rows}
    assert by_text["南岭村举办丰收节"][1:3] == ["2", "headline"]
    assert by_text["南岭村举办丰收节"][4]  # a reason is given
    assert by_text["活动现场还设置了农技咨询台,吸引了不少种植户前来咨询。"][1:3] == ["2", "body"]
    assert by_text["本报讯(记者/陈沐阳)11月7日,南岭村第三届丰收节开幕,村民带来自家种植的柑橘、芋头和花生。"][2] == "dateline"
    selected = dialog.table.selectionModel().selectedRows()
    assert [model.data(model.index(i.row(), 3)) for i in selected] == ["南岭村举办丰收节"]
    bold = model.data(model.index(selected[0].row(), 3), Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()
    assert model.data(model.index(0, 3), Qt.ItemDataRole.FontRole) is None  # article 1's lines are plain
    assert "applied after" not in dialog.note.text()

    trigger(menu_at_line(window, "title"), "Merge with Previous Article")
    window.corrections.update_actions()
    again = window.corrections.explain_current()
    qtbot.addWidget(again)
    assert "Your correction of this page is applied after it." in again.note.text()
