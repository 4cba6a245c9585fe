"""The window's index updates, run in a child process so they never hold up the window.

In a thread, recognising entities and writing the Whoosh index competed with the GUI thread for
the interpreter, and some steps (sorting postings, pickling a segment) hold it for hundreds of
milliseconds at a time; in a process of their own they use the other core and cannot block it.

The parent starts :func:`command` and writes pickled frames to the child's stdin: a header
(``{"index_dir": ..., "entity_cache": ...}``), then each ``LoadedSource`` (its decoded text left
out: the index needs only the articles), then ``None``. The child answers on stdout with one JSON
object per line:

- ``{"entities": i, "spans": [[span, ...] per article]}``: the entities of the parent's source
  number ``i`` (read from the entity cache, else recognised and cached), for sources without them;
- ``{"progress": [done, total]}``: articles indexed, at most every :data:`PROGRESS_EVERY_S`;
- ``{"finished": UpdateStats fields}`` or ``{"failed": sentence, "details": traceback}``, last.

Killing the child at any moment is safe: the index and the entity cache are written atomically
(the hardening tests SIGKILL the indexer mid-build), so cancelling is ``terminate()``.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Iterator

WORKER_FLAG = "--index-worker"
PROGRESS_EVERY_S = 0.1
NICENESS = 10  # how far the child lowers its own priority (POSIX nice increment)


def command() -> list[str]:
    """The command line that starts a worker: this program itself, frozen or not."""
    if getattr(sys, "frozen", False):  # the packaged program: its own executable (reusing its unpacked files)
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "app", WORKER_FLAG]


def child_env() -> dict[str, str]:
    """The parent's environment, with this checkout's ``app`` package importable by the child."""
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def write_request(out: BinaryIO, index_dir: Path, entity_cache: Path | None, sources: list,
                  queries: bool = False) -> None:
    """The parent's side: the header, the sources one frame each (so a large library is never
    pickled in one long step), then the end mark. With ``queries`` the child answers queries
    sent after it (:class:`ScanServer`)."""
    pickle.dump({"index_dir": str(index_dir), "entity_cache": str(entity_cache) if entity_cache else None,
                 "queries": queries}, out, protocol=pickle.HIGHEST_PROTOCOL)
    for loaded in sources:
        light = replace(loaded, source=replace(loaded.source, text=""))
        pickle.dump(light, out, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


class Worker:
    """The parent's handle on one child: start it, send the request, read its reports, kill it.
    :meth:`kill` may be called from another thread at any time.

    :meth:`messages` yields the child's reports and ends with exactly one ``finished`` or
    ``failed`` message (a child that dies without saying why becomes a ``failed`` one). With
    ``queries``, :meth:`ask` (from any other thread) has the child scan its articles for a query
    while :meth:`messages` is being read."""

    def __init__(self, index_dir: Path, sources: list, entity_cache: Path | None = None, queries: bool = False):
        self.index_dir, self.sources, self.entity_cache = Path(index_dir), list(sources), entity_cache
        self.queries = queries
        self.process: subprocess.Popen | None = None
        self._state = threading.Condition()  # guards the fields below
        self._sent = False  # the request is written: queries may follow
        self._ended = False  # killed, or the child's output ended: nothing more will be answered
        self._answers: dict[int, dict] = {}
        self._asked = 0
        self._write_lock = threading.Lock()

    def start(self) -> None:
        self.process = subprocess.Popen(
            command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=child_env(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0))

    def send_request(self) -> None:
        """The sources, to the child (which reads them all before it starts)."""
        try:
            with self._write_lock:
                write_request(self.process.stdin, self.index_dir, self.entity_cache, self.sources, self.queries)
                if not self.queries:
                    self.process.stdin.close()
        except (OSError, ValueError):
            pass  # the child is gone: messages() reports its exit
        with self._state:
            self._sent = True
            self._state.notify_all()

    def messages(self) -> Iterator[dict]:
        """The child's reports, once the request is sent (sent here if it was not yet)."""
        process = self.process
        if not self._sent:
            self.send_request()
        last = None
        try:
            for line in process.stdout:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(message, dict):
                    continue
                if "answer" in message:
                    with self._state:
                        self._answers[message["answer"]] = message
                        self._state.notify_all()
                    continue
                if "finished" in message or "failed" in message:
                    last = message
                    continue
                yield message
        finally:
            self._end()
        code = process.wait()
        yield last or {"failed": f"the indexer stopped unexpectedly (exit code {code})"}

    def ask(self, query: str, timeout: float | None = None) -> dict | None:
        """The child's scan for ``query``: ``{"total", "took_ms", "hits"}`` (hits as lists:
        id, ordinal, source, title, score, snippet), best first. None when it cannot answer:
        queries were not asked for, the child ended or was killed (waiting for the request to
        be sent first), the answer failed, or ``timeout`` passed."""
        if not self.queries:
            return None
        with self._state:
            self._state.wait_for(lambda: self._sent or self._ended)
            if self._ended:
                return None
            self._asked += 1
            number = self._asked
        try:
            with self._write_lock:
                pickle.dump({"query": query, "id": number}, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self.process.stdin.flush()
        except (OSError, ValueError):  # the child is gone (ValueError: its pipe is closed)
            return None
        with self._state:
            self._state.wait_for(lambda: number in self._answers or self._ended, timeout)
            answer = self._answers.pop(number, None)
        return None if answer is None or "failed" in answer else answer

    @property
    def ended(self) -> bool:
        """Killed, or the child's output has ended."""
        return self._ended

    def _end(self) -> None:
        with self._state:
            self._ended = True
            self._state.notify_all()

    def kill(self) -> None:
        self._end()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    def close(self) -> None:
        """Kill the child if it still runs, reap it and close the pipes."""
        if self.process is None:
            return
        self.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:  # a child killed mid-request leaves unsendable bytes in the buffer
                pass


def serve(inp: BinaryIO, out: BinaryIO) -> int:
    """The child's side: read the request, fill entities, update the index, report as it goes
    (and, when the header asks for ``queries``, answer them meanwhile: :class:`ScanServer`)."""

    lock = threading.Lock()  # the query thread answers on the same pipe

    def send(**message) -> None:
        line = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
        with lock:
            out.write(line)
            out.flush()

    try:
        header = pickle.load(inp)
        sources = []
        while (loaded := pickle.load(inp)) is not None:
            sources.append(loaded)
        scans = None
        if header.get("queries"):
            scans = ScanServer([a for s in sources for a in s.articles], inp, send)
            scans.start()
        from app.search import SearchIndex

        index_dir = Path(header["index_dir"])
        index_dir.mkdir(parents=True, exist_ok=True)
        index = SearchIndex(index_dir)
        cache = header.get("entity_cache")
        if cache is not None:
            annotate(sources, Path(cache), set(index.indexed_sources()), send,
                     pause=scans.wait_idle if scans else None)
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            if scans is not None:
                scans.wait_idle()
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S or done >= total:
                last = now
                send(progress=[done, total])

        stats = index.update(sources, progress=progress)
        index.close()
        send(finished=stats.to_dict())
        return 0
    except BrokenPipeError:  # the parent went away (the window closed): nothing to tell
        return 1
    except Exception as err:  # noqa: BLE001 - reported to the parent, which logs it
        try:
            send(failed=f"{type(err).__name__}: {err}", details=traceback.format_exc())
        except OSError:
            pass
        return 1


def annotate(sources: list, cache: Path, indexed: set[str], send, pause=None) -> None:
    """Fill the entities of every source — those the index holds first (usually straight from the
    cache), then the new ones — and send each source's as soon as it has them. ``pause()`` is
    called between sources (a query being answered goes first)."""
    from app.library import annotate_sources

    order = sorted(range(len(sources)), key=lambda i: sources[i].source.sha256 not in indexed)
    for i in order:
        if pause is not None:
            pause()
        loaded = sources[i]
        if loaded.articles and all(a.entities for a in loaded.articles):
            continue  # the parent has them already
        annotate_sources([loaded], cache)
        send(entities=i, spans=[[e.to_dict() for e in a.entities] for a in loaded.articles])


class ScanServer:
    """The child's answers to the window's queries while it builds the index.

    Until the index is ready the window's search box is answered by a scan of the loaded
    articles (:mod:`app.search.scan`). For a large library that scan, and the folded copy of the
    library it needs, live here rather than in the window: in the window they competed with the
    GUI thread for the interpreter (stalls of up to ~100 ms while results were shown), and this
    process has the articles already. After the request, the window sends ``{"query": text,
    "id": n}`` frames; each is answered with one line, ``{"answer": n, "total": ..., "took_ms":
    ..., "hits": [[id, ordinal, source, title, score, snippet], ...]}`` (or ``"failed"``), over
    this process's articles, whose entities fill in as it finds them. The library is folded in
    the background as soon as it arrives, and the folding and every query go before the entities
    and the index: the main thread waits in :meth:`wait_idle` between sources while they run (the
    folding takes ~5 s at 100,000 articles; sharing this interpreter with the recogniser, it
    took twice that, and the first query waited for it)."""

    WARM_BATCH = 200  # articles folded between looks at the queue
    IDLE_WAIT_S = 30.0  # the main thread never waits longer than this for a query

    def __init__(self, articles: list, inp: BinaryIO, send):
        self.articles, self.inp, self.send = articles, inp, send
        self.cache: dict = {}
        self.pending: queue.Queue = queue.Queue()
        self._count_lock = threading.Lock()
        self._waiting = 1  # the folding, and the queries read and not yet answered
        self._idle = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._read, name="queries-in", daemon=True).start()
        threading.Thread(target=self._answer, name="queries", daemon=True).start()

    def wait_idle(self) -> None:
        self._idle.wait(self.IDLE_WAIT_S)

    def _read(self) -> None:
        while True:
            try:
                request = pickle.load(self.inp)
            except Exception:  # noqa: BLE001 - the end of the pipe, or the parent gone
                request = None
            if not isinstance(request, dict):
                self.pending.put(None)
                return
            with self._count_lock:
                self._waiting += 1
                self._idle.clear()
            self.pending.put(request)

    def _done_one(self) -> None:
        with self._count_lock:
            self._waiting -= 1
            if self._waiting <= 0:
                self._idle.set()

    def _answer(self) -> None:
        from app.search.scan import RESULT_LIMIT, folded, scan_articles

        unfolded = iter(self.articles)
        warming = True
        while True:
            if warming and self.pending.empty():
                try:
                    batch = [folded(self.cache, a) for a in itertools.islice(unfolded, self.WARM_BATCH)]
                except Exception:  # noqa: BLE001 - a query folds what it needs itself
                    batch = []
                warming = bool(batch)
                if not warming:
                    self._done_one()
                continue
            request = self.pending.get()
            if request is None:
                if warming:
                    self._done_one()
                return
            try:
                result = scan_articles(self.articles, str(request.get("query", "")), RESULT_LIMIT, self.cache)
                answer = {"answer": request.get("id"), "total": result.total, "took_ms": result.took_ms,
                          "hits": [[h.id, h.ordinal, h.source, h.title, h.score, h.snippet] for h in result.hits]}
            except Exception as err:  # noqa: BLE001 - told to the window, which scans itself instead
                answer = {"answer": request.get("id"), "failed": f"{type(err).__name__}: {err}"}
            try:
                self.send(**answer)
            except (OSError, ValueError):
                return  # the window is gone, or this process is ending (its output closed)
            finally:
                self._done_one()


def lower_priority() -> None:
    """Let the window have the processor first: on a two-core machine, an indexer at the window's
    own priority took the core the window needed whenever anything else ran, and the GUI thread
    waited up to 50 ms for a core (measured with ``bench_window``'s run-queue figures). Indexers
    of desktop search tools run at low priority for the same reason. (On Windows the parent starts
    the child with ``BELOW_NORMAL_PRIORITY_CLASS`` instead.)"""
    if hasattr(os, "nice"):
        try:
            os.nice(NICENESS)
        except OSError:
            pass  # not allowed here: index at the normal priority


def main() -> int:
    """Entry point for ``baozhi --index-worker`` (started by the window, not by people).

    The protocol uses the file descriptors themselves (a windowed frozen program may have no
    ``sys.stdout``); anything else printing to stdout is sent to stderr instead, so it cannot
    garble the protocol."""
    lower_priority()
    inp = os.fdopen(os.dup(0), "rb")
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # ``inp`` is left open: the query thread may still be reading it (closing a buffered file
    # another thread reads can block); the process ends right after.
    with out:
        return serve(inp, out)
