"""Many files' stats, taken in a second process while this one goes on.

A command given the same 10,000 files as a run before trusts the article store's list cache
(:meth:`app.store.ArticleStore.known_list`) only after comparing every file's stat with the one
remembered: 10,000 ``os.stat`` calls, ~17 ms of a ~170 ms command, on one core while the other
is idle. Threads cannot share that out (each call gives up the interpreter's lock and waits to
take it back: 85 ms in a thread against 17 ms in line), so, the way ``git`` stats its index from
several threads, :class:`StatsAhead` forks a child that takes the stats while the command opens
its index and searches, and hands them back packed (:func:`packed_stats`) through a pipe.

The child only stats, writes and leaves (``os._exit``: no clean-up of the parent's, no buffered
output written twice). It is forked only where that is safe and pays: a POSIX system other than
macOS (where forking without exec is unsafe once system frameworks are loaded), more than one
core, no other Python thread running, and at least :data:`FORK_MIN` paths. Otherwise the stats
are taken when asked for, as before.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from array import array
from itertools import chain
from operator import attrgetter

# What the stat cache compares: ``stat_tuple(st)`` -> (size, modification time, inode, change
# time), all in ns. A C-level getter: the list cache makes 10,000 of them per command, and a
# Python function call each was ~1 ms of it.
stat_tuple = attrgetter("st_size", "st_mtime_ns", "st_ino", "st_ctime_ns")

FORK_MIN = 2000  # below this many paths the fork and its copied pages (~4 ms) cost more than it saves


def pack_stats(stat_results) -> bytes | None:
    """Each stat's :data:`stat_tuple`, in order, as signed 64-bit integers (what the list cache
    keeps and compares); None when a figure does not fit (then no list can vouch for the files)."""
    try:
        return array("q", chain.from_iterable(map(stat_tuple, stat_results))).tobytes()
    except OverflowError:
        return None


def packed_stats(paths) -> bytes | None:
    """:func:`pack_stats` of every path's stat; None when a path cannot be stat'ed either."""
    try:
        return pack_stats(map(os.stat, paths))
    except (OSError, ValueError):
        return None


def _fork_supported() -> bool:
    """A system where forking without exec is safe, with a second core to run the child."""
    return hasattr(os, "fork") and sys.platform != "darwin" and (os.cpu_count() or 1) > 1


def _can_fork() -> bool:
    """:func:`_fork_supported`, and no other thread that could hold a lock the child needs."""
    return _fork_supported() and threading.active_count() == 1


class StatsAhead:
    """``packed_stats(paths)``, started now (in a forked child when :func:`_can_fork`) and
    collected by :meth:`result`. Call :meth:`close` (or use ``with``) when done; a child whose
    stats are not wanted is stopped. ``forked`` says whether a child was started."""

    def __init__(self, paths: list):
        self._paths = paths
        self._pid = 0
        self._fd = -1
        self._done = False
        self._value: bytes | None = None
        if len(paths) >= FORK_MIN and _can_fork():
            self._fork()

    @property
    def forked(self) -> bool:
        return self._pid != 0

    def _fork(self) -> None:
        read_fd, write_fd = os.pipe()
        try:  # room for all of them (Linux): the child writes and leaves without waiting for us
            import fcntl

            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        except (ImportError, AttributeError, OSError):
            pass
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the child: stat, write, leave
            code = 1
            try:
                os.close(read_fd)
                data = packed_stats(self._paths)
                view = memoryview(b"\1" + data if data is not None else b"\0")
                while view:
                    view = view[os.write(write_fd, view):]
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> bytes | None:
        """The packed stats (None: a path could not be stat'ed, or the child failed)."""
        if self._done:
            return self._value
        self._done = True
        if not self._pid:
            self._value = packed_stats(self._paths)
            return self._value
        chunks = []
        try:
            while True:
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:
            chunks = []
        data = b"".join(chunks)
        status = self._reap()
        self._value = data[1:] if status == 0 and data[:1] == b"\1" else None
        return self._value

    def _reap(self) -> int:
        os.close(self._fd)
        self._fd = -1
        pid, self._pid = self._pid, 0
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        """Stop a child whose stats were not collected, and reap it."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()
        self._done = True

    def __enter__(self) -> "StatsAhead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
