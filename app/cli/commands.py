"""The sub-commands: ``articles``, ``search``, ``index``, ``entities``, ``export`` (and ``timeline``,
``network``, ``dossier`` from :mod:`app.cli.insight`).

Each takes the parsed arguments and returns the exit status; bad input raises
:class:`~app.cli.common.CliError` (one line on stderr, status 2).

One module (~600 lines) because these commands share its helpers: opening the library and its
index (``load_library``, ``open_index``), numbering hits as ``articles`` numbers them (``search``,
``saved run``) and the JSON writers. The insight and marks commands import those helpers from here
and share nothing else with these, so they live in modules of their own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from array import array
from itertools import accumulate, compress
from json.encoder import encode_basestring as _enc  # the C encoder of a JSON string
from pathlib import Path

from app.cli.common import CliError, Progress, expand_sources
from app.entity_cache import annotate_sources
from app.library import Library
from app.model import Article
from app.paths import sample_page
from app.sources import SourceError


def load_library(paths: list[str]) -> Library:
    """Every source must be readable on the command line: the first bad one stops the command.

    Sources are opened through the article store (:mod:`app.store`): an unchanged file is not
    read and its split is not made again; the articles are read only when the command asks for
    them (``search`` needs only their ids, the index holds the rest)."""
    library = Library(lazy=True)
    with Progress("splitting", "page") as progress:
        try:
            library.add_many(paths or [str(sample_page())], stop_at_error=True, progress=progress)
        except SourceError as err:
            raise CliError(str(err)) from None
    return library


def cmd_articles(args: argparse.Namespace) -> int:
    if getattr(args, "explain", False):
        return explain_articles(args.sources, as_json=args.json)
    library = load_library(args.sources)
    if args.json:
        write_articles_json(library.iter_articles())
    else:
        out = sys.stdout.buffer
        for n, a in enumerate(library.iter_articles()):
            out.write((format_article_line(a, n) + "\n").encode("utf-8"))
        sys.stdout.flush()
    return 0


def write_articles_json(articles) -> None:
    """:func:`articles_json` of ``articles`` (an iterable), written to stdout as it is made."""
    out = sys.stdout.buffer
    articles = iter(articles)
    first = next(articles, None)
    if first is None:
        _write("[]")
        return
    if json.loads(_article_json(0, first)) != numbered(0, first.to_dict()):  # the shape changed
        _write(articles_json([first, *articles]))
        return
    pieces = ["[\n" + _article_json(0, first)]
    for n, a in enumerate(articles, 1):
        pieces.append(_article_json(n, a))
        if len(pieces) >= 1000:
            out.write(",\n".join(pieces).encode("utf-8") + b",\n")
            pieces = []
    out.write(",\n".join(pieces).encode("utf-8") + b"\n]\n")
    sys.stdout.flush()


def articles_json(articles: list[Article]) -> str:
    """``json.dumps([numbered(n, a.to_dict()) ...], ensure_ascii=False, indent=2)``, the same text
    written out directly: the standard library's indented encoder is pure Python and took most of
    ``baozhi articles --json``'s time at 10,000 articles. Checked against ``to_dict`` on the
    first article; should the article's shape ever differ, the standard encoder is used."""
    if not articles:
        return "[]"
    if json.loads(_article_json(0, articles[0])) != numbered(0, articles[0].to_dict()):
        return json.dumps([numbered(n, a.to_dict()) for n, a in enumerate(articles)], ensure_ascii=False, indent=2)
    return "[\n" + ",\n".join(_article_json(n, a) for n, a in enumerate(articles)) + "\n]"


def _opt(v: str | None) -> str:
    return "null" if v is None else _enc(v)


def _strings(items) -> str:
    return "[\n      " + ",\n      ".join(map(_enc, items)) + "\n    ]" if items else "[]"


