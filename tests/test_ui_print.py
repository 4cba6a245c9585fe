"""Print preview in a real process: offscreen, and under a real X server (Xvfb).

Issue 15: Ctrl+P killed the program under X (a segfault in libQt6Core) because the preview's
``QPrinter`` was freed while the dialog still used it; the in-process offscreen test did not
notice. Each run here is a separate process that opens the preview, renders its pages and closes
it: a crash shows as a signal exit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

ROOT = Path(__file__).resolve().parent.parent


def _run_preview(tmp_path: Path, platform: str, wrapper: list[str]) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / f"preview-{platform}.png"
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    proc = subprocess.run([*wrapper, sys.executable, "-m", "tests.trials.print_preview", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return proc, out


def _check(proc: subprocess.CompletedProcess, out: Path) -> None:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr[-2000:]}"
    assert "pages=" in proc.stdout and int(proc.stdout.split("pages=")[1].split()[0]) >= 1
    assert "Segmentation fault" not in proc.stderr and "Traceback" not in proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert not image.isNull() and image.width() > 400 and image.height() > 400


def test_print_preview_opens_renders_and_closes_offscreen(tmp_path):
    _check(*_run_preview(tmp_path, "offscreen", []))


def test_print_preview_opens_renders_and_closes_under_x(tmp_path):
    if not shutil.which("xvfb-run"):
        if os.environ.get("CI"):
            pytest.fail("xvfb-run is missing: build_scripts/install_system_deps.sh installs it (package xvfb)")
        pytest.skip("xvfb-run is not installed (make test installs it)")
    for _ in range(3):  # the crash came three times out of three; one clean run could be luck
        _check(*_run_preview(tmp_path, "xcb", ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"]))
