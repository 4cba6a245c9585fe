"""``baozhi marks`` and ``baozhi saved``: the reader's marks and saved searches on the command line.

    baozhi marks list [SOURCE ...] [--starred] [--unread] [--tag T] [--orphaned] [--json]
    baozhi marks set SOURCE ... --select N,M [--star|--unstar] [--tag T] [--untag T] [--note TEXT] [--read|--unread]
    baozhi marks export --out F.json [--force]
    baozhi marks import F.json
    baozhi saved list [--json]
    baozhi saved add NAME QUERY | rename OLD NEW | delete NAME
    baozhi saved run NAME [SOURCE ...] [--limit N] [--json]

The marks live in the data folder's store (:func:`app.marks.active_store`); given sources, the
marks are first attached to their articles (:meth:`app.marks.MarkStore.attach`), so the numbers
printed are the numbers ``baozhi articles`` and ``--select`` use. Errors are one line on stderr
(:class:`~app.cli.common.CliError`).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from app.cli.commands import _print_json
from app.cli.common import CliError

COMMANDS_HELP = {"marks": "the reader's marks: list, set, export, import",
                 "saved": "saved searches: list, add, rename, delete, run"}


def add_parsers(sub, common) -> None:
    """The ``marks`` and ``saved`` sub-commands (``common`` adds SOURCE... and --index-dir)."""
    p = sub.add_parser("marks", help=COMMANDS_HELP["marks"])
    msub = p.add_subparsers(dest="action", metavar="ACTION")
    msub.required = True

    q = msub.add_parser("list", help="list marked articles (of SOURCEs when given, else every mark kept)")
    q.add_argument("sources", nargs="*", metavar="SOURCE")
    q.add_argument("--starred", action="store_true", help="starred articles only")
    q.add_argument("--unread", action="store_true", help="articles not marked read only")
    q.add_argument("--tag", metavar="T", help="articles with this tag (or a tag under it, T/...) only")
    q.add_argument("--orphaned", action="store_true", help="marks whose article was not found")
    q.add_argument("--json", action="store_true", help="print JSON")

    q = msub.add_parser("set", help="star, tag, note or mark read the --select'ed articles of SOURCEs")
    q.add_argument("sources", nargs="+", metavar="SOURCE")
    q.add_argument("--select", required=True, metavar="N,M,...", help="article numbers as 'baozhi articles' lists them")
    star = q.add_mutually_exclusive_group()
    star.add_argument("--star", action="store_true")
    star.add_argument("--unstar", action="store_true")
    q.add_argument("--tag", action="append", default=[], metavar="T", help="add a tag (repeatable)")
    q.add_argument("--untag", action="append", default=[], metavar="T", help="remove a tag (repeatable)")
    q.add_argument("--note", metavar="TEXT", help="set the note ('' removes it)")
    read = q.add_mutually_exclusive_group()
    read.add_argument("--read", action="store_true")
    read.add_argument("--unread", action="store_true")

    q = msub.add_parser("export", help="write every mark and saved search to a JSON file")
    q.add_argument("--out", required=True, type=Path, help="the JSON file to write")
    q.add_argument("--force", action="store_true", help="overwrite an existing file")

    q = msub.add_parser("import", help="merge a file written by 'baozhi marks export' into the marks kept here")
    q.add_argument("file", type=Path, metavar="FILE.json")

    p = sub.add_parser("saved", help=COMMANDS_HELP["saved"])
    ssub = p.add_subparsers(dest="action", metavar="ACTION")
    ssub.required = True
    q = ssub.add_parser("list", help="list the saved searches in their order")
    q.add_argument("--json", action="store_true")
    q = ssub.add_parser("add", help="save a search (or change a saved one's query)")
    q.add_argument("name")
    q.add_argument("query")
    q = ssub.add_parser("rename", help="rename a saved search")
    q.add_argument("old")
    q.add_argument("new")
    q = ssub.add_parser("delete", help="delete a saved search")
    q.add_argument("name")
    q = ssub.add_parser("run", help="run a saved search over SOURCEs")
    q.add_argument("name")
    common(q)
    q.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20; 0 for all)")
    q.add_argument("--json", action="store_true")


def _store():
    from app.marks import active_store

    try:
        store = active_store()
    except (sqlite3.Error, OSError) as err:
        raise CliError(f"the marks database cannot be opened ({err})") from None
    if store.notice:
        print(f"baozhi: {store.notice}", file=sys.stderr)
        store.notice = None
    return store


def _guarded(fn):
    def run(args: argparse.Namespace) -> int:
        from app.marks import MarksError

        try:
            return fn(args)
        except MarksError as err:
            raise CliError(str(err)) from None
        except sqlite3.OperationalError as err:
            raise CliError(f"the marks database could not be used ({err})") from None
    return run


def _attached(sources: list[str]):
    """The library of ``sources`` with the marks attached to its articles."""
    from app.cli.commands import load_library

    library = load_library(sources)
    store = _store()
    store.attach(library.articles)
    return library, store


# ------------------------------------------------------------------ marks


def cmd_marks(args: argparse.Namespace) -> int:
    return {"list": _marks_list, "set": _marks_set, "export": _marks_export, "import": _marks_import}[args.action](args)


@_guarded
def _marks_list(args: argparse.Namespace) -> int:
    from app.marks import fold_tag

    if args.sources:
        library, store = _attached(args.sources)
        by_id = store.marks_by_id()
        rows = [(n, m) for n, a in enumerate(library.articles) if (m := by_id.get(a.id)) is not None]
        if args.orphaned:
            loaded = {a.source for a in library.articles}
            rows = [(None, m) for m in store.orphans() if m.source in loaded]
    else:
        store = _store()
        rows = [(None, m) for m in (store.orphans() if args.orphaned else store.all_marks())]
    if args.starred:
        rows = [(n, m) for n, m in rows if m.starred]
    if args.unread:
        rows = [(n, m) for n, m in rows if not m.read]
    if args.tag:
        want = fold_tag(args.tag)
        rows = [(n, m) for n, m in rows if any(fold_tag(t) == want or fold_tag(t).startswith(want + "/")
                                                for t in m.tags)]
    rows = [(n, m) for n, m in rows if not m.empty]
    if args.json:
        _print_json([{"number": n, **m.to_dict()} if n is not None else m.to_dict() for n, m in rows])
        return 0
    for n, m in rows:
        flags = ("★" if m.starred else " ") + (" " if m.read else "•")
        head = f"{n:>3}  " if n is not None else ""
        line = f"{head}{flags} {m.title}"
        if m.tags:
            line += "  [" + ", ".join(m.tags) + "]"
        if n is None:
            line += f"  — {m.source}"
        print(line)
        if m.note:
            first = m.note.strip().splitlines()[0] if m.note.strip() else ""
            print(f"       note: {first}")
        for h in m.highlights:
            print(f"       「{h.text}」" + (f" — {h.note}" if h.note else ""))
    print(f"{len(rows)} marked article{'' if len(rows) == 1 else 's'}", file=sys.stderr)
    return 0


@_guarded
def _marks_set(args: argparse.Namespace) -> int:
    from app.cli.commands import parse_selection

    library, store = _attached(args.sources)
    chosen = [library.articles[i] for i in parse_selection(args.select, len(library.articles))]
    if not (args.star or args.unstar or args.tag or args.untag or args.note is not None or args.read or args.unread):
        raise CliError("say what to set: --star, --unstar, --tag, --untag, --note, --read or --unread")
    for a in chosen:
        if args.star or args.unstar:
            store.set_starred(a, args.star)
        for t in args.tag:
            store.add_tag(a, t)
        for t in args.untag:
            store.remove_tag(a, t)
        if args.note is not None:
            store.set_note(a, args.note)
        if args.read or args.unread:
            store.set_read(a, args.read)
    print(f"{len(chosen)} article{'' if len(chosen) == 1 else 's'} marked", file=sys.stderr)
    return 0


@_guarded
def _marks_export(args: argparse.Namespace) -> int:
    from app.export import ExportError, ExportExists, write_text

    data = _store().export_data()
    try:
        path = write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", args.out, force=args.force)
    except ExportExists as err:
        raise CliError(f"{err.path} already exists; --force overwrites it") from None
    except ExportError as err:
        raise CliError(str(err)) from None
    print(path)
    print(f"{len(data['marks'])} marked articles and {len(data['saved_searches'])} saved searches exported",
          file=sys.stderr)
    return 0


@_guarded
def _marks_import(args: argparse.Namespace) -> int:
    counts = _store().import_file(args.file)
    print(f"{counts['added']} marked articles added, {counts['merged']} merged, "
          f"{counts['saved_searches']} saved searches added", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ saved searches


def cmd_saved(args: argparse.Namespace) -> int:
    return {"list": _saved_list, "add": _saved_add, "rename": _saved_rename, "delete": _saved_delete,
            "run": _saved_run}[args.action](args)


@_guarded
def _saved_list(args: argparse.Namespace) -> int:
    searches = _store().saved_searches()
    if args.json:
        _print_json([{"name": s.name, "query": s.query, "position": s.position} for s in searches])
        return 0
    for s in searches:
        print(f"{s.name}\t{s.query}")
    return 0


@_guarded
def _saved_add(args: argparse.Namespace) -> int:
    _store().save_search(args.name, args.query)
    return 0


@_guarded
def _saved_rename(args: argparse.Namespace) -> int:
    _store().rename_search(args.old, args.new)
    return 0


@_guarded
def _saved_delete(args: argparse.Namespace) -> int:
    store = _store()
    if store.saved_search(args.name) is None:
        raise CliError(f"there is no saved search named {args.name!r}; 'baozhi saved list' lists them")
    store.delete_search(args.name)
    return 0


@_guarded
def _saved_run(args: argparse.Namespace) -> int:
    from app.cli.commands import search_and_print

    if args.limit < 0:
        raise CliError("--limit must be 0 (all hits) or more")
    saved = _store().saved_search(args.name)
    if saved is None:
        raise CliError(f"there is no saved search named {args.name!r}; 'baozhi saved list' lists them")
    return search_and_print(args.sources, saved.query, args.index_dir, args.limit, args.json, name=saved.name)


# ------------------------------------------------------------------ marks for other commands


def attach_marks(articles: list) -> None:
    """Match the marks database to ``articles`` (by id, else by each article's stable key), for
    ``export --marks`` and a search naming marks."""
    _store().attach(articles)


COMMANDS = {"marks": cmd_marks, "saved": cmd_saved}
