"""Command-line benchmark (issue #19): ``baozhi index``, ``search`` and ``articles --json`` on a
generated archive, timed from outside the process (wall clock of a subprocess), cold and warm,
each beside its reference from the same run on the same machine and the ratio.

    python -m tests.benchmarks.bench_cli                  # 10k articles (about 1,000 page files)
    python -m tests.benchmarks.bench_cli --articles 2000  # a quicker look
    python -m tests.benchmarks.bench_cli --large          # adds 100k (slow: the entities of 85 M chars)

Rows (cold = a fresh data folder, so no article store; warm = unchanged files, store and index):

- ``index`` from nothing (entities included) / SQLite FTS5 (trigram) building the same articles;
- ``index`` again, unchanged / the one-page ``index``;
- ``search 江海`` warm and cold / the one-page ``search``; its ``took_ms`` (an index just opened:
  every command opens it afresh) / the p95 of a plain substring scan of all the articles;
- ``search 江海 FOLDER`` (the archive given as its folder) warm / the one-page ``search``;
- ``articles --json`` warm / cold (what every run cost before the store) and the one-page command;
- the index folder on disk (the index and its entity cache) / the FTS5 database;
- ``grep -l`` over the same files, for scale.

Prints a table and writes JSON to tests/benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
QUERY = "江海"
SCAN_QUERIES = ["江海", "发展", "记者", "经济", "银行", "教育", "湾区", "食品安全", "人民币", "改革开放",
                "联合国", "高质量发展", "1998", "量子纠缠态", "xyzzy", "港", "潮", "污染", "足球", "北京市"]


def write_archive(folder: Path, n_articles: int, seed: int = 2026) -> list[Path]:
    """Page files of about ``n_articles`` articles in the sample's layout, dated an hour back (an
    archive's files are not written the second before they are read)."""
    from tests.benchmarks.corpus import ArchiveGenerator

    folder.mkdir(parents=True, exist_ok=True)
    gen = ArchiveGenerator(seed)
    paths: list[Path] = []
    total = 0
    past = time.time() - 3600
    while total < n_articles:
        page = gen.page(len(paths))
        path = folder / page.name
        path.write_text(page.text, encoding="utf-8")
        os.utime(path, (past, past))
        paths.append(path)
        total += len(page.articles)
    return paths


def compile_program() -> str:
    """Compile the program's modules to bytecode before anything is timed, as an installed program
    (pip's install, PyInstaller's archive) has them: a checkout run with PYTHONDONTWRITEBYTECODE
    set (this machine's shell sets it) compiles every module it imports at each start, ~0.1 s of
    every command here. Returns what the table says about it."""
    import compileall

    compileall.compile_dir(str(REPO / "app"), quiet=1, workers=1)
    return "the program's modules compiled to bytecode beforehand (as installed)"


