"""Build resources/ner/places.tsv, the gazetteer of China's administrative divisions, from the
``jionlp`` package's ``dictionary/china_location.zip`` (and ``china_location_change.txt`` for
former names), at build time: the program never imports jionlp.

    .venv/bin/pip install 'jionlp==1.5.31' --no-deps 'jieba==0.42.1'   (or: pip install -e '.[gazetteer]')
    .venv/bin/python build_scripts/make_gazetteer.py [--out resources/ner/places.tsv]

One line per name: ``name<TAB>level`` with level ``province``, ``prefecture``, ``county`` or
``township`` for full names (广西壮族自治区, 崇左市, 大新县, 硕龙镇, 礼乐街道) and ``province-short``,
``prefecture-short``, ``county-short`` for the short forms the data gives (广西, 崇左, 大新) of two
or more characters, and ``township-short`` for two-character townships' names without their
suffix (棠下 of 棠下镇) that no other name has. Townships keep only names ending 镇, 乡, 街道 or 苏木 (not farms, prisons or
parks listed at that level); villages are left out (660,000 names, most of them ordinary words).
Former names (襄樊市, 巢湖市) come from the change list with the level they had. Full names that
jieba's dictionary (0.42.1, MIT) tags as frequent ordinary words are left out (解放区, 城区, 矿区, 郊区),
and so are counties' and townships' short forms that it knows as ordinary words (复兴, 前进, 合作).
Sorted, so the file only changes when the data does.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEVELS = ("province", "prefecture", "county", "township")
TOWNSHIP_ENDS = ("镇", "乡", "街道", "苏木")


def jionlp_dictionary() -> Path:
    """The installed jionlp package's dictionary folder (found without importing jionlp)."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("make_gazetteer: jionlp is not installed (pip install 'jionlp==1.5.31' --no-deps)")
    return Path(list(spec.submodule_search_locations)[0]) / "dictionary"


def read_locations(text: str) -> dict[str, str]:
    """name -> level from china_location.txt: a tree indented by tabs, ``full<TAB>code<TAB>short``
    for provinces, prefectures and counties, a bare name for townships and villages."""
    out: dict[str, str] = {}

    def add(name: str, level: str) -> None:
        # a name at two levels (吉林 province and city) keeps the higher one
        if name and (name not in out or LEVELS.index(out[name].split("-")[0]) > LEVELS.index(level.split("-")[0])):
            out[name] = level

    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip("\t").split("\t")
        if depth >= 4 or not fields[0]:
            continue  # villages
        level = LEVELS[depth]
        full = fields[0].strip()
        if depth == 3:
            if full.endswith(TOWNSHIP_ENDS) and len(full) >= 3:
                add(full, level)
            continue
        add(full, level)
        short = fields[2].strip() if len(fields) > 2 else ""
        if len(short) >= 2 and short != full:
            add(short, level + "-short")
    return out


def read_changes(text: str, out: dict[str, str]) -> None:
    """Former names from china_location_change.txt: ``date<TAB>kind<TAB>old fields=>new fields``,
    fields alternating full name and short name from the province down."""
    for line in text.splitlines():
        parts = line.split("\t", 2)
        if len(parts) < 3 or "=>" not in parts[2]:
            continue
        old = parts[2].split("=>")[0].split("\t")
        pairs = [old[i : i + 2] for i in range(0, len(old), 2)]
        if not pairs:
            continue
        level = LEVELS[min(len(pairs) - 1, 2)]
        full = pairs[-1][0].strip()
        short = pairs[-1][1].strip() if len(pairs[-1]) > 1 else ""
        if full and full not in out:
            out[full] = level
        if len(short) >= 2 and short not in out:
            out[short] = level + "-short"


