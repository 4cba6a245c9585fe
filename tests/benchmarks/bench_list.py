"""GUI benchmark: how long the article list's own actions block the window's GUI thread.

    python -m tests.benchmarks.bench_list                     # 10,000 articles
    python -m tests.benchmarks.bench_list --articles 100000   # the big tier (generating and loading take minutes)
    python -m tests.benchmarks.bench_list --articles 100000 --pages /tmp/pages100k   # reuse generated pages
    python -m tests.benchmarks.bench_list --stalls            # name the code a gap over 50 ms was spent in

The seeded library of ``bench_window`` is written into a temporary folder (or ``--pages``, kept
and reused when it already holds pages) and opened in the main window offscreen, with the settings,
data and index folders in a temporary folder. Indexing is cancelled as soon as the library is
loaded; instead every article gets synthetic entities from a fixed seeded set of names, and the
entity dock recounts the library (as when the real entities arrive), so the entity filter has work.
The search's background folding of the articles (``LibrarySearch`` warming) is waited for, so the
measured gaps are the list's own: a busy Python thread makes each of the GUI thread's many small
calls into Python wait for the interpreter.

With the 10 ms ``GapMeter`` ticking on the GUI thread, each action is timed:

- sorting by date, by title, back to page order, by title again (cached);
- listing the articles that mention a common name (``filter_by``) and showing all again;
- showing a search result set of 1,000 hits and clearing it;
- selecting every article and asking for the selected articles (as exporting them does).

For each: the worst GUI gap (target: under 50 ms), how long the call itself took, and when the
new order or list actually appeared (``layoutChanged`` of the list's proxy). Prints a table and
writes JSON to tests/benchmarks/results/.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from app.ui.article_list.panel import Showing
from tests.benchmarks.bench_window import (
    GAP_TARGET_MS,
    GapMeter,
    StallWatch,
    open_window,
    save,
    stamped,
    wait_until,
    write_library,
)

HITS_SHOWN = Showing("hits", "bench")  # a list of hits made by the benchmark, not by a search

ACTION_TIMEOUT_S = 600
SETTLE_S = 0.3  # the meter keeps ticking this long after the list changed
NAMES_PER_TYPE = 3000
SPANS_PER_ARTICLE = 12
HITS = 1000


def entity_names(seed: int = 7) -> dict[str, list[str]]:
    """A fixed seeded set of names per type."""
    rng = random.Random(seed)
    chars = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    out: dict[str, list[str]] = {}
    for kind, suffix in (("PERSON", ""), ("PLACE", "市"), ("ORG", "公司"), ("DATE", "日"), ("MONEY", "元")):
        names: set[str] = set()
        while len(names) < NAMES_PER_TYPE:
            names.add("".join(rng.choice(chars) for _ in range(rng.randint(2, 3))) + suffix)
        out[kind] = sorted(names)
    return out


def give_entities(articles: list, seed: int = 11) -> tuple[str, str]:
    """Synthetic ``EntitySpan`` lists for ``articles``, the names of each type drawn with a skew
    (weight 1/(rank+10): the most common name is in a few percent of the articles); returns the
    most common (type, name)."""
    from bisect import bisect
    from collections import Counter
    from itertools import accumulate

    from app.model import EntitySpan

    rng = random.Random(seed)
    names = entity_names()
    kinds = list(names)
    cum = list(accumulate(1 / (rank + 10) for rank in range(NAMES_PER_TYPE)))
    counts: Counter = Counter()
    for article in articles:
        spans = []
        for kind in rng.choices(kinds, k=SPANS_PER_ARTICLE):
            text = names[kind][min(bisect(cum, rng.random() * cum[-1]), NAMES_PER_TYPE - 1)]
            spans.append(EntitySpan(kind, text, 0, 0, len(text)))
            counts[(kind, text)] += 1
        article.entities = spans
    return counts.most_common(1)[0][0]


def hits_for(articles: list, n: int) -> list:
    from app.model import SearchHit, Snippet

    step = max(1, len(articles) // n)
    chosen = articles[::step][:n]
    return [SearchHit(id=a.id, ordinal=a.ordinal, source=a.source, title=a.title, score=float(n - i),
                      snippet=Snippet(a.title[:30], ((0, min(4, len(a.title))),))) for i, a in enumerate(chosen)]


def select_all(panel) -> list:
    panel.select_all_rows()
    return panel.selected_articles()


def timed(app, meter: GapMeter, proxy, name: str, action, stalls: bool = False, relayout: bool = True,
          until=None) -> dict:
    """Run ``action`` with the meter ticking; wait until the proxy's layout (or reset) changed
    (with ``relayout``; else just the settling time), or until ``until()`` is true (then "shown
    after" is when it became true: a timeline, a network, a dossier made off the GUI thread).
    With ``stalls`` the GUI thread's stack is sampled whenever it has not ticked for 50 ms."""
    changed: list[float] = []
    meter.events.clear()
    meter.big.clear()
    record = lambda *_a: changed.append(time.perf_counter())
    proxy.layoutChanged.connect(record)
    proxy.modelReset.connect(record)
    meter.start()
    watch = StallWatch(meter) if stalls else None
    if watch is not None:
        watch.start()
    app.processEvents()
    start = time.perf_counter()
    action()
    call_ms = (time.perf_counter() - start) * 1000
    if until is not None:
        ok = wait_until(app, until, ACTION_TIMEOUT_S)
        changed.insert(0, time.perf_counter())
    else:
        ok = wait_until(app, lambda: changed, ACTION_TIMEOUT_S) if relayout else True
    shown_ms = ((changed[0] if changed else time.perf_counter()) - start) * 1000
    settle = time.perf_counter() + SETTLE_S
    wait_until(app, lambda: time.perf_counter() > settle, SETTLE_S + 5)
    gaps = meter.stop()
    where = watch.stop() if watch is not None else []
    proxy.layoutChanged.disconnect(record)
    proxy.modelReset.disconnect(record)
    row = {"action": name, "gap_max_ms": gaps["gap_max_ms"], "gaps_over_50_ms": gaps["gaps_over_50_ms"],
           "call_ms": round(call_ms, 1), "shown_after_ms": round(shown_ms, 1), "ok": ok,
           "rows": proxy.rowCount(), "full_gcs": [what for _t, what in meter.events],
           "big_gaps": [{"ms": ms, "gui_cpu_ms": cpu, "run_queue_ms": queued} for _at, ms, cpu, queued in meter.big],
           "stalls": [{"where": w, "samples_5ms": n} for w, n in where]}
    print(f"  {name:<28} gap max {row['gap_max_ms']:>8} ms   call {row['call_ms']:>8} ms   "
          f"shown after {row['shown_after_ms']:>9} ms   rows {row['rows']:,}"
          + (f"   ({', '.join(row['full_gcs'])})" if row["full_gcs"] else ""), flush=True)
    for gap in row["big_gaps"]:
        print(f"      gap {gap['ms']} ms: GUI thread ran {gap['gui_cpu_ms']} ms, waited {gap['run_queue_ms']} ms for a core")
    for stall in row["stalls"]:
        print(f"      stalled {stall['samples_5ms'] * 5:>5} ms in {stall['where']}")
    return row


def insight_rows(app, meter: GapMeter, window, articles: list, common: tuple[str, str], hits: list,
                 stalls: bool) -> list[dict]:
    """Seeing the archive (issue 20), timed the same way: the timeline of the library, of a
    result set and of a name's articles, a year chosen and cleared, the network of the library,
    the articles naming its strongest pair, and a dossier. The generated pages give month and day
    only, so each article is given a year first (2014-2023, seeded; one in fifty left undated)."""
    rng = random.Random(5)
    for article in articles:
        if article.date and len(article.date) == 5 and rng.random() >= 0.02:
            article.date = f"{rng.randint(2014, 2023)}-{article.date}"
    insight, panel, proxy = window.insight, window.panel, window.panel.proxy
    insight.library_loaded()  # the dates and entities given here, as if the library were loaded again
    insight.pool.waitForDone(-1)
    made = {"timeline": None, "network": None}
    insight.timeline.set_timeline(None)
    changed = lambda: insight.timeline.timeline() is not None and insight.timeline.timeline() is not made["timeline"]

    def timeline_action(action):
        def run_it():
            made["timeline"] = insight.timeline.timeline()
            action()
        return run_it

    rows = [
        timed(app, meter, proxy, "timeline of the library", timeline_action(insight.refresh_timeline), stalls,
              until=changed),
        timed(app, meter, proxy, f"timeline of {len(hits)} hits",
              timeline_action(lambda: panel.show_results(hits, "hits", HITS_SHOWN)), stalls, until=changed),
        timed(app, meter, proxy, f"timeline of {common[1]}'s articles",
              timeline_action(lambda: window.entities.filter_by(*common)), stalls, until=changed),
    ]
    timeline = insight.timeline.timeline()
    year = [n for n, b in enumerate(timeline.buckets) if b.start.year == 2020] or [0]
    rows += [
        timed(app, meter, proxy, "choose a year of the timeline", lambda: insight.timeline.choose(0, year[0], year[-1]),
              stalls),
        timed(app, meter, proxy, "clear the chosen year", insight.timeline.clear_range, stalls, relayout=False),
    ]
    window.entities.show_all()
    insight.network_dock.show()
    rows.append(timed(app, meter, proxy, "network of the library (top 30)", insight.recount_network, stalls,
                      until=lambda: insight.network.network is not None and insight.network.network.nodes))
    network = insight.network.network
    edge = network.edges[0]
    rows.append(timed(app, meter, proxy, "articles naming the strongest pair",
                      lambda: insight.show_pair(network.nodes[edge.a].key, network.nodes[edge.b].key), stalls))
    dialogs: list = []
    rows.append(timed(app, meter, proxy, f"dossier of {common[1]}", lambda: dialogs.append(insight.open_dossier(*common)),
                      stalls, until=lambda: dialogs and dialogs[0].view.dossier() is not None))
    dialogs[0].close()
    return rows


def give_marks(app, window, articles: list, count: int) -> float:
    """``count`` of the reader's marks (stars, tags, notes, read state) on articles chosen with a
    fixed seed, written to the marks database and taken into the window's list; the seconds it took."""
    import random

    from app.marks import active_store

    t = time.perf_counter()
    store = active_store()
    chosen = random.Random(5).sample(articles, min(count, len(articles)))
    for n, a in enumerate(chosen):
        if n % 3 == 0:
            store.set_starred(a, True)
        elif n % 3 == 1:
            store.set_tags(a, ["政策", "调研", "民生"][: 1 + n % 3])
        else:
            store.set_note(a, "待回访")
        if n % 2:
            store.set_read(a, True)
    window.marks.attach()
    window.marks.wait(600000)
    wait_until(app, lambda: len(window.marks.marks) >= len(chosen), 600)
    return time.perf_counter() - t


def run(n_articles: int, workdir: Path, pages_dir: Path | None, stalls: bool = False, marks: int = 0) -> dict:
    t0 = time.perf_counter()
    pages_dir = pages_dir or workdir / "pages"
    if pages_dir.is_dir() and any(pages_dir.iterdir()):
        pages = sum(1 for _ in pages_dir.iterdir())
    else:
        pages, _generated = write_library(pages_dir, n_articles)
    generate_s = time.perf_counter() - t0
    from app.ui.process import keep_out_of_gc

    app, window = open_window(workdir)

    loaded: list = []
    window.loading_finished.connect(lambda: loaded.append(time.perf_counter()))
    start = time.perf_counter()
    window.open_paths([str(pages_dir)], expand_folders=True)
    wait_until(app, lambda: loaded, 3600)
    window.library_search.cancel_indexing()  # not waited for: entities are given below
    load_s = loaded[0] - start
    finished: list = []
    window.library_search.index_finished.connect(finished.append)
    wait_until(app, lambda: finished or not window.library_search.indexing, 120)

    panel = window.panel
    articles = panel.model.articles()
    t1 = time.perf_counter()
    common = give_entities(articles)
    keep_out_of_gc()  # as the window does with the entities it is given (LibrarySearch._give_entities)
    entities_s = time.perf_counter() - t1
    marks_s = give_marks(app, window, articles, marks) if marks else 0.0
    counted: list = []
    window.entities.panel.library_counted.connect(lambda: counted.append(1))
    window.entities.recount_library()
    wait_until(app, lambda: counted, 600)
    # the search's scan cache is folded in a background thread after loading (a minute or more
    # at 100,000 articles): let it finish, so what is measured below is the list's own work
    window.library_search.warm_pool.waitForDone(-1)
    settle = time.perf_counter() + 1.0
    wait_until(app, lambda: time.perf_counter() > settle, 5)
    print(f"\nbench_list: {len(articles):,} articles on {pages:,} pages (loaded in {load_s:.1f} s; "
          f"entities given in {entities_s:.1f} s; {marks:,} marks in {marks_s:.1f} s; "
          f"common name {common[1]} ({common[0]}))", flush=True)

    meter = GapMeter()
    meter.watch_gc()  # full collections over 10 ms are named after the action they fell in
    proxy = panel.proxy
    hits = hits_for(articles, HITS)
    selected: list = []
    rows = [
        timed(app, meter, proxy, "sort by date", lambda: panel.set_sort_mode("date"), stalls),
        timed(app, meter, proxy, "sort by title", lambda: panel.set_sort_mode("title"), stalls),
        timed(app, meter, proxy, "sort by page", lambda: panel.set_sort_mode("page"), stalls),
        timed(app, meter, proxy, "sort by title (again)", lambda: panel.set_sort_mode("title"), stalls),
        timed(app, meter, proxy, "sort by page (again)", lambda: panel.set_sort_mode("page"), stalls),
        timed(app, meter, proxy, f"filter_by {common[1]}", lambda: window.entities.filter_by(*common), stalls),
        timed(app, meter, proxy, "show_all", window.entities.show_all, stalls),
        timed(app, meter, proxy, f"show {len(hits)} hits", lambda: panel.show_results(hits, "hits", HITS_SHOWN), stalls),
        timed(app, meter, proxy, "clear hits", panel.clear_results, stalls),
        timed(app, meter, proxy, "select all, selected_articles", lambda: selected.append(select_all(panel)),
              stalls, relayout=False),
    ]
    assert len(selected[0]) == len(articles)
    rows += insight_rows(app, meter, window, articles, common, hits, stalls)
    window.close()
    window.library_search.writer_pool.waitForDone(60000)
    window.library_search.search_pool.waitForDone(60000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": len(articles), "pages": pages, "marks": marks, "generate_s": round(generate_s, 1),
            "load_s": round(load_s, 1),
            "actions": rows, "gap_max_ms": max(r["gap_max_ms"] for r in rows), "peak_rss_mb": round(peak_mb, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--pages", type=Path, help="the generated pages' folder: kept, and reused when not empty")
    parser.add_argument("--stalls", action="store_true",
                        help="sample the GUI thread's stack whenever it has not ticked for 50 ms")
    parser.add_argument("--marks", type=int, default=3000,
                        help="the reader's marks (stars, tags, notes, read state) on the library (default 3,000)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench_list-"))
    try:
        result = run(args.articles, workdir, args.pages, args.stalls, args.marks)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result = stamped(result)
    verdict = "within" if result["gap_max_ms"] <= GAP_TARGET_MS else "OVER"
    print(f"GUI gap max {result['gap_max_ms']} ms ({verdict} the {GAP_TARGET_MS} ms target); "
          f"peak RSS {result['peak_rss_mb']} MB")
    save("bench_list", args.articles, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
