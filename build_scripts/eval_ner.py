"""Score the entity recogniser on a BIO file (PER/LOC/ORG mapped to PERSON/PLACE/ORG).

    .venv/bin/python build_scripts/eval_ner.py [../shared/data/ner/msra/test.bio] [--crf-only] [--write-metrics]
    .venv/bin/python build_scripts/eval_ner.py /tmp/dev/dev.bio --model-dir /tmp/dev   (tuning)

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

from app.entities.evaluate import evaluate, read_bio, recogniser_spans, report  # noqa: E402
from app.entities.recogniser import crf_spans, model_dir  # noqa: E402

TYPES = ("PERSON", "PLACE", "ORG")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bio", nargs="?", default=str(REPO / ".." / "shared" / "data" / "ner" / "msra" / "test.bio"))
    ap.add_argument("--crf-only", action="store_true", help="the bare CRF, without rules and consistency")
    ap.add_argument("--write-metrics", action="store_true", help="record the figures in <model dir>/metrics.json")
    ap.add_argument(
        "--model-dir",
        help="evaluate the model in this folder (e.g. one trained with train_ner.py --holdout N, on its dev.bio)",
    )
    args = ap.parse_args(argv)
    if args.model_dir:
        import os

        from app.entities.recogniser import unload

        os.environ["BAOZHI_NER_MODEL_DIR"] = str(Path(args.model_dir).resolve())
        unload()
    sents = read_bio(args.bio)
    result = evaluate(sents, crf_spans if args.crf_only else recogniser_spans, TYPES)
    print(report(result, TYPES))
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


if __name__ == "__main__":
    sys.exit(main())
