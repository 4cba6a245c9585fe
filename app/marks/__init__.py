"""The reader's own marks on articles: star, tags, note, read state, highlights; and saved searches.

Everything lives in one SQLite database, ``marks.sqlite`` in the user's data folder
(:func:`app.paths.data_dir`), opened in WAL mode with a busy timeout; every change is one short
transaction, so two windows (or a window and the command line) on one library can write at once
and each sees the other's marks on its next read (:meth:`MarkStore.changed` tells a window when to
refresh). A damaged database is renamed aside (``marks.sqlite.damaged-<time>``, kept), whatever of
it can still be read is copied into a fresh one, and :attr:`MarkStore.notice` says so.

    from app.marks import active_store
    store = active_store()                 # the data folder's store (one per process and folder)
    store.attach(library_articles)         # find each mark's article again (see "Matching")
    store.set_starred(article, True)
    store.add_tag(article, "政策"); store.set_note(article, "待**调研**")
    store.set_read(article, True)          # read_at is now; set_read(article, False) undoes it
    h = store.add_highlight(article, start, end, note="…")   # offsets in article_body(article)
    m = store.get(article)                 # ArticleMarks (empty when the article has none)
    store.located(article, h)              # where the passage is now, or None when it is gone
    store.all_tags()                       # for completion, most used first
    store.saved_searches(); store.save_search("每周", "tag:政策 is:unread")

Article keys and matching
-------------------------
An article's id (:meth:`app.model.Article.assign_id`) changes when its file changes or the
splitter renumbers it, so marks are keyed by :func:`article_key`: a digest of the article's
normalised title and the first :data:`KEY_BODY_CHARS` characters of its body (NFKC, case-folded,
whitespace removed). Each mark also keeps the article id and source path it was last attached to,
and its title and body start. :meth:`MarkStore.attach` finds every mark's article among the
loaded articles in this order:

1. the same article id (same file content, same place, same title: certainly the same article);
2. the same key, preferring the same source path, then the nearest ordinal (a re-split, a moved
   or renamed file, a program update that changed nothing of the title and body start);
3. within the same source path only, the most similar article by title and body start
   (:func:`similarity`, at least :data:`FUZZY_MIN`; an identical title suffices), each article
   taken by one mark at most (a corrected headline, an edited first paragraph).

A mark whose source is loaded but that matches nothing is *orphaned*: it is kept, listed by
:meth:`MarkStore.orphans`, and attached again when a later ``attach`` finds its article. Marks of
sources that are not loaded (another library sharing the data folder) are left as they are, unless
``attach(articles, gone_sources=[...])`` says those files are gone.

Highlights are anchored by their passage's text with up to :data:`CONTEXT_CHARS` characters of
context either side, plus the old offset as a hint: :func:`locate` finds the passage again in the
article's body text (the best context match, then the nearest to the old place; whitespace
differences tolerated) and returns None when it is gone.

Search (``is:starred``, ``is:unread``, ``is:read``, ``tag:``, ``note:``) asks
:meth:`MarkStore.matching_ids` for the set of attached article ids.

Merging (``baozhi marks import``): tags are united; star and read state take the side changed
last; the note changed last wins and the other note, when different and not already contained, is
appended below a ``---`` line with its time, so neither is lost; highlights are united by their
passage and context (their notes merged like article notes); saved searches are united by name
(a different query under a taken name is added as "name (2)").

The database is one module (:class:`MarkStore` and its merge and recovery) because every method
works in the same transactions on the same four tables; how a mark finds its article and passage
again is apart, in :mod:`app.marks.anchors`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import unicodedata
import uuid
from pathlib import Path
from typing import Callable, Iterable, Sequence

from app.marks.anchors import (  # noqa: F401 - KEY_BODY_CHARS and the plain data, importable from here
    KEY_BODY_CHARS, ArticleMarks, Highlight, Located, SavedSearch, article_body, article_key, body_start,
    fold_tag, locate, normalise, similarity,
)
from app.model import Article

DB_NAME = "marks.sqlite"
CONTEXT_CHARS = 32  # characters of context kept either side of a highlight
FUZZY_MIN = 0.72  # least similarity for a fuzzy match within a source
BUSY_MS = 10_000  # how long a writer waits for another's transaction
EXPORT_FORMAT = "baozhi-marks"
EXPORT_VERSION = 1

IS_VALUES = {  # is:<value> -> the canonical value
    "starred": "starred", "star": "starred", "星标": "starred", "加星": "starred",
    "unread": "unread", "未读": "unread",
    "read": "read", "已读": "read",
}


class MarksError(Exception):
    """A marks operation that could not be done; ``str()`` is one sentence for the user."""


# ---------------------------------------------------------------------- the store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    mid INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    article_id TEXT,
    source TEXT NOT NULL DEFAULT '',
    ordinal INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    start TEXT NOT NULL DEFAULT '',
    starred INTEGER NOT NULL DEFAULT 0,
    star_at REAL NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    note_at REAL NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    read_at REAL,
    read_changed REAL NOT NULL DEFAULT 0,
    orphaned INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL DEFAULT 0,
    updated REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS marks_key ON marks(key);
CREATE INDEX IF NOT EXISTS marks_article ON marks(article_id);
CREATE INDEX IF NOT EXISTS marks_source ON marks(source);
CREATE TABLE IF NOT EXISTS tags (
    mid INTEGER NOT NULL REFERENCES marks(mid) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    folded TEXT NOT NULL,
    added REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (mid, folded)
);
CREATE INDEX IF NOT EXISTS tags_folded ON tags(folded);
CREATE TABLE IF NOT EXISTS highlights (
    hid TEXT PRIMARY KEY,
    mid INTEGER NOT NULL REFERENCES marks(mid) ON DELETE CASCADE,
    text TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL DEFAULT 0,
    updated REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS highlights_mid ON highlights(mid);
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL DEFAULT 0
);
"""
_TABLES = ("marks", "tags", "highlights", "saved_searches")


