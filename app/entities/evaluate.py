"""Reading BIO files and scoring entity spans (exact span + type, micro and per type).

``python -m app.entities.evaluate path/to/test.bio`` (or build_scripts/eval_ner.py) prints a
per-type precision/recall/F1 table for the bundled recogniser. MSRA tags PER/LOC/ORG are mapped
to PERSON/PLACE/ORG.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

BIO_TYPE_MAP = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG", "NR": "PERSON", "NS": "PLACE", "NT": "ORG"}

Sentence = tuple[str, list[str]]  # text, one tag per character


def read_bio(path: str | Path) -> list[Sentence]:
    """Sentences of a ``char<TAB>tag`` file with blank lines between sentences."""
    sents: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if chars:
                    sents.append(("".join(chars), tags))
                    chars, tags = [], []
                continue
            if "\t" in line:
                ch, tag = line.split("\t", 1)
            else:
                ch, _, tag = line.rpartition(" ")
            if len(ch) != 1:  # a stray multi-char token: keep offsets character-aligned
                ch = ch[:1] or " "
            chars.append(ch)
            tags.append(tag.strip() or "O")
    if chars:
        sents.append(("".join(chars), tags))
    return sents


_MARKUP_TYPES = {"P": "PER", "L": "LOC", "O": "ORG"}


def parse_markup(line: str) -> Sentence:
    """One sentence of the development-set markup (tests/fixtures/ner/modern): entities in
    brackets with a type letter, ``[P刘明]`` person, ``[L江门市]`` place, ``[O江海区政府]``
    organisation; the rest is plain text. Returns the text and its BIO tags (MSRA labels)."""
    chars: list[str] = []
    tags: list[str] = []
    i = 0
    while i < len(line):
        c = line[i]
        if c == "[" and line[i + 1 : i + 2] in _MARKUP_TYPES:
            j = line.find("]", i)
            if j < 0:
                raise ValueError(f"unclosed entity at {i}: {line}")
            word = line[i + 2 : j]
            if not word or "[" in word:
                raise ValueError(f"bad entity at {i}: {line}")
            t = _MARKUP_TYPES[line[i + 1]]
            chars.extend(word)
            tags.extend(["B-" + t] + ["I-" + t] * (len(word) - 1))
            i = j + 1
            continue
        chars.append(c)
        tags.append("O")
        i += 1
    return "".join(chars), tags


def read_markup(path: str | Path) -> list[Sentence]:
    """Sentences of a development-set markup file (see ``parse_markup``), one per line."""
    with open(path, encoding="utf-8") as fh:
        return [parse_markup(line.strip()) for line in fh if line.strip()]


def read_sentences(path: str | Path) -> list[Sentence]:
    """A BIO file (``.bio``) or a markup file (``.txt``, see ``parse_markup``)."""
    return read_markup(path) if str(path).endswith(".txt") else read_bio(path)


def tags_to_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """(type, start, end) spans from BIO tags; an I- without a matching B- starts a new span."""
    spans: list[tuple[str, int, int]] = []
    cur_t, cur_s = None, 0
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != cur_t):
            if cur_t is not None:
                spans.append((cur_t, cur_s, i))
                cur_t = None
            if tag != "O":
                cur_t, cur_s = tag[2:], i
    return [(BIO_TYPE_MAP.get(t, t), s, e) for t, s, e in spans]


@dataclass
class Scores:
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)

    def add(self, gold: Iterable[tuple[str, int, int]], pred: Iterable[tuple[str, int, int]]) -> None:
        g, p = set(gold), set(pred)
        for t, *_ in g & p:
            self.tp[t] = self.tp.get(t, 0) + 1
        for t, *_ in p - g:
            self.fp[t] = self.fp.get(t, 0) + 1
        for t, *_ in g - p:
            self.fn[t] = self.fn.get(t, 0) + 1

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def types(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def per_type(self, t: str) -> tuple[float, float, float]:
        return self._prf(self.tp.get(t, 0), self.fp.get(t, 0), self.fn.get(t, 0))

    def micro(self, types: Iterable[str] | None = None) -> tuple[float, float, float]:
        ts = list(types) if types is not None else self.types()
        return self._prf(
            sum(self.tp.get(t, 0) for t in ts), sum(self.fp.get(t, 0) for t in ts), sum(self.fn.get(t, 0) for t in ts)
        )

    def table(self, types: Iterable[str] | None = None) -> str:
        ts = list(types) if types is not None else self.types()
        lines = [f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
        for t in ts:
            p, r, f = self.per_type(t)
            gold = self.tp.get(t, 0) + self.fn.get(t, 0)
            pred = self.tp.get(t, 0) + self.fp.get(t, 0)
            lines.append(f"{t:<8} {100*p:6.2f} {100*r:6.2f} {100*f:6.2f} {gold:6d} {pred:6d}")
        p, r, f = self.micro(ts)
        lines.append(f"{'micro':<8} {100*p:6.2f} {100*r:6.2f} {100*f:6.2f}")
        return "\n".join(lines)


def is_name_list(text: str, tags: list[str]) -> bool:
    """MSRA test quirk: sentences that are mostly lists of person names.

    A sentence counts when it holds at least 10 person names; on the test split that selects
    exactly the 8 sentences (699 of its 1,973 PER entities) the data README warns about.
    """
    return sum(1 for s in tags_to_spans(tags) if s[0] == "PERSON") >= NAME_LIST_MIN_PERSONS


NAME_LIST_MIN_PERSONS = 10


SpanFunction = Callable[[str], Iterable[tuple[str, int, int]]]


def evaluate(
    sentences: list[Sentence],
    recognise: SpanFunction,
    types: tuple[str, ...] = ("PERSON", "PLACE", "ORG"),
) -> dict:
    """Score ``recognise`` (text -> (type, start, end) spans) on BIO sentences.

    Returns ``{"all": Scores, "no_name_lists": Scores, "chars": n, "seconds": t, "cpu_seconds": c,
    "name_lists": k}`` (``t``/``c``: wall/CPU time inside ``recognise`` alone, not the scoring);
    predicted spans of types outside ``types`` (e.g. DATE, MONEY) are ignored.
    """
    all_s, clean_s = Scores(), Scores()
    n_chars, n_lists = 0, 0
    dt = cpu = 0.0  # time spent in ``recognise`` only (its first call includes loading the model)
    for text, tags in sentences:
        gold = [s for s in tags_to_spans(tags) if s[0] in types]
        t0 = time.perf_counter()
        c0 = time.process_time()
        found = recognise(text)
        cpu += time.process_time() - c0
        dt += time.perf_counter() - t0
        pred = [tuple(s) for s in found if s[0] in types]
        all_s.add(gold, pred)
        if is_name_list(text, tags):
            n_lists += 1
        else:
            clean_s.add(gold, pred)
        n_chars += len(text)
    return {"all": all_s, "no_name_lists": clean_s, "chars": n_chars, "seconds": dt, "cpu_seconds": cpu, "name_lists": n_lists}


def recogniser_spans(text: str) -> list[tuple[str, int, int]]:
    """The bundled recogniser as a ``SpanFunction`` (sentence-level: no article context)."""
    from . import recognise_text

    return [(e.type, e.start, e.end) for e in recognise_text(text)]


def report(result: dict, types: tuple[str, ...] = ("PERSON", "PLACE", "ORG")) -> str:
    out = [
        "All sentences:",
        result["all"].table(types),
        "",
        f"Without the {result['name_lists']} name-list sentences:",
        result["no_name_lists"].table(types),
        "",
        f"{result['chars']} characters in {result['seconds']:.2f} s = {result['chars'] / max(result['seconds'], 1e-9):,.0f} chars/s"
        f" (CPU time {result['cpu_seconds']:.2f} s = {result['chars'] / max(result['cpu_seconds'], 1e-9):,.0f} chars/s)",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Score the bundled entity recogniser on a BIO file.")
    ap.add_argument("bio", help="char<TAB>tag file, e.g. ../shared/data/ner/msra/test.bio")
    ap.add_argument("--crf-only", action="store_true", help="score the bare CRF, without the news rules")
    args = ap.parse_args(argv)
    sents = read_bio(args.bio)
    if args.crf_only:
        from .recogniser import crf_spans

        rec: SpanFunction = crf_spans
    else:
        rec = recogniser_spans
    print(report(evaluate(sents, rec)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
