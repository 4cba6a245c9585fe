"""The article store: each source's split kept once, and a stat cache that spares reading it.

Splitting a page is the costly part of opening it, and a page's articles depend only on its bytes
and the splitter's rules. So the articles of every split are kept here, keyed by the source's
content hash and :data:`app.segment.source.SPLITTER_VERSION` (:func:`split_key`), and an
unchanged source is never split again. Beside them a **stat cache** remembers, per path, the
file's size, modification time, inode and change time with the content hash they had, the way
version-control tools do: while the stat is the same the file is not even read; when it differs
the file is read and hashed again, and re-split only if the hash changed (a touched but identical
file is not). A file modified within :data:`RACY_NS` of the moment it was hashed is not trusted
from its stat (it could change again within the clock's resolution) and is hashed again.

Everything is in one SQLite file (``articles.sqlite`` in the store's folder, WAL mode): each
write is a transaction, so a killed program leaves the store as it was before the write or after
it, never half-written. A damaged or unreadable store is set aside and made anew, with a notice in
:attr:`ArticleStore.notices` (it is a cache: nothing is lost, pages are only split again). Every
failure to write is swallowed: the store speeds things up and never stops a page from opening.

Articles are kept as two ``marshal`` blobs per split: the heads (everything but paragraphs and
entities, which the store does not keep) and the bodies (each article's paragraphs), so a list of
headlines can be read without the full text. ``Article.source`` is not stored: the same bytes
may be opened under several paths; the caller passes the name to show.

This module is the store's public API: the library (:mod:`app.library`), the command line and
the window's lazy opening may all call it. It is Qt-free. It is one module of ~770 lines because
:class:`StoredArticle` and its readers (:func:`load_paragraphs`, :func:`paragraph_texts`) are the
store's own rows seen as articles: they share its row layout (``_head``, the marshalled bodies)
and its damage handling, and nothing else reads that layout.

    store = ArticleStore(folder)                  # default: store_dir() in the data folder
    store.get(key, source="p.txt")               -> list[Article] | None   (full articles)
    store.heads(key, source="p.txt")             -> list[Article] | None   (paragraphs == [])
    store.paragraphs(key, article_id)            -> list[Paragraph] | None
    store.ids(key)                               -> list[str] | None
    store.get_many(keys) / heads_many(keys)      -> {key: list[Article]}   (one query per 500 keys)
    store.lazy_many({key: (name, path, sha256, encoding)}) -> {key: list[StoredArticle]}
    store.bodies_many(keys, texts_only=False)    -> {key: {article id: paragraphs (or texts)}}
    load_paragraphs(articles) / unload_paragraphs(articles) / paragraph_texts(articles)
    store.put(key, articles) / put_many({key: articles})
    store.lookup_stat(path, st) -> (sha256, encoding) | None;  store.remember_stat(path, st, sha256, encoding)
    store.known_list(paths, version) -> [(sha256, encoding)] | None;  store.remember_list(paths, version, entries)
    store.listed(paths, version) -> ListRow | None   (the row, unchecked);  store.remember_checked(row, commit, starts)

A **list cache** (``known_list``) answers for a whole list of paths at once, the way a command is
given them again: one row per list (the newest, up to :data:`LISTS_KEPT_BYTES`) holding every file's stat,
hash and encoding, valid while every file's stat is the same and each split is kept. It spares the
per-path look-ups of the stat cache and the check of 10,000 split keys (0.05 s at 10,000 files).
The command line's quick search also keeps, per list, what it found of one commit of the search
index (``checked``): that the index holds exactly the list's files, and where each file's articles
start in its numbering; while the list and the commit are the same, neither is read again.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sqlite3
import sys
import threading
import time
from array import array
from collections import deque
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterable

from app.model import Article, Paragraph
from app.stat_ahead import pack_stats, packed_stats, stat_tuple

log = logging.getLogger("baozhi.store")

FILE_NAME = "articles.sqlite"
SCHEMA_VERSION = 4  # 3, 4: heads carry the lede and the marks' article key (lazily opened articles)
RACY_NS = 2_000_000_000  # a file modified this close to its hashing is hashed again next time
BUSY_MS = 2000
CHUNK = 500  # keys per query of the *_many reads
# The list cache keeps the newest lists up to this size (see known_list): a list of 10,000 files
# takes ~0.8 MB, the window's 500-file steps of a 100,000-article library 20 lists of ~40 KB.
LISTS_KEPT_BYTES = 16_000_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS splits (
    key TEXT PRIMARY KEY,   -- split_key(): content hash + splitter version
    n INTEGER NOT NULL,     -- number of articles
    ids TEXT NOT NULL,      -- the articles' ids, joined by spaces
    heads BLOB NOT NULL,    -- marshal: one tuple per article, see _head()
    body BLOB NOT NULL      -- marshal: per article, a tuple of (text, kind) paragraphs
);
CREATE TABLE IF NOT EXISTS stats (
    path BLOB PRIMARY KEY,  -- absolute path as the program named it (os.fsencode: any file name)
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    checked_ns INTEGER NOT NULL,  -- when the file was hashed (wall clock)
    sha256 TEXT NOT NULL, encoding TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lists (
    digest TEXT PRIMARY KEY,  -- list_digest(): the paths, in order, and the splitter's version
    made_ns INTEGER NOT NULL, -- when it was written (wall clock): the oldest lists are let go
    entries BLOB NOT NULL     -- marshal: (packed_stats(paths), the sha256 digests, 32 bytes each,
                              -- one after another, [encoding]), one of each per path
);
CREATE TABLE IF NOT EXISTS checked (
    digest TEXT PRIMARY KEY,  -- a list's (see lists) ...
    made_ns INTEGER NOT NULL, -- ... as its row was written then: a list written again is checked again
    against TEXT NOT NULL,    -- the search index's commit that holds exactly the list's files
    starts BLOB NOT NULL      -- array('q'): each file's first article number there, and the total
);
"""


