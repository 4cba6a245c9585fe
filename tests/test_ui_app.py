"""The window's start-up path: ``baozhi --screenshot``, the translation files, settings wrapper."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QTranslator  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from app.paths import resource, sample_page  # noqa: E402
from app.ui.application import initial_sources  # noqa: E402
from app.ui.settings.store import Settings  # noqa: E402

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent
TS = resource("i18n/baozhi_zh_CN.ts")


def _baozhi(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, BAOZHI_CONFIG_DIR=str(tmp_path / "config"), BAOZHI_DATA_DIR=str(tmp_path / "data"))
    env.pop("QT_QPA_PLATFORM", None)  # run() must choose offscreen itself for a screenshot
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_screenshot_writes_a_png_of_the_window(tmp_path):
    out = tmp_path / "shot.png"
    result = _baozhi("--screenshot", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    # the run ends quietly: background work (the name count, the scan's folding) is waited for
    # before the window goes, not left to emit into deleted objects (it printed a traceback)
    assert f"baozhi: screenshot written to {out} (1280x800)" in result.stderr
    assert "Traceback" not in result.stderr and "went wrong" not in result.stderr, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # not a blank canvas: many distinct colours (text, list, selection)
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 20
    assert not (tmp_path / "data" / "logs").exists()  # a screenshot run writes no log file
    assert not (tmp_path / "config" / "settings.ini").exists() or "library/sources" not in (
        tmp_path / "config" / "settings.ini").read_text(encoding="utf-8")


def test_screenshot_with_a_bad_source_still_opens_the_others(tmp_path):
    out = tmp_path / "shot.png"
    bad = tmp_path / "scan.txt"  # there, but an image: reported, and the other source opens
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = _baozhi("--screenshot", str(out), str(bad), str(sample_page()), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{bad}: this looks like a PNG image" in result.stderr
    assert QImage(str(out)).width() == 1280


def test_initial_sources_prefers_the_command_line_then_memory_then_the_sample(tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("x", encoding="utf-8")
    assert initial_sources(["a.txt"], [str(kept)]) == ["a.txt"]
    assert initial_sources([], [str(kept), str(tmp_path / "gone.txt")]) == [str(kept)]
    assert initial_sources([], []) == [str(sample_page())]


def test_settings_wrapper_types_and_location(qapp, tmp_path):
    settings = Settings()
    assert settings.path == Path(os.environ["BAOZHI_CONFIG_DIR"]) / "settings.ini"
    assert (settings.zoom, settings.theme, settings.language, settings.sources) == (100, "system", "system", [])
    settings.zoom = 999
    settings.theme = "purple"
    settings.sources = ["/报纸/第一版.txt"]
    settings.add_recent(["a", "b"])
    settings.add_recent(["b"])
    settings.sync()
    again = Settings()
    assert again.zoom == 300 and again.theme == "system"
    assert again.sources == ["/报纸/第一版.txt"]
    assert again.recent_files == ["b", "a"]


def test_chinese_translation_is_complete():
    root = ET.parse(TS).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 50
    for message in messages:
        translation = message.find("translation")
        assert translation.get("type") is None, message.findtext("source")
        assert translation.text and translation.text != message.findtext("source")


@pytest.mark.skipif(not shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)),
                    reason="pyside6-lrelease not installed")
def test_translation_compiles_to_a_loadable_qm(qapp, tmp_path):
    qm = tmp_path / "baozhi_zh_CN.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), str(TS), "-qm", str(qm)], check=True, capture_output=True, timeout=60)
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("MainWindow", "&File") == "文件(&F)"


@pytest.mark.skipif(not (Path(sys.executable).parent / "pyside6-lupdate").exists(), reason="pyside6-lupdate not installed")
def test_every_interface_string_is_in_the_translation_source(tmp_path):
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-locations", "none"], check=True,
                   capture_output=True, timeout=120)

    def messages(path: Path) -> set[tuple[str, str]]:
        root = ET.parse(path).getroot()
        return {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}

    assert messages(fresh) <= messages(TS)


def test_the_window_modules_leave_whoosh_and_the_recogniser_off_the_start_up_path():
    """Opening the window imports neither the search index (Whoosh, ~50 ms) nor the entity model:
    both are loaded when first used, in the background."""
    code = ("import sys, app.ui.main_window, app.ui.application; "
            "print(sorted(m for m in ('whoosh', 'app.search', 'pycrfsuite', 'app.entities.recogniser') if m in sys.modules))")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_folder_on_the_command_line_opens_its_pages(tmp_path):
    """``baozhi pages/`` opened nothing but "this is a folder" (found trying it under Xvfb)."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("文件夹里的第一篇测试标题\n\n本报讯 第一篇的正文。\n", encoding="utf-8")
    (pages / "b.txt").write_text("文件夹里的第二篇测试标题\n\n本报讯 第二篇的正文。\n", encoding="utf-8")
    out = tmp_path / "shot.png"
    result = _baozhi("--screenshot", str(out), str(pages), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "this is a folder" not in result.stderr and "Cannot open" not in result.stderr
    assert QImage(str(out)).width() == 1280


def test_translations_read_from_the_ts_sources_when_no_qm_was_built(qapp, monkeypatch):
    """From a checkout where `make translations` never ran, both .ts files are served by Python
    translators. A message one of them lacks must fall through to the next translator and to the
    source text: returning "" (a non-null QString) for it blanked every string of ours, and an
    empty label crashed the timeline's layout (max() of no words) inside a Qt event."""
    from PySide6.QtCore import QCoreApplication

    from app.ui.settings import i18n

    real = i18n.resource
    monkeypatch.setattr(i18n, "resource", lambda name: real(name[:-3] + ".none") if name.endswith(".qm") else real(name))
    translations = i18n.Translations(qapp)
    try:
        assert translations.apply("zh_CN") == "zh_CN"
        assert all(isinstance(t, i18n.TsTranslator) for t in (translations._installed[0], translations._installed[-1]))
        assert QCoreApplication.translate("TimelineView", "{count} undated") == "未注明日期 {count}"
        assert QCoreApplication.translate("QFileDialog", "Files of type:") == "文件类型："
        assert QCoreApplication.translate("NoSuchContext", "Left as it is") == "Left as it is"
    finally:
        translations.apply("en")