def _article_json(n: int, a: Article) -> str:
    """One article of :func:`articles_json`, indented as ``json.dumps(..., indent=2)`` would."""
    enc = _enc
    paragraphs = "[\n" + ",\n".join(
        f'      {{\n        "kind": {enc(p.kind)},\n        "text": {enc(p.text)}\n      }}' for p in a.paragraphs
    ) + "\n    ]" if a.paragraphs else "[]"
    credits = "[\n" + ",\n".join(
        f'      {{\n        "role": {enc(r)},\n        "name": {enc(name)}\n      }}' for r, name in a.credits
    ) + "\n    ]" if a.authors else "[]"
    entities = "[\n" + ",\n".join(
        f'      {{\n        "type": {enc(e.type)},\n        "text": {enc(e.text)},\n        "paragraph": {e.paragraph},'
        f'\n        "start": {e.start},\n        "end": {e.end}\n      }}' for e in a.entities
    ) + "\n    ]" if a.entities else "[]"
    return (f'  {{\n    "number": {n},\n    "id": {enc(a.id)},\n    "ordinal": {a.ordinal},\n    "source": {enc(a.source)},'
            f'\n    "kicker": {_opt(a.kicker)},\n    "title": {enc(a.title)},\n    "subtitle": {_opt(a.subtitle)},'
            f'\n    "authors": {_strings(a.authors)},\n    "credits": {credits},\n    "date": {_opt(a.date)},'
            f'\n    "related_to": {_opt(a.related_to)},\n    "page": {_opt(a.page)},\n    "page_name": {_opt(a.page_name)},'
            f'\n    "issue_date": {_opt(a.issue_date)},\n    "page_lines": {_strings(a.page_lines)},'
            f'\n    "paragraphs": {paragraphs},\n    "entities": {entities}\n  }}')


def explain_articles(paths: list[str], as_json: bool = False) -> int:
    """``baozhi articles --explain``: each line of each source with its role and why, grouped by
    article (numbered across all the sources, as ``baozhi articles`` numbers them)."""
    from app.segment.explain import Trace, format_trace
    from app.segment.source import split_source
    from app.sources import display_path, read_source

    notes: list[dict] = []
    blocks: list[str] = []
    first = 0
    for path in paths or [str(sample_page())]:
        try:
            source = read_source(path)
        except SourceError as err:
            raise CliError(str(err)) from None
        shown = display_path(source.path)
        trace = Trace(source.text)
        view = trace.view(article_offset=first)
        articles = split_source(source.text, source=shown, source_key=source.sha256, trace=view)
        if as_json:
            notes += [{"source": shown, **note} for note in trace.to_json()]
        else:
            titles = [""] * first + [a.title for a in articles]
            blocks.append(f"══ {shown}\n{format_trace(trace, titles)}")
        first += len(articles)
    if as_json:
        _print_json(notes)
    else:
        print("\n\n".join(blocks))
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
    marks = getattr(args, "marks", False)
    if marks:  # the reader's marks (notes, highlights, tags, star) found for these articles first
        from app.cli.marks import attach_marks

        attach_marks(library.articles)
    articles = library.articles
    if args.select is not None:
        articles = [articles[i] for i in parse_selection(args.select, len(articles))]
    elif args.query is not None:
        articles = search_articles(library, args.query, args.index_dir)
        if not articles:
            raise CliError(f"no article matches {args.query!r}; nothing was exported")
    options = ExportOptions(per_article=args.per_article, metadata=not args.no_metadata,
                            highlights=args.highlights, force=args.force, marks=marks)
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
    """The library's search index, brought up to date (progress on stderr when it is a terminal).

    Only the sources the index does not hold are read from the store: for an unchanged library
    this opens the index and compares keys, nothing more."""
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
    if known and known == {s.index_key for s in library.sources}:
        # the index holds exactly these sources: what update() would find, without asking it again
        # (listing the indexed sources reads every source's postings: 0.3 s at 100k articles)
        from app.search.results import UpdateStats

        return index, UpdateStats(sources_unchanged=len(known), articles_indexed=index.article_count)
    missing = [s for s in library.sources if s.index_key not in known]
    if missing:
        with Progress("entities", "page") as progress:
            annotate_sources(missing, entity_cache_dir(folder), progress=progress)
    with Progress("indexing", "article") as progress:
        stats = (index.rebuild if rebuild else index.update)(library.sources, progress=progress)
    if stats.notice:
        print(f"baozhi: {stats.notice}", file=sys.stderr)
    return index, stats


