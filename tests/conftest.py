"""Shared test set-up: Qt offscreen, and settings/data folders isolated in ``tmp_path``."""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """No test touches the real home: data, config and any default QSettings live in tmp_path."""
    monkeypatch.setenv("BAOZHI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BAOZHI_CONFIG_DIR", str(tmp_path / "config"))
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None:
        for fmt in (qtcore.QSettings.Format.IniFormat, qtcore.QSettings.Format.NativeFormat):
            qtcore.QSettings.setPath(fmt, qtcore.QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield
