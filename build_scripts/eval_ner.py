"""Score the entity recogniser on a BIO file (PER/LOC/ORG mapped to PERSON/PLACE/ORG).

    .venv/bin/python build_scripts/eval_ner.py [../shared/data/ner/msra/test.bio] [--crf-only] [--write-metrics]
    .venv/bin/python build_scripts/eval_ner.py /tmp/dev/dev.bio --model-dir /tmp/dev   (tuning)
    .venv/bin/python build_scripts/eval_ner.py tests/fixtures/ner/modern/dev_*.txt --errors 20
    .venv/bin/python build_scripts/eval_ner.py --jieba   (speed beside jieba's plain cut)

Files ending in .txt are read as the modern development set's markup ([P刘明], [L江门市], [O江海区政府];
see tests/fixtures/ner/modern/README.md); several files are scored as one set.

Prints per-type precision/recall/F1, with and without the MSRA name-list sentences, and speed
(characters per second of CPU and of wall time spent inside the recogniser, the first call
loading the model). Tune on a development set (train_ner.py --holdout N writes dev.bio next to a
model trained without it), never on test.bio.
``--write-metrics`` records the figures in resources/ner/metrics.json (the regression test
asserts the committed model does not fall below them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.entities.evaluate import evaluate, read_sentences, recogniser_spans, report, tags_to_spans  # noqa: E402
from app.entities.recogniser import crf_spans, model_dir  # noqa: E402

TYPES = ("PERSON", "PLACE", "ORG")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "bio", nargs="*", default=[str(REPO / ".." / "shared" / "data" / "ner" / "msra" / "test.bio")],
        help="BIO files (.bio) or development-set markup files (.txt), scored together",
    )
    ap.add_argument("--crf-only", action="store_true", help="the bare CRF, without rules and consistency")
    ap.add_argument("--write-metrics", action="store_true", help="record the figures in <model dir>/metrics.json")
    ap.add_argument(
        "--model-dir",
        help="evaluate the model in this folder (e.g. one trained with train_ner.py --holdout N, on its dev.bio)",
    )
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print the first N sentences with a mistake")
    ap.add_argument("--jieba", action="store_true", help="also time jieba's plain cut (lcut) of the same text")
    args = ap.parse_args(argv)
    if args.model_dir:
        import os

        from app.entities.recogniser import unload

        os.environ["BAOZHI_NER_MODEL_DIR"] = str(Path(args.model_dir).resolve())
        unload()
    sents = []
    for path in args.bio:
        try:
            sents += read_sentences(path)
        except (OSError, ValueError) as e:
            print(f"eval_ner: cannot read {path}: {e}", file=sys.stderr)
            return 2
    rec = crf_spans if args.crf_only else recogniser_spans
    result = evaluate(sents, rec, TYPES)
    print(report(result, TYPES))
    if args.errors:
        print_errors(sents, rec, args.errors)
    if args.jieba:
        jieba_speed(sents, result["chars"] / max(result["cpu_seconds"], 1e-9))
    if args.write_metrics:
        def block(sc):
            d = {t: dict(zip(("p", "r", "f1"), (round(100 * x, 2) for x in sc.per_type(t)))) for t in TYPES}
            d["micro"] = dict(zip(("p", "r", "f1"), (round(100 * x, 2) for x in sc.micro(TYPES))))
            return d

        metrics = {
            "data": "MSRA test.bio (SIGHAN 2006), entity-level exact span + type",
            "mode": "crf-only" if args.crf_only else "crf+rules",
            "sentences": len(sents),
            "all": block(result["all"]),
            "without_name_lists": block(result["no_name_lists"]),
            "name_list_sentences": result["name_lists"],
            "chars_per_second_wall": round(result["chars"] / result["seconds"]),
            "chars_per_second_cpu": round(result["chars"] / result["cpu_seconds"]),
        }
        out = model_dir() / "metrics.json"
        out.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


def print_errors(sents, rec, limit: int) -> None:
    """The first ``limit`` sentences where the recogniser and the gold spans differ."""
    shown = 0
    for text, tags in sents:
        gold = {x for x in tags_to_spans(tags) if x[0] in TYPES}
        pred = {tuple(x) for x in rec(text) if x[0] in TYPES}
        if gold == pred:
            continue
        print("\n" + text)
        for t, a, b in sorted(gold - pred, key=lambda x: x[1]):
            print(f"  missed {t:<6} {text[a:b]}")
        for t, a, b in sorted(pred - gold, key=lambda x: x[1]):
            print(f"  wrong  {t:<6} {text[a:b]}")
        shown += 1
        if shown >= limit:
            break


def jieba_speed(sents, ours: float) -> None:
    """CPU characters/s of jieba's plain cut (``jieba.lcut``, dictionary loaded first) on the same
    sentences, beside ours, as a ratio (jieba is a build-time tool here: the program never uses it)."""
    import time

    try:
        import jieba
    except ImportError:
        print("jieba is not installed: no comparison (pip install jieba)")
        return
    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [t for t, _ in sents]
    c0 = time.process_time()
    for t in texts:
        jieba.lcut(t)
    cpu = time.process_time() - c0
    theirs = sum(map(len, texts)) / max(cpu, 1e-9)
    print(f"jieba.lcut on the same text: {theirs:,.0f} chars/s (CPU); recogniser / jieba = {ours / theirs:.2f}")


if __name__ == "__main__":
    sys.exit(main())