EXPAND_FIRST = 64  # up to this many sources (a folder or a few files) are expanded before anything


def cmd_search(args: argparse.Namespace) -> int:
    return search_and_print(args.sources, args.query, args.index_dir, args.limit, args.json, expand=True)


def search_and_print(sources: list[str], query: str, index_dir: Path | None, limit: int, as_json: bool,
                     name: str | None = None, expand: bool = False) -> int:
    """``baozhi search`` and ``baozhi saved run``: the hits of ``query`` in ``sources``, numbered
    as ``baozhi articles`` numbers them; ``name``: the saved search's, said in the output.
    ``expand``: ``sources`` may still name folders (:func:`~app.cli.common.expand_sources`)."""
    if limit < 0:
        raise CliError("--limit must be 0 (all hits) or more")
    if expand and len(sources) <= EXPAND_FIRST:
        sources, expand = expand_sources(sources), False
    # many sources as given first: a list the store remembers holds only files, so when it vouches
    # for them there is no folder to expand (asking each of 10,000 paths cost ~20 ms, as much as
    # checking them against the list)
    quick = quick_search(sources, query, index_dir, limit)
    if quick is None and expand:
        expanded = expand_sources(sources)
        if expanded != sources:
            sources = expanded
            quick = quick_search(sources, query, index_dir, limit)
    if quick is not None:
        result, number = quick
    else:
        library = load_library(sources)
        index, _ = open_index(library, index_dir)
        attach_marks_for(library, query)  # after opening: parsing folds, with the index's fold table
        try:
            result = index.search(query, limit=limit or None)
            number = hit_numbers(library, index, result.hits)
        finally:
            index.close()
    if result.notice:
        print(f"baozhi: {result.notice}", file=sys.stderr)
    if as_json:
        data = result.to_dict()
        if name is not None:
            data["name"] = name
        data["hits"] = [numbered(number.get(h["id"], -1), h) for h in data["hits"]]
        _print_json(data)
        return 0
    if name is None:
        verb = "matches" if result.total == 1 else "match"
        print(f"{_count(result.total, 'article')} {verb} {query!r} ({result.took_ms:.1f} ms)")
    else:
        print(f"{name}: {_count(result.total, 'article')} for {query!r} ({result.took_ms:.1f} ms)")
    for hit in result.hits:
        print(f"{number.get(hit.id, -1):>3}  {hit.title}\n       {hit.snippet.text}")
    return 0


def hit_numbers(library: Library, index, hits) -> dict[str, int]:
    """Each hit's number (its article's place across all the sources, as ``baozhi articles``
    numbers them), from the index's count of articles per source and the ids of the hits' own
    sources only: numbering every article read all their ids (a tenth of a second and more at
    100,000 articles) to number twenty hits. Where the index does not hold every source (an
    update that could not run) or a hit is not found so, every id is read as before."""
    if not hits:
        return {}
    sources = library.sources
    number = numbered_hits(hits, [s.index_key for s in sources], [s.source.path for s in sources],
                           index.indexed_sources(), lambda chosen: [sources[i].article_ids() for i in chosen])
    return number if number is not None else {aid: n for n, aid in enumerate(library.article_ids())}


def numbered_hits(hits, keys: list[str], paths: list, counts: dict[str, int], ids_of) -> dict[str, int] | None:
    """:func:`hit_numbers` over plain lists: the sources' index ``keys`` and ``paths`` in order,
    the index's article ``counts`` per key, ``ids_of([i, ...])`` the article ids of each source
    ``i`` asked for (those of the hits' own pages: asked all at once, one store query rather
    than one per page); None when the hits cannot be numbered so (then every id must be read)."""
    starts = source_starts(keys, counts)
    if starts is None:
        return None
    return numbered_from(hits, paths, starts, keys.__getitem__,
                         lambda wanted: compress(range(len(keys)), map(wanted.__contains__, keys)), ids_of)