def baozhi(args: list, data: Path) -> tuple[float, bytes]:
    """Wall seconds of one ``python -m app ...`` and its stdout (stderr is not a terminal: no bar)."""
    env = {**os.environ, "BAOZHI_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"baozhi {' '.join(map(str, args[:3]))} … failed: {done.stderr.decode(errors='replace')}")
    return seconds, done.stdout


def median_of(rounds: int, args: list, data: Path) -> float:
    return statistics.median(baozhi(args, data)[0] for _ in range(rounds))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def disk_mb(path: Path) -> float:
    """What ``path`` (a file, or a folder with everything in it) takes on disk, as ``du`` counts."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(getattr(p.stat(), "st_blocks", 0) * 512 or p.stat().st_size for p in files) / 1e6


def references(paths: list[Path], tmp: Path) -> dict:
    """FTS5 trigram build and a substring scan of the same articles (split here, not timed)."""
    from app.library import Library
    from app.search import searchable_text
    from app.search.analysis import fold
    from tests.benchmarks.bench_search import fts5_trigram

    library = Library(store=False, corrections_dir=False)
    library.add_many(paths, stop_at_error=True)
    texts = [fold(searchable_text(a)) for a in library.articles]
    out = {"articles": len(texts), "chars": sum(len(t) for t in texts)}
    con, out["fts5_build_s"] = fts5_trigram(texts, tmp / "fts.sqlite")
    con.close()
    out["fts5_mb"] = disk_mb(tmp / "fts.sqlite")
    lat = []
    for q in SCAN_QUERIES:
        lit = fold(q)
        for _ in range(3):
            t = time.perf_counter()
            [i for i, text in enumerate(texts) if lit in text]
            lat.append((time.perf_counter() - t) * 1000)
    out["scan_p50_ms"] = pct(lat, 0.5)
    out["scan_p95_ms"] = pct(lat, 0.95)
    t = time.perf_counter()
    subprocess.run(["grep", "-l", QUERY, *map(str, paths)], stdout=subprocess.DEVNULL, check=False)
    out["grep_l_s"] = time.perf_counter() - t
    return out


def run_size(n: int, rounds: int, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-cli-{n}-"))
    try:
        paths = write_archive(tmp / "pages", n)
        out: dict = {"articles_wanted": n, "files": len(paths)}
        out.update(references(paths, tmp))

        # the one-page commands (the bundled sample), warm
        one_data, one_index = tmp / "one-data", tmp / "one-index"
        baozhi(["index", "--index-dir", one_index], one_data)
        out["one_index_s"] = median_of(rounds, ["index", "--index-dir", one_index], one_data)
        out["one_search_s"] = median_of(rounds, ["search", QUERY, "--index-dir", one_index], one_data)
        out["one_articles_s"] = median_of(rounds, ["articles", "--json"], one_data)

        data, index = tmp / "data", tmp / "index"
        out["index_cold_s"], _ = baozhi(["index", *paths, "--index-dir", index], data)
        out["index_folder_mb"] = disk_mb(index)  # the index and, in entities/, the entity cache
        out["entity_cache_mb"] = disk_mb(index / "entities")
        out["index_warm_s"] = median_of(rounds, ["index", *paths, "--index-dir", index], data)
        search = ["search", QUERY, *paths, "--index-dir", index, "--json"]
        took = []
        walls = []
        for _ in range(rounds):
            wall, stdout = baozhi(search, data)
            walls.append(wall)
            took.append(json.loads(stdout)["took_ms"])
        out["search_warm_s"] = statistics.median(walls)
        out["search_took_p50_ms"] = pct(took, 0.5)
        out["search_took_p95_ms"] = pct(took, 0.95)
        # the archive given as its folder, as a user with a decade of pages would
        out["search_folder_s"] = median_of(rounds, ["search", QUERY, str(tmp / "pages"), "--index-dir", index,
                                                     "--json"], data)
        out["articles_warm_s"] = median_of(rounds, ["articles", *paths, "--json"], data)
        # cold: a fresh data folder (no article store), the index already built
        out["search_cold_s"], _ = baozhi(search, tmp / "data-cold-search")
        out["articles_cold_s"], _ = baozhi(["articles", *paths, "--json"], tmp / "data-cold-articles")
        ratios = {
            "index_cold_vs_fts5": out["index_cold_s"] / out["fts5_build_s"],
            "index_warm_vs_one_page": out["index_warm_s"] / out["one_index_s"],
            "search_warm_vs_one_page": out["search_warm_s"] / out["one_search_s"],
            "search_folder_vs_one_page": out["search_folder_s"] / out["one_search_s"],
            "index_folder_vs_fts5_mb": out["index_folder_mb"] / out["fts5_mb"],
            "search_cold_vs_one_page": out["search_cold_s"] / out["one_search_s"],
            "took_p95_vs_scan_p95": out["search_took_p95_ms"] / out["scan_p95_ms"],
            "articles_cold_vs_warm": out["articles_cold_s"] / out["articles_warm_s"],
            "articles_warm_vs_one_page": out["articles_warm_s"] / out["one_articles_s"],
        }
        out.update(ratios)
        out["cores"] = os.cpu_count()
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}
    finally:
        if keep is not None:
            shutil.copytree(tmp, keep / tmp.name, dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)


ROWS = [
    ("index from nothing (entities)", "index_cold_s", "SQLite FTS5 trigram build", "fts5_build_s", "≤ 25×"),
    ("index, unchanged", "index_warm_s", "one-page index", "one_index_s", ""),
    ("search 江海, warm", "search_warm_s", "one-page search", "one_search_s", "≤ 1.5×"),
    ("search 江海 FOLDER, warm", "search_folder_s", "one-page search", "one_search_s", "≤ 1.5×"),
    ("search 江海, cold (fresh data folder)", "search_cold_s", "one-page search", "one_search_s", ""),
    ("search took_ms p95 (index just opened)", "search_took_p95_ms", "substring scan p95 ms", "scan_p95_ms", "< 1×"),
    ("articles --json, warm", "articles_warm_s", "articles --json, cold (= before the store)", "articles_cold_s",
     "≤ 0.1×"),
    ("articles --json, warm", "articles_warm_s", "one-page articles --json", "one_articles_s", ""),
    ("index folder MB (index + entity cache)", "index_folder_mb", "SQLite FTS5 trigram MB", "fts5_mb", ""),
    ("  of which the entity cache, MB", "entity_cache_mb", "", None, ""),
    ("grep -l 江海 (for scale)", "grep_l_s", "", None, ""),
]


def print_table(results: list[dict]) -> None:
    for r in results:
        print(f"\n== {r['articles']:,} articles in {r['files']:,} files ({r['chars'] / 1e6:.1f} M chars), "
              f"{r['cores']} cores")
        print(f"{'what':<42} {'value':>9}  {'reference':<44} {'ref':>9} {'ratio':>8}  target")
        for what, key, ref_name, ref_key, target in ROWS:
            value = r[key]
            if ref_key is None:
                print(f"{what:<42} {value:>9.3f}")
                continue
            ref = r[ref_key]
            print(f"{what:<42} {value:>9.3f}  {ref_name:<44} {ref:>9.3f} {value / ref:>7.2f}×  {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="*", default=[10_000])
    parser.add_argument("--large", action="store_true", help="add 100,000 articles")
    parser.add_argument("--rounds", type=int, default=5, help="warm runs of each command (the median is shown)")
    parser.add_argument("--keep", type=Path, help="copy the archive, data and index folders here")
    args = parser.parse_args(argv)
    sizes = list(args.articles) + ([100_000] if args.large else [])
    print(compile_program())
    results = [run_size(n, args.rounds, args.keep) for n in sizes]
    print_table(results)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"bench_cli-{'-'.join(map(str, sizes))}-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
