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

import json
import os
import pickle
import subprocess
import sys
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


def write_request(out: BinaryIO, index_dir: Path, entity_cache: Path | None, sources: list) -> None:
    """The parent's side: the header, the sources one frame each (so a large library is never
    pickled in one long step), then the end mark."""
    pickle.dump({"index_dir": str(index_dir), "entity_cache": str(entity_cache) if entity_cache else None},
                out, protocol=pickle.HIGHEST_PROTOCOL)
    for loaded in sources:
        light = replace(loaded, source=replace(loaded.source, text=""))
        pickle.dump(light, out, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


class Worker:
    """The parent's handle on one child: start it, send the request, read its reports, kill it.
    :meth:`kill` may be called from another thread at any time.

    :meth:`messages` yields the child's reports and ends with exactly one ``finished`` or
    ``failed`` message (a child that dies without saying why becomes a ``failed`` one)."""

    def __init__(self, index_dir: Path, sources: list, entity_cache: Path | None = None):
        self.index_dir, self.sources, self.entity_cache = Path(index_dir), list(sources), entity_cache
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=child_env(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0))

    def send_request(self) -> None:
        """The sources, to the child (which reads them all before it starts)."""
        try:
            write_request(self.process.stdin, self.index_dir, self.entity_cache, self.sources)
            self.process.stdin.close()
        except OSError:
            pass  # the child is gone: messages() reports its exit

    def messages(self) -> Iterator[dict]:
        """The child's reports, once the request is sent (sent here if it was not yet)."""
        process = self.process
        if not process.stdin.closed:
            self.send_request()
        last = None
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if "finished" in message or "failed" in message:
                last = message
                continue
            yield message
        code = process.wait()
        yield last or {"failed": f"the indexer stopped unexpectedly (exit code {code})"}

    def kill(self) -> None:
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
    """The child's side: read the request, fill entities, update the index, report as it goes."""

    def send(**message) -> None:
        out.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()

    try:
        header = pickle.load(inp)
        sources = []
        while (loaded := pickle.load(inp)) is not None:
            sources.append(loaded)
        from app.search import SearchIndex

        index_dir = Path(header["index_dir"])
        index_dir.mkdir(parents=True, exist_ok=True)
        index = SearchIndex(index_dir)
        cache = header.get("entity_cache")
        if cache is not None:
            annotate(sources, Path(cache), set(index.indexed_sources()), send)
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
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


def annotate(sources: list, cache: Path, indexed: set[str], send) -> None:
    """Fill the entities of every source — those the index holds first (usually straight from the
    cache), then the new ones — and send each source's as soon as it has them."""
    from app.library import annotate_sources

    order = sorted(range(len(sources)), key=lambda i: sources[i].source.sha256 not in indexed)
    for i in order:
        loaded = sources[i]
        if loaded.articles and all(a.entities for a in loaded.articles):
            continue  # the parent has them already
        annotate_sources([loaded], cache)
        send(entities=i, spans=[[e.to_dict() for e in a.entities] for a in loaded.articles])


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
    with inp, out:
        return serve(inp, out)
