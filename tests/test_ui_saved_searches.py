"""Saved searches in the side panel: saved from the search box, run by a click, renamed,
reordered, deleted; their live counts follow new pages arriving in a watched folder."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.marks import active_store  # noqa: E402
from app.ui.marks import saved_searches as saved_module  # noqa: E402
from app.ui.watch import FolderWatch  # noqa: E402
from conftest import INDEX_TIMEOUT  # noqa: E402

pytestmark = pytest.mark.gui

PAGE_A = """桂湾镇整治河道垃圾

本报讯(记者/杜若溪)桂湾镇近日开展河道垃圾集中整治,清理河岸堆放的杂物二十余吨。

桂湾镇新建口袋公园

本报讯(记者/符晨光)桂湾镇利用闲置地块新建三处口袋公园,方便居民就近休闲。
"""

PAGE_B = """河道保洁员上岗

本报讯(记者/杜若溪)桂湾镇首批河道保洁员日前上岗,负责日常巡河和垃圾清理。
"""


def opened(make_window, qtbot, page: Path):
    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    window.marks.wait()
    return window


def counted(window, qtbot, name: str, expected: str) -> None:
    panel = window.saved_searches
    qtbot.waitUntil(lambda: panel.count_text(name) == expected, timeout=INDEX_TIMEOUT)


@pytest.fixture()
def page(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_text(PAGE_A, encoding="utf-8")
    return path


def test_save_run_rename_reorder_and_delete(make_window, qtbot, page, monkeypatch):
    window = opened(make_window, qtbot, page)
    panel = window.saved_searches
    assert not panel.list.isVisible() and panel.names() == []
    window.panel.search.setText("河道")
    window.panel.search.flush()
    monkeypatch.setattr(saved_module, "ask_name", lambda parent, title, label, text: "河道" if text == "河道" else None)
    window.act_save_search.trigger()  # Edit ▸ Save This Search…
    assert [s.name for s in active_store().saved_searches()] == ["河道"]
    counted(window, qtbot, "河道", "河道  (1)")
    window.panel.search.setText("公园")
    window.panel.search.flush()
    assert panel.save_current("公园")
    counted(window, qtbot, "公园", "公园  (1)")

    window.panel.search.clear()
    assert window.panel.proxy.rowCount() == 2
    with qtbot.waitSignal(window.library_search.results_ready, timeout=INDEX_TIMEOUT):
        panel.list.itemClicked.emit(panel.list.item(1))  # a click runs it
    assert window.panel.search.text() == "公园"
    assert [window.panel.proxy.index(r, 0).data() for r in range(window.panel.proxy.rowCount())] == ["桂湾镇新建口袋公园"]

    panel.list.setCurrentRow(1)
    assert panel.move_selected(-1)
    assert [s.name for s in active_store().saved_searches()] == ["公园", "河道"]
    panel.list.setCurrentRow(0)
    assert panel.rename_selected("新公园")
    assert [s.name for s in active_store().saved_searches()] == ["新公园", "河道"]
    assert panel.names() == ["新公园", "河道"]
    # dragged: the list's new order is stored
    item = panel.list.takeItem(1)
    panel.list.insertItem(0, item)
    panel.list.dropped.emit()
    assert [s.name for s in active_store().saved_searches()] == ["河道", "新公园"]
    panel.list.setCurrentRow(1)
    assert panel.delete_selected()
    assert [s.name for s in active_store().saved_searches()] == ["河道"]
    assert panel.names() == ["河道"]


def test_a_taken_name_is_a_one_line_message(make_window, qtbot, page, reports):
    window = opened(make_window, qtbot, page)
    panel = window.saved_searches
    active_store().save_search("甲", "河道")
    active_store().save_search("乙", "公园")
    panel.reload()
    panel.list.setCurrentRow(1)
    assert not panel.rename_selected("甲")
    assert reports and "exists already" in reports[-1][1] and "\n" not in reports[-1][1]
    assert panel.names() == ["甲", "乙"]


def test_the_count_follows_a_page_arriving_in_the_watched_folder(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    active_store().save_search("河道", "河道")
    window.saved_searches.reload()
    counted(window, qtbot, "河道", "河道  (1)")
    window.watch.watch = FolderWatch(window.watch, debounce_ms=50, scan_ms=200)
    window.watch.watch.files_ready.connect(window.watch.open_ready)
    window.watch.watch.files_gone.connect(window.watch.close_gone)
    window.watch.start(str(page.parent), True)
    (page.parent / "b.txt").write_text(PAGE_B, encoding="utf-8")
    counted(window, qtbot, "河道", "河道  (2)")
    (page.parent / "b.txt").unlink()
    counted(window, qtbot, "河道", "河道  (1)")


def test_a_saved_search_of_marks_counts_again_when_an_article_is_starred(make_window, qtbot, page):
    window = opened(make_window, qtbot, page)
    active_store().save_search("星标", "is:starred")
    window.saved_searches.reload()
    counted(window, qtbot, "星标", "星标  (0)")
    window.panel.select_article(window.panel.model.articles()[1].id)
    window.marks.set_starred(True)
    counted(window, qtbot, "星标", "星标  (1)")
