"""What a new user hit in the first hour (issue 15), each in the window as they met it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QFileDialog  # noqa: E402

from app.paths import sample_page  # noqa: E402
from app.ui.application import initial_sources, missing_sources  # noqa: E402

pytestmark = pytest.mark.gui

PAGE = """记住来源的测试标题{n}

本报讯(记者/王小明)11月2日,这是第{n}个来源里的文章,用来测试记住的来源。
"""


def _page(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"page-{n}.txt"
    path.write_text(PAGE.format(n=n), encoding="utf-8")
    return path


def _start(make_window, cli: list[str] | None = None):
    """A window started as ``run()`` starts it: command line, else memory, else the sample."""
    window = make_window()
    remembered = window.settings.sources
    window.set_missing_sources(missing_sources(cli or [], remembered))
    window.open_paths(initial_sources(cli or [], remembered), run_now=True)
    return window


def test_a_file_opened_by_a_relative_path_is_remembered_by_its_absolute_path(make_window, tmp_path, monkeypatch):
    _page(tmp_path / "work" / "pages", 0)
    monkeypatch.chdir(tmp_path / "work")
    first = _start(make_window, ["pages/page-0.txt"])
    first.close()
    assert first.settings.sources == [str(tmp_path / "work" / "pages" / "page-0.txt")]

    monkeypatch.chdir(tmp_path)  # started again from elsewhere: the page is still the library
    second = _start(make_window)
    assert [a.title for a in second.panel.model.articles()] == ["记住来源的测试标题0"]
    assert not second.missing_bar.isVisibleTo(second)


def test_a_missing_remembered_source_is_listed_and_kept_in_the_settings(make_window, tmp_path):
    kept, gone = _page(tmp_path / "a", 1), _page(tmp_path / "b", 2)
    first = _start(make_window, [str(kept), str(gone)])
    first.close()
    gone.unlink()

    second = _start(make_window)
    assert [a.title for a in second.panel.model.articles()] == ["记住来源的测试标题1"]
    bar = second.missing_bar
    assert bar.isVisibleTo(second) and str(gone) in bar.label.text()
    second.close()
    assert second.settings.sources == [str(kept), str(gone)]  # not dropped from the settings


def test_when_every_remembered_source_is_missing_the_sample_stands_in_but_is_not_remembered(make_window, tmp_path):
    gone = _page(tmp_path / "b", 2)
    _start(make_window, [str(gone)]).close()
    gone.unlink()
    window = _start(make_window)
    assert window.sources[0].source.path == str(sample_page())
    window.close()
    assert window.settings.sources == [str(gone)]


def test_locating_a_missing_source_opens_it_and_its_neighbours(make_window, tmp_path, monkeypatch, qtbot):
    old = [_page(tmp_path / "old", n) for n in (3, 4)]
    _start(make_window, [str(p) for p in old]).close()
    (tmp_path / "old").rename(tmp_path / "moved")  # the folder was renamed
    window = _start(make_window)
    assert window.missing_sources == [str(p) for p in old]
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "moved" / "page-3.txt"), "")))
    with qtbot.waitSignal(window.loading_finished, timeout=10000):
        window.missing_bar.locate_button.click()
    assert window.missing_sources == [] and not window.missing_bar.isVisibleTo(window)
    titles = {a.title for a in window.panel.model.articles()}
    assert {"记住来源的测试标题3", "记住来源的测试标题4"} <= titles
    window.close()
    assert str(tmp_path / "moved" / "page-4.txt") in window.settings.sources
    assert not any("old" in Path(p).parts for p in window.settings.sources)


def test_removing_a_missing_source_forgets_it(make_window, tmp_path):
    kept, gone = _page(tmp_path / "a", 1), _page(tmp_path / "b", 2)
    _start(make_window, [str(kept), str(gone)]).close()
    gone.unlink()
    window = _start(make_window)
    window.missing_bar.remove_button.click()
    assert not window.missing_bar.isVisibleTo(window)
    assert window.settings.sources == [str(kept)]
    assert os.path.isabs(window.settings.sources[0])
