"""GUI benchmark: how long the window's GUI thread is blocked, and how fast typing shows results.

    python -m tests.benchmarks.bench_window                  # 10,000 articles
    python -m tests.benchmarks.bench_window --articles 1000
    python -m tests.benchmarks.bench_window --articles 100000  # the big tier (slow: see RELIABILITY.md)

A seeded library (``corpus.py``) is written into a temporary folder and opened in the main window
offscreen, with the settings, data and index folders in that temporary folder too. Measured:

- **GUI gaps**: a ``QTimer`` ticks every 10 ms on the GUI thread while the library loads and the
  index builds in the background; the gap between ticks beyond the 10 ms is how long the GUI
  thread was busy (p50/p99/max, target: max under 50 ms).
- **Keystroke to results**: queries typed one character at a time (key events, as ``QTest.keyClicks`` would send), each
  timed from the keystroke to the list showing that text's results (the 150 ms debounce
  included), while the index is building (scan fallback) and after it is ready.
- **Peak memory**: VmHWM of this process, and of the indexer child polled while it runs (it
  reads its articles from the article store and, from 2,000 articles, holds the scan's folded
  texts). Until this round the child's figure was ``ru_maxrss`` of children, which includes
  this process's size when the child was forked: an overstatement by up to the window's size.
- **Restart** (``--no-restart`` skips it): the program started afresh, as a user does, with
  the library it remembers — wall clock from outside until the list shows it (the median of
  three), beside the same start with the one-page sample, and once until the index and the
  entities are in, with both processes' peak memory.

Prints a table and writes JSON to tests/benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.bench_search import pct

RESULTS = Path(__file__).resolve().parent / "results"
QUERIES = ["江", "江海", "江海区", "扬", "扬尘", "食品安全", "邓群标"]
TICK_MS = 10
GAP_TARGET_MS = 50
RESULT_TIMEOUT_S = 30


def write_library(folder: Path, n_articles: int, seed: int = 2026) -> tuple[int, int]:
    """Seeded pages as .txt files in ``folder``; returns (pages, articles generated)."""
    from tests.benchmarks.corpus import ArchiveGenerator

    gen = ArchiveGenerator(seed)
    folder.mkdir(parents=True, exist_ok=True)
    count = pages = 0
    while count < n_articles:
        page = gen.page(pages)
        (folder / page.name).write_text(page.text, encoding="utf-8")
        count += len(page.articles)
        pages += 1
    return pages, count


def run_queue_seconds() -> float:
    """Seconds the calling thread has waited for a core (Linux schedstat; 0 elsewhere): on a
    loaded machine part of a gap is the operating system running other programs, not the window."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as fh:
            return int(fh.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class StallWatch:
    """A watchdog thread: whenever the GUI thread has not ticked for 50 ms, it samples the GUI
    thread's Python stack, so a long gap names the code it was spent in (cProfile cannot: a gap
    is often time spent waiting for the GIL inside a call from C++ into Python)."""

    def __init__(self, meter: "GapMeter"):
        import collections
        import threading

        self.meter = meter
        self.main = threading.main_thread().ident
        self.samples: collections.Counter = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        import traceback

        while not self._stop.wait(0.005):
            last = self.meter._last
            if last is None or (time.perf_counter() - last) * 1000 < GAP_TARGET_MS:
                continue
            frame = sys._current_frames().get(self.main)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)[-8:]
            where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack)
                               if "bench_window" not in f.filename)
            self.samples[where or "(the benchmark's own loop: Qt's C++ code)"] += 1

    def stop(self) -> list[tuple[str, int]]:
        self._stop.set()
        self._thread.join()
        return self.samples.most_common(12)