def store_dir() -> Path:
    """The store's default folder: ``store/`` in the user's data folder (``BAOZHI_DATA_DIR`` in tests)."""
    from app.paths import data_dir

    return data_dir() / "store"


def split_key(sha256: str, version: str | None = None) -> str:
    """The key of a source's split: its content hash and the splitter's version."""
    if version is None:
        from app.library import splitter_version

        version = splitter_version()
    return f"{sha256}.{version}"


def _head(a: Article) -> tuple:
    from app.marks.anchors import article_key

    # the last two: what a list row and the reader's marks need of the body (StoredArticle)
    return (a.id, a.ordinal, a.kicker, a.title, a.subtitle, list(a.authors), list(a.author_roles), a.date,
            a.related_to, a.page, a.page_name, a.issue_date, tuple(a.page_lines), a.lede, article_key(a))


def _article(head: tuple, source: str, paragraphs: list[Paragraph] | None, origin: "_Origin | None" = None) -> Article:
    (aid, ordinal, kicker, title, subtitle, authors, roles, date, related_to, page, page_name, issue_date,
     page_lines, lede, mark_key) = head
    fields = dict(title=title, kicker=kicker, subtitle=subtitle, authors=authors, date=date, source=source,
                  ordinal=ordinal, related_to=related_to, id=aid, author_roles=roles, page=page,
                  page_name=page_name, issue_date=issue_date, page_lines=page_lines)
    if origin is None:
        return Article(paragraphs=paragraphs if paragraphs is not None else [], **fields)
    a = StoredArticle(paragraphs=None, **fields)
    a._origin, a._lede, a.mark_key = origin, lede, mark_key
    return a


_INTERNED = (2, 7, 9, 10, 11)  # head fields that repeat from article to article: kicker, date, page, page name, issue date


def _shared(heads: list) -> list:
    """The heads with what repeats held once: a page's lines (the same tuple for every article of
    the page), dates, page names, the authors' roles (a library of heads is kept in memory)."""
    intern, pages = sys.intern, {}
    out = []
    for h in heads:
        h = list(h)
        for k in _INTERNED:
            if h[k] is not None:
                h[k] = intern(h[k])
        h[6] = [intern(r) for r in h[6]]
        h[12] = pages.setdefault(h[12], h[12])
        out.append(h)
    return out


# --- articles whose paragraphs stay in the store until read --------------------------------------

