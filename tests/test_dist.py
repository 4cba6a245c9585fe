"""The packaged program itself: build the one-folder program and run its --self-test.

Runs when ``CI`` is set (CI runs ``make test``) or ``BAOZHI_DIST_TEST=1``; locally
``make dist-test`` does the same. It takes about a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("BAOZHI_DIST_TEST")),
    reason="builds the packaged program: set CI or BAOZHI_DIST_TEST=1, or run make dist-test",
)


def test_one_folder_build_passes_its_self_test(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, str(ROOT / "build_scripts" / "build_dist.py"), "--onedir", "--smoke", "--dist", str(dist)],
        capture_output=True, text=True, timeout=1800, cwd=ROOT,
    )
    print(build.stdout[-4000:], build.stderr[-4000:])
    assert build.returncode == 0, build.stderr[-4000:]
    assert "self-test: all 6 steps passed" in build.stdout
    exe = dist / "baozhi" / ("baozhi.exe" if sys.platform == "win32" else "baozhi")
    # the frozen program never writes into its own folder
    before = sorted(p.relative_to(dist) for p in dist.rglob("*"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BAOZHI_DATA_DIR=str(tmp_path / "data"),
               BAOZHI_CONFIG_DIR=str(tmp_path / "config"))
    listed = subprocess.run([str(exe), "articles", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 0 and "区领导调研大气污染防治工作" in listed.stdout
    searched = subprocess.run([str(exe), "search", "扬尘", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert searched.returncode == 0 and '"total": 1' in searched.stdout
    assert sorted(p.relative_to(dist) for p in dist.rglob("*")) == before


def test_one_file_build_fits_in_60_mb_and_passes_its_self_test(tmp_path):
    # issue #18: the one-file program stays within 60 MB (60.5 MB before the spec left out the
    # standard library's and lxml's modules nothing of ours imports), and still works
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, str(ROOT / "build_scripts" / "build_dist.py"), "--onefile", "--dist", str(dist)],
        capture_output=True, text=True, timeout=1800, cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    exe = dist / ("baozhi-onefile.exe" if sys.platform == "win32" else "baozhi-onefile")
    size = exe.stat().st_size
    assert size <= 60_000_000, f"one-file program is {size / 1e6:.1f} MB"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BAOZHI_DATA_DIR=str(tmp_path / "data"),
               BAOZHI_CONFIG_DIR=str(tmp_path / "config"))
    run = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0 and "self-test: all 6 steps passed" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]
