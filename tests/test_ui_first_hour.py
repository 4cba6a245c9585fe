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


def test_when_every_remembered_source_is_missing_the_sample_stands_in_but_is_not_remembered(make_window, tmp_path, qtbot):
    gone = _page(tmp_path / "b", 2)
    _start(make_window, [str(gone)]).close()
    gone.rename(tmp_path / "found.txt")
    window = _start(make_window)
    assert window.sources[0].source.path == str(sample_page())
    window.close()
    assert window.settings.sources == [str(gone)]
    # found again: the file replaces the stand-in sample
    window = _start(make_window)
    with qtbot.waitSignal(window.loading_finished, timeout=10000):
        window.relocate({str(gone): str(tmp_path / "found.txt")})
    assert [s.source.path for s in window.sources] == [str(tmp_path / "found.txt")]
    window.close()
    assert window.settings.sources == [str(tmp_path / "found.txt")]


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


# -- one language: the window's own messages, Qt's dialogs, the title, plurals ----------------------

def test_every_source_problem_and_file_kind_has_a_window_sentence():
    from app import sources
    from app.ui import source_errors

    assert set(source_errors._reasons()) == set(sources.REASONS)
    assert {kind for _sig, kind in sources._BINARY_SIGNATURES} == set(source_errors._kinds())


@pytest.fixture()
def chinese(make_window, qapp):
    window = make_window()
    window.translations.apply("zh_CN")
    yield window
    window.translations.apply("en")


def test_file_errors_are_told_in_chinese_when_chinese_is_chosen(chinese, reports, tmp_path, qtbot):
    image = tmp_path / "scan.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    chinese.open_paths([str(image), str(empty), str(sample_page())], run_now=True)
    assert len(reports) == 1
    message = reports[0][1]
    assert f"{image}：这看起来是PNG 图片，不是文本文件" in message
    assert f"{empty}：文件是空的" in message
    assert "looks like" not in message and "empty" not in message.replace(str(empty), "")


def _english_texts(dialog) -> set[str]:
    """The labels, buttons and tooltips of ``dialog`` still in English (three Latin letters in a row)."""
    import re

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    texts = set()
    for child in dialog.findChildren(QWidget) + dialog.findChildren(QAction):
        for attr in ("text", "toolTip"):
            value = getattr(child, attr, None)
            value = value() if callable(value) else None
            if isinstance(value, str) and re.search("[A-Za-z]{3}", value):
                texts.add(value)
    return texts


def test_qt_own_dialogs_speak_chinese(chinese, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QLabel, QMessageBox

    dialog = QFileDialog(chinese)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels  # qtbase_zh_CN lacks both
    assert _english_texts(dialog) == set()
    preview = chinese.print_preview() or chinese._preview
    assert _english_texts(preview) == set()
    preview.close()
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes
                      | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel, chinese)
    qtbot.addWidget(box)
    assert _english_texts(box) == set()
    assert isinstance(preview, QPrintPreviewDialog)


def test_the_window_title_says_the_name_once(make_window, qapp):
    window = make_window()
    window.open_paths([str(sample_page())], run_now=True)
    article = window.panel.current_article()
    assert window.windowTitle() == article.title  # Qt adds " — 报纸阅读器 Baozhi Reader" once
    assert "Baozhi Reader" not in window.windowTitle() and "报纸阅读器" not in window.windowTitle()


def test_one_article_is_said_in_the_singular(make_window, qtbot):
    window = make_window()
    window.open_paths([str(sample_page())], run_now=True)
    article = window.panel.model.articles()[0]
    from app.model import EntitySpan

    article.entities = [EntitySpan("PERSON", "夏加伟", 0, 0, 3)]
    for other in window.panel.model.articles()[1:]:
        other.entities = []
    window.entities.filter_by("PERSON", "夏加伟")
    text = window.panel.result_label.text()
    assert text.startswith("1 article mentions 夏加伟"), text


# -- the list's order and the legend's ticks come back ------------------------------------------------

def test_sort_order_and_legend_ticks_are_kept_across_restarts(make_window):
    from app.ui.article_list import sort as article_sort
    from app.ui.settings import store as settings

    assert settings.SORT_MODES == article_sort.SORT_MODES
    first = make_window()
    first.open_paths([str(sample_page())], run_now=True)
    first.sort_actions["title"].trigger()
    first.reading_pane.legend.boxes["PERSON"].setChecked(False)
    first.close()

    second = make_window()
    second.open_paths([str(sample_page())], run_now=True)
    assert second.panel.proxy.sort_mode == "title"
    assert second.sort_actions["title"].isChecked() and second.panel.sort_box.currentData() == "title"
    legend = second.reading_pane.legend
    assert not legend.boxes["PERSON"].isChecked() and legend.boxes["PLACE"].isChecked()
    assert second.reader._entity_types == legend.shown_types() and "PERSON" not in legend.shown_types()


def test_the_count_over_a_name_list_follows_the_language(make_window, qtbot):
    """What the list shows lives in one place (ArticlePanel.showing), so a language change
    retranslates a name's count line as it does a search's."""
    window = make_window()
    window.open_paths([str(sample_page())], run_now=True)
    from app.model import EntitySpan

    for article in window.panel.model.articles():
        article.entities = []
    window.panel.model.articles()[0].entities = [EntitySpan("PERSON", "夏加伟", 0, 0, 3)]
    window.entities.filter_by("PERSON", "夏加伟")
    assert window.panel.showing.kind == "entity" and window.act_select_results.isEnabled()
    window.translations.apply("zh_CN")
    try:
        assert window.panel.result_label.text().startswith("1 篇文章提到 夏加伟")
    finally:
        window.translations.apply("en")
    window.entities.show_all()
    assert window.panel.showing.kind == "all" and not window.act_select_results.isEnabled()
    assert not window.reader.hits  # the name is no longer marked


def test_an_unreadable_settings_file_is_told_in_chinese_when_chinese_is_chosen(qapp, tmp_path, reports):
    """The sentence is made when shown, after the language is chosen, not when the file is read."""
    from app.ui.settings.i18n import Translations
    from app.ui.settings.store import Settings

    config = Path(os.environ["BAOZHI_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.ini").write_text('[library]\nsources="[broken"\n[view]\nlanguage=zh_CN\n', encoding="utf-8")
    settings = Settings()
    assert "could not be read" in settings.problem  # English until a language is applied
    translations = Translations(qapp)
    try:
        translations.apply(settings.language)
        assert settings.problem.startswith("无法从设置中读取要重新打开的来源列表")
        assert "旧文件的副本已保存为" in settings.problem
    finally:
        translations.apply("en")