def db_path(folder: Path | str | None = None) -> Path:
    from app.paths import data_dir

    return Path(folder) / DB_NAME if folder is not None else data_dir() / DB_NAME


_stores: dict[str, "MarkStore"] = {}
_stores_lock = threading.Lock()


def active_store() -> "MarkStore":
    """The store of the current data folder (one per process and folder, opened on first use)."""
    path = str(db_path())
    with _stores_lock:
        store = _stores.get(path)
        if store is None:
            store = _stores[path] = MarkStore(path)
        return store


def close_stores() -> None:
    """Close every store :func:`active_store` opened (tests, quitting)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


class MarkStore:
    """The marks database at ``path``. Thread-safe: each thread gets its own connection."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.notice: str | None = None  # a sentence for the user (a damaged database set aside)
        self.set_aside: Path | None = None  # where the damaged file went
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._data_version: int | None = None
        self._open_checked()

    # ------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=BUSY_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._lock:
                self._conns.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._local = threading.local()

    def _open_checked(self) -> None:
        try:
            conn = self._conn()
            conn.execute("PRAGMA journal_mode=WAL")
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise sqlite3.DatabaseError(ok)
            conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as err:
            self._recover(err)

    def _recover(self, err: Exception) -> None:
        """Set the damaged file aside, start a fresh one and copy in what can be read."""
        self.close()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:  # another process set it aside first: use the fresh one it made
            self._conn().execute("PRAGMA journal_mode=WAL")
            self._conn().executescript(_SCHEMA)
            return
        for extra in ("-wal", "-shm"):
            side = Path(str(self.path) + extra)
            if side.exists():
                os.replace(side, Path(str(aside) + extra))
        self.set_aside = aside
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
        saved = self._salvage(aside)
        self.notice = (f"The marks database was damaged ({err}); it was kept as {aside.name} and a fresh one "
                       f"started, with {saved} recovered rows.")

    def _salvage(self, damaged: Path) -> int:
        """Copy every readable row of the damaged database's tables into this one."""
        saved = 0
        try:
            src = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
        except sqlite3.Error:
            return 0
        conn = self._conn()
        try:
            conn.execute("PRAGMA foreign_keys=OFF")
            for table in _TABLES:
                cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                try:
                    have = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
                except sqlite3.Error:
                    continue
                use = [c for c in cols if c in have]
                if not use:
                    continue
                for row in _readable_rows(src, table, use):
                    try:
                        conn.execute(f"INSERT OR IGNORE INTO {table} ({','.join(use)}) VALUES "
                                     f"({','.join('?' * len(use))})", row)
                        saved += 1
                    except sqlite3.Error:
                        pass
        finally:
            conn.execute("PRAGMA foreign_keys=ON")
            src.close()
        return saved

    def _write(self, fn):
        """Run ``fn(conn)`` in one short write transaction (BEGIN IMMEDIATE)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            out = fn(conn)
            conn.execute("COMMIT")
            return out
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise

    def changed(self) -> bool:
        """Has anything changed (in this or another process) since the last call?"""
        version = self._conn().execute("PRAGMA data_version").fetchone()[0]
        total = self._conn().total_changes
        now = (version, total)
        before, self._data_version = self._data_version, now
        return before is not None and before != now

    # ------------------------------------------------------------ the mark row of an article

    def _mid(self, conn, article: Article, create: bool) -> int | None:
        row = conn.execute("SELECT mid FROM marks WHERE article_id=? AND orphaned=0 ORDER BY mid LIMIT 1",
                           (article.id,)).fetchone() if article.id else None
        if row is None:
            key = article_key(article)
            row = conn.execute("SELECT mid FROM marks WHERE key=? AND (article_id IS NULL OR article_id=? OR orphaned=1) "
                               "ORDER BY (source=?) DESC, mid LIMIT 1", (key, article.id, article.source)).fetchone()
            if row is not None:
                conn.execute("UPDATE marks SET article_id=?, source=?, ordinal=?, orphaned=0 WHERE mid=?",
                             (article.id, article.source, article.ordinal, row[0]))
        if row is not None:
            return row[0]
        if not create:
            return None
        now = time.time()
        cur = conn.execute(
            "INSERT INTO marks (key, article_id, source, ordinal, title, start, created, updated) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (article_key(article), article.id, article.source, article.ordinal, article.title,
             body_start(article), now, now))
        return cur.lastrowid

    def _touch(self, conn, mid: int, **cols) -> None:
        cols["updated"] = time.time()
        conn.execute(f"UPDATE marks SET {', '.join(f'{c}=?' for c in cols)} WHERE mid=?", (*cols.values(), mid))

    # ------------------------------------------------------------ reading

    def get(self, article: Article) -> ArticleMarks:
        """The article's marks (an empty :class:`ArticleMarks` when it has none)."""
        conn = self._conn()
        mid = self._mid_readonly(conn, article)
        if mid is None:
            return ArticleMarks(key=article_key(article), article_id=article.id, source=article.source,
                                title=article.title)
        return self._load(conn, [mid])[0]

    def _mid_readonly(self, conn, article: Article) -> int | None:
        row = conn.execute("SELECT mid FROM marks WHERE article_id=? AND orphaned=0 ORDER BY mid LIMIT 1",
                           (article.id,)).fetchone() if article.id else None
        if row is None:
            row = conn.execute("SELECT mid FROM marks WHERE key=? AND (article_id IS NULL OR article_id=? OR orphaned=1) "
                               "ORDER BY (source=?) DESC, mid LIMIT 1",
                               (article_key(article), article.id, article.source)).fetchone()
        return row[0] if row else None

    def marks_by_id(self, article_ids: Iterable[str] | None = None) -> dict[str, ArticleMarks]:
        """Marks of attached articles, by article id (all of them, or those of ``article_ids``):
        what the list's icons, chips and bold need, in one read."""
        conn = self._conn()
        rows = conn.execute("SELECT mid, article_id FROM marks WHERE article_id IS NOT NULL AND orphaned=0").fetchall()
        if article_ids is not None:
            wanted = set(article_ids)
            rows = [r for r in rows if r[1] in wanted]
        out: dict[str, ArticleMarks] = {}
        for m in self._load(conn, [r[0] for r in rows]):
            if m.article_id not in out:
                out[m.article_id] = m
        return out

    def all_marks(self) -> list[ArticleMarks]:
        """Every mark record, attached or not (oldest first)."""
        conn = self._conn()
        return self._load(conn, [r[0] for r in conn.execute("SELECT mid FROM marks ORDER BY mid")])

    def _load(self, conn, mids: list[int]) -> list[ArticleMarks]:
        if not mids:
            return []
        out: dict[int, ArticleMarks] = {}
        for chunk in _chunks(mids, 500):
            q = ",".join("?" * len(chunk))
            for r in conn.execute(f"SELECT mid, key, article_id, source, title, starred, note, read, read_at, "
                                  f"updated, orphaned FROM marks WHERE mid IN ({q})", chunk):
                out[r[0]] = ArticleMarks(key=r[1], article_id=None if r[10] else r[2], source=r[3], title=r[4],
                                         starred=bool(r[5]), note=r[6], read=bool(r[7]), read_at=r[8],
                                         updated=r[9])
            for mid, tag in conn.execute(f"SELECT mid, tag FROM tags WHERE mid IN ({q}) ORDER BY added, tag", chunk):
                out[mid].tags.append(tag)
            for r in conn.execute(f"SELECT mid, hid, text, prefix, suffix, start, note, created, updated "
                                  f"FROM highlights WHERE mid IN ({q}) ORDER BY start, created", chunk):
                out[r[0]].highlights.append(Highlight(*r[1:]))
        return [out[m] for m in mids if m in out]

    def all_tags(self) -> list[str]:
        """Every tag in use, most used first (for completion)."""
        rows = self._conn().execute(
            "SELECT MIN(tag), COUNT(*) AS n FROM tags GROUP BY folded ORDER BY n DESC, MIN(tag)").fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------ changing

    def set_starred(self, article: Article, starred: bool = True) -> None:
        def do(conn):
            mid = self._mid(conn, article, True)
            self._touch(conn, mid, starred=int(bool(starred)), star_at=time.time())
        self._write(do)

    def set_read(self, article: Article, read: bool = True, when: float | None = None) -> None:
        """Mark read (at ``when``, default now) or unread again (undo)."""
        def do(conn):
            mid = self._mid(conn, article, True)
            now = time.time()
            self._touch(conn, mid, read=int(bool(read)), read_at=(when or now) if read else None, read_changed=now)
        self._write(do)

    def set_note(self, article: Article, note: str) -> None:
        """The article's note (plain text with light Markdown); "" removes it."""
        def do(conn):
            mid = self._mid(conn, article, True)
            self._touch(conn, mid, note=note or "", note_at=time.time())
        self._write(do)

    def add_tag(self, article: Article, tag: str) -> None:
        tag = " ".join((tag or "").split())
        if not tag:
            raise MarksError("A tag cannot be empty.")

        def do(conn):
            mid = self._mid(conn, article, True)
            conn.execute("INSERT OR IGNORE INTO tags (mid, tag, folded, added) VALUES (?,?,?,?)",
                         (mid, tag, fold_tag(tag), time.time()))
            self._touch(conn, mid)
        self._write(do)

    def remove_tag(self, article: Article, tag: str) -> None:
        def do(conn):
            mid = self._mid(conn, article, False)
            if mid is not None:
                conn.execute("DELETE FROM tags WHERE mid=? AND folded=?", (mid, fold_tag(tag)))
                self._touch(conn, mid)
        self._write(do)

    def set_tags(self, article: Article, tags: Sequence[str]) -> None:
        """Replace the article's tags."""
        clean = [" ".join(t.split()) for t in tags if t and t.strip()]

        def do(conn):
            mid = self._mid(conn, article, True)
            conn.execute("DELETE FROM tags WHERE mid=?", (mid,))
            now = time.time()
            for i, tag in enumerate(clean):
                conn.execute("INSERT OR IGNORE INTO tags (mid, tag, folded, added) VALUES (?,?,?,?)",
                             (mid, tag, fold_tag(tag), now + i * 1e-6))
            self._touch(conn, mid)
        self._write(do)

    def add_highlight(self, article: Article, start: int, end: int, note: str = "") -> Highlight:
        """Highlight ``article_body(article)[start:end]`` (with an optional note)."""
        body = article_body(article)
        start, end = max(0, int(start)), min(len(body), int(end))
        if end <= start:
            raise MarksError("Select some text to highlight.")
        now = time.time()
        h = Highlight(id=uuid.uuid4().hex[:16], text=body[start:end], prefix=body[max(0, start - CONTEXT_CHARS):start],
                      suffix=body[end:end + CONTEXT_CHARS], start=start, note=note or "", created=now, updated=now)

        def do(conn):
            mid = self._mid(conn, article, True)
            conn.execute("INSERT INTO highlights (hid, mid, text, prefix, suffix, start, note, created, updated) "
                         "VALUES (?,?,?,?,?,?,?,?,?)",
                         (h.id, mid, h.text, h.prefix, h.suffix, h.start, h.note, h.created, h.updated))
            self._touch(conn, mid)
        self._write(do)
        return h

    def set_highlight_note(self, highlight_id: str, note: str) -> None:
        self._write(lambda c: c.execute("UPDATE highlights SET note=?, updated=? WHERE hid=?",
                                        (note or "", time.time(), highlight_id)))

    def remove_highlight(self, highlight_id: str) -> None:
        self._write(lambda c: c.execute("DELETE FROM highlights WHERE hid=?", (highlight_id,)))

    def located(self, article: Article, h: Highlight) -> Located | None:
        """Where ``h`` is in the article now (its offset hint updated when it moved); None: gone."""
        where = locate(article, h)
        if where is not None and where.start != h.start:
            self._write(lambda c: c.execute("UPDATE highlights SET start=? WHERE hid=?", (where.start, h.id)))
            h.start = where.start
        return where

    def clear(self, article: Article) -> None:
        """Remove every mark of the article."""
        def do(conn):
            mid = self._mid(conn, article, False)
            if mid is not None:
                conn.execute("DELETE FROM marks WHERE mid=?", (mid,))
        self._write(do)

    # ------------------------------------------------------------ attaching to articles

    def attach(self, articles: Sequence[Article], gone_sources: Iterable[str] = ()) -> dict:
        """Find each mark's article among ``articles`` (see the module's "Matching"); marks of
        their sources (and of ``gone_sources``) found nowhere become orphaned. Returns counts:
        ``{"attached": n, "moved": n, "orphaned": n}`` (moved: found under a new id)."""
        conn = self._conn()
        rows = conn.execute("SELECT mid, key, article_id, source, ordinal, title, start, orphaned FROM marks").fetchall()
        if not rows:
            return {"attached": 0, "moved": 0, "orphaned": 0}
        by_id = {a.id: a for a in articles if a.id}
        sources = {a.source for a in articles}
        gone = set(gone_sources)
        taken: set[str] = set()
        result: dict[int, tuple[Article | None, str | None]] = {}  # mid -> (article, new key)
        pending = []
        for r in rows:
            a = by_id.get(r[2]) if r[2] else None
            if a is not None and a.id not in taken and not (r[7] and r[3] in gone):
                result[r[0]] = (a, None)
                taken.add(a.id)
            else:
                pending.append(r)
        moved = 0
        if pending:
            keys: dict[str, list[Article]] = {}
            for a in articles:
                keys.setdefault(article_key(a), []).append(a)
            rest = []
            for r in pending:
                cands = [a for a in keys.get(r[1], []) if a.id not in taken]
                if cands:
                    a = min(cands, key=lambda a: (a.source != r[3], abs(a.ordinal - r[4])))
                    result[r[0]] = (a, None)
                    taken.add(a.id)
                    moved += 1
                else:
                    rest.append(r)
            # fuzzy, within a source: best pairs first
            by_source: dict[str, list[Article]] = {}
            for a in articles:
                if a.id not in taken:
                    by_source.setdefault(a.source, []).append(a)
            pairs = []
            for r in rest:
                for a in by_source.get(r[3], []):
                    t = normalise(a.title)
                    s = 1.0 if t and t == normalise(r[5]) else similarity(normalise(r[5]), r[6], t, body_start(a))
                    if s >= FUZZY_MIN:
                        pairs.append((-s, abs(a.ordinal - r[4]), r[0], a))
            done: set[int] = set()
            for _s, _d, mid, a in sorted(pairs, key=lambda p: (p[0], p[1], p[2])):
                if mid in done or a.id in taken:
                    continue
                result[mid] = (a, article_key(a))
                done.add(mid)
                taken.add(a.id)
                moved += 1
        orphaned = 0

        def do(c):
            nonlocal orphaned
            for r in rows:
                mid = r[0]
                if mid in result:
                    a, new_key = result[mid]
                    if a.id != r[2] or r[7] or new_key:
                        c.execute("UPDATE marks SET article_id=?, source=?, ordinal=?, orphaned=0, key=COALESCE(?, key), "
                                  "title=CASE WHEN ? IS NULL THEN title ELSE ? END, "
                                  "start=CASE WHEN ? IS NULL THEN start ELSE ? END WHERE mid=?",
                                  (a.id, a.source, a.ordinal, new_key, new_key, a.title, new_key,
                                   body_start(a), mid))
                elif r[3] in sources or r[3] in gone:
                    orphaned += 1
                    if not r[7]:
                        c.execute("UPDATE marks SET orphaned=1 WHERE mid=?", (mid,))
        self._write(do)
        return {"attached": len(result), "moved": moved, "orphaned": orphaned}

    def orphans(self) -> list[ArticleMarks]:
        """Marks whose article was not found the last time its source was loaded."""
        conn = self._conn()
        return self._load(conn, [r[0] for r in conn.execute("SELECT mid FROM marks WHERE orphaned=1 ORDER BY mid")])

    # ------------------------------------------------------------ search

    def matching_ids(self, kind: str, value: str, fold: Callable[[str], str] | None = None) -> tuple[set[str], bool]:
        """The attached article ids a mark query term finds: ``(ids, negate)``; ``negate`` True
        means every article *except* ``ids`` (``is:unread``). ``kind`` is "is", "tag" or "note".
        ``tag:`` matches a whole tag, or a tag's part before a "/" (``tag:政策`` finds 政策 and
        政策/环保); ``note:`` is a text in the article's note or in one of its highlights' notes.
        ``fold`` (the search's folding, :func:`app.search.analysis.fold`) is applied to the
        stored tags and notes, ``value`` being folded already; without it they are case-folded."""
        conn = self._conn()
        fold = fold or _fold_note
        live = "m.article_id IS NOT NULL AND m.orphaned=0"
        if kind == "is":
            which = IS_VALUES.get(value)
            if which == "starred":
                q = f"SELECT m.article_id FROM marks m WHERE {live} AND m.starred=1"
            elif which in ("read", "unread"):
                q = f"SELECT m.article_id FROM marks m WHERE {live} AND m.read=1"
            else:
                raise MarksError(f"Unknown is: value {value!r}; use starred, unread or read.")
            return {r[0] for r in conn.execute(q)}, which == "unread"
        if kind == "tag":
            v = " ".join(value.split())
            ids = set()
            for aid, tag in conn.execute(f"SELECT m.article_id, t.tag FROM tags t JOIN marks m ON m.mid=t.mid "
                                         f"WHERE {live}"):
                t = " ".join(fold(tag).split())
                if t == v or t.startswith(v + "/"):
                    ids.add(aid)
            return ids, False
        if kind == "note":
            ids = set()
            for aid, note in conn.execute(f"SELECT m.article_id, m.note FROM marks m WHERE {live} AND m.note!=''"):
                if value in fold(note):
                    ids.add(aid)
            for aid, note in conn.execute(f"SELECT m.article_id, h.note FROM highlights h JOIN marks m "
                                          f"ON m.mid=h.mid WHERE {live} AND h.note!=''"):
                if value in fold(note):
                    ids.add(aid)
            return ids, False
        raise MarksError(f"Unknown mark field {kind!r}.")

    # ------------------------------------------------------------ saved searches

    def saved_searches(self) -> list[SavedSearch]:
        rows = self._conn().execute("SELECT id, name, query, position FROM saved_searches ORDER BY position, id")
        return [SavedSearch(*r) for r in rows]

    def saved_search(self, name: str) -> SavedSearch | None:
        r = self._conn().execute("SELECT id, name, query, position FROM saved_searches WHERE name=?",
                                 (name,)).fetchone()
        return SavedSearch(*r) if r else None

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save (or replace the query of) a search by name; a new one goes last."""
        name, query = " ".join((name or "").split()), (query or "").strip()
        if not name:
            raise MarksError("A saved search needs a name.")
        if not query:
            raise MarksError("A saved search needs a query.")

        def do(conn):
            row = conn.execute("SELECT id FROM saved_searches WHERE name=?", (name,)).fetchone()
            if row:
                conn.execute("UPDATE saved_searches SET query=? WHERE id=?", (query, row[0]))
            else:
                pos = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM saved_searches").fetchone()[0]
                conn.execute("INSERT INTO saved_searches (name, query, position, created) VALUES (?,?,?,?)",
                             (name, query, pos, time.time()))
        self._write(do)
        return self.saved_search(name)

    def rename_search(self, old: str, new: str) -> None:
        new = " ".join((new or "").split())
        if not new:
            raise MarksError("A saved search needs a name.")

        def do(conn):
            if conn.execute("SELECT 1 FROM saved_searches WHERE name=?", (old,)).fetchone() is None:
                raise MarksError(f"There is no saved search named {old!r}.")
            if new != old and conn.execute("SELECT 1 FROM saved_searches WHERE name=?", (new,)).fetchone():
                raise MarksError(f"A saved search named {new!r} exists already.")
            conn.execute("UPDATE saved_searches SET name=? WHERE name=?", (new, old))
        self._write(do)

    def delete_search(self, name: str) -> None:
        self._write(lambda c: c.execute("DELETE FROM saved_searches WHERE name=?", (name,)))

    def reorder_searches(self, names: Sequence[str]) -> None:
        """Put the saved searches in this order (names not given keep their order, after these)."""
        def do(conn):
            current = [r[0] for r in conn.execute("SELECT name FROM saved_searches ORDER BY position, id")]
            order = [n for n in names if n in current] + [n for n in current if n not in names]
            for i, n in enumerate(order):
                conn.execute("UPDATE saved_searches SET position=? WHERE name=?", (i, n))
        self._write(do)

    # ------------------------------------------------------------ export / import

    def export_data(self) -> dict:
        """Every mark and saved search as JSON-ready data (:data:`EXPORT_FORMAT`)."""
        conn = self._conn()
        marks = []
        rows = conn.execute("SELECT mid, key, article_id, source, ordinal, title, start, starred, star_at, note, "
                            "note_at, read, read_at, read_changed, orphaned, created, updated FROM marks ORDER BY mid")
        full = {m: r for m, r in ((r[0], r) for r in rows)}
        loaded = {m.key + "\x00" + str(i): m for i, m in enumerate(self._load(conn, list(full)))}
        for (mid, r), m in zip(full.items(), loaded.values()):
            marks.append({"key": r[1], "article_id": r[2], "source": r[3], "ordinal": r[4], "title": r[5],
                          "start": r[6], "starred": bool(r[7]), "star_at": r[8], "note": r[9], "note_at": r[10],
                          "read": bool(r[11]), "read_at": r[12], "read_changed": r[13], "orphaned": bool(r[14]),
                          "created": r[15], "updated": r[16], "tags": list(m.tags),
                          "highlights": [h.to_dict() for h in m.highlights]})
        searches = [{"name": s.name, "query": s.query, "position": s.position} for s in self.saved_searches()]
        return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported": time.time(),
                "marks": marks, "saved_searches": searches}

    def export_file(self, path: Path | str) -> dict:
        data = self.export_data()
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return {"marks": len(data["marks"]), "saved_searches": len(data["saved_searches"])}

    def import_data(self, data: dict) -> dict:
        """Merge exported marks into this store, losing neither side (see the module's "Merging").
        Returns counts ``{"added": n, "merged": n, "saved_searches": n}``."""
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("marks"), list):
            raise MarksError("This is not a Baozhi marks file (exported with 'baozhi marks export').")
        if int(data.get("version") or 0) > EXPORT_VERSION:
            raise MarksError("This marks file was written by a newer version of Baozhi Reader.")
        counts = {"added": 0, "merged": 0, "saved_searches": 0}

        def do(conn):
            for item in data["marks"]:
                if not isinstance(item, dict) or not item.get("key"):
                    continue
                self._merge_one(conn, item, counts)
            for s in data.get("saved_searches") or []:
                if isinstance(s, dict) and s.get("name") and s.get("query"):
                    counts["saved_searches"] += self._merge_search(conn, str(s["name"]), str(s["query"]))
        self._write(do)
        return counts

    def import_file(self, path: Path | str) -> dict:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise MarksError(f"{path} does not exist.") from None
        except (OSError, UnicodeDecodeError) as err:
            raise MarksError(f"{path} could not be read ({err}).") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise MarksError(f"{path} is not valid JSON (line {err.lineno}).") from None
        return self.import_data(data)

    def _merge_one(self, conn, item: dict, counts: dict) -> None:
        key = str(item["key"])
        row = conn.execute("SELECT mid, starred, star_at, note, note_at, read, read_at, read_changed FROM marks "
                           "WHERE key=? ORDER BY (source=?) DESC, mid LIMIT 1",
                           (key, item.get("source") or "")).fetchone()
        now = time.time()
        if row is None:
            cur = conn.execute(
                "INSERT INTO marks (key, article_id, source, ordinal, title, start, starred, star_at, note, note_at, "
                "read, read_at, read_changed, orphaned, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (key, item.get("article_id"), item.get("source") or "", int(item.get("ordinal") or 0),
                 item.get("title") or "", item.get("start") or "", int(bool(item.get("starred"))),
                 float(item.get("star_at") or 0), item.get("note") or "", float(item.get("note_at") or 0),
                 int(bool(item.get("read"))), item.get("read_at"), float(item.get("read_changed") or 0),
                 0, float(item.get("created") or now), float(item.get("updated") or now)))
            mid = cur.lastrowid
            counts["added"] += 1
        else:
            mid, starred, star_at, note, note_at, read, read_at, read_changed = row
            cols = {}
            if float(item.get("star_at") or 0) > star_at:
                cols.update(starred=int(bool(item.get("starred"))), star_at=float(item["star_at"]))
            if float(item.get("read_changed") or 0) > read_changed:
                cols.update(read=int(bool(item.get("read"))), read_at=item.get("read_at"),
                            read_changed=float(item["read_changed"]))
            merged = merge_notes(note, note_at, item.get("note") or "", float(item.get("note_at") or 0))
            if merged != (note, note_at):
                cols.update(note=merged[0], note_at=merged[1])
            if cols:
                cols["updated"] = now
                conn.execute(f"UPDATE marks SET {', '.join(f'{c}=?' for c in cols)} WHERE mid=?",
                             (*cols.values(), mid))
            counts["merged"] += 1
        for i, tag in enumerate(item.get("tags") or []):
            if isinstance(tag, str) and tag.strip():
                conn.execute("INSERT OR IGNORE INTO tags (mid, tag, folded, added) VALUES (?,?,?,?)",
                             (mid, " ".join(tag.split()), fold_tag(tag), now + i * 1e-6))
        for h in item.get("highlights") or []:
            if not isinstance(h, dict) or not h.get("text"):
                continue
            same = conn.execute("SELECT hid, note, updated FROM highlights WHERE mid=? AND text=? AND prefix=? "
                                "AND suffix=?", (mid, h["text"], h.get("prefix") or "", h.get("suffix") or "")).fetchone()
            if same is None:
                hid = str(h.get("id") or uuid.uuid4().hex[:16])
                if conn.execute("SELECT 1 FROM highlights WHERE hid=?", (hid,)).fetchone():
                    hid = uuid.uuid4().hex[:16]
                conn.execute("INSERT INTO highlights (hid, mid, text, prefix, suffix, start, note, created, updated) "
                             "VALUES (?,?,?,?,?,?,?,?,?)",
                             (hid, mid, h["text"], h.get("prefix") or "", h.get("suffix") or "",
                              int(h.get("start") or 0), h.get("note") or "", float(h.get("created") or now),
                              float(h.get("updated") or now)))
            else:
                note, updated = merge_notes(same[1], same[2], h.get("note") or "", float(h.get("updated") or 0))
                conn.execute("UPDATE highlights SET note=?, updated=? WHERE hid=?", (note, updated, same[0]))

    @staticmethod
    def _merge_search(conn, name: str, query: str) -> int:
        row = conn.execute("SELECT query FROM saved_searches WHERE name=?", (name,)).fetchone()
        if row is not None and row[0] == query:
            return 0
        if conn.execute("SELECT 1 FROM saved_searches WHERE query=?", (query,)).fetchone() and row is None:
            pass  # the same query under another name: keep the imported name too
        final, n = name, 1
        while conn.execute("SELECT 1 FROM saved_searches WHERE name=?", (final,)).fetchone():
            existing = conn.execute("SELECT query FROM saved_searches WHERE name=?", (final,)).fetchone()[0]
            if existing == query:
                return 0
            n += 1
            final = f"{name} ({n})"
        pos = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM saved_searches").fetchone()[0]
        conn.execute("INSERT INTO saved_searches (name, query, position, created) VALUES (?,?,?,?)",
                     (final, query, pos, time.time()))
        return 1


def merge_notes(mine: str, mine_at: float, theirs: str, theirs_at: float) -> tuple[str, float]:
    """Two versions of a note as one: the newer first; the older, when different and not already
    in it, appended below a ``---`` line with its time. Returns ``(note, time)``."""
    if not theirs or theirs == mine or theirs in mine:
        return mine, mine_at
    if not mine or mine in theirs:
        return theirs, max(theirs_at, mine_at)
    newer, older, older_at = (theirs, mine, mine_at) if theirs_at > mine_at else (mine, theirs, theirs_at)
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(older_at)) if older_at else "?"
    return f"{newer}\n\n---\n({stamp})\n{older}", max(mine_at, theirs_at)


def _fold_note(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _readable_rows(src: sqlite3.Connection, table: str, cols: list[str]):
    """The rows of a damaged table that can be read: all at once, else one rowid at a time."""
    q = f"SELECT {','.join(cols)} FROM {table}"
    try:
        return src.execute(q).fetchall()
    except sqlite3.Error:
        pass
    rows = []
    try:
        top = src.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.Error:
        top = 100_000
    misses = 0
    for rowid in range(1, top + 1):
        try:
            r = src.execute(q + " WHERE rowid=?", (rowid,)).fetchone()
        except sqlite3.Error:
            misses += 1
            if misses > 10_000:
                break
            continue
        if r is not None:
            rows.append(r)
    return rows
