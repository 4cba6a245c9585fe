"""The window's index updates, run in a child process so they never hold up the window.

In a thread, recognising entities and writing the Whoosh index competed with the GUI thread for
the interpreter, and some steps (sorting postings, pickling a segment) hold it for hundreds of
milliseconds at a time; in a process of their own they use the other core and cannot block it.

The parent starts :func:`command` and writes pickled frames to the child's stdin: a header
(``{"version": PROTOCOL_VERSION, "index_dir": ..., "entity_cache": ..., "queries": ...}``), then
each ``LoadedSource`` (its decoded text left out: the index needs only the articles; a source
the window opened lazily comes as its article store's folder and key, and the child reads its
articles there), then ``None``. The child answers on stdout with one JSON object per line, each a typed message
(:data:`MESSAGES`) with its ``kind`` and the protocol ``version``:

- :class:`Entities`: the entities of the parent's source number ``source`` (read from the entity
  cache, else recognised and cached), for sources without them;
- :class:`Progress`: articles indexed, at most every :data:`PROGRESS_EVERY_S`;
- :class:`Answer`: a query's scan (see :class:`ScanServer`);
- :class:`Finished` (``UpdateStats`` fields) or :class:`Failed` (a sentence and a traceback), last.

The child's stderr (an import error, a native crash's last words, anything printed) goes to the
parent's log (logger ``baozhi.indexer``, which the window sends to its log file), and a child that
dies without a last message is reported with the end of it, not only its exit code.

(Over 400 lines because it holds both ends of one protocol: the messages, the parent's
:class:`Worker`, the child's :func:`serve` and :class:`ScanServer`; a change to the protocol is
made in this one file.)

Killing the child at any moment is safe: the index and the entity cache are written atomically
(the hardening tests SIGKILL the indexer mid-build), so cancelling is ``terminate()``.

One module because both ends of the protocol — the parent's :class:`Worker` and the child's
:func:`command` — must change together; keeping them side by side keeps the messages honest.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import BinaryIO, ClassVar, Iterator, Union

from app.model import PackedSpans

WORKER_FLAG = "--index-worker"
PROGRESS_EVERY_S = 0.1
ANNOTATE_READ = 50  # sources whose paragraphs the child reads at a time to find their entities
HEADS_ONLY_MIN_SOURCES = 3000  # from this many sources (~30k articles) the child keeps heads only
NICENESS = 10  # how far the child lowers its own priority (POSIX nice increment)
# 3: an answer's hits are SearchHit.to_dict() (plain snippet and marks; 2 sent lists with an
# HTML snippet); 2: typed messages with "kind" and "version" (1: told apart by their keys)
PROTOCOL_VERSION = 3
STDERR_TAIL = 40  # lines of the child's stderr kept to explain its death
# The parent's thread that pickles the sources to the child rests SEND_REST_S after every
# SEND_WORK_S of it. Each call from Qt into Python on the GUI thread (a paint, a model's data())
# takes the interpreter back from whichever thread holds it; pickling without a rest, that thread
# always did, and the GUI thread's steps stretched: reopening 100k articles, gaps of 61-131 ms
# while the ~0.35 s of sending ran, in 4 of 4 runs (the GUI thread running 11-21 ms of each);
# with the rest, none over 50 ms in 4 runs, and the sending ~0.4 s.
SEND_WORK_S = 0.004
SEND_REST_S = 0.001

log = logging.getLogger("baozhi.indexer")


# ----------------------------------------------------------------------------- messages


@dataclass(slots=True)
class Entities:
    """Source number ``source``'s entities: per article, its spans (``EntitySpan.to_dict()``)."""

    kind: ClassVar[str] = "entities"
    source: int
    spans: list


@dataclass(slots=True)
class Progress:
    kind: ClassVar[str] = "progress"
    done: int
    total: int


@dataclass(slots=True)
class Finished:
    """The update ended; ``stats`` are ``UpdateStats.to_dict()``."""

    kind: ClassVar[str] = "finished"
    stats: dict


@dataclass(slots=True)
class Failed:
    """The update failed: one sentence for the user, the details (a traceback) for the log."""

    kind: ClassVar[str] = "failed"
    message: str
    details: str = ""


@dataclass(slots=True)
class Answer:
    """Query ``id``'s scan: hits as ``SearchHit.to_dict()`` (plain ``snippet`` and its ``marks``),
    best first; or ``failed``."""

    kind: ClassVar[str] = "answer"
    id: int
    total: int = 0
    took_ms: float = 0.0
    hits: list = field(default_factory=list)
    failed: str | None = None


Message = Union[Entities, Progress, Finished, Failed, Answer]
MESSAGES = {cls.kind: cls for cls in (Entities, Progress, Finished, Failed, Answer)}


def encode(message: Message) -> bytes:
    """One line of the child's output."""
    # the fields as they are (JSON-ready already): dataclasses.asdict deep-copies every nested
    # list and dict, and for the entities of an unchanged library (400,000 spans at 10k articles)
    # that copying was most of a restart's wait for its index (10 s of 13)
    data = {"kind": message.kind, "version": PROTOCOL_VERSION}
    data.update((f.name, getattr(message, f.name)) for f in fields(message))
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