_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_PARAGRAPHS = Article.__dict__["paragraphs"]  # the slot's own descriptor (StoredArticle shadows it)
LOADED_MAX = 3000  # stored articles whose paragraphs are kept in memory once read (the latest read)
_loaded: deque = deque()
_loaded_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a lazily opened source's articles are read from: its store and key, and the file
    itself should the store have lost them."""

    store: "ArticleStore"
    key: str
    path: str
    sha256: str
    encoding: str

    def paragraphs(self, article_id: str) -> list[Paragraph]:
        found = self.store.paragraphs(self.key, article_id)
        if found is not None:
            return found
        return self._split_again().get(article_id, [])

    def _split_again(self) -> dict[str, list[Paragraph]]:
        """The store lost this split (made anew after damage): the file is split again and kept;
        a file that changed or went away since it was opened gives no paragraphs (and says so)."""
        from app.library import parse_source
        from app.sources import SourceError, read_source

        try:
            text = read_source(self.path)
        except SourceError as err:
            log.warning("baozhi: %s: the article's text cannot be read again (%s)", self.path, err.reason)
            return {}
        if text.sha256 != self.sha256:
            log.warning("baozhi: %s changed since it was opened; reload it to read its articles", self.path)
            return {}
        articles = parse_source(text)
        self.store.put(self.key, articles)
        return {a.id: a.paragraphs for a in articles}


class StoredArticle(Article):
    """An article opened lazily: its heads (title, kicker, authors, dates, page, its lede and the
    marks' article key) are in memory, its paragraphs are read from the article store the first
    time they are asked for (the reading pane, a search's scan, an export) and let go again when
    :data:`LOADED_MAX` newer ones have been read. At 100,000 articles the window holds the heads
    only: memory does not grow with the archive's full text.

    Setting ``paragraphs`` (a correction does) makes it an ordinary article: what was set stays."""

    __slots__ = ("_origin", "_lede", "mark_key")

    def _get_paragraphs(self) -> list[Paragraph]:
        paragraphs = _PARAGRAPHS.__get__(self)
        if paragraphs is None:
            origin = getattr(self, "_origin", None)
            paragraphs = origin.paragraphs(self.id) if origin is not None else []
            _PARAGRAPHS.__set__(self, paragraphs)
            if origin is not None:
                _remember_loaded(self)
        return paragraphs

    def _set_paragraphs(self, paragraphs: list[Paragraph] | None) -> None:
        _PARAGRAPHS.__set__(self, paragraphs)
        if paragraphs is not None:  # (None: made by the store, to be read later)
            self._origin = None
            self._lede = self.mark_key = None

    paragraphs = property(_get_paragraphs, _set_paragraphs)

    @property
    def paragraphs_loaded(self) -> bool:
        return _PARAGRAPHS.__get__(self) is not None

    @property
    def lede(self) -> str:
        lede = getattr(self, "_lede", None)
        return lede if lede is not None else Article.lede.fget(self)

    def unload(self) -> None:
        """Let the paragraphs go (read again when next asked for); not for a set article."""
        if getattr(self, "_origin", None) is not None:
            _PARAGRAPHS.__set__(self, None)

    def __reduce__(self):
        """Pickled as the plain :class:`Article` it reads as, paragraphs included (read now if
        they are not: :func:`load_paragraphs` first reads many in a few queries); its store
        stays in this process. The index's writer processes take articles so."""
        return _plain_article, (tuple(getattr(self, name) for name in _ARTICLE_FIELDS),)

    def __copy__(self) -> "StoredArticle":
        """A shallow copy that is still read lazily, as before pickling had its own way (a
        correction copies the articles it changes): nothing is read for it."""
        copy = StoredArticle.__new__(StoredArticle)
        for name in _ARTICLE_FIELDS:
            if name != "paragraphs":
                setattr(copy, name, getattr(self, name))
        _PARAGRAPHS.__set__(copy, _PARAGRAPHS.__get__(self))
        for name in StoredArticle.__slots__:
            if hasattr(self, name):
                setattr(copy, name, getattr(self, name))
        return copy


def _plain_article(values: tuple) -> Article:
    article = Article.__new__(Article)
    for name, value in zip(_ARTICLE_FIELDS, values):
        setattr(article, name, value)
    return article


def _remember_loaded(article: StoredArticle) -> None:
    with _loaded_lock:
        _loaded.append(article)
        while len(_loaded) > LOADED_MAX:
            _loaded.popleft().unload()


def _unread_bodies(articles: Iterable[Article], texts_only: bool):
    """``(article, its paragraphs)`` for each lazily opened article among ``articles`` whose
    paragraphs are not read, read in one query per store (per 500 sources), not one per article;
    an article its store no longer has is left out (read one by one when asked, which splits the
    file again). ``texts_only``: the paragraphs' texts (:meth:`ArticleStore.bodies_many`)."""
    waiting: dict[_Origin, list[StoredArticle]] = {}
    for a in articles:
        if isinstance(a, StoredArticle) and not a.paragraphs_loaded and getattr(a, "_origin", None) is not None:
            waiting.setdefault(a._origin, []).append(a)
    by_store: dict[int, list[_Origin]] = {}
    for origin in waiting:
        by_store.setdefault(id(origin.store), []).append(origin)
    for origins in by_store.values():
        found = origins[0].store.bodies_many([o.key for o in origins], texts_only=texts_only)
        for origin in origins:
            bodies = found.get(origin.key, {})
            for a in waiting[origin]:
                if a.id in bodies:
                    yield a, bodies[a.id]


def load_paragraphs(articles: Iterable[Article]) -> list[StoredArticle]:
    """Read the paragraphs of the lazily opened articles among ``articles`` in a few queries (a
    whole-library pass, an export), rather than one query each; they are not counted against
    :data:`LOADED_MAX` (the caller holds them as long as it needs them, then they may be let go
    with :meth:`StoredArticle.unload`). Returns the articles it read."""
    filled: list[StoredArticle] = []
    for a, paragraphs in _unread_bodies(articles, texts_only=False):
        _PARAGRAPHS.__set__(a, paragraphs)
        filled.append(a)
    return filled


def paragraph_texts(articles: Iterable[Article]) -> dict[str, list[str]]:
    """The paragraphs' texts of every article among ``articles`` whose paragraphs are not read,
    by article id, in a few queries, making no object but the strings (the snippets of thousands
    of articles: thousands of ``Paragraph`` objects made and dropped brought on the cyclic
    collector's full passes, 100-160 ms each at 100k articles). Loaded ones are left out."""
    return {a.id: texts for a, texts in _unread_bodies(articles, texts_only=True)}


def unload_paragraphs(articles: Iterable[Article]) -> None:
    """Let go of the paragraphs :func:`load_paragraphs` read (they are read again when asked for)."""
    for a in articles:
        if isinstance(a, StoredArticle):
            a.unload()


def _paragraphs(rows) -> list[Paragraph]:
    return [Paragraph(text, kind) for text, kind in rows]


def _path_key(path: str | Path) -> bytes:
    """A path as the stat cache keys it: absolute, as bytes (any file name)."""
    path = os.fspath(path)
    plain = os.sep == "/" and path.startswith("/") and "/." not in path and "//" not in path  # (abspath's no-op)
    return os.fsencode(path if plain else os.path.abspath(path))


def list_digest(paths: list, version: str) -> str:
    """The list cache's key of ``paths`` (in order, as given: a relative path is taken in the
    current folder, which is part of the key) and a splitter version."""
    h = hashlib.blake2b(version.encode("utf-8"), digest_size=16)
    h.update(os.fsencode(os.getcwd()))
    h.update("\0".join(map(os.fspath, paths)).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


@dataclass(slots=True)
class ListRow:
    """A row of the list cache (:meth:`ArticleStore.listed`), as stored: the files' stats packed
    (:func:`app.stat_ahead.pack_stats`), their content hashes as 32 bytes each one after another
    (read as one object, not 10,000 strings: ~2 ms of every quick search at 10,000 files) and
    their encodings; ``checked``: ``(index commit, starts)`` of :meth:`ArticleStore.remember_checked`."""

    digest: str
    made_ns: int
    stats: bytes
    shas: bytes
    encodings: list
    checked: tuple[str, bytes] | None = None

    def key(self, i: int) -> str:
        """The ``i``-th file's sha256, as hex (what the index and the splits are keyed by)."""
        return self.shas[32 * i:32 * i + 32].hex()

    def keys(self) -> list[str]:
        """Every file's sha256 as hex, in order."""
        text = self.shas.hex()
        return [text[i:i + 64] for i in range(0, len(text), 64)]

    def indices_with(self, keys: set[str]) -> list[int]:
        """The places, in order, of the files whose sha256 is one of ``keys`` (a page given twice
        has two), found in the packed hashes without making every file's key."""
        found = []
        for key in keys:
            packed = bytes.fromhex(key)
            at = self.shas.find(packed)
            while at >= 0:
                if at % 32 == 0:
                    found.append(at // 32)
                at = self.shas.find(packed, at + 1)
        return sorted(found)

    def starts_against(self, commit: str) -> "array | None":
        """The files' first article numbers in the index commit ``commit`` when this list was
        checked against it (see :meth:`ArticleStore.remember_checked`); None otherwise."""
        if self.checked is None or self.checked[0] != commit:
            return None
        starts = array("q")
        try:
            starts.frombytes(self.checked[1])
        except ValueError:
            return None
        return starts if len(starts) == len(self.encodings) + 1 else None


class ArticleStore:
    """The splits of sources and the stat cache, in ``folder/articles.sqlite`` (see the module
    docstring). Safe to share between threads (one connection behind a lock); each process opens
    its own. ``notices`` collects what the reader should be told (a damaged store rebuilt)."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else store_dir()
        self.path = self.folder / FILE_NAME
        self.notices: list[str] = []
        self._db: sqlite3.Connection | None = None
        self._broken = False  # the store could not be opened at all: work without it
        self._lock = threading.RLock()
        self._stats: dict[str, tuple] | None = None

    # --- opening, damage --------------------------------------------------------------------

    def _conn(self, create: bool = True) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        if not create and not self.path.exists():  # nothing kept yet: reads make no folder or file
            return None
        try:
            self._db = self._open()
        except (sqlite3.DatabaseError, OSError) as err:
            self._rebuild(err)
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, check_same_thread=False,
                             isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):  # another layout: a cache, made anew
                db.executescript("DROP TABLE IF EXISTS splits; DROP TABLE IF EXISTS stats; "
                             "DROP TABLE IF EXISTS lists;")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM stats WHERE rowid < 0").fetchone()  # reads the schema page
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self, err: Exception) -> None:
        """Set the damaged store aside and start an empty one (or, failing that, work without one)."""
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None
        self._stats = None
        for suffix in ("", "-wal", "-shm"):  # a cache: nothing in it is lost, pages are split again
            try:
                self.path.with_name(self.path.name + suffix).unlink()
            except FileNotFoundError:
                pass
            except OSError as gone:
                log.info("article store: %s", gone)
        try:
            self._db = self._open()
        except (sqlite3.DatabaseError, OSError) as again:
            self._broken = True
            message = (f"The article store {self.path} cannot be used ({again}); pages are split each time "
                       "they are opened.")
        else:
            message = (f"The article store {self.path} was damaged ({err}) and has been made anew; "
                       "pages are split again once.")
        log.warning("baozhi: %s", message)
        self.notices.append(message)

    def _query(self, sql: str, params: Iterable = ()) -> list:
        """Rows of a read; a damaged store is rebuilt (and answers nothing)."""
        with self._lock:
            db = self._conn(create=False)
            if db is None:
                return []
            try:
                return db.execute(sql, tuple(params)).fetchall()
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    return []
                self._rebuild(err)
            except sqlite3.DatabaseError as err:
                self._rebuild(err)
            return []

    def _write(self, sql: str, rows: list[tuple]) -> bool:
        """One transaction; False (and nothing written) when the store is busy, read-only or damaged."""
        if not rows:
            return True
        with self._lock:
            db = self._conn()
            if db is None:
                return False
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany(sql, rows)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                return True
            except sqlite3.OperationalError as err:
                log.info("article store not written: %s", err)
                return False
            except sqlite3.DatabaseError as err:
                self._rebuild(err)
                return False

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    self._db.close()
                except sqlite3.Error:
                    pass
                self._db = None

    # --- splits -----------------------------------------------------------------------------

    def put(self, key: str, articles: list[Article]) -> bool:
        """Keep ``articles`` (a source's split) under ``key``; True when written."""
        return self.put_many({key: articles})

    def put_many(self, splits: dict[str, list[Article]]) -> bool:
        """Keep several splits in one transaction."""
        rows = []
        for key, articles in splits.items():
            heads = marshal.dumps([_head(a) for a in articles])
            body = marshal.dumps([tuple((p.text, p.kind) for p in a.paragraphs) for a in articles])
            rows.append((key, len(articles), " ".join(a.id for a in articles), heads, body))
        return self._write("INSERT OR REPLACE INTO splits (key, n, ids, heads, body) VALUES (?, ?, ?, ?, ?)",
                           rows)

    def get(self, key: str, source: str = "") -> list[Article] | None:
        """The articles kept under ``key`` with their paragraphs (``source`` as their source), or
        None when the store has no such split."""
        return self.get_many([key], {key: source}).get(key)

    def heads(self, key: str, source: str = "") -> list[Article] | None:
        """The articles under ``key`` without their paragraphs (``paragraphs == []``): titles,
        kicker, subtitle, authors and credits, date, page fields, ids, ordinal, related_to."""
        return self.heads_many([key], {key: source}).get(key)

    def get_many(self, keys: Iterable[str], sources: dict[str, str] | None = None) -> dict[str, list[Article]]:
        """``{key: articles}`` for the keys the store holds; ``sources`` names each key's source."""
        return self._read_many(keys, sources or {}, with_body=True)

    def heads_many(self, keys: Iterable[str], sources: dict[str, str] | None = None) -> dict[str, list[Article]]:
        """:meth:`heads` of many keys at once."""
        return self._read_many(keys, sources or {}, with_body=False)

    def lazy_many(self, origins: dict[str, tuple[str, str, str, str]]) -> dict[str, list[StoredArticle]]:
        """``{key: articles}`` as :class:`StoredArticle` (heads now, paragraphs when read) for
        ``origins``: ``{key: (source name, path, sha256, encoding)}``."""
        return self._read_many(origins, {k: v[0] for k, v in origins.items()}, with_body=False,
                               origins={k: _Origin(self, k, *v[1:]) for k, v in origins.items()})

    def _read_many(self, keys: Iterable[str], sources: dict[str, str], with_body: bool,
                   origins: dict[str, _Origin] | None = None) -> dict[str, list[Article]]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, list[Article]] = {}
        columns = "key, heads, body" if with_body else "key, heads"
        for start in range(0, len(keys), CHUNK):
            part = keys[start:start + CHUNK]
            rows = self._query(f"SELECT {columns} FROM splits WHERE key IN ({','.join('?' * len(part))})", part)
            for row in rows:
                try:
                    heads = marshal.loads(row[1])
                    source = sources.get(row[0], "")
                    if with_body:
                        bodies = marshal.loads(row[2])
                        if len(bodies) != len(heads):
                            raise ValueError("heads and bodies differ in number")
                        out[row[0]] = [_article(h, source, _paragraphs(b)) for h, b in zip(heads, bodies)]
                    else:
                        origin = origins.get(row[0]) if origins else None
                        out[row[0]] = [_article(h, source, [], origin) for h in _shared(heads)]
                except (ValueError, TypeError, EOFError) as err:  # a damaged row: split again
                    log.warning("baozhi: a damaged entry of the article store is split again (%s)", err)
                    out.pop(row[0], None)
        return out

    def bodies_many(self, keys: Iterable[str], texts_only: bool = False) -> dict[str, dict[str, list]]:
        """``{key: {article id: paragraphs}}`` for the keys the store holds (no article made);
        with ``texts_only`` the paragraphs' texts, no ``Paragraph`` made either."""
        keys = list(dict.fromkeys(keys))
        out: dict[str, dict[str, list[Paragraph]]] = {}
        for start in range(0, len(keys), CHUNK):
            part = keys[start:start + CHUNK]
            for key, ids, body in self._query(
                    f"SELECT key, ids, body FROM splits WHERE key IN ({','.join('?' * len(part))})", part):
                try:
                    bodies = marshal.loads(body)
                    names = ids.split(" ") if bodies else []
                    if len(names) != len(bodies):
                        raise ValueError("ids and bodies differ in number")
                    if texts_only:
                        out[key] = {aid: [row[0] for row in rows] for aid, rows in zip(names, bodies)}
                    else:
                        out[key] = {aid: _paragraphs(rows) for aid, rows in zip(names, bodies)}
                except (ValueError, TypeError, EOFError) as err:  # a damaged row: read one by one later
                    log.warning("baozhi: a damaged entry of the article store is split again (%s)", err)
        return out

    def paragraphs(self, key: str, article_id: str) -> list[Paragraph] | None:
        """The paragraphs of one article of a kept split, or None when it is not there."""
        rows = self._query("SELECT ids, body FROM splits WHERE key = ?", (key,))
        if not rows:
            return None
        ids = rows[0][0].split(" ")
        try:
            at = ids.index(article_id)
            return _paragraphs(marshal.loads(rows[0][1])[at])
        except (ValueError, TypeError, EOFError, IndexError):
            return None

    def ids(self, key: str) -> list[str] | None:
        """The ids of the articles kept under ``key``, in order, without reading the articles."""
        return self.ids_many([key]).get(key)

    def ids_many(self, keys: Iterable[str]) -> dict[str, list[str]]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, list[str]] = {}
        for start in range(0, len(keys), CHUNK):
            part = keys[start:start + CHUNK]
            for key, n, ids in self._query(
                    f"SELECT key, n, ids FROM splits WHERE key IN ({','.join('?' * len(part))})", part):
                out[key] = ids.split(" ") if n else []
        return out

    def has_many(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` the store holds a split of (nothing else read)."""
        keys = list(dict.fromkeys(keys))
        out: set[str] = set()
        for start in range(0, len(keys), CHUNK):
            part = keys[start:start + CHUNK]
            out.update(r[0] for r in self._query(
                f"SELECT key FROM splits WHERE key IN ({','.join('?' * len(part))})", part))
        return out

    def has(self, key: str) -> bool:
        return bool(self._query("SELECT 1 FROM splits WHERE key = ?", (key,)))

    def forget(self, key: str) -> None:
        self._write("DELETE FROM splits WHERE key = ?", [(key,)])

    # --- stat cache -------------------------------------------------------------------------

    def _all_stats(self) -> dict[str, tuple]:
        if self._stats is None:
            rows = self._query("SELECT path, size, mtime_ns, ino, ctime_ns, checked_ns, sha256, encoding FROM stats")
            self._stats = {r[0]: r[1:] for r in rows}
        return self._stats

    def lookup_stat(self, path: str | Path, st: os.stat_result) -> tuple[str, str] | None:
        """``(sha256, encoding)`` of the file at ``path`` when its stat is the one it had when it
        was hashed (and it was not modified within :data:`RACY_NS` of that moment), else None:
        then the file must be read and hashed."""
        row = self._all_stats().get(_path_key(path))
        if row is None:
            return None
        size, mtime_ns, ino, ctime_ns, checked_ns, sha256, encoding = row
        if (size, mtime_ns, ino, ctime_ns) != stat_tuple(st):
            return None
        if mtime_ns >= checked_ns - RACY_NS:
            return None
        return sha256, encoding

    def remember_stat(self, path: str | Path, st: os.stat_result, sha256: str, encoding: str) -> None:
        """Note that the file at ``path`` had ``sha256`` while its stat was ``st`` (call with the
        stat taken *before* reading the file)."""
        self.remember_stats([(path, st, sha256, encoding)])

    # --- list cache ---------------------------------------------------------------------------

    def listed(self, paths: list, version: str) -> "ListRow | None":
        """The list cache's row for ``paths``, not checked (see :class:`ListRow`), with what the
        command line found of an index for it (:meth:`remember_checked`); None when there is
        none (or it is damaged, or of another layout)."""
        digest = list_digest(paths, version)
        rows = self._query("SELECT l.made_ns, l.entries, c.against, c.starts FROM lists AS l LEFT JOIN checked AS c "
                           "ON c.digest = l.digest AND c.made_ns = l.made_ns WHERE l.digest = ?", (digest,))
        if not rows:
            return None
        made_ns, entries, against, starts = rows[0]
        try:
            stats, shas, encodings = marshal.loads(entries)
        except (ValueError, EOFError, TypeError):
            return None
        n = len(paths)
        if type(stats) is not bytes or type(shas) is not bytes or type(encodings) is not list \
                or not len(stats) == len(shas) == 32 * n or len(encodings) != n:
            return None
        checked = (against, starts) if type(against) is str and type(starts) is bytes else None
        return ListRow(digest, made_ns, stats, shas, encodings, checked)

    def known_list(self, paths: list, version: str) -> list[tuple[str, str]] | None:
        """``(sha256, encoding)`` of each of ``paths`` when the list was remembered
        (:meth:`remember_list`) with every file's stat as it is now, none modified within
        :data:`RACY_NS` of its hashing; else None (then look each path up as usual). Every split
        of a remembered list was kept when it was remembered, and splits are only ever let go
        with the whole store (the list goes with them). (The command line's quick search reads
        the row with :meth:`listed` and takes the stats meanwhile: :class:`app.stat_ahead.StatsAhead`.)"""
        row = self.listed(paths, version)
        if row is None:
            return None
        stats = packed_stats(paths)
        # (a file replaced by a folder or anything else has another inode and change time)
        return list(zip(row.keys(), row.encodings)) if stats is not None and stats == row.stats else None

    def remember_list(self, paths: list, version: str, entries: list[tuple]) -> None:
        """Remember ``paths`` (in order) with, per path, ``(stat_result, sha256, encoding)``:
        call only when every path is a file whose split the store keeps. Not remembered when a
        file was modified within :data:`RACY_NS` of now (its stat could not vouch for it)."""
        now = time.time_ns()
        if any(st.st_mtime_ns >= now - RACY_NS for st, _sha256, _encoding in entries):
            return
        stats = pack_stats(st for st, _sha256, _encoding in entries)
        if stats is None:  # (a figure beyond 64 bits: no list vouches for these files)
            return
        try:
            shas = bytes.fromhex("".join(sha256 for _st, sha256, _encoding in entries))
        except ValueError:
            return
        if len(shas) != 32 * len(entries):
            return
        encodings = [encoding for _st, _sha256, encoding in entries]
        digest = list_digest(paths, version)
        if self._write("INSERT OR REPLACE INTO lists (digest, made_ns, entries) VALUES (?, ?, ?)",
                       [(digest, now, marshal.dumps((stats, shas, encodings)))]):
            kept, old = 0, []
            for name, size in self._query("SELECT digest, length(entries) FROM lists ORDER BY made_ns DESC"):
                kept += size
                if kept > LISTS_KEPT_BYTES and name != digest:
                    old.append((name,))
            self._write("DELETE FROM lists WHERE digest = ?", old)
            self._write("DELETE FROM checked WHERE digest = ?", old)

    def remember_checked(self, row: "ListRow", commit: str, starts: bytes) -> None:
        """Keep that the index commit ``commit`` holds exactly the files of ``row``'s list, each
        file's articles numbered from ``starts`` there (``array('q')`` bytes, one more than the
        files: the total last). Not kept when the store is busy; it is found again next time."""
        self._write("INSERT OR REPLACE INTO checked (digest, made_ns, against, starts) VALUES (?, ?, ?, ?)",
                    [(row.digest, row.made_ns, commit, starts)])

    def remember_stats(self, entries: Iterable[tuple]) -> None:
        now = time.time_ns()
        rows = []
        for path, st, sha256, encoding in entries:
            key = _path_key(path)
            row = (*stat_tuple(st), now, sha256, encoding)
            if self._stats is not None:
                if self._stats.get(key) == row:
                    continue
                self._stats[key] = row
            rows.append((key, *row))
        self._write("INSERT OR REPLACE INTO stats (path, size, mtime_ns, ino, ctime_ns, checked_ns, sha256, "
                    "encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