class GapMeter:
    """Records the time between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.worst_at = 0.0
        self._last = None
        self._start = None
        self.origin = time.perf_counter()
        # each gap over the target: (seconds since the run began, gap ms, GUI thread's CPU ms in
        # it, ms it waited for a core); the rest of a gap is waiting, mostly for the interpreter
        self.big: list[tuple[float, float, float, float]] = []
        self.events: list[tuple[float, str]] = []  # (seconds since the run began, what the window did)

    def start(self) -> None:
        self._last = self._start = time.perf_counter()
        self._cpu, self._queued = time.thread_time(), run_queue_seconds()
        self.gaps = []
        self._worst = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        if gap > self._worst:  # (not max(self.gaps): a scan per tick is GUI time the bench would add)
            self._worst, self.worst_at = gap, now - self._start
        cpu, queued = time.thread_time(), run_queue_seconds()
        if gap > GAP_TARGET_MS:
            self.big.append((round(self._last - self.origin, 3), round(gap, 1),
                             round((cpu - self._cpu) * 1000, 1), round((queued - self._queued) * 1000, 1)))
        self.gaps.append(gap)
        self._last, self._cpu, self._queued = now, cpu, queued

    def watch_gc(self) -> None:
        """Name full collections of the cyclic garbage collector over 10 ms as events: whichever
        thread runs one holds the interpreter, so the GUI thread waits for it."""
        import gc

        started: dict[str, float] = {}

        def callback(phase: str, info: dict) -> None:
            if info.get("generation") != 2:
                return
            if phase == "start":
                started["at"] = time.perf_counter()
            elif "at" in started:
                ms = (time.perf_counter() - started.pop("at")) * 1000
                if ms > 10:
                    self.event(f"full gc {ms:.0f} ms")

        gc.callbacks.append(callback)

    def event(self, what: str) -> None:
        self.events.append((round(time.perf_counter() - self.origin, 3), what))

    def big_gaps(self) -> list[dict]:
        """Each gap over the target with the last thing the window did before it began."""
        out = []
        for at, ms, cpu, queued in self.big:
            before = [what for t, what in self.events if t <= at]
            during = [what for t, what in self.events if at < t <= at + ms / 1000]
            out.append({"at_s": at, "ms": ms, "gui_cpu_ms": cpu, "run_queue_ms": queued,
                        "after": before[-1] if before else "", "during": during})
        return out

    def stop(self) -> dict:
        # The time since the last tick is a gap too: a phase ends when the window has done
        # something (loading_finished is emitted at the end of the slot that shows the library),
        # and without this the slot's own time fell between two phases, measured by neither.
        self._tick()
        self.timer.stop()
        g = self.gaps
        return {"ticks": len(g), "gap_p50_ms": round(pct(g, 0.5), 1), "gap_p99_ms": round(pct(g, 0.99), 1),
                "gap_max_ms": round(max(g, default=0.0), 1), "worst_at_s": round(self.worst_at, 2),
                "gaps_over_50_ms": sum(1 for x in g if x > GAP_TARGET_MS)}


def wait_until(app, done, timeout_s: float) -> bool:
    from PySide6.QtCore import QEventLoop

    end = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > end:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)
    return True


def type_key(widget, ch: str) -> None:
    """One keystroke typing ``ch``. ``QTest.keyClicks`` asserts on characters outside ASCII (Qt's
    qasciikey.cpp), so the press and release are sent as the events a keyboard (or an input
    method's commit) would deliver."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    key = ord(ch.upper()) if ch.isascii() else Qt.Key.Key_unknown
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def type_queries(app, window, queries: list[str]) -> list[dict]:
    """Type each query one character at a time; time each keystroke until its results are listed."""
    box = window.panel.search
    shown: list = []
    window.library_search.results_ready.connect(shown.append)  # after the window's own slot
    out = []
    for query in queries:
        box.clear()
        app.processEvents()
        for i, ch in enumerate(query):
            text = query[:i + 1]
            shown.clear()
            start = time.perf_counter()
            type_key(box, ch)
            ok = wait_until(app, lambda: any(o.query == text for o in shown), RESULT_TIMEOUT_S)
            ms = (time.perf_counter() - start) * 1000
            outcome = next((o for o in shown if o.query == text), None)
            out.append({"query": text, "ms": round(ms, 1), "ok": ok,
                        "via_index": bool(outcome and outcome.via_index),
                        "total": outcome.result.total if outcome else None,
                        "listed": window.panel.proxy.rowCount()})
    window.library_search.results_ready.disconnect(shown.append)
    box.clear()
    app.processEvents()
    return out


def summary(samples: list[dict]) -> dict:
    ms = [s["ms"] for s in samples if s["ok"]]
    return {"keystrokes": len(samples), "answered": len(ms), "p50_ms": round(pct(ms, 0.5), 1),
            "p95_ms": round(pct(ms, 0.95), 1), "max_ms": round(max(ms, default=0.0), 1),
            "via_index": sum(s["via_index"] for s in samples)}


def open_window(workdir: Path):
    """``(app, window)``: the main window shown offscreen, in English, its settings, data and
    index folders all inside ``workdir`` (nothing of the user's is read or written)."""
    os.environ["BAOZHI_CONFIG_DIR"] = str(workdir / "config")
    os.environ["BAOZHI_DATA_DIR"] = str(workdir / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(workdir / "qsettings"))
    from app.ui.application import create_application, create_window
    from app.ui.settings.i18n import Translations
    from app.ui.settings.store import Settings

    app = create_application()
    translations = Translations(app)
    translations.apply("en")
    # (the index where the program started afresh on these folders finds it: the restart rows)
    window = create_window(Settings(), translations, index_dir=workdir / "data" / "index")
    window.set_remember(False)
    window.show()
    app.processEvents()
    return app, window


def run(n_articles: int, workdir: Path, profile: Path | None = None, watch_stalls: bool = False) -> dict:
    t0 = time.perf_counter()
    pages, generated = write_library(workdir / "pages", n_articles)
    generate_s = time.perf_counter() - t0
    app, window = open_window(workdir)

    finished: list = []
    window.library_search.index_finished.connect(finished.append)
    probed: list = []  # the index's speed measured for the box (app.ui.search.probe)
    window.library_search.probed.connect(probed.append)
    loaded: list = []
    window.loading_finished.connect(lambda: loaded.append(time.perf_counter()))

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    meter = GapMeter()
    search = window.library_search
    search.entities_ready.connect(lambda ids: meter.event(f"entities_ready {len(ids)}"))
    search.index_progress.connect(lambda done, total: meter.event(f"index_progress {done}/{total}"))
    search.index_finished.connect(lambda _stats: meter.event("index_finished"))
    search.results_ready.connect(lambda o: meter.event(f"results_ready {o.query}"))
    window.loading_finished.connect(lambda: meter.event("loading_finished"))
    meter.watch_gc()
    meter.start()
    watch = StallWatch(meter) if watch_stalls else None
    if watch is not None:
        watch.start()
    children = DescendantPeaks(os.getpid()).__enter__()  # the indexer child's own peak memory
    start = time.perf_counter()
    children.phase = "load"
    window.open_paths([str(workdir / "pages")], expand_folders=True)
    wait_until(app, lambda: loaded, 3600)
    load_s = loaded[0] - start
    load_gaps = dict(meter.stop(), phase="load")
    meter.start()
    children.phase = "typing while indexing"
    during = type_queries(app, window, QUERIES) if not finished else []
    children.phase = "indexing"
    during_gaps = meter.stop()
    meter.start()
    wait_until(app, lambda: finished, 7200)
    index_s = time.perf_counter() - start
    index_gaps = meter.stop()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    stalls = watch.stop() if watch is not None else []
    children.phase = "typing after indexing"
    # as a reader who comes back to a ready index: after its speed was probed (2 s after ready)
    wait_until(app, lambda: probed, 30)
    after = type_queries(app, window, QUERIES)
    rows = window.panel.model.rowCount()
    stats = finished[0]
    children.phase = "closing"
    window.close()
    window.library_search.writer_pool.waitForDone(60000)
    window.library_search.search_pool.waitForDone(60000)
    peak_mb = _status_kb(os.getpid(), "VmHWM") / 1024 or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children.__exit__()
    # (ru_maxrss of children would be this process's size when the child was forked, at least)
    child_peak_mb = children.largest_mb
    all_gaps = [load_gaps, during_gaps, index_gaps]
    return {
        "articles_requested": n_articles, "articles": rows, "pages": pages, "generate_s": round(generate_s, 1),
        "load_s": round(load_s, 2), "load_and_index_s": round(index_s, 1),
        "indexed": getattr(stats, "indexed", None), "index_cancelled": stats.cancelled,
        "gaps": {"load": load_gaps, "typing_while_indexing": during_gaps, "indexing": index_gaps},
        "gap_max_ms": max(g["gap_max_ms"] for g in all_gaps),
        "gap_p99_ms": max(g["gap_p99_ms"] for g in all_gaps),
        "gap_p50_ms": max(g["gap_p50_ms"] for g in all_gaps),
        "keys_during_indexing": summary(during), "keys_after_indexing": summary(after),
        "samples_during": during, "samples_after": after,
        "peak_rss_mb": round(peak_mb, 1),
        "child_peak_rss_mb": round(child_peak_mb, 1),
        "peak_rss_sampled": {"mb": round(children.root_peak[0] / 1024, 1), "phase": children.root_peak[1],
                             "child_phase": children.largest_phase},
        "rss_trace": children.root_trace,
        "stalls": [{"where": w, "samples_5ms": n} for w, n in stalls],
        "big_gaps": meter.big_gaps(),
    }


def print_table(r: dict) -> None:
    print(f"\nbench_window: {r['articles']:,} articles on {r['pages']:,} pages "
          f"(generated in {r['generate_s']} s; loaded in {r['load_s']} s; loaded+indexed in "
          f"{r['load_and_index_s']} s)")
    print(f"{'phase':<24}{'ticks':>8}{'gap p50':>10}{'gap p99':>10}{'gap max':>10}{'>50 ms':>8}{'worst at':>10}")
    for name, g in r["gaps"].items():
        print(f"{name:<24}{g['ticks']:>8}{g['gap_p50_ms']:>10}{g['gap_p99_ms']:>10}{g['gap_max_ms']:>10}"
              f"{g['gaps_over_50_ms']:>8}{g['worst_at_s']:>9}s")
    print(f"{'keystroke -> results':<24}{'keys':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'index':>8}")
    for name in ("keys_during_indexing", "keys_after_indexing"):
        k = r[name]
        print(f"{name[5:]:<24}{k['keystrokes']:>8}{k['p50_ms']:>10}{k['p95_ms']:>10}{k['max_ms']:>10}"
              f"{k['via_index']:>8}")
    print(f"peak RSS: {r['peak_rss_mb']} MB (indexer child: {r.get('child_peak_rss_mb', '?')} MB); GUI gap max {r['gap_max_ms']} ms "
          f"({'within' if r['gap_max_ms'] <= GAP_TARGET_MS else 'OVER'} the {GAP_TARGET_MS} ms target)")
    sampled = r.get("peak_rss_sampled")
    if sampled:
        print(f"  polled every 0.25 s: the window's peak ({sampled['mb']} MB) was last raised while "
              f"{sampled['phase'] or '?'}; the child's while {sampled['child_phase'] or '?'}")
    for stall in r["stalls"]:
        print(f"  stalled {stall['samples_5ms'] * 5:>5} ms in {stall['where']}")
    worst = sorted(r["big_gaps"], key=lambda g: -g["ms"])[:8]
    for gap in sorted(worst, key=lambda g: g["at_s"]):
        print(f"  gap {gap['ms']:>7} ms at {gap['at_s']:>8.2f} s (GUI thread ran {gap['gui_cpu_ms']} ms, "
              f"waited {gap['run_queue_ms']} ms for a core), after {gap['after']}"
              + (f"; during it: {', '.join(gap['during'])}" if gap["during"] else ""))


RESTART_RUNS = 3


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class DescendantPeaks:
    """Polls the peak memory (VmHWM: each program's own, from its start) of every process under
    ``root`` while it runs: the indexer child's. ``ru_maxrss`` of children cannot tell it: a child
    inherits its parent's figure at fork, so it read the window's size, not its own."""

    def __init__(self, root: int, every_s: float = 0.25):
        import threading

        self.root, self.every_s, self.peaks = root, every_s, {}
        # where each peak was reached: the caller names the phase as it goes (``phase``); the
        # root's own resident size is polled too, so that its peak can be placed in one
        self.phase = ""
        self.peak_phase: dict[int, str] = {}
        self.root_peak = (0, "")  # (VmHWM kB, phase): the phase in which the root's peak grew last
        self.root_trace: list[tuple[float, int, int, str]] = []  # (s, VmRSS kB, VmHWM kB, phase), every ~2 s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _descendants(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    pass
        found, frontier = [], [self.root]
        while frontier:
            pid = frontier.pop()
            kids = [c for c, p in parents.items() if p == pid]
            found += kids
            frontier += kids
        return found

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            phase = self.phase
            hwm = _status_kb(self.root, "VmHWM")
            if hwm > self.root_peak[0]:
                self.root_peak = (hwm, phase)
            now = time.perf_counter() - self._t0
            if not self.root_trace or now - self.root_trace[-1][0] >= 2.0:
                self.root_trace.append((round(now, 1), _status_kb(self.root, "VmRSS"), hwm, phase))
            for pid in self._descendants():
                hwm = _status_kb(pid, "VmHWM")
                if hwm > self.peaks.get(pid, 0):
                    self.peaks[pid], self.peak_phase[pid] = hwm, phase

    def __enter__(self):
        self._t0 = time.perf_counter()
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()

    @property
    def largest_mb(self) -> float:
        return round(max(self.peaks.values(), default=0) / 1024, 1)

    @property
    def largest_phase(self) -> str:
        """The phase in which the largest descendant reached its peak."""
        return self.peak_phase.get(max(self.peaks, key=self.peaks.get), "") if self.peaks else ""


def start_once(workdir: Path, moment: str, config: str = "config", data: str = "data") -> dict:
    """Start the program (``python -m app``, a fresh process, offscreen) with the settings and data
    folders in ``workdir`` and time it from outside, wall clock, until it says the list shows the
    library (``moment="listed"``) or the index and entities are in (``"indexed"``)."""
    env = dict(os.environ, BAOZHI_CONFIG_DIR=str(workdir / config), BAOZHI_DATA_DIR=str(workdir / data),
               QT_QPA_PLATFORM="offscreen", BAOZHI_QUIT_WHEN=moment)
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "app"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=str(Path(__file__).resolve().parents[2]))
    with DescendantPeaks(proc.pid) as children:
        _out, err = proc.communicate(timeout=3600)
    ended = time.time()
    said = [line.split() for line in err.splitlines() if line.startswith("baozhi-bench:")]
    if not said:
        raise RuntimeError(f"the program said nothing (exit {proc.returncode}): {err[-2000:]}")
    words = said[0]  # baozhi-bench: listed N articles at T peak_rss_mb M
    return {"s": round(float(words[5]) - start, 3), "process_s": round(ended - start, 2), "articles": int(words[2]),
            "peak_rss_mb": float(words[7]), "child_peak_rss_mb": children.largest_mb}


