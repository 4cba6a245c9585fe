"""Train the character CRF of the entity recogniser from the MSRA NER data.

    .venv/bin/python build_scripts/train_ner.py [--data ../shared/data/ner/msra] [--out resources/ner]

Writes ``crf.model``, ``gazetteer.tsv``, ``plain_words.tsv``, ``words.txt`` and ``config.json``
to ``--out``; ``--plain-words-only`` writes just ``plain_words.tsv`` (seconds, no training).
Reproducible: python-crfsuite's L-BFGS is deterministic and the fold split is by sentence index.
Needs python-crfsuite, and jieba at build time only (its dict.txt is the source of words.txt;
the program never imports jieba).

Features (app/entities/features.py): characters and character bigrams in a +-2 window,
character types, surname / place-suffix / organisation-suffix / role-word flags, word
boundaries and proper-noun classes from jieba's dictionary, and gazetteer matches; ``--extra``
adds optional groups (recorded in config.json so the tagger builds the same features):
``lookahead`` (distance to the next organisation suffix), ``seg`` (forward-maximum-match word
tags), ``window3`` (characters at -3/+3), ``lookahead2``, ``chunk``, ``lean``.

Gazetteer features are built *cross-fold*: sentences of fold k see only the entity strings of
the other folds, so the CRF learns how far to trust a gazetteer hit on names it has not seen;
at run time the gazetteer holds all training entities plus ``app.lexicon.KNOWN_PLACES``.

``--augment 0.5`` (the default) adds, within each fold, a copy of half the sentences naming a
person, each person replaced by a made-up name (``augmented``): the CRF learns names from their
context and shape rather than from the particular names of the training news.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.entities.evaluate import read_bio, tags_to_spans  # noqa: E402
from app.entities.features import Gazetteer, WordList, normalise, sentence_features  # noqa: E402
from app.lexicon import COMPOUND_SURNAMES, KNOWN_PLACES  # noqa: E402

MAX_GAZ_LEN = 20


def gazetteer_entries(sents) -> dict[str, str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for text, tags in sents:
        norm = normalise(text)
        for t, s, e in tags_to_spans(tags):
            if 2 <= e - s <= MAX_GAZ_LEN:
                counts[norm[s:e]][t] += 1
    return {w: c.most_common(1)[0][0] for w, c in counts.items()}


PLAIN_WORDS_MIN = 3  # plain_words.tsv: strings seen at least this often outside entities
PLAIN_WORDS_MAX_SHARE = 0.5  # and tagged as the type in less than this share of their occurrences


def plain_words(sents) -> list[tuple[str, str, int, int]]:
    """(string, type, times tagged as that type, times outside any entity) for the entity strings
    of 2+ characters that occur more often as ordinary text than as that type (田野: a person
    once, ordinary text 12 times). The recogniser drops CRF spans that are such words by a
    stricter share (app.entities.crf.PLAIN_MAX_SHARE)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    masked = []
    for text, tags in sents:
        chars = list(normalise(text))
        for t, s, e in tags_to_spans(tags):
            counts["".join(chars[s:e])][t] += 1
            chars[s:e] = "\0" * (e - s)
        masked.append("".join(chars))
    plain_text = "\n".join(masked)  # entity characters blanked out: count() finds plain occurrences
    out = []
    for w, c in counts.items():
        if len(w) < 2 or len(w) > MAX_GAZ_LEN:
            continue
        n_plain = plain_text.count(w)
        if n_plain < PLAIN_WORDS_MIN:
            continue
        for t, n in sorted(c.items()):
            if n < PLAIN_WORDS_MAX_SHARE * (n + n_plain):
                out.append((w, t, n, n_plain))
    return sorted(out)


def write_plain_words(sents, out: Path) -> None:
    with open(out / "plain_words.tsv", "w", encoding="utf-8") as fh:
        for w, t, n, n_plain in plain_words(sents):
            fh.write(f"{w}\t{t}\t{n}\t{n_plain}\n")


def with_known(entries: dict[str, str]) -> dict[str, str]:
    out = dict(entries)
    for w in KNOWN_PLACES:
        out.setdefault(w, "PLACE")
    return out


def to_labels(tags: list[str], scheme: str) -> list[str]:
    """MSRA BIO tags to the training scheme (``bio`` or ``bioes``)."""
    if scheme == "bio":
        return list(tags)
    out = []
    n = len(tags)
    for i, t in enumerate(tags):
        if t == "O":
            out.append(t)
            continue
        typ = t[2:]
        nxt = tags[i + 1] if i + 1 < n else "O"
        cont = nxt == "I-" + typ
        begins = t.startswith("B-") or i == 0 or tags[i - 1][2:] != typ or tags[i - 1] == "O"
        if begins:
            out.append(("B-" if cont else "S-") + typ)
        else:
            out.append(("I-" if cont else "E-") + typ)
    return out


