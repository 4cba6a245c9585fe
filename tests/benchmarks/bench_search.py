"""Search benchmark: build time, index size, query latency, recall vs a substring scan, and the
same queries through a plain substring scan and SQLite FTS5 (trigram) for comparison.

    python -m tests.benchmarks.bench_search              # 1k and 10k articles
    python -m tests.benchmarks.bench_search --sizes 1000 --rounds 3
    python -m tests.benchmarks.bench_search --large      # adds 100k (slow: minutes, GBs of RAM)

Prints a table and writes JSON to tests/benchmarks/results/.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from app.search import SearchIndex, searchable_text
from app.search.analysis import fold
from app.search.query import parse_query
from tests.benchmarks.corpus import ArchiveGenerator, archive, load_sentences, loaded_source

RESULTS = Path(__file__).resolve().parent / "results"

FIXED_QUERIES = [
    # one character
    "港", "侨", "鑫", "潮", "尘",
    # two characters, common to rare
    "发展", "经济", "记者", "银行", "教育", "足球", "污染", "扬尘", "湾区", "伟潮",
    # words and names inside longer words
    "粤港澳", "食品安全", "人民币", "高质量发展", "改革开放", "联合国", "郑伟潮",
    # phrases
    '"食品安全"', '"中国人民"', '"北京市"', '"经济建设"',
    # Traditional / full-width / Latin and digits
    "揚塵", "經濟", "發展", "１９９８", "1998", "ab",
    # misses
    "量子纠缠态", "xyzzy", "扬尘治理方案书", "魑魅魍魉",
]


def fts5_trigram(texts: list[str], db: Path) -> tuple[sqlite3.Connection, float]:
    """The reference index: SQLite FTS5 (trigram) of ``texts`` (rowid = position) in ``db``; the
    open connection and the seconds the build took."""
    con = sqlite3.connect(db)
    t = time.perf_counter()
    con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    con.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", enumerate(texts))
    con.commit()
    return con, time.perf_counter() - t


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def query_mix(articles, rng: random.Random) -> list[str]:
    queries = list(FIXED_QUERIES)
    names = {"PERSON": [], "PLACE": [], "ORG": []}
    for art in articles[:3000]:
        for e in art.entities:
            if e.type in names and 2 <= len(e.text) <= 8:
                names[e.type].append(e.text)
    for kind, n in (("PERSON", 6), ("PLACE", 4), ("ORG", 3)):
        pool = sorted(set(names[kind]))
        queries.extend(rng.sample(pool, min(n, len(pool))))
    for _ in range(6):  # random substrings of random articles
        text = searchable_text(rng.choice(articles))
        n = rng.randint(2, 6)
        at = rng.randrange(0, max(1, len(text) - n))
        piece = text[at:at + n].replace("\n", "").replace('"', "").strip()
        if piece:
            queries.append(piece)
    return queries


def literal_of(query: str) -> str | None:
    plan = parse_query(query)
    if plan.exclude or len(plan.groups) != 1 or len(plan.groups[0]) != 1:
        return None
    lit = plan.groups[0][0]
    return lit.text if lit.field == "all" else None


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_size(n: int, sentences, rounds: int, seed: int) -> dict:
    out: dict = {"articles_requested": n}
    t = time.perf_counter()
    sources = archive(n, seed=seed, sentences=sentences)
    articles = [a for s in sources for a in s.articles]
    out["articles"] = len(articles)
    out["pages"] = len(sources)
    out["chars"] = sum(len(searchable_text(a)) for a in articles)
    out["generate_s"] = round(time.perf_counter() - t, 1)
    rng = random.Random(seed + n)
    queries = query_mix(articles, rng)
    out["queries"] = len(queries)

    tmp = Path(tempfile.mkdtemp(prefix="baozhi-bench-"))
    try:
        index_dir = tmp / "index"
        gc.collect()
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        ix = SearchIndex(index_dir)
        stats = ix.update(sources)
        out["build_s"] = round(time.perf_counter() - t, 2)
        out["build_articles_per_s"] = round(len(articles) / out["build_s"])
        out["index_mb"] = round(dir_size(index_dir) / 1e6, 1)
        out["indexed"] = stats.articles_indexed
        ix.close()

        # Cold: each query the first search of a new process on the index (what `baozhi search`
        # meets), its took_ms as the program reports it; app.library is imported first, as the
        # command line does before searching.
        cold = cold_took(index_dir, COLD_QUERIES)
        out["cold_took_p50_ms"] = round(pct(cold, 0.5), 3)
        out["cold_took_p95_ms"] = round(pct(cold, 0.95), 3)
        out["index_mb_by_part"] = index_parts(index_dir)

        # Cold start: a new SearchIndex on the existing folder, first query.
        t = time.perf_counter()
        ix = SearchIndex(index_dir)
        ix.search("发展")
        out["open_and_first_query_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        again = ix.update(sources)
        out["update_unchanged_s"] = round(time.perf_counter() - t, 3)
        assert again.sources_added == 0 and not again.rebuilt

        # Latency over the query mix (limit 20, snippets included).
        lat: list[float] = []
        first: list[float] = []
        for q in queries:
            # The first execution of each query: the index keeps no result or posting cache, so
            # it should match the repeated ones (reported apart to show that it does).
            first.append(ix.search(q).took_ms)
        out["query_first_p50_ms"] = round(pct(first, 0.5), 3)
        out["query_first_p95_ms"] = round(pct(first, 0.95), 3)
        for _ in range(rounds):
            for q in queries:
                lat.append(ix.search(q).took_ms)
        out["query_p50_ms"] = round(pct(lat, 0.5), 3)
        out["query_p95_ms"] = round(pct(lat, 0.95), 3)
        out["query_max_ms"] = round(max(lat), 3)

        # Recall and false hits against a substring scan of the same folded text.
        texts = [fold(searchable_text(a)) for a in articles]
        ids = [a.id for a in articles]
        expected_total = found_total = false_hits = 0
        misses: list[str] = []
        scan_lat: list[float] = []
        for q in queries:
            lit = literal_of(q)
            if lit is None:
                continue
            for _ in range(rounds):
                t = time.perf_counter()
                scan = [i for i, text in enumerate(texts) if lit in text]
                scan_lat.append((time.perf_counter() - t) * 1000)
            want = {ids[i] for i in scan}
            got = {h.id for h in ix.search(q, limit=None).hits}
            expected_total += len(want)
            found_total += len(want & got)
            false_hits += len(got - want)
            if want - got:
                misses.append(q)
        out["recall"] = round(found_total / expected_total, 6) if expected_total else 1.0
        out["expected_hits"] = expected_total
        out["false_hits"] = false_hits
        out["recall_misses"] = misses
        out["scan_p50_ms"] = round(pct(scan_lat, 0.5), 3)
        out["scan_p95_ms"] = round(pct(scan_lat, 0.95), 3)

        # Adding and removing one page.
        gen = ArchiveGenerator(seed + 7, sentences)
        page = loaded_source(gen.page(999_999), folder="/archive-new")
        t = time.perf_counter()
        st = ix.update(sources + [page])
        out["add_one_page_s"] = round(time.perf_counter() - t, 3)
        out["add_one_page_rebuilt"] = st.rebuilt
        hit = ix.search(literal_of_title(page))
        out["new_page_found"] = any(h.source.startswith("/archive-new") for h in hit.hits)
        t = time.perf_counter()
        ix.update(sources)
        out["remove_one_page_s"] = round(time.perf_counter() - t, 3)
        ix.close()
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        out["peak_rss_before_build_mb"] = round(rss0 / 1024, 1)

        # SQLite FTS5 trigram on the same folded texts.
        db = tmp / "fts.sqlite"
        con, build_s = fts5_trigram(texts, db)
        out["fts5_build_s"] = round(build_s, 2)
        out["fts5_mb"] = round(db.stat().st_size / 1e6, 1)
        fts_lat: list[float] = []
        for q in queries:
            lit = literal_of(q)
            if lit is None:
                continue
            for _ in range(rounds):
                t = time.perf_counter()
                if len(lit) >= 3:
                    rows = con.execute("SELECT rowid FROM t WHERE t MATCH ?",
                                       ('"' + lit.replace('"', '""') + '"',)).fetchall()
                else:
                    rows = con.execute("SELECT rowid FROM t WHERE x LIKE ?",
                                       ("%" + lit.replace("%", "").replace("_", "") + "%",)).fetchall()
                fts_lat.append((time.perf_counter() - t) * 1000)
        con.close()
        out["fts5_p50_ms"] = round(pct(fts_lat, 0.5), 3)
        out["fts5_p95_ms"] = round(pct(fts_lat, 0.95), 3)
        out["p95_vs_scan"] = round(out["query_p95_ms"] / out["scan_p95_ms"], 3)
        out["first_p95_vs_scan"] = round(out["query_first_p95_ms"] / out["scan_p95_ms"], 3)
        out["cold_p95_vs_scan"] = round(out["cold_took_p95_ms"] / out["scan_p95_ms"], 3)
        out["index_vs_fts5"] = round(out["index_mb"] / out["fts5_mb"], 3)
        out["p95_vs_fts5"] = round(out["query_p95_ms"] / out["fts5_p95_ms"], 3)
        out["slowest_queries"] = slowest(ix_dir=index_dir, queries=queries)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


COLD_QUERIES = ["江海", "发展", "记者", "粤港澳", "食品安全", '"中国人民"', "經濟", "1998", "xyzzy", "郑伟潮"]

COLD_SCRIPT = """
import sys, json
import app.library  # noqa: F401 - the command line has it loaded before it searches
from app.search import SearchIndex
index = SearchIndex(sys.argv[1])
print(json.dumps(index.search(sys.argv[2]).took_ms))
"""


def cold_took(index_dir: Path, queries: list[str], rounds: int = 2) -> list[float]:
    """took_ms of each query as the first search of a fresh process on the index."""
    import subprocess

    repo = Path(__file__).resolve().parents[2]
    out = []
    for _ in range(rounds):
        for q in queries:
            done = subprocess.run([sys.executable, "-c", COLD_SCRIPT, str(index_dir), q], cwd=repo,
                                  capture_output=True, text=True, check=True)
            out.append(float(done.stdout.strip().splitlines()[-1]))
    return out


def index_parts(index_dir: Path) -> dict[str, float]:
    """MB on disk by kind of file: records (r), folded texts (t), term table (trm), postings (pst),
    the rest."""
    parts: dict[str, float] = {}
    for f in index_dir.rglob("*"):
        if f.is_file():
            kind = f.suffix.lstrip(".") if f.suffix in (".trm", ".pst") else \
                "records" if f.name.endswith(".r.col") else "texts" if f.name.endswith(".t.col") else "other"
            parts[kind] = parts.get(kind, 0) + f.stat().st_size / 1e6
    return {k: round(v, 1) for k, v in sorted(parts.items())}


def literal_of_title(page) -> str:
    title = page.articles[0].title
    return '"' + title[:8].replace('"', "") + '"'


def slowest(ix_dir: Path, queries: list[str]) -> list[tuple[str, float, int]]:
    ix = SearchIndex(ix_dir)
    ix.search("x")
    timed = []
    for q in queries:
        r = ix.search(q)
        timed.append((q, r.took_ms, r.total))
    ix.close()
    return sorted(timed, key=lambda x: -x[1])[:5]


ROWS = [
    ("articles", "articles"), ("chars", "characters"), ("build_s", "build s"),
    ("index_mb", "index MB"), ("fts5_mb", "FTS5 MB"), ("index_vs_fts5", "index / FTS5 size"),
    ("open_and_first_query_s", "open+1st query s"),
    ("cold_took_p50_ms", "cold took p50 ms"), ("cold_took_p95_ms", "cold took p95 ms"),
    ("cold_p95_vs_scan", "cold p95 / scan p95"),
    ("query_p50_ms", "query p50 ms"), ("query_p95_ms", "query p95 ms"),
    ("query_first_p50_ms", "1st-run p50 ms"), ("query_first_p95_ms", "1st-run p95 ms"),
    ("recall", "recall vs scan"), ("false_hits", "false hits"),
    ("scan_p50_ms", "scan p50 ms"), ("scan_p95_ms", "scan p95 ms"),
    ("fts5_build_s", "FTS5 build s"), ("fts5_p50_ms", "FTS5 p50 ms"), ("fts5_p95_ms", "FTS5 p95 ms"),
    ("p95_vs_scan", "p95 / scan p95"), ("first_p95_vs_scan", "1st p95 / scan p95"), ("p95_vs_fts5", "p95 / FTS5 p95"),
    ("add_one_page_s", "add one page s"), ("remove_one_page_s", "remove one page s"),
    ("update_unchanged_s", "update unchanged s"), ("peak_rss_mb", "peak RSS MB"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    ap.add_argument("--large", action="store_true", help="also run 100,000 articles")
    ap.add_argument("--rounds", type=int, default=5, help="timed passes over the query mix")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.large and 100_000 not in sizes:
        sizes.append(100_000)
    sentences = load_sentences()
    results = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "python": sys.version.split()[0],
               "cpus": os.cpu_count(), "sentences": len(sentences), "runs": []}
    for n in sizes:
        print(f"-- {n} articles ...", flush=True)
        results["runs"].append(run_size(n, sentences, args.rounds, args.seed))
    width = 22
    print()
    print("".ljust(width) + "".join(f"{r['articles']:>14}" for r in results["runs"]))
    for key, label in ROWS:
        print(label.ljust(width) + "".join(f"{str(r.get(key)):>14}" for r in results["runs"]))
    for r in results["runs"]:
        print(f"index MB by part at {r['articles']}: {r['index_mb_by_part']}")
        print(f"slowest at {r['articles']}: {r['slowest_queries']}")
        if r["recall_misses"]:
            print(f"recall misses at {r['articles']}: {r['recall_misses']}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"bench_search-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    print(f"\nwritten {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
