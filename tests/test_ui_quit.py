"""Leaving the program while background work still runs is quiet and clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quitting_while_sources_still_load_reports_nothing(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BAOZHI_QUIT_WHEN_SHOWN="1",
               BAOZHI_DATA_DIR=str(tmp_path / "data"), BAOZHI_CONFIG_DIR=str(tmp_path / "config"))
    sample = (ROOT / "resources" / "sample_jianghai.txt").read_text(encoding="utf-8")
    pages = []
    for n in range(60):  # enough pages that loading is still running when the window quits
        page = tmp_path / f"page{n:02d}.txt"
        page.write_text(sample.replace("江海", f"江海{n}"), encoding="utf-8")
        pages.append(str(page))
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "app", *pages], env=env, capture_output=True, text=True,
                                timeout=120, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert "Unexpected error" not in result.stderr and "Traceback" not in result.stderr
        log = tmp_path / "data" / "logs" / "baozhi.log"
        assert not log.exists() or " ERROR " not in log.read_text(encoding="utf-8")  # nor logged


def test_the_restart_benchmark_hears_when_the_list_shows_a_remembered_library(tmp_path):
    # bench_window's restart rows start the program as a user does and wait for this line
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BAOZHI_QUIT_WHEN="listed",
               BAOZHI_DATA_DIR=str(tmp_path / "data"), BAOZHI_CONFIG_DIR=str(tmp_path / "config"))
    sample = (ROOT / "resources" / "sample_jianghai.txt").read_text(encoding="utf-8")
    pages = []
    for n in range(3):
        page = tmp_path / f"page{n}.txt"
        page.write_text(sample.replace("江海", f"江海{n}"), encoding="utf-8")
        pages.append(str(page))
    said = []
    for _ in range(2):  # the second start is a restart: the pages come from the article store
        result = subprocess.run([sys.executable, "-m", "app", *pages], env=env, capture_output=True, text=True,
                                timeout=120, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        said += [line.split() for line in result.stderr.splitlines() if line.startswith("baozhi-bench: listed ")]
    assert [words[2] for words in said] == ["21", "21"]  # 7 articles a page
    assert all(float(words[7]) > 0 for words in said)  # its peak memory
