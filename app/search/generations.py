"""The index's folder on disk: generations, the ``CURRENT`` pointer, format markers, locks.

Layout of ``index_dir``::

    CURRENT            name of the generation in use (replaced atomically)
    gen-<time>-<pid>/  one Whoosh index + ``baozhi-index.json`` (format marker) + the fold table
    entities/          the entity cache (app.library; ignored here)

A full build writes a new generation and switches ``CURRENT`` when it is complete, so a killed
build leaves the previous index in use. A generation being built holds its ``BUILDLOCK``; old
generations are removed only when neither that nor Whoosh's ``WRITELOCK`` is held, so a second
running program never loses the index it reads.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from app.search import analysis, whoosh_private
from app.search.postings import IndexOutdated, IndexUnusable

FORMAT_NAME = "baozhi-search"
FORMAT_VERSION = 8  # 2: trigram and hot-list fields; 3: page: (a whole issue's page), date: with the issue date;
# 4: postings as machine arrays, texts in GB 18030 (the original as a patch of the folded text);
# 5: rare unigrams and bigrams (of the text and the title) share bucket terms, hot lists from 256;
# 6: rare trigrams have no terms (a literal is found by its bigrams and common trigrams);
# 7: the folded text in a column of its own, uncompressed UTF-16 (a candidate's check reads it alone)
# 8: a term's posting list one blob (arrays by byte plane, raw deflate) in place of Whoosh's blocks
MARKER = "baozhi-index.json"
FOLD_TABLE = "fold-table.pickle"  # the fold table it was made with (see analysis.save_fold_table)
CURRENT = "CURRENT"
DAMAGED = "DAMAGED"  # written into a generation found unreadable while searching
BUILDLOCK = "BUILDLOCK"

# What the index's contents depend on besides the sources and the format: the person:/place:/org:
# fields come from the entity model, every folded text from the fold table (OpenCC's
# Traditional -> Simplified dictionary and Unicode's NFKC and case tables). An index made with
# other versions of these is rebuilt once, with a notice.
MADE_WITH_WORDS = {"entities": "entity model", "opencc": "OpenCC", "unicode": "Unicode version"}


def made_with_now() -> dict[str, str]:
    """The versions of what the index's contents depend on (see :data:`MADE_WITH_WORDS`)."""
    import unicodedata

    import opencc  # loaded for folding anyway

    from app.entity_cache import entity_model_version

    return {"entities": entity_model_version(),
            "opencc": str(getattr(opencc, "__version__", "unknown")),
            "unicode": unicodedata.unidata_version}


def current_generation(index_dir: Path) -> Path | None:
    """The generation ``CURRENT`` names; None when there is no pointer."""
    try:
        name = (index_dir / CURRENT).read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise IndexUnusable(f"its pointer file cannot be read ({err})") from None
    if not name.startswith("gen-") or "/" in name or "\\" in name:
        raise IndexUnusable("its pointer file names no index of this program")
    return index_dir / name


def failure_key(index_dir: Path) -> tuple | None:
    """What identifies the on-disk state an open failed on: the pointer file and the folder it
    names (a commit or a switch by any program changes one of them)."""
    try:
        pointer = os.stat(index_dir / CURRENT)
        name = (index_dir / CURRENT).read_bytes()
        folder = os.stat(index_dir / name.decode("utf-8", "replace").strip()) if name.strip() else None
    except (OSError, ValueError):
        return None
    return (name, pointer.st_ino, pointer.st_mtime_ns, pointer.st_size,
            folder and (folder.st_ino, folder.st_mtime_ns))


def check_generation(gen: Path) -> None:
    """Raise :class:`IndexUnusable` unless ``gen`` is an index of this program, of this format,
    made with this entity model and fold table, and not found damaged before."""
    try:
        marker = json.loads((gen / MARKER).read_text("utf-8"))
    except FileNotFoundError:
        raise IndexUnusable("its format marker is missing") from None
    except (OSError, ValueError) as err:
        raise IndexUnusable(f"its format marker is unreadable ({err})") from None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT_NAME:
        raise IndexUnusable("it was made by another program")
    if (gen / DAMAGED).exists():
        raise IndexUnusable("reading it failed before")
    if marker.get("version") != FORMAT_VERSION:
        raise IndexOutdated(f"it has format version {marker.get('version')}, not {FORMAT_VERSION}")
    made_with, now = marker.get("made_with"), made_with_now()
    if made_with != now:
        changed = [name for name in now if not isinstance(made_with, dict) or made_with.get(name) != now[name]]
        raise IndexOutdated(f"it was made with another {', '.join(changed)}", what=changed)


def outdated_notice(index_dir: Path, err: IndexOutdated) -> str:
    if err.what:  # the entity model or the folding changed
        words = " and ".join(MADE_WITH_WORDS[w] for w in err.what)
        return f"The search index in {index_dir} was made with another {words}; it is rebuilt."
    return f"The search index in {index_dir} was made by another version of this program; it is rebuilt."


def mark_damaged(gen: Path | None, err: BaseException) -> None:
    """Every program using this generation rebuilds it at its next update."""
    if gen is None:
        return
    try:
        (gen / DAMAGED).write_text(f"{type(err).__name__}: {err}\n", "utf-8")
    except OSError:
        pass


def new_generation(index_dir: Path):
    """A new generation's folder with its marker written, and its held build lock."""
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
    gen.mkdir()
    build_lock = whoosh_private.folder_lock(gen, BUILDLOCK)
    build_lock.acquire(False)
    try:
        (gen / MARKER).write_text(
            json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "made_with": made_with_now(),
                        "pid": os.getpid(), "created": time.strftime("%Y-%m-%dT%H:%M:%S")}),
            "utf-8",
        )
        analysis.save_fold_table(gen / FOLD_TABLE)
    except BaseException:
        build_lock.release()
        raise
    return gen, build_lock


def switch_to(index_dir: Path, gen: Path) -> None:
    """Point ``CURRENT`` at ``gen``, atomically."""
    # unique per process and thread: two windows of one process may switch at the same time
    tmp = index_dir / f"{CURRENT}.{os.getpid()}.{threading.get_ident()}.{uuid.uuid4().hex[:8]}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)


def remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Delete generations no longer in use that no other program is building."""
    for path in index_dir.glob("gen-*"):
        if path.name in keep or not path.is_dir():
            continue
        lock = whoosh_private.folder_lock(path, BUILDLOCK)
        try:
            if not lock.acquire(False):
                continue
        except OSError:
            continue
        try:
            writelock = whoosh_private.folder_lock(path, "WRITELOCK")
            if writelock.acquire(False):
                writelock.release()
                lock.release()
                shutil.rmtree(path, ignore_errors=True)
                continue
        except OSError:
            pass
        lock.release()
