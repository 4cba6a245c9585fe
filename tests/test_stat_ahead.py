"""Many files' stats taken ahead in a forked child (app.stat_ahead): the same figures as taken in
line, nothing left behind, and in-line taking where a fork is not wanted."""

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import app.stat_ahead as stat_ahead
from app.stat_ahead import StatsAhead, packed_stats

can_fork = pytest.mark.skipif(not stat_ahead._fork_supported(), reason="no fork here (one core, macOS or Windows)")


@pytest.fixture(autouse=True)
def threads_allowed(monkeypatch):
    """This test process may hold Qt's worker threads (from other tests), which the command line
    never has: the mechanics are tested with the thread rule lifted (it has its own test)."""
    monkeypatch.setattr(stat_ahead, "_can_fork", stat_ahead._fork_supported)


def files(folder, n: int) -> list[str]:
    folder.mkdir()
    out = []
    for i in range(n):
        path = folder / f"p{i:03}.txt"
        path.write_text("字" * i, encoding="utf-8")
        out.append(str(path))
    return out


def gone(pid: int) -> bool:
    """The child has exited and been reaped (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@can_fork
def test_the_stats_a_child_takes_are_those_taken_in_line_and_it_is_reaped(tmp_path, monkeypatch):
    paths = files(tmp_path / "pages", 40)
    monkeypatch.setattr(stat_ahead, "FORK_MIN", 10)
    in_line = []
    real = stat_ahead.packed_stats
    monkeypatch.setattr(stat_ahead, "packed_stats", lambda p: in_line.append(os.getpid()) or real(p))
    ahead = StatsAhead(paths)
    assert ahead.forked
    pid = ahead._pid
    stats = ahead.result()
    assert stats == real(paths) and len(stats) == 32 * 40
    assert in_line == []  # (taken in the child: this process called nothing)
    assert gone(pid)
    assert ahead.result() == stats  # asked again: the same, no child to read
    ahead.close()


@can_fork
@pytest.mark.parametrize("fork_min", [1, 10**9], ids=["forked", "in line"])
def test_a_missing_file_gives_no_stats(tmp_path, monkeypatch, fork_min):
    paths = files(tmp_path / "pages", 3) + [str(tmp_path / "missing.txt")]
    monkeypatch.setattr(stat_ahead, "FORK_MIN", fork_min)
    with StatsAhead(paths) as ahead:
        assert ahead.forked == (fork_min == 1)
        assert ahead.result() is None


def test_below_the_threshold_the_stats_are_taken_when_asked(tmp_path, monkeypatch):
    paths = files(tmp_path / "pages", 3)
    with StatsAhead(paths) as ahead:
        assert not ahead.forked
        Path(paths[0]).write_text("改了", encoding="utf-8")  # changed after the start: seen
        assert ahead.result() == packed_stats(paths)


@can_fork
def test_a_child_whose_stats_are_not_wanted_is_stopped_and_reaped(tmp_path, monkeypatch):
    paths = files(tmp_path / "pages", 5)
    monkeypatch.setattr(stat_ahead, "FORK_MIN", 1)
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda p: time.sleep(30) or real(p))  # (a child that would stat for minutes)
    started = time.monotonic()
    ahead = StatsAhead(paths)
    pid = ahead._pid
    ahead.close()
    assert gone(pid) and time.monotonic() - started < 10
    assert ahead.result() is None


def test_a_figure_beyond_64_bits_gives_no_stats(tmp_path, monkeypatch):
    paths = files(tmp_path / "pages", 2)
    monkeypatch.setattr(os, "stat", lambda p: SimpleNamespace(st_size=1, st_mtime_ns=2, st_ino=2**64 - 1, st_ctime_ns=3))
    assert packed_stats(paths) is None


def test_no_child_is_forked_while_another_thread_runs(tmp_path, monkeypatch):
    import threading

    monkeypatch.undo()  # (the real rule)
    paths = files(tmp_path / "pages", 3)
    monkeypatch.setattr(stat_ahead, "FORK_MIN", 1)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not stat_ahead._can_fork()
        with StatsAhead(paths) as ahead:
            assert not ahead.forked and ahead.result() == packed_stats(paths)
    finally:
        release.set()
        other.join()