def decode(line: bytes | str) -> Message | None:
    """The message on one line; None for a line that is none (not JSON, an unknown kind). A message
    of another protocol version is a :class:`Failed` saying so."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") not in MESSAGES:
        return None
    if data.get("version") != PROTOCOL_VERSION:
        return Failed(f"the indexer speaks protocol version {data.get('version')}, not {PROTOCOL_VERSION}")
    cls = MESSAGES[data["kind"]]
    try:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
    except TypeError:
        return None


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
    sent after it (:class:`ScanServer`). Rests now and then (:data:`SEND_WORK_S`)."""
    pickle.dump({"version": PROTOCOL_VERSION, "index_dir": str(index_dir),
                 "entity_cache": str(entity_cache) if entity_cache else None,
                 "queries": queries}, out, protocol=pickle.HIGHEST_PROTOCOL)
    worked_since = time.perf_counter()
    for loaded in sources:
        light = replace(loaded, source=replace(loaded.source, text=""))
        pickle.dump(light, out, protocol=pickle.HIGHEST_PROTOCOL)
        if time.perf_counter() - worked_since >= SEND_WORK_S:
            time.sleep(SEND_REST_S)  # the GUI thread has the interpreter to itself meanwhile
            worked_since = time.perf_counter()
    pickle.dump(None, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


class Worker:
    """The parent's handle on one child: start it, send the request, read its reports, kill it.
    :meth:`kill` may be called from another thread at any time.

    :meth:`events` yields the child's reports (typed messages) and ends with exactly one
    :class:`Finished` or :class:`Failed` (a child that dies without saying why becomes a
    :class:`Failed` with the end of its stderr). With ``queries``, :meth:`ask` (from any other
    thread) has the child scan its articles for a query while :meth:`events` is being read."""

    def __init__(self, index_dir: Path, sources: list, entity_cache: Path | None = None, queries: bool = False):
        self.index_dir, self.sources, self.entity_cache = Path(index_dir), list(sources), entity_cache
        self.queries = queries
        self.process: subprocess.Popen | None = None
        self._state = threading.Condition()  # guards the fields below
        self._sent = False  # the request is written: queries may follow
        self._ended = False  # killed, or the child's output ended: nothing more will be answered
        self._answers: dict[int, Answer] = {}
        self._asked = 0
        self._write_lock = threading.Lock()
        self._stderr: deque[str] = deque(maxlen=STDERR_TAIL)
        self._stderr_thread: threading.Thread | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0))
        self._stderr_thread = threading.Thread(target=self._read_stderr, name="indexer-stderr", daemon=True)
        self._stderr_thread.start()

    def _read_stderr(self) -> None:
        """Log each line the child writes to stderr, keeping the last ones to explain its end."""
        try:
            for raw in self.process.stderr:
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    self._stderr.append(line)
                    log.warning("indexer: %s", line)
        except (OSError, ValueError):
            pass  # closed by close()

    def stderr_tail(self) -> str:
        """The last lines the child wrote to stderr (all of them once it has ended)."""
        if self._stderr_thread is not None and self.process is not None and self.process.poll() is not None:
            self._stderr_thread.join(2.0)
        return "\n".join(self._stderr)

    def send_request(self) -> None:
        """The sources, to the child (which reads them all before it starts)."""
        try:
            with self._write_lock:
                write_request(self.process.stdin, self.index_dir, self.entity_cache, self.sources, self.queries)
                if not self.queries:
                    self.process.stdin.close()
        except (OSError, ValueError):
            pass  # the child is gone: events() reports its exit
        with self._state:
            self._sent = True
            self._state.notify_all()

    def events(self) -> Iterator[Message]:
        """The child's reports, once the request is sent (sent here if it was not yet)."""
        process = self.process
        if not self._sent:
            self.send_request()
        last = None
        try:
            for line in process.stdout:
                message = decode(line)
                if message is None:
                    continue
                if isinstance(message, Answer):
                    with self._state:
                        self._answers[message.id] = message
                        self._state.notify_all()
                    continue
                if isinstance(message, (Finished, Failed)):
                    last = message
                    continue
                yield message
        finally:
            self._end()
        code = process.wait()
        if last is None:
            tail = self.stderr_tail()
            said = tail.splitlines()[-1] if tail else ""
            last = Failed(f"the indexer stopped unexpectedly (exit code {code})" + (f": {said}" if said else ""),
                          details=tail)
        yield last

    def ask(self, query: str, timeout: float | None = None) -> Answer | None:
        """The child's scan for ``query``: an :class:`Answer` (its ``hits`` as
        ``SearchHit.to_dict()``, read back with ``SearchHit.from_dict``, best first). None when
        it cannot answer: queries were not asked for, the child ended or was killed (waiting for
        the request to be sent first), the answer failed, or ``timeout`` passed."""
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
                pickle.dump({"version": PROTOCOL_VERSION, "query": query, "id": number}, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self.process.stdin.flush()
        except (OSError, ValueError):  # the child is gone (ValueError: its pipe is closed)
            return None
        with self._state:
            self._state.wait_for(lambda: number in self._answers or self._ended, timeout)
            answer = self._answers.pop(number, None)
        return None if answer is None or answer.failed is not None else answer

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
        if self._stderr_thread is not None:
            self._stderr_thread.join(2.0)  # the child is gone: its stderr ends
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                pipe.close()
            except OSError:  # a child killed mid-request leaves unsendable bytes in the buffer
                pass


def serve(inp: BinaryIO, out: BinaryIO) -> int:
    """The child's side: read the request, fill entities, update the index, report as it goes
    (and, when the header asks for ``queries``, answer them meanwhile: :class:`ScanServer`)."""

    lock = threading.Lock()  # the query thread answers on the same pipe

    def send(message: Message) -> None:
        line = encode(message)
        with lock:
            out.write(line)
            out.flush()

    try:
        header = pickle.load(inp)
        if not isinstance(header, dict) or header.get("version") != PROTOCOL_VERSION:
            version = header.get("version") if isinstance(header, dict) else None
            raise ValueError(f"the window speaks protocol version {version}, not {PROTOCOL_VERSION}")
        sources = []
        while (loaded := pickle.load(inp)) is not None:
            sources.append(loaded)
        from app.library import fetch_from_store, heads_from_store

        # the window sent what it opened lazily as the store's folder and keys. For a large
        # library their heads are read here, and their paragraphs when needed (folded for the
        # scan, recognised, written into the index: a few hundred sources at a time), then let
        # go: at 100,000 articles, keeping every paragraph made this process 0.9 GB before it
        # wrote a segment. A smaller one is read whole: its scans answered ~100 ms sooner (10k).
        if len(sources) >= HEADS_ONLY_MIN_SOURCES:
            heads_from_store(sources)
        else:
            fetch_from_store(sources)
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
                send(Progress(done, total))

        stats = index.update(sources, progress=progress)
        index.close()
        send(Finished(stats.to_dict()))
        return 0
    except BrokenPipeError:  # the parent went away (the window closed): nothing to tell
        return 1
    except Exception as err:  # noqa: BLE001 - reported to the parent, which logs it
        try:
            send(Failed(f"{type(err).__name__}: {err}", traceback.format_exc()))
        except OSError:
            pass
        return 1


def annotate(sources: list, cache: Path, indexed: set[str], send, pause=None) -> None:
    """Fill the entities of every source — those the index holds first (usually straight from the
    cache), then the new ones — and send each source's as soon as it has them. ``pause()`` is
    called between sources (a query being answered goes first)."""
    from app.entity_cache import annotate_sources
    from app.store import load_paragraphs, unload_paragraphs

    order = sorted(range(len(sources)), key=lambda i: getattr(sources[i], "index_key", sources[i].source.sha256) not in indexed)
    for start in range(0, len(order), ANNOTATE_READ):
        todo = [i for i in order[start:start + ANNOTATE_READ]
                if not (sources[i].articles and all(a.entities for a in sources[i].articles))]  # (the parent's)
        # the paragraphs (the recogniser's text, and what a cached entity is checked against) of
        # the articles opened lazily, read for these sources in a query or two, let go after
        read = load_paragraphs(a for i in todo for a in sources[i].articles)
        try:
            for i in todo:
                if pause is not None:
                    pause()
                loaded = sources[i]
                annotate_sources([loaded], cache)
                send(Entities(i, [[e.to_dict() for e in a.entities] for a in loaded.articles]))
                for a in loaded.articles:  # kept compactly from here on (the scan's and the index's fields)
                    a.entities = PackedSpans(a.entities)
        finally:
            unload_paragraphs(read)


class ScanServer:
    """The child's answers to the window's queries while it builds the index.

    Until the index is ready the window's search box is answered by a scan of the loaded
    articles (:mod:`app.search.scan`). For a large library that scan, and the folded copy of the
    library it needs, live here rather than in the window: in the window they competed with the
    GUI thread for the interpreter (stalls of up to ~100 ms while results were shown), and this
    process has the articles already. After the request, the window sends ``{"version": ...,
    "query": text, "id": n}`` frames; each is answered with one :class:`Answer` line over
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
        from app.search.scan import RESULT_LIMIT, fold_all, scan_articles

        unfolded = iter(self.articles)
        warming = True
        while True:
            if warming and self.pending.empty():
                try:  # (articles opened lazily: their paragraphs read in a query or two, let go)
                    batch = fold_all(list(itertools.islice(unfolded, self.WARM_BATCH)), self.cache)
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
                answer = Answer(request.get("id"), result.total, result.took_ms,
                                [h.to_dict() for h in result.hits])
            except Exception as err:  # noqa: BLE001 - told to the window, which scans itself instead
                answer = Answer(request.get("id"), failed=f"{type(err).__name__}: {err}")
            try:
                self.send(answer)
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