def restart(workdir: Path, files: list[str], runs: int = RESTART_RUNS) -> dict:
    """The window started again with the library it remembers (its files unchanged, split, indexed
    and annotated by the run before): until the list shows (``runs`` times, the median), and once
    until the index and entities are in; beside the same start with the one-page sample."""
    from app.ui.settings.store import Settings

    settings = Settings()
    settings.sources = files
    settings.sync()
    listed = [start_once(workdir, "listed") for _ in range(runs)]
    searched = start_once(workdir, "searched")
    indexed = start_once(workdir, "indexed")
    sample = [start_once(workdir, "listed", "sample-config", "sample-data") for _ in range(runs + 1)][1:]
    med = statistics.median(r["s"] for r in listed)
    ref = statistics.median(r["s"] for r in sample)
    return {"listed_s": [r["s"] for r in listed], "listed_median_s": med, "articles": listed[0]["articles"],
            "listed_peak_rss_mb": max(r["peak_rss_mb"] for r in listed),
            "searched_s": searched["s"],
            "indexed_s": indexed["s"], "indexed_peak_rss_mb": indexed["peak_rss_mb"],
            "indexed_child_peak_rss_mb": indexed["child_peak_rss_mb"],
            "sample_listed_s": [r["s"] for r in sample], "sample_median_s": ref, "ratio": round(med / ref, 2)}


