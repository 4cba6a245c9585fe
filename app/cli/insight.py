"""Seeing the archive from the command line: ``timeline``, ``network`` and ``dossier``.

    baozhi timeline [SOURCE ...] [--query Q ...] [--by day|week|month|year] [--json|--csv]
    baozhi network [SOURCE ...] [--query Q] [--top N] [--json|--csv]
    baozhi dossier NAME [SOURCE ...] [--type T] --format md|pdf|html|docx|csv|json --out PATH [--force]

The counting is :mod:`app.insight`'s; this module loads the sources, recognises their entities
(through the same cache as ``baozhi entities``), finds every article of a ``--query`` in the
index (``SearchIndex.matching_ids``: all of them, not the first hits) and prints or writes the
result in the contract of the other commands (JSON on stdout as UTF-8, one-line errors, status 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from app.cli.commands import _print_json, entity_cache_dir, load_library, open_index
from app.cli.common import CliError
from app.entity_cache import annotate_sources
from app.library import Library
from app.model import ENTITY_TYPES, Article

UNITS = ("day", "week", "month", "year")
DOSSIER_FORMATS = ("md", "pdf", "html", "docx", "csv", "json")


def add_parsers(sub, common) -> None:
    """The three sub-commands' parsers (``common`` adds SOURCE... and --index-dir)."""
    p = sub.add_parser("timeline", help="articles per day, week, month or year (of the library or of searches)")
    common(p)
    p.add_argument("--query", action="append", default=[], metavar="Q",
                   help="count the articles this search finds (repeat for one series per query)")
    p.add_argument("--by", choices=UNITS, help="the bucket (default: chosen by the span of the dates)")
    _output(p)

    p = sub.add_parser("network", help="the people, places and organisations named together in articles")
    common(p)
    p.add_argument("--query", metavar="Q", help="only the articles this search finds")
    p.add_argument("--top", type=int, default=30, help="the N most-named names (default 30)")
    _output(p)

    p = sub.add_parser("dossier", help="everything the articles say of one name, written to a file")
    p.add_argument("name", metavar="NAME")
    common(p)
    p.add_argument("--type", choices=ENTITY_TYPES, type=str.upper,
                   help="the name's type (default: the type it is most often recognised as)")
    p.add_argument("--format", required=True, choices=DOSSIER_FORMATS)
    p.add_argument("--out", required=True, type=Path, help="the file to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")


def _output(p: argparse.ArgumentParser) -> None:
    how = p.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="print JSON")
    how.add_argument("--csv", action="store_true", help="print CSV")


def query_articles(library: Library, queries: list[str], index_dir: Path | None) -> list[list[Article]]:
    """Every article each query finds (from the index, brought up to date first), in library order."""
    if not queries:
        return []
    index, _ = open_index(library, index_dir)
    try:
        found = [set(index.matching_ids(q)) for q in queries]
        notice = index.notice
    finally:
        index.close()
    if notice:
        print(f"baozhi: {notice}", file=sys.stderr)
    return [[a for a in library.articles if a.id in ids] for ids in found]


def cmd_timeline(args: argparse.Namespace) -> int:
    from app.insight.timeline import make_timeline

    queries = [q for q in args.query if q.strip()]
    if len(queries) != len(args.query):
        raise CliError("--query needs a search, not an empty text")
    library = load_library(args.sources)
    if queries:
        named = list(zip(queries, query_articles(library, queries, args.index_dir)))
    else:
        named = [("", library.articles)]
    timeline = make_timeline(named, args.by)
    if args.json:
        _print_json(timeline.to_dict())
    elif args.csv:
        _write(timeline.to_csv())
    else:
        names = [s.name or "articles" for s in timeline.series]
        lines = [f"{timeline.unit:<10}  " + "  ".join(f"{n:>8}" for n in names)]
        for i, bucket in enumerate(timeline.buckets):
            lines.append(f"{bucket.label:<10}  " + "  ".join(f"{s.counts[i]:>8}" for s in timeline.series))
        lines.append(f"{'undated':<10}  " + "  ".join(f"{s.undated:>8}" for s in timeline.series))
        _write("\n".join(lines) + "\n")
    return 0


def cmd_network(args: argparse.Namespace) -> int:
    from app.insight.network import make_network

    if args.top < 1:
        raise CliError("--top must be 1 or more")
    library = load_library(args.sources)
    if args.query is not None:
        if not args.query.strip():
            raise CliError("--query needs a search, not an empty text")
        articles = query_articles(library, [args.query], args.index_dir)[0]
        # the index recognised only the sources it did not hold yet: the rest come from the cache
    else:
        articles = library.articles
    annotate_sources(library.sources, entity_cache_dir(args.index_dir))
    network = make_network(articles, top=args.top)
    if args.json:
        _print_json({"query": args.query, "articles": len(articles), **network.to_dict()})
    elif args.csv:
        _write(network.to_csv())
    else:
        lines = [f"{len(network.nodes)} names in {len(articles)} articles"]
        lines += [f"{n.text}/{n.type}  {n.articles} articles, {n.mentions} mentions" for n in network.nodes]
        lines.append("")
        lines += [f"{network.nodes[e.a].text} — {network.nodes[e.b].text}  {e.weight}" for e in network.edges]
        _write("\n".join(lines) + "\n")
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    from app.insight.dossier import dossier_articles, dossier_to_dict, make_dossier, mentions_csv

    name = args.name.strip()
    if not name:
        raise CliError("the dossier needs a name")
    out: Path = args.out
    if out.is_dir():
        raise CliError(f"{out} is a folder; give a file name to write the dossier to")
    if not out.parent.is_dir():
        raise CliError(f"the folder {out.parent} does not exist")
    if not args.force and os.path.lexists(out):
        raise CliError(f"{out} already exists; --force overwrites it")
    library = load_library(args.sources)
    annotate_sources(library.sources, entity_cache_dir(args.index_dir))
    articles = library.articles
    kind = args.type or most_frequent_type(articles, name)
    if kind is None:
        raise CliError(f"no article names {name!r}; nothing was written")
    dossier = make_dossier(articles, kind, name)
    if not dossier.articles:
        raise CliError(f"no article names {name!r} as {kind}; nothing was written")
    if args.format in ("csv", "json"):
        import json

        text = mentions_csv(dossier) if args.format == "csv" else \
            json.dumps(dossier_to_dict(dossier), ensure_ascii=False, indent=2) + "\n"
        _write_file(out, text)
        print(out)
        return 0
    from app.export import ExportError, ExportExists, ExportOptions, export_articles

    try:
        written = export_articles(dossier_articles(dossier), args.format, out, ExportOptions(force=args.force))
    except ExportExists as err:
        raise CliError(f"{err.path} already exists; --force overwrites it") from None
    except ExportError as err:
        raise CliError(str(err)) from None
    for path in written:
        print(path)
    return 0


def most_frequent_type(articles: list[Article], name: str) -> str | None:
    """The type ``name`` is most often recognised as (by mentions; ties in ENTITY_TYPES order)."""
    counts = Counter(e.type for a in articles for e in a.entities if e.text == name)
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], ENTITY_TYPES.index(t) if t in ENTITY_TYPES else 99))


def _write_file(path: Path, text: str) -> None:
    """All or nothing: a temporary file beside ``path``, renamed over it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, path)
    except OSError as err:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise CliError(f"{path}: cannot be written ({err.strerror or err})") from None


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