JIEBA_CLASSES = {"nr": "P", "nrfg": "P", "nrt": "P", "ns": "L", "nsf": "L", "nt": "O"}


def jieba_words(path: Path, min_freq: int, classes: bool = False) -> dict[str, str]:
    """Words of 2-6 Han characters with frequency >= min_freq from jieba's dict.txt; with
    ``classes`` also every person/place/organisation name, with its class (P/L/O)."""
    import re

    han = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or not han.match(parts[0]):
                continue
            cls = JIEBA_CLASSES.get(parts[2], "") if classes and len(parts) > 2 else ""
            if cls or int(parts[1]) >= min_freq:
                out[parts[0]] = cls
    return out


def default_jieba_dict() -> str:
    try:
        import jieba  # noqa: F401  (build-time only: its dictionary is the word list's source)
    except ImportError:
        return ""
    return str(Path(jieba.__file__).parent / "dict.txt")


def name_maker(sents, rng):
    """A function making person names that look like the training data's and are mostly new:
    a surname drawn by how often training names start with it, then given-name characters drawn
    by position from the training names' given names (compound surnames are kept whole)."""
    surnames: Counter = Counter()
    given: list[Counter] = [Counter(), Counter()]
    lengths: Counter = Counter()
    for text, tags in sents:
        for t, s, e in tags_to_spans(tags):
            name = text[s:e]
            if t != "PERSON" or not 2 <= len(name) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
                continue
            head = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
            rest = name[head:]
            if len(rest) > 2:
                continue
            surnames[name[:head]] += 1
            lengths[len(rest)] += 1
            for i, c in enumerate(rest):
                given[i][c] += 1
    s_keys, s_w = zip(*surnames.items())
    g_keys = [tuple(g.keys()) for g in given]
    g_w = [tuple(g.values()) for g in given]
    l_keys, l_w = zip(*lengths.items())

    def make() -> str:
        n = rng.choices(l_keys, l_w)[0]
        return rng.choices(s_keys, s_w)[0] + "".join(rng.choices(g_keys[i], g_w[i])[0] for i in range(n))

    return make


