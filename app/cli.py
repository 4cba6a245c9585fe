"""The ``baozhi`` command: the window by default, and sub-commands for scripts and tests.

Contract (see README): ``--json`` output is UTF-8 JSON on stdout; progress and errors go to
stderr; bad input exits non-zero with one human-readable line. Qt is imported only when the
window (or a screenshot) is asked for.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from app import __version__, index_worker
from app.library import Library, annotate_sources
from app.model import Article
from app.paths import sample_page
from app.sources import SourceError

EXIT_BAD_INPUT = 2

SUBCOMMANDS = ("articles", "search", "index", "entities", "export")


class CliError(Exception):
    """A problem to report as one line on stderr with a non-zero exit."""


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="newspaper text files (default: the bundled sample)")
    parser.add_argument("--index-dir", type=Path, help="where the search index lives (default: the user data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baozhi",
        description="Baozhi Reader (报纸阅读器): read, search and export Chinese newspaper pages offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("articles", help="list the articles of newspaper pages")
    _common(p)
    p.add_argument("--json", action="store_true", help="print the articles as JSON")

    p = sub.add_parser("search", help="search the articles (builds or updates the index first)")
    p.add_argument("query", metavar="QUERY")
    _common(p)
    p.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20; 0 for all)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser("entities", help="people, places, organisations, dates and amounts in the articles")
    _common(p)
    p.add_argument("--lines", metavar="FILE", type=Path,
                   help="recognise each line of a UTF-8 text file instead (one JSON list of spans per line)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("index", help="build or update the search index of the sources")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")

    from app.export import FORMATS

    p = sub.add_parser("export", help="export articles to pdf, html, md, txt, json, docx or epub")
    _common(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--select", metavar="N,M,...",
                       help="article numbers (0-based, across all sources, as 'baozhi articles' lists them)")
    which.add_argument("--query", metavar="Q", help="export every article the search query finds")
    p.add_argument("--format", required=True, choices=list(FORMATS))
    p.add_argument("--out", required=True, type=Path, help="the file to write (a folder with --per-article)")
    p.add_argument("--per-article", action="store_true", help="one file per article in the --out folder")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.add_argument("--no-metadata", action="store_true", help="leave out kicker, subtitle, authors, date, source")
    p.add_argument("--highlights", action="store_true", help="mark entities (pdf, html, docx, epub)")
    return parser


def build_window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baozhi",
        description="Open the Baozhi Reader window (the bundled sample when no SOURCE is given). "
        f"Sub-commands: {', '.join(SUBCOMMANDS)} (see 'baozhi COMMAND --help').",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("sources", nargs="*", metavar="SOURCE")
    parser.add_argument("--screenshot", metavar="OUT.png", type=Path,
                        help="render the main window offscreen to a PNG and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check the program end to end (parse, index, search, entities, export) and exit")
    parser.add_argument("--index-dir", type=Path)
    return parser


def load_library(paths: list[str]) -> Library:
    """Every source must be readable on the command line: the first bad one stops the command."""
    library = Library()
    for path in paths or [str(sample_page())]:
        try:
            library.add(path)
        except SourceError as err:
            raise CliError(str(err)) from None
    return library


def cmd_articles(args: argparse.Namespace) -> int:
    library = load_library(args.sources)
    if args.json:
        _print_json([numbered(n, a.to_dict()) for n, a in enumerate(library.articles)])
    else:
        for n, a in enumerate(library.articles):
            print(format_article_line(a, n))
    return 0


def numbered(number: int, data: dict) -> dict:
    """An article's (or hit's) JSON with ``number`` first: its place across all the sources, the
    number ``--select`` takes (``ordinal`` is its place on its own page)."""
    return {"number": number, **data}


def parse_selection(spec: str, count: int) -> list[int]:
    """``0,2,5-7`` -> [0, 2, 5, 6, 7]; every number must name an article."""
    picked: list[int] = []
    for part in spec.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if "-" in part[1:]:
                lo, hi = part.split("-", 1)
                numbers = list(range(int(lo), int(hi) + 1))
            else:
                numbers = [int(part)]
        except ValueError:
            raise CliError(f"--select takes article numbers such as 0,2,5-7, not {part!r}") from None
        for n in numbers:
            if not 0 <= n < count:
                raise CliError(f"--select {n}: there are {count} articles, numbered 0 to {count - 1}")
            if n not in picked:
                picked.append(n)
    if not picked:
        raise CliError("--select names no article")
    return picked


def cmd_export(args: argparse.Namespace) -> int:
    from app.export import ExportError, ExportExists, ExportOptions, export_articles

    library = load_library(args.sources)
    articles = library.articles
    if args.select is not None:
        articles = [articles[i] for i in parse_selection(args.select, len(articles))]
    elif args.query is not None:
        articles = search_articles(library, args.query, args.index_dir)
        if not articles:
            raise CliError(f"no article matches {args.query!r}; nothing was exported")
    options = ExportOptions(per_article=args.per_article, metadata=not args.no_metadata,
                            highlights=args.highlights, force=args.force)
    if args.highlights:
        annotate(articles)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rexporting {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        written = export_articles(articles, args.format, args.out, options, progress=progress)
    except ExportExists as err:
        raise CliError(f"{err.path} already exists; --force overwrites it") from None
    except ExportError as err:
        raise CliError(str(err)) from None
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for path in written:
        print(path)
    return 0


def open_index(library: Library, index_dir: Path | None, rebuild: bool = False):
    """The library's search index, brought up to date (progress on stderr when it is a terminal)."""
    from app.paths import default_index_dir
    from app.search import SearchIndex

    folder = index_dir or default_index_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CliError(f"{folder}: the index folder cannot be created ({err.strerror or err})") from None
    index = SearchIndex(folder)
    # the person:/place:/org: fields need the entities of the sources the index does not hold yet
    known = set(index.indexed_sources()) if not rebuild else set()
    annotate_sources([s for s in library.sources if s.source.sha256 not in known], entity_cache_dir(folder))

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rindexing {done}/{total} articles", end="", file=sys.stderr, flush=True)

    stats = (index.rebuild if rebuild else index.update)(library.sources, progress=progress)
    if sys.stderr.isatty() and (stats.articles_added or stats.rebuilt):
        print(file=sys.stderr)
    if stats.notice:
        print(f"baozhi: {stats.notice}", file=sys.stderr)
    return index, stats


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise CliError("--limit must be 0 (all hits) or more")
    library = load_library(args.sources)
    index, _ = open_index(library, args.index_dir)
    try:
        result = index.search(args.query, limit=args.limit or None)
    finally:
        index.close()
    if result.notice:
        print(f"baozhi: {result.notice}", file=sys.stderr)
    number = {a.id: n for n, a in enumerate(library.articles)}
    if args.json:
        data = result.to_dict()
        data["hits"] = [numbered(number.get(h["id"], -1), h) for h in data["hits"]]
        _print_json(data)
        return 0
    verb = "matches" if result.total == 1 else "match"
    print(f"{_count(result.total, 'article')} {verb} {args.query!r} ({result.took_ms:.1f} ms)")
    for hit in result.hits:
        snippet = re.sub(r"</?mark>", "", html.unescape(hit.snippet)) if hit.snippet else ""
        print(f"{number.get(hit.id, -1):>3}  {hit.title}\n       {snippet}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    library = load_library(args.sources)
    index, stats = open_index(library, args.index_dir, rebuild=args.rebuild)
    index.close()
    print(f"{_count(stats.articles_indexed, 'article')} from {_count(len(library.sources), 'source')} indexed "
          f"({stats.sources_added} added, {stats.sources_removed} removed, {stats.sources_unchanged} unchanged"
          f"{', rebuilt' if stats.rebuilt else ''}) in {stats.seconds:.2f} s", file=sys.stderr)
    return 0


def search_articles(library: Library, query: str, index_dir: Path | None) -> list[Article]:
    index, _ = open_index(library, index_dir)
    try:
        result = index.search(query, limit=None)
    finally:
        index.close()
    by_id = {a.id: a for a in library.articles}
    return [by_id[h.id] for h in result.hits if h.id in by_id]


def annotate(articles: list[Article]) -> None:
    """Fill the articles' entities."""
    from app.entities import annotate_articles

    annotate_articles(articles)


def entity_cache_dir(index_dir: Path | None) -> Path:
    from app.library import entity_cache_dir as cache_dir
    from app.paths import default_index_dir

    return cache_dir(index_dir or default_index_dir())


def cmd_entities(args: argparse.Namespace) -> int:
    if args.lines is not None:
        if args.sources:
            raise CliError("--lines reads one file of lines; give no SOURCE with it")
        return _entities_of_lines(args.lines, args.json)
    library = load_library(args.sources)
    articles = library.articles
    annotate_sources(library.sources, entity_cache_dir(args.index_dir))
    if args.json:
        _print_json([numbered(n, {"id": a.id, "ordinal": a.ordinal, "source": a.source, "title": a.title,
                                  "entities": [e.to_dict() for e in a.entities]}) for n, a in enumerate(articles)])
        return 0
    for n, a in enumerate(articles):
        print(f"{n:>3}  {a.title}")
        for kind in ("PERSON", "PLACE", "ORG", "DATE", "MONEY"):
            names = list(dict.fromkeys(e.text for e in a.entities if e.type == kind))
            if names:
                print(f"       {kind:<6} {'、'.join(names)}")
    return 0


def _entities_of_lines(path: Path, as_json: bool) -> int:
    from app.entities import recognise_text
    from app.sources import read_source

    try:
        text = read_source(path).text
    except SourceError as err:
        raise CliError(str(err)) from None
    out = sys.stdout.buffer
    lines = text.split("\n")
    if lines and lines[-1] == "":  # the file's final newline ends the last line, it adds none
        lines.pop()
    for line in lines:
        spans = [{"type": e.type, "text": e.text, "start": e.start, "end": e.end} for e in recognise_text(line)]
        if as_json:
            out.write(json.dumps(spans, ensure_ascii=False).encode("utf-8") + b"\n")
        else:
            out.write(("  ".join(f"{s['text']}/{s['type']}" for s in spans) + "\n").encode("utf-8"))
    out.flush()
    return 0


def format_article_line(a: Article, number: int) -> str:
    """Two lines for ``baozhi articles``; ``number`` is the article's place across all the sources."""
    head = f"{number:>3}  {a.title}"
    if a.subtitle:
        head += f" —— {a.subtitle}"
    meta = [a.date or "", "、".join(a.authors), f"{len(a.paragraphs)} 段"]
    if a.kicker:
        meta.insert(0, f"引题: {a.kicker}")
    if a.related_to:
        meta.insert(0, "相关新闻")
    return head + "\n       " + "  |  ".join(m for m in meta if m)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _print_json(data: object) -> None:
    out = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
    sys.stdout.flush()


COMMANDS = {"articles": cmd_articles, "search": cmd_search, "index": cmd_index, "entities": cmd_entities,
            "export": cmd_export}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [index_worker.WORKER_FLAG]:  # the window's background indexer
        return index_worker.main()
    try:
        if argv and argv[0] in COMMANDS:
            args = build_parser().parse_args(argv)
            return COMMANDS[args.command](args)
        args = build_window_parser().parse_args(argv)
        if args.self_test:
            from app.selftest import run_self_test

            return run_self_test()
        check_window_sources(args.sources)
        if args.screenshot is None:
            check_display()
        return run_window(args)
    except CliError as err:
        print(f"baozhi: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("baozhi: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 - the one-line contract holds for the unforeseen too
        where = _log_unexpected()
        print(f"baozhi: unexpected error: {type(err).__name__}: {err}"
              + (f" (details in {where})" if where else ""), file=sys.stderr)
        return EXIT_UNEXPECTED


EXIT_UNEXPECTED = 1
COMMAND_WORD = re.compile(r"[a-z][a-z-]*")


def check_window_sources(sources: list[str]) -> None:
    """Before any window is made: a word that is no file is a mistyped command, a path that is not
    there a missing file; each is one line and exit status 2, not a window (or a Qt abort)."""
    for source in sources:
        if Path(source).exists():
            continue
        if COMMAND_WORD.fullmatch(source):
            raise CliError(f"unknown command {source!r}; the commands are {', '.join(SUBCOMMANDS)} "
                           "(see 'baozhi --help'), or give files or folders to open")
        raise CliError(f"{source}: no such file or folder")


def check_display() -> None:
    """On Linux the window needs an X or Wayland display (or a platform such as ``offscreen``)."""
    import os

    if not sys.platform.startswith("linux"):
        return
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    needs_display = platform == "" or platform.split(":")[0] in ("xcb", "wayland", "wayland-egl")
    if needs_display and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise CliError("there is no display to open the window on (DISPLAY is not set); the commands "
                       f"{', '.join(SUBCOMMANDS)} work without one")


def _log_unexpected() -> Path | None:
    """Append the current traceback to the log file (Qt-free); its path, or None if it cannot."""
    import traceback
    from datetime import datetime

    from app.paths import data_dir

    path = data_dir() / "logs" / "baozhi.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} ERROR baozhi.cli: unexpected error\n"
                      f"{traceback.format_exc()}")
    except OSError:
        return None
    return path


def run_window(args: argparse.Namespace) -> int:
    try:
        from app.ui.application import run
    except ImportError as err:  # Qt missing or broken: say so plainly
        raise CliError(f"the window cannot start: {err}") from None
    return run(sources=list(args.sources), screenshot=args.screenshot, index_dir=args.index_dir)
