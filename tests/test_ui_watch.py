"""The watched folder: files appearing, growing (not read until stable), vanishing and returning;
in the window, new pages opened and announced, removed ones leaving the list, the folder remembered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.ui.watch import FolderWatch, page_files  # noqa: E402
from conftest import INDEX_TIMEOUT  # noqa: E402

pytestmark = pytest.mark.gui

PAGE_A = """柳塘镇开通乡村公交专线

本报讯(记者/宋以宁 通讯员/程柏舟)12月1日,柳塘镇首条乡村公交专线开通,沿线六个村的村民出行更加方便。

据了解,专线全程约十九公里,每天往返八个班次。

北湾社区开设长者食堂

本报讯(记者/罗青禾)北湾社区长者食堂近日试营业,为辖区六十岁以上老人提供午餐。
"""

PAGE_B = """石门村修缮百年祠堂

本报讯(记者/韦知远)石门村百年祠堂修缮工程日前完工,祠堂将作为村史馆对外开放。
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def bump(path: Path, seconds: int) -> None:
    """Set the file's time ``seconds`` later (a write within one clock tick may keep the time)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


def test_a_new_file_is_reported_once_it_is_stable(qapp, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    watch = FolderWatch(debounce_ms=10_000, scan_ms=60_000)  # looks driven by the test
    watch.start(folder, subfolders=True)
    assert watch.look() == ([], [])
    page = write(folder / "a.txt", PAGE_A[:40])
    assert watch.look() == ([], [])  # seen once: may still be being written
    with page.open("a", encoding="utf-8") as f:  # the copy goes on
        f.write(PAGE_A[40:])
    bump(page, 1)
    assert watch.look() == ([], [])  # grew since the last look: not read yet
    assert watch.look() == ([str(page)], [])  # the same twice: complete
    assert watch.look() == ([], [])  # reported once
    watch.stop()


def test_changed_vanished_and_returning_files_and_subfolders(qapp, tmp_path):
    folder = tmp_path / "inbox"
    old = write(folder / "old.txt", PAGE_A)
    watch = FolderWatch(debounce_ms=10_000, scan_ms=60_000)
    watch.start(folder, subfolders=True, known=[str(old)])  # open already: the baseline
    assert watch.look() == ([], [])
    deep = write(folder / "2026" / "12" / "b.txt", PAGE_B)
    hidden = write(folder / ".b.txt.part", PAGE_B)  # a copy in progress under a hidden name
    ignored = write(folder / "notes.pdf", "x")
    watch.look()
    assert watch.look() == ([str(deep)], [])
    assert str(hidden) not in page_files(folder, True) and str(ignored) not in page_files(folder, True)
    write(old, PAGE_A + "\n补记\n\n本报讯 另讯一则。\n")
    bump(old, 2)
    watch.look()
    assert watch.look() == ([str(old)], [])  # changed, then stable: read again
    deep.unlink()
    assert watch.look() == ([], [str(deep)])
    write(deep, PAGE_B)
    watch.look()
    assert watch.look() == ([str(deep)], [])  # back: new again
    watch.stop()


def test_without_subfolders_only_the_folder_itself(qapp, tmp_path):
    folder = tmp_path / "inbox"
    top = write(folder / "a.txt", PAGE_A)
    write(folder / "sub" / "b.txt", PAGE_B)
    watch = FolderWatch(debounce_ms=10_000, scan_ms=60_000)
    watch.start(folder, subfolders=False)  # seen once when the watch starts: the first look confirms it
    assert watch.look() == ([str(top)], [])
    watch.stop()


def opened(make_window, qtbot, page: Path):
    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(page)], run_now=True)
    return window


def titles(window) -> list[str]:
    return [a.title for a in window.panel.model.articles()]


def test_the_window_opens_new_pages_announces_them_and_closes_removed_ones(make_window, qtbot, tmp_path):
    folder = tmp_path / "inbox"
    first = write(folder / "a.txt", PAGE_A)
    window = opened(make_window, qtbot, first)
    window.watch.watch = FolderWatch(window.watch, debounce_ms=50, scan_ms=200)  # quick looks for the test
    window.watch.watch.files_ready.connect(window.watch.open_ready)
    window.watch.watch.files_gone.connect(window.watch.close_gone)
    window.watch.start(str(folder), True)
    assert window.settings.watch_folder == str(folder.resolve())
    assert window.act_stop_watching.isEnabled()

    with qtbot.waitSignal(window.loading_finished, timeout=INDEX_TIMEOUT):
        write(folder / "sub" / "b.txt", PAGE_B)
    qtbot.waitUntil(lambda: "石门村修缮百年祠堂" in titles(window), timeout=INDEX_TIMEOUT)
    assert window.statusBar().currentMessage() == "1 new article"
    assert "柳塘镇开通乡村公交专线" in titles(window)  # the first page is still there, once
    assert len(titles(window)) == 3

    window.panel.select_article(next(a.id for a in window.panel.model.articles() if a.title == "石门村修缮百年祠堂"))
    window.marks.set_starred(True)
    (folder / "sub" / "b.txt").unlink()
    qtbot.waitUntil(lambda: "石门村修缮百年祠堂" not in titles(window), timeout=5000)
    assert "removed" in window.statusBar().currentMessage()
    assert [s.source.path for s in window.sources] == [str(first)]
    qtbot.waitUntil(lambda: window.marks.orphans == 1, timeout=5000)  # its star is kept, orphaned

    write(folder / "sub" / "b.txt", PAGE_B)  # the file returns: its article, and its star
    qtbot.waitUntil(lambda: "石门村修缮百年祠堂" in titles(window), timeout=INDEX_TIMEOUT)
    qtbot.waitUntil(lambda: window.marks.orphans == 0, timeout=5000)
    back = next(a for a in window.panel.model.articles() if a.title == "石门村修缮百年祠堂")
    assert window.marks.marks[back.id].starred
    window.watch.stop()
    assert window.settings.watch_folder == ""
    assert not window.act_stop_watching.isEnabled()


def test_the_watched_folder_is_remembered(make_window, qtbot, tmp_path):
    folder = tmp_path / "inbox"
    write(folder / "a.txt", PAGE_A)
    window = make_window()
    window.watch.start(str(folder), False)
    window.close()
    again = make_window()
    assert again.watch.watch.folder == folder.resolve()
    assert again.watch.watch.subfolders is False
    assert not again.act_watch_subfolders.isChecked()
