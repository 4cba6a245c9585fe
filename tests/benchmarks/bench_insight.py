"""Seeing the archive, timed: the timeline and the network of the whole library and of 3 queries.

    python -m tests.benchmarks.bench_insight            # 10,000 articles
    python -m tests.benchmarks.bench_insight --large    # and 100,000

In one process, over a seeded library (``tests/benchmarks/corpus.py``; its pages give ``MM-DD``
only, so each article gets a year from 2014 to 2023 by its place in the library, one in fifty
left undated; synthetic entities as ``bench_list`` gives them, 12 per article):

- the timeline of the library and of each query's every match, from the per-library
  :class:`~app.insight.facts.ArchiveFacts` (what the window keeps) and from the articles
  (``make_timeline``), against the issue's 200 ms at 100k;
- the network (counting, then the layout of the top 30), the same two ways, against 1 s;
- beside them, the same run's reference: a plain substring scan of every article's text for the
  query (``q in a.all_text()``), and the ratio.

From outside the process, at 10,000 articles only (a cold network recognises every page's
entities, ~7 ms an article): ``baozhi timeline`` and ``baozhi network`` wall clock, cold (empty
index folder) and warm, beside ``baozhi search`` warm for the same query.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["发展", "经济 合作", "北京 OR 上海"]
TIMELINE_BUDGET_MS = 200  # at 100k articles (issue 20)
NETWORK_BUDGET_MS = 1000
CLI_ARTICLES = 10_000


def best_ms(fn, rounds: int = 5):
    """(the best time of ``rounds`` calls in ms, the last result)."""
    best, out = float("inf"), None
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return best, out


def library(n: int) -> list:
    from tests.benchmarks.bench_list import give_entities
    from tests.benchmarks.corpus import archive

    articles = [a for s in archive(n) for a in s.articles]
    for i, a in enumerate(articles):
        if a.date and len(a.date) == 5 and i % 50:
            a.date = f"{2014 + (i * 10) // len(articles)}-{a.date}"
    give_entities(articles)
    return articles


def run_in_process(n: int) -> list[dict]:
    from app.insight.facts import ArchiveFacts
    from app.insight.network import layout, make_network
    from app.insight.timeline import make_timeline
    from app.search.scan import matching_ids

    t = time.perf_counter()
    articles = library(n)
    print(f"\nbench_insight: {len(articles):,} articles (generated in {time.perf_counter() - t:.1f} s)", flush=True)
    facts_ms, facts = best_ms(lambda: ArchiveFacts(articles), 1)
    names_ms, _ = best_ms(lambda: facts.names, 1)  # (read once, when the network first asks)
    print(f"  ArchiveFacts made in {facts_ms:.0f} ms with the dates, the names read in {names_ms:.0f} ms "
          f"when first asked for (each once per library, off the GUI thread)")
    by_id = {a.id: a for a in articles}
    cache: dict = {}
    matching_ids(articles, "的", cache)  # fold the scan's texts once, as the window keeps them
    texts = [a.all_text() for a in articles]
    rows = []
    for query in [None, *QUERIES]:
        if query is None:
            ids, subset, scan_ms = None, articles, None
        else:
            ids = matching_ids(articles, query, cache)
            subset = [by_id[i] for i in ids]
            literal = query.split()[0]
            scan_ms, _ = best_ms(lambda: [t for t in texts if literal in t], 3)
        if ids is None:  # the whole library's is counted once per facts, then kept: its first count
            fresh = ArchiveFacts(articles)
            tl_facts, _ = best_ms(lambda: fresh.timeline([("", None)]), 1)
        else:
            tl_facts, _ = best_ms(lambda: facts.timeline([(query or "", ids)]))
        tl_plain, _ = best_ms(lambda: make_timeline([(query or "", subset)]))
        net_facts, net = best_ms(lambda: facts.network(ids, top=30), 3)
        net_plain, _ = best_ms(lambda: make_network(subset, top=30), 3)
        lay_ms, _ = best_ms(lambda: layout(net), 3)
        row = {"articles": len(articles), "query": query, "matches": len(subset), "timeline_facts_ms": tl_facts,
               "timeline_ms": tl_plain, "network_facts_ms": net_facts, "network_ms": net_plain, "layout_ms": lay_ms,
               "scan_ms": scan_ms}
        rows.append(row)
        ref = f"substring scan {scan_ms:6.0f} ms, timeline/scan {tl_facts / scan_ms:4.2f}" if scan_ms else "(library)"
        print(f"  {query or 'whole library':<14} {len(subset):>7,} articles | timeline {tl_facts:6.1f} ms "
              f"(from articles {tl_plain:6.1f}) | network {net_facts:6.1f} + layout {lay_ms:5.1f} ms "
              f"(from articles {net_plain:6.1f}) | {ref}", flush=True)
    worst_tl = max(r["timeline_facts_ms"] for r in rows)
    worst_net = max(r["network_facts_ms"] + r["layout_ms"] for r in rows)
    print(f"  worst: timeline {worst_tl:.1f} ms (budget {TIMELINE_BUDGET_MS} ms at 100k), network + layout "
          f"{worst_net:.1f} ms (budget {NETWORK_BUDGET_MS} ms)", flush=True)
    return rows


def write_dated_pages(folder: Path, n: int) -> int:
    """Seeded pages with a header giving the year (so the articles have full dates)."""
    from tests.benchmarks.corpus import ArchiveGenerator

    gen = ArchiveGenerator(2026)
    folder.mkdir(parents=True, exist_ok=True)
    count = pages = 0
    while count < n:
        page = gen.page(pages)
        year = 2014 + pages % 10
        month, day = page.articles[0].date[5:7], page.articles[0].date[8:10]
        header = f"江门日报 {year}年{int(month)}月{int(day)}日\n\n"
        (folder / page.name).write_text(header + page.text, encoding="utf-8")
        count += len(page.articles)
        pages += 1
    return count


def wall(*args: str) -> tuple[float, int]:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"baozhi {' '.join(args[:2])} failed: {done.stderr.decode('utf-8', 'replace')}")
    return time.perf_counter() - t, len(done.stdout)


def run_cli(workdir: Path) -> dict:
    pages = workdir / "pages"
    count = write_dated_pages(pages, CLI_ARTICLES)
    query = QUERIES[0]
    print(f"\nbench_insight: the command line, {count:,} articles in {sum(1 for _ in pages.iterdir())} pages "
          f"(query {query!r})", flush=True)
    files = [str(f) for f in sorted(pages.iterdir())]  # the command line takes files, not folders
    out = {}
    for name, args in [("timeline", ["timeline", *files, "--json"]),
                       ("timeline --query", ["timeline", *files, "--query", query, "--json"]),
                       ("network", ["network", *files, "--json"])]:
        index = workdir / f"index-{len(out)}"
        cold, _ = wall(*args, "--index-dir", str(index))
        warm, _ = wall(*args, "--index-dir", str(index))
        out[name] = (cold, warm, index)
    search, _ = wall("search", query, *files, "--json", "--index-dir", str(out["timeline --query"][2]))
    for name, (cold, warm, _index) in out.items():
        print(f"  baozhi {name:<17} cold {cold:7.2f} s   warm {warm:6.2f} s   warm / 'baozhi search' warm "
              f"({search:.2f} s) {warm / search:4.2f}", flush=True)
    return {name: {"cold_s": c, "warm_s": w} for name, (c, w, _i) in out.items()} | {"search_warm_s": search}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help="also 100,000 articles")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line wall clock")
    args = parser.parse_args(argv)
    sizes = [args.articles] + ([100_000] if args.large and args.articles != 100_000 else [])
    for n in sizes:
        run_in_process(n)
    if not args.no_cli:
        workdir = Path(tempfile.mkdtemp(prefix="bench-insight-"))
        try:
            run_cli(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