def source_starts(keys: list[str], counts: dict[str, int]) -> array | None:
    """The number of each source's first article (its place across all the sources) and, last,
    the total, from the index's ``counts`` per key; None when a key is not in them."""
    # (C-level iterators over the 10,000 sources: a Python loop over them was ~1.5 ms of the command)
    sizes = list(map(counts.get, keys))
    if None in sizes:
        return None
    return array("q", accumulate(sizes, initial=0))


def numbered_from(hits, paths: list, starts, key_at, indices_with, ids_of) -> dict[str, int] | None:
    """:func:`numbered_hits` given each source's first number (``starts``, see
    :func:`source_starts`), ``key_at(i)`` the ``i``-th source's key and ``indices_with(keys)``
    the places of the sources with one of ``keys``."""
    from app.sources import display_path

    if not hits:
        return {}
    wanted = {h.id for h in hits}
    shown = {h.source for h in hits}
    if any("\ufffd" in name for name in shown):  # a name shown with what could not be decoded
        names = map(display_path, paths)
    else:  # (a path shown as itself is the path)
        names = paths
    hit_keys = set(map(key_at, compress(range(len(paths)), map(shown.__contains__, names))))
    number: dict[str, int] = {}
    chosen = list(indices_with(hit_keys))
    for i, ids in zip(chosen, ids_of(chosen)):
        # (a copy of a page elsewhere has the same articles and ids: the last copy's, as before)
        at = starts[i]
        if len(ids) != starts[i + 1] - at:
            return None
        number.update((aid, at + n) for n, aid in enumerate(ids) if aid in wanted)
    return number if wanted <= number.keys() else None


def quick_search(paths: list[str], query: str, index_dir: Path | None, limit: int):
    """See :func:`_quick_search`; run with the cyclic collector paused (app.ui.process explains)."""
    from app.ui.process import collector_paused

    with collector_paused():
        return _quick_search(paths, query, index_dir, limit)


def _quick_search(paths: list[str], query: str, index_dir: Path | None, limit: int):
    """``(result, hit numbers)`` of ``baozhi search`` given the same list of files as a run before,
    unchanged, none corrected, all in the index and nothing else, for a query that names no mark
    (the article store's list cache vouches for the files: :meth:`app.store.ArticleStore.known_list`);
    else None, and the command opens the library as usual. The library's 10,000 sources are then
    never made as objects: the files' stats are compared, the index searched, the hits numbered
    from the index's counts (or, against a commit checked before, the first numbers kept then)
    and the store's ids of the hits' own pages."""
    from app.paths import corrections_dir, default_index_dir
    from app.stat_ahead import StatsAhead

    if not paths:
        return None
    folder = index_dir or default_index_dir()
    if not (folder / "CURRENT").is_file():
        return None
    # The 10,000 files' stats are taken by a second process while this one imports the search,
    # opens the index and searches (~17 ms of the command, now beside it); they are compared
    # before anything is shown. (Forked before those imports, the child has them to overlap too,
    # room for stat calls that are slow when the files' inodes are not cached.)
    with StatsAhead(paths) as ahead:
        from app.corrections import CorrectionStore
        from app.library import splitter_version
        from app.search.planner import has_marks
        from app.search.query import parse_query
        from app.store import ArticleStore, split_key

        store = ArticleStore()
        version = splitter_version()
        row = store.listed(paths, version)
        if row is None:
            return None
        corrected = CorrectionStore(corrections_dir()).corrected()
        if corrected and not corrected.isdisjoint(row.keys()):
            return None
        from app.search import SearchIndex

        index = SearchIndex(folder)
        check = None
        try:
            commit = index.commit_id()
            # (the query parsed once the index is open: folding uses the index's fold table)
            if commit is None or has_marks(parse_query(query)):
                return None
            # that the index holds exactly these files, and where each one's articles start in
            # its numbering, is known from a run before against this very commit; otherwise it
            # is found from the index's count per source (~4 ms at 10,000 files) and kept
            starts = row.starts_against(commit)
            if starts is None:
                counts = index.indexed_sources()
                keys = row.keys()
                if not counts or counts.keys() != set(keys):
                    return None
                starts = source_starts(keys, counts)
                check = commit
            result = index.search(query, limit=limit or None)

            def ids_of(chosen: list[int]) -> list[list[str]]:
                split_keys = [split_key(row.key(i), version) for i in chosen]
                found = store.ids_many(split_keys)
                return [found.get(key) or [] for key in split_keys]

            number = numbered_from(result.hits, paths, starts, row.key, row.indices_with, ids_of)
            if number is None:
                return None
        finally:
            index.close()
        if ahead.result() != row.stats:  # a file changed (or could not be stat'ed): opened as usual
            return None
        if check is not None:
            store.remember_checked(row, check, starts.tobytes())
    return result, number