def print_restart(r: dict) -> None:
    print(f"restart with the remembered library ({r['articles']:,} articles), wall clock from outside, "
          f"median of {len(r['listed_s'])}: list shown in {r['listed_median_s']:.2f} s "
          f"(runs {', '.join(f'{x:.2f}' for x in r['listed_s'])}); the same start with the one-page sample: "
          f"{r['sample_median_s']:.2f} s; ratio {r['ratio']}×")
    print(f"  a search typed as the list shows: results listed {r['searched_s']:.2f} s after the start")
    print(f"  peak RSS when listed {r['listed_peak_rss_mb']:.0f} MB; index and entities in after "
          f"{r['indexed_s']:.1f} s, peak RSS then {r['indexed_peak_rss_mb']:.0f} MB (indexer child: "
          f"{r['indexed_child_peak_rss_mb']:.0f} MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the GUI thread here")
    parser.add_argument("--stalls", action="store_true",
                        help="sample the GUI thread's stack whenever it has not ticked for 50 ms")
    parser.add_argument("--no-restart", action="store_true",
                        help="skip starting the program again with the library (the restart rows)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench_window-"))
    try:
        result = run(args.articles, workdir, args.profile, args.stalls)
        if not args.no_restart:
            from tests.benchmarks.bench_cli import compile_program

            print(compile_program())  # the restarts are timed as an installed program starts
            files = sorted(str(p) for p in (workdir / "pages").glob("*.txt"))
            result["restart"] = restart(workdir, files)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    result = stamped(result)
    print_table(result)
    if "restart" in result:
        print_restart(result["restart"])
    save("bench_window", args.articles, result)
    return 0


def stamped(result: dict) -> dict:
    """``result`` with when and on what it was measured."""
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "python": sys.version.split()[0],
            "cpus": os.cpu_count(), **result}


def save(name: str, articles: int, result: dict) -> None:
    """Write ``result`` as JSON into tests/benchmarks/results/ and say where."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}-{articles}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    sys.exit(main())
