"""The ``baozhi`` command: the window by default, and sub-commands for scripts and tests.

Contract (see README): ``--json`` output is UTF-8 JSON on stdout; progress and errors go to
stderr; bad input exits non-zero with one human-readable line. Qt is imported only when the
window (or a screenshot) is asked for. The sub-commands themselves are in :mod:`app.cli.commands`
(``marks`` and ``saved``: :mod:`app.cli.marks`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from app import __version__, index_worker
from app.cli.commands import COMMANDS, parse_selection
from app.cli.common import EXIT_BAD_INPUT, EXIT_UNEXPECTED, CliError, expand_sources
from app.cli.common import SUBCOMMANDS as _CORE_SUBCOMMANDS
from app.cli.marks import COMMANDS as MARK_COMMANDS

SUBCOMMANDS = tuple(dict.fromkeys([*_CORE_SUBCOMMANDS, *MARK_COMMANDS]))
# commands that expand folders among their sources themselves (``search`` first tries the list as
# given against the list cache: a remembered list holds only files)
EXPANDS_ITS_OWN_SOURCES = frozenset({"search"})

__all__ = ["COMMANDS", "CliError", "build_parser", "main", "parse_selection"]


class _Parser(argparse.ArgumentParser):
    """argparse's parser, but a positional list with no type or choices (the sources) is taken
    as given: argparse converts and checks each value in a call of its own, ~2 ms of a search
    given 10,000 files (the sub-commands' parsers are of this class too)."""

    def _get_values(self, action, arg_strings):
        if (action.nargs == argparse.ZERO_OR_MORE and not action.option_strings and action.type is None
                and action.choices is None and len(arg_strings) > 1):
            if "--" in arg_strings:  # (as argparse does: the first "--" is not a value)
                arg_strings.remove("--")
            return list(arg_strings)
        return super()._get_values(action, arg_strings)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="newspaper text files (default: the bundled sample)")
    parser.add_argument("--index-dir", type=Path, help="where the search index lives (default: the user data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="baozhi",
        description="Baozhi Reader (报纸阅读器): read, search and export Chinese newspaper pages offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("articles", help="list the articles of newspaper pages")
    _common(p)
    p.add_argument("--json", action="store_true", help="print the articles as JSON")
    p.add_argument("--explain", action="store_true",
                   help="print each line of the pages with the role the splitter gave it and why")

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
    p.add_argument("--marks", action="store_true",
                   help="include the reader's marks: notes and highlights (all formats), tags and star (json)")

    from app.cli.insight import add_parsers

    add_parsers(sub, _common)  # timeline, network, dossier

    from app.cli import marks

    marks.add_parsers(sub, _common)  # marks, saved
    parser.set_defaults(command_parsers=sub.choices)  # (see main)
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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [index_worker.WORKER_FLAG]:  # the window's background indexer
        return index_worker.main()
    try:
        if argv and (argv[0] in COMMANDS or argv[0] in MARK_COMMANDS):
            # the command's own parser takes its arguments: through the main parser every one of
            # 10,000 sources was checked and converted twice (8 ms; half of it saved)
            args = build_parser().get_default("command_parsers")[argv[0]].parse_args(argv[1:])
            args.command = argv[0]
            if getattr(args, "sources", None) and args.command not in EXPANDS_ITS_OWN_SOURCES:
                args.sources = expand_sources(args.sources)
            return COMMANDS[args.command](args) if args.command in COMMANDS else MARK_COMMANDS[args.command](args)
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

    from app.paths import log_path

    path = log_path()
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
