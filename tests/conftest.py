"""Shared test set-up: Qt offscreen, and settings/data folders isolated in ``tmp_path``."""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:  # property tests explore freely on a developer's machine, but CI's examples are fixed, so a
    # landing is never blocked by a case first met there (it is found and fixed locally instead)
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, database=None)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:
    pass


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """No test touches the real home: data, config and any default QSettings live in a temporary
    folder of their own, beside the test's ``tmp_path`` rather than in it (the article store and
    the marks database are written on first use, and a test may check what its tmp_path holds)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BAOZHI_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("BAOZHI_CONFIG_DIR", str(home / "config"))
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        for fmt in (qtcore.QSettings.Format.IniFormat, qtcore.QSettings.Format.NativeFormat):
            qtcore.QSettings.setPath(fmt, qtcore.QSettings.Scope.UserScope, str(home / "qsettings"))
    yield


# --- the window, shared by the tests/test_ui_*.py files ---------------------------------------------

INDEX_TIMEOUT = 30000  # ms: a background index build of a few pages on a busy machine


@pytest.fixture()
def reports(monkeypatch):
    """Every message the window shows through the one error path (never a real modal)."""
    from app.ui import errors

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "report_error", lambda parent, title, message: seen.append((title, message)))
    return seen


@pytest.fixture()
def make_window(qtbot, qapp, reports):
    """A factory of main windows in English, closed (and their background pools drained) afterwards."""
    from app.ui.application import create_window
    from app.ui.settings.i18n import Translations
    from app.ui.settings.store import Settings

    translations = Translations(qapp)
    translations.apply("en")
    made = []

    def make():
        window = create_window(Settings(), translations)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    translations.apply("en")
    for window in made:
        window.close()
    for window in made:
        window.library_search.writer_pool.waitForDone(INDEX_TIMEOUT)
        window.library_search.search_pool.waitForDone(INDEX_TIMEOUT)
        window.library_search.warm_pool.waitForDone(INDEX_TIMEOUT)
