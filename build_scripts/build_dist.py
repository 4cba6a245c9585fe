"""`make dist`: build Baozhi Reader with PyInstaller for the current operating system.

    python build_scripts/build_dist.py [--onedir] [--onefile] [--dist DIR] [--smoke]

Builds the one-folder program (dist/baozhi/) and the one-file program (dist/baozhi-onefile) from
build_scripts/baozhi.spec, prints their sizes and build times, and with --smoke runs the
one-folder build's `--self-test` offscreen. Exits non-zero if a build or the smoke test fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_scripts" / "baozhi.spec"


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(onefile: bool, dist: Path, work: Path) -> tuple[Path, float]:
    env = dict(os.environ, BAOZHI_ONEFILE="1" if onefile else "0")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work / ("onefile" if onefile else "onedir")), str(SPEC)],
        check=True, env=env, cwd=ROOT,
    )
    exe = dist / ("baozhi-onefile" if onefile else "baozhi/baozhi")
    if sys.platform == "win32":
        exe = exe.with_suffix(".exe")
    return exe, time.perf_counter() - started


def smoke(exe: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    result = subprocess.run([str(exe), "--self-test"], env=env, capture_output=True, text=True, timeout=600)
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr, end="", file=sys.stderr)
        raise SystemExit(f"dist: the self-test of {exe} failed")
    print(f"dist: self-test passed in {time.perf_counter() - started:.1f} s")


def measure(exe: Path, runs: int = 5) -> str:
    """Median wall time from launch to the first window shown, and to --self-test completion.

    The window quits as soon as it is shown (BAOZHI_QUIT_WHEN_SHOWN); under Xvfb when it is
    installed (a real X11 window), else offscreen. Settings and data go to a temporary folder.
    """
    import statistics
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BAOZHI_DATA_DIR=str(Path(tmp) / "data"), BAOZHI_CONFIG_DIR=str(Path(tmp) / "config"))
        xvfb = shutil.which("xvfb-run")
        window_cmd = [str(exe)]
        if xvfb:
            window_cmd = [xvfb, "-a", "-s", "-screen 0 1280x800x24", *window_cmd]
            env.pop("QT_QPA_PLATFORM", None)
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"

        def timed(cmd: list[str], extra: dict) -> float:
            started = time.perf_counter()
            subprocess.run(cmd, env=dict(env, **extra), check=True, capture_output=True, timeout=300)
            return time.perf_counter() - started

        # xvfb-run itself takes time to start a server: measure it alone and subtract it
        base = statistics.median(timed([xvfb, "-a", "-s", "-screen 0 1280x800x24", "true"], {}) for _ in range(runs)) if xvfb else 0.0
        window = statistics.median(timed(window_cmd, {"BAOZHI_QUIT_WHEN_SHOWN": "1"}) for _ in range(runs)) - base
        selftest = statistics.median(timed([str(exe), "--self-test"], {"QT_QPA_PLATFORM": "offscreen"}) for _ in range(runs))
    where = "Xvfb" if xvfb else "offscreen"
    return f"first window {window:.2f} s ({where}), --self-test {selftest:.2f} s (medians of {runs})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--onedir", action="store_true", help="build the one-folder program")
    parser.add_argument("--onefile", action="store_true", help="build the one-file program")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--smoke", action="store_true", help="run the one-folder build's --self-test")
    parser.add_argument("--measure", action="store_true", help="time start-up and --self-test of each build")
    args = parser.parse_args(argv)
    if not (args.onedir or args.onefile):
        args.onedir = args.onefile = True
    subprocess.run([sys.executable, str(ROOT / "build_scripts" / "build_translations.py")], check=True)
    work = ROOT / "build" / "pyinstaller"
    if args.onedir:
        shutil.rmtree(args.dist / "baozhi", ignore_errors=True)
        exe, seconds = build(False, args.dist, work)
        print(f"dist: one-folder {args.dist / 'baozhi'}: {folder_size(args.dist / 'baozhi') / 1e6:.1f} MB, "
              f"built in {seconds:.0f} s")
        if sys.platform.startswith("linux"):
            # a desktop entry and its icon beside the program, for ~/.local/share/applications
            shutil.copy(ROOT / "build_scripts" / "linux" / "baozhi-reader.desktop", args.dist / "baozhi")
            shutil.copy(ROOT / "resources" / "icons" / "baozhi.png", args.dist / "baozhi" / "baozhi-reader.png")
        if args.smoke:
            smoke(exe)
        if args.measure:
            print(f"dist: one-folder {measure(exe)}")
    if args.onefile:
        exe, seconds = build(True, args.dist, work)
        print(f"dist: one-file {exe}: {folder_size(exe) / 1e6:.1f} MB, built in {seconds:.0f} s")
        if args.measure:
            print(f"dist: one-file {measure(exe)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