def add_township_shorts(places: dict[str, str]) -> None:
    """Two-character short forms of townships (棠下 of 棠下镇, 会城 of 会城街道) as ``township-short``,
    where no other name has them and they are no obvious ordinary word (老厂, 新场: a modifier
    and a factory or field)."""
    for w, lv in sorted(places.items()):
        if lv != "township":
            continue
        for suf in ("街道", "镇", "乡"):
            short = w[: -len(suf)]
            if w.endswith(suf) and len(short) == 2 and short not in places and short[0] not in "老新小大" and short[1] not in "厂场":
                places[short] = "township-short"


COMMON_MIN_FREQ = 300
COMMON_TAGS = ("n", "nt", "s")  # jieba tags a place name with nr, n ... at random: only these, and only frequent words


def drop_common_words(places: dict[str, str], jieba_dict: str) -> list[str]:
    """Leave out full names that jieba's dictionary knows as ordinary words rather than places
    (tag n, nt or s, frequency >= COMMON_MIN_FREQ, not ending 市/县/旗): 解放区 (nt), 城区, 矿区 (n),
    郊区 (s) are districts somewhere, but nearly always ordinary words in running text."""
    dropped = []
    with open(jieba_dict, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if (len(parts) == 3 and parts[0] in places and parts[2] in COMMON_TAGS and int(parts[1]) >= COMMON_MIN_FREQ
                    and parts[0][-1] not in "市县旗"):
                if places[parts[0]] in ("county", "township", "prefecture"):
                    dropped.append(parts[0])
                    del places[parts[0]]
    return sorted(dropped)


SHORT_MAX_FREQ = 1000


def drop_common_shorts(places: dict[str, str], jieba_dict: str) -> list[str]:
    """Leave out the short forms of counties and townships that are ordinary words: in jieba's
    dictionary with a tag other than ns (复兴 a, 前进 v, 合作 vn, 威信 nz, 通道 v, 平房 n, 新兴 b),
    or so frequent that the place is the rarer sense (新建 ns 1000). Provinces' and prefectures'
    short forms all stay (中山, 长治)."""
    dropped = []
    with open(jieba_dict, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3 or places.get(parts[0]) not in ("county-short", "township-short"):
                continue
            if parts[2] != "ns" or int(parts[1]) >= SHORT_MAX_FREQ:
                dropped.append(parts[0])
                del places[parts[0]]
    return sorted(dropped)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "resources" / "ner" / "places.tsv"))
    ap.add_argument("--jieba-dict", default="", help="jieba's dict.txt (default: the installed jieba's)")
    args = ap.parse_args(argv)
    jieba_dict = args.jieba_dict
    if not jieba_dict:
        try:
            import jieba  # build time only: its dictionary tells place names from ordinary words
        except ImportError:
            raise SystemExit("make_gazetteer: jieba is not installed (pip install 'jieba==0.42.1')")
        jieba_dict = str(Path(jieba.__file__).parent / "dict.txt")
    d = jionlp_dictionary()
    try:
        with zipfile.ZipFile(d / "china_location.zip") as z:
            name = next(n for n in z.namelist() if n.endswith(".txt"))
            text = io.TextIOWrapper(z.open(name), encoding="utf-8").read()
        changes = (d / "china_location_change.txt").read_text(encoding="utf-8")
    except (OSError, StopIteration, zipfile.BadZipFile) as e:
        raise SystemExit(f"make_gazetteer: cannot read jionlp's location data in {d}: {e}")
    places = read_locations(text)
    read_changes(changes, places)
    add_township_shorts(places)
    dropped = drop_common_words(places, jieba_dict)
    print(f"left out {len(dropped)} names that are mostly ordinary words:", " ".join(dropped[:20]), "...")
    dropped = drop_common_shorts(places, jieba_dict)
    print(f"left out {len(dropped)} short forms that are ordinary words:", " ".join(dropped[:20]), "...")
    lines = [f"{w}\t{t}\n" for w, t in sorted(places.items())]
    Path(args.out).write_text("".join(lines), encoding="utf-8")
    counts: dict[str, int] = {}
    for t in places.values():
        counts[t] = counts.get(t, 0) + 1
    print(f"wrote {args.out}: {len(lines)} names", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