def augmented(sents, share: float, seed: int = 1, places: bool = False) -> list:
    """Copies of ``share`` of the sentences that name a person, each person replaced by a made-up
    name (the same name for the same person within the sentence), so the CRF learns names from
    their context and shape more than from the particular names of 1990s news. With ``places``,
    sentences naming a place count too, and each place is replaced by another place of these
    sentences (drawn from the distinct names, so rare ones come up as often as common ones; places
    of one character stay)."""
    import random

    rng = random.Random(seed)
    make = name_maker(sents, rng)
    # places of one character (中, 美, 日 in 日寇) are left alone: another place there makes nonsense
    place_names = sorted({text[s:e] for text, tags in sents for t, s, e in tags_to_spans(tags)
                          if t == "PLACE" and e - s >= 2})
    kinds = ("PERSON", "PLACE") if places else ("PERSON",)
    out = []
    for text, tags in sents:
        spans = [(t, s, e) for t, s, e in tags_to_spans(tags) if t in kinds and (t == "PERSON" or e - s >= 2)]
        if not spans or rng.random() >= share:
            continue
        names: dict[str, str] = {}
        chars, new_tags, last = [], [], 0
        for t, s, e in spans:
            old = text[s:e]
            new = names.setdefault(old, make() if t == "PERSON" else rng.choice(place_names))
            chars.append(text[last:s])
            new_tags.extend(tags[last:s])
            chars.append(new)
            new_tags.extend([tags[s]] + ["I-" + tags[s][2:]] * (len(new) - 1))
            last = e
        chars.append(text[last:])
        new_tags.extend(tags[last:])
        out.append(("".join(chars), new_tags))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(REPO / ".." / "shared" / "data" / "ner" / "msra"))
    ap.add_argument("--out", default=str(REPO / "resources" / "ner"))
    ap.add_argument("--iterations", type=int, default=250)
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training sentences (timing runs)")
    ap.add_argument(
        "--holdout",
        type=int,
        default=0,
        help="keep the last N training sentences out as a development set (written to <out>/dev.bio) for tuning",
    )
    ap.add_argument(
        "--augment",
        type=float,
        default=0.5,
        help="add copies of this share of the sentences naming a person, with made-up names (0 = none)",
    )
    ap.add_argument("--augment-places", action="store_true", help="the copies also get other places")
    ap.add_argument("--no-gazetteer", action="store_true")
    ap.add_argument("--plain-words-only", action="store_true", help="write only plain_words.tsv (no training)")
    ap.add_argument("--scheme", choices=("bio", "bioes"), default="bioes")
    ap.add_argument("--jieba-dict", default=default_jieba_dict(), help="jieba dict.txt for word features ('' = none)")
    ap.add_argument("--min-word-freq", type=int, default=5)
    ap.add_argument(
        "--trigrams", action=argparse.BooleanOptionalAction, default=True, help="the c-1c0c1 trigram feature"
    )
    ap.add_argument("--folds", type=int, default=2, help="cross-fold split for the gazetteer features")
    ap.add_argument("--word-classes", action="store_true", help="also use jieba's nr/ns/nt classes as features")
    ap.add_argument(
        "--extra",
        default="lookahead,lookahead2,seg,window3,chunk,lean",
        help="optional feature groups, comma-separated (features.sentence_features); '' = none",
    )
    args = ap.parse_args(argv)
    extra = frozenset(x for x in args.extra.split(",") if x)

    import pycrfsuite

    data = Path(args.data)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    sents = read_bio(data / "train.bio")
    if args.limit:
        sents = sents[: args.limit]
    if args.holdout:
        # a contiguous block (the data runs article by article): names of the held-out articles
        # are not in the gazetteer, as for unseen news
        dev = sents[-args.holdout :]
        sents = sents[: -args.holdout]
        with open(out / "dev.bio", "w", encoding="utf-8") as fh:
            for text, tags in dev:
                fh.write("".join(f"{c}\t{t}\n" for c, t in zip(text, tags)) + "\n")
    n_chars = sum(len(t) for t, _ in sents)
    print(f"{len(sents)} sentences, {n_chars} characters", flush=True)
    if args.plain_words_only:
        write_plain_words(sents, out)
        return 0

    nf = args.folds
    folds = [[s for i, s in enumerate(sents) if i % nf == k] for k in range(nf)]
    if args.no_gazetteer:
        fold_gaz = [None] * nf
    else:
        fold_gaz = [
            Gazetteer(with_known(gazetteer_entries([s for j in range(nf) if j != k for s in folds[j]]))) for k in range(nf)
        ]

    words = jieba_words(Path(args.jieba_dict), args.min_word_freq, args.word_classes) if args.jieba_dict else {}
    wl = WordList(words) if words else None
    print(f"{len(words)} dictionary words", flush=True)

    if args.augment:
        # each fold's copies stay in that fold: their made-up names are as unknown to its
        # gazetteer features as unseen names are at run time
        for k in range(nf):
            extra_sents = augmented(folds[k], args.augment, seed=k + 1, places=args.augment_places)
            print(f"fold {k}: {len(extra_sents)} augmented sentences", flush=True)
            folds[k] = folds[k] + extra_sents
    trainer = pycrfsuite.Trainer(verbose=False)
    for k in range(nf):
        for text, tags in folds[k]:
            trainer.append(
                sentence_features(normalise(text), fold_gaz[k], wl, args.trigrams, extra), to_labels(tags, args.scheme)
            )
    t_feat = time.time() - t0
    print(f"features: {t_feat:.0f} s", flush=True)

    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
        }
    )
    model_path = out / "crf.model"
    t1 = time.time()
    trainer.train(str(model_path))
    t_train = time.time() - t1
    print(f"training: {t_train:.0f} s, {len(trainer.logparser.iterations)} iterations", flush=True)

    if not args.no_gazetteer:
        entries = gazetteer_entries(sents)
        with open(out / "gazetteer.tsv", "w", encoding="utf-8") as fh:
            for w in sorted(entries):
                fh.write(f"{w}\t{entries[w]}\n")
    write_plain_words(sents, out)
    if words:
        with open(out / "words.txt", "w", encoding="utf-8") as fh:
            for w in sorted(words):
                fh.write(f"{w}\t{words[w]}\n" if words[w] else f"{w}\n")
    config = {
        "scheme": args.scheme,
        "gazetteer": not args.no_gazetteer,
        "words": bool(words),
        "trigrams": args.trigrams,
        "folds": nf,
        "word_classes": args.word_classes,
        "extra": sorted(extra),
        "c1": args.c1,
        "c2": args.c2,
        "iterations": args.iterations,
        "training_sentences": len(sents),
        "held_out_sentences": args.holdout,
        "augment": args.augment,
        "augment_places": args.augment_places,
        "training_chars": n_chars,
        "training_seconds": round(t_train),
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"model {model_path.stat().st_size / 1e6:.1f} MB; total {time.time() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