def cmd_index(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    library = load_library(args.sources)
    index, stats = open_index(library, args.index_dir, rebuild=args.rebuild)
    index.close()
    # the whole command's time: the index's own (stats.seconds) left out the pages' reading,
    # splitting and entities, two thirds of a first build (10k articles: "18.45 s" after 71.5 s)
    took = time.perf_counter() - start
    print(f"{_count(stats.articles_indexed, 'article')} from {_count(len(library.sources), 'source')} indexed "
          f"({stats.sources_added} added, {stats.sources_removed} removed, {stats.sources_unchanged} unchanged"
          f"{', rebuilt' if stats.rebuilt else ''}) in {took:.2f} s (writing the index: {stats.seconds:.2f} s)",
          file=sys.stderr)
    return 0


def search_articles(library: Library, query: str, index_dir: Path | None) -> list[Article]:
    index, _ = open_index(library, index_dir)
    attach_marks_for(library, query)  # after opening: parsing folds, with the index's fold table
    try:
        result = index.search(query, limit=None)
    finally:
        index.close()
    by_id = {a.id: a for a in library.articles}
    return [by_id[h.id] for h in result.hits if h.id in by_id]


def attach_marks_for(library: Library, query: str) -> None:
    """A query naming the reader's marks (``is:starred``, ``tag:``, ``note:``) finds them by
    article id: match the marks to this library's articles first, so a page that changed or was
    split again keeps its marks."""
    from app.search.planner import has_marks
    from app.search.query import parse_query

    if has_marks(parse_query(query)):
        from app.cli.marks import attach_marks

        attach_marks(library.articles)


def annotate(articles: list[Article]) -> None:
    """Fill the articles' entities."""
    from app.entities import annotate_articles

    annotate_articles(articles)


def entity_cache_dir(index_dir: Path | None) -> Path:
    from app.entity_cache import entity_cache_dir as cache_dir
    from app.paths import default_index_dir

    return cache_dir(index_dir or default_index_dir())


def cmd_entities(args: argparse.Namespace) -> int:
    if args.lines is not None:
        if args.sources:
            raise CliError("--lines reads one file of lines; give no SOURCE with it")
        return _entities_of_lines(args.lines, args.json)
    library = load_library(args.sources)
    articles = library.articles
    with Progress("entities", "page") as progress:
        annotate_sources(library.sources, entity_cache_dir(args.index_dir), progress=progress)
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
    if a.page or a.page_name:  # an article of a whole issue: where it was printed
        from app.export.layout import page_line

        meta.insert(0, page_line(a) or "")
    if a.kicker:
        meta.insert(0, f"引题: {a.kicker}")
    if a.related_to:
        meta.insert(0, "相关新闻")
    return head + "\n       " + "  |  ".join(m for m in meta if m)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _print_json(data: object) -> None:
    _write(json.dumps(data, ensure_ascii=False, indent=2))


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()


def _insight(name: str):
    """``timeline``, ``network`` and ``dossier`` live in :mod:`app.cli.insight` (imported when run)."""
    def run(args: argparse.Namespace) -> int:
        from app.cli import insight

        return getattr(insight, f"cmd_{name}")(args)
    return run


COMMANDS = {"articles": cmd_articles, "search": cmd_search, "index": cmd_index, "entities": cmd_entities,
            "export": cmd_export, "timeline": _insight("timeline"), "network": _insight("network"),
            "dossier": _insight("dossier")}
