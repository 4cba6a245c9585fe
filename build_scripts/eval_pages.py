"""Score the splitter on the test pages, as the held-out real pages are scored (issue #17).

Each ``tests/pages/<name>.txt`` with a ``<name>.expected.json`` beside it is split by
:func:`app.segment.source.split_source`, as it stands and laid out as PDF/OCR copies are
(hard-wrapped), and compared with what an editor would list:

    {"articles": [{"kicker": null, "title": "…", "subtitle": null, "authors": ["某某"],
                   "starts": "first 12 non-space characters of its first paragraph",
                   "ends": "last 12 non-space characters of its last paragraph",
                   "chars": 345}]}

* **whole** — an article starting with ``starts`` has exactly the expected paragraphs' characters
  (``ends`` and ``chars``, spaces not counted), so every paragraph is in the right article;
* **headline** — its kicker, title and subtitle are the expected ones (spaces not counted);
* **authors** — each expected person is among its ``authors``;
* **produced** — how many articles the page gave (the expected count is the target).

The pages are also put together as one day's issue (each under a rule, a page header and an
editors' line; as printed and hard-wrapped) and scored the same way, with how many articles
carry their own page's header (**on their page**).

``python build_scripts/eval_pages.py`` prints the table; ``--write NAME.txt`` writes the current
split as NAME.expected.json to be checked and corrected by hand; ``--show NAME.txt`` prints the
differences for one page.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.model import Article  # noqa: E402
from app.segment.source import split_source  # noqa: E402

PAGES = ROOT / "tests" / "pages"
WRAP_WIDTH = 24
INDENT = "\u3000\u3000"
EDGE = 12


def compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def hard_wrap(text: str, width: int = WRAP_WIDTH, indent: str = INDENT) -> str:
    """A page as copied out of a PDF e-paper: every line cut at ``width`` characters, each of the
    original lines (a paragraph) starting with ``indent``, no blank lines."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip(" \t\u3000")
        if not line:
            continue
        line = indent + line
        out.extend(line[i:i + width] for i in range(0, len(line), width))
    return "\n".join(out) + "\n"


LAYOUTS = {
    "as printed": lambda text: text,
    f"hard-wrapped at {WRAP_WIDTH}, indented": hard_wrap,
    f"hard-wrapped at {WRAP_WIDTH}, flush": lambda text: hard_wrap(text, indent=""),
}


def expected_of(article: Article) -> dict:
    body = compact("".join(p.text for p in article.paragraphs))
    return {
        "kicker": article.kicker, "title": article.title, "subtitle": article.subtitle,
        "authors": list(article.authors), "starts": body[:EDGE], "ends": body[-EDGE:], "chars": len(body),
    }


@dataclass
class Score:
    expected: int = 0
    produced: int = 0
    whole: int = 0
    headlines: int = 0
    persons: int = 0
    persons_found: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("expected", "produced", "whole", "headlines", "persons", "persons_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems


def score(articles: list[Article], expected: list[dict], name: str = "") -> Score:
    s = Score(expected=len(expected), produced=len(articles))
    got = [expected_of(a) for a in articles]
    used: set[int] = set()
    for want in expected:
        s.persons += len(want["authors"])
        match = next((i for i, g in enumerate(got) if i not in used and g["starts"] == want["starts"]), None)
        if match is None:
            s.problems.append(f"{name}: no article starts {want['starts']!r} ({want['title']})")
            continue
        used.add(match)
        g = got[match]
        if (g["ends"], g["chars"]) == (want["ends"], want["chars"]):
            s.whole += 1
        else:
            s.problems.append(f"{name}: {want['title']!r} not whole: ends {g['ends']!r} with {g['chars']} chars, "
                              f"want {want['ends']!r} with {want['chars']}")
        heads = tuple(compact(g[k]) or None for k in ("kicker", "title", "subtitle"))
        want_heads = tuple(compact(want[k]) or None for k in ("kicker", "title", "subtitle"))
        if heads == want_heads:
            s.headlines += 1
        else:
            s.problems.append(f"{name}: headline {heads} want {want_heads}")
        found = [p for p in want["authors"] if p in g["authors"]]
        s.persons_found += len(found)
        if len(found) < len(want["authors"]):
            s.problems.append(f"{name}: authors {g['authors']} want {want['authors']}")
    for i, g in enumerate(got):
        if i not in used:
            s.problems.append(f"{name}: extra article {g['title']!r} starting {g['starts']!r}")
    return s


def page_files(pages: Path = PAGES) -> list[Path]:
    return sorted(p for p in pages.glob("*.txt") if p.with_suffix(".expected.json").exists())


def evaluate(layout: str, pages: Path = PAGES) -> Score:
    total = Score()
    for path in page_files(pages):
        text = LAYOUTS[layout](path.read_text(encoding="utf-8"))
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["articles"]
        total.add(score(split_source(text, source=path.name), expected, path.name))
    return total


ISSUE_LAYOUTS = {
    "one whole issue, as printed": lambda text: text,
    f"one whole issue, wrapped at {WRAP_WIDTH}": hard_wrap,
}


def page_header(k: int) -> str:
    return f"第A{k:02d}版：测试{k}"


def as_issue(texts: list[str], layout=lambda text: text) -> str:
    """The pages as one day's issue: each under a rule, a page header (``第A01版：测试1``, not
    wrapped, as PDF copies keep it on a line of its own) and an editors' line."""
    return "\n".join(f"{'=' * 20}\n{page_header(k)}\n2024年5月4日 星期六 责任编辑：某甲 校对：某乙\n{layout(text)}"
                     for k, text in enumerate(texts, 1))


def evaluate_issue(layout: str, pages: Path = PAGES) -> tuple[Score, int]:
    """All the test pages in one file, scored as the pages are, and how many of the expected
    articles carry their own page's header in their ``page_lines``."""
    files = page_files(pages)
    expected = [json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))["articles"] for p in files]
    articles = split_source(as_issue([p.read_text(encoding="utf-8") for p in files], ISSUE_LAYOUTS[layout]),
                            source="issue.txt")
    total = score(articles, [a for page in expected for a in page], "issue")
    on_page = 0
    for k, page in enumerate(expected, 1):
        for want in page:
            on_page += any(expected_of(a)["starts"] == want["starts"] and page_header(k) in a.page_lines
                           for a in articles)
    return total, on_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", metavar="PAGE", help="write PAGE's current split as its expected file")
    parser.add_argument("--show", action="store_true", help="print every difference")
    parser.add_argument("--pages", type=Path, default=PAGES)
    args = parser.parse_args(argv)
    if args.write:
        path = Path(args.write)
        articles = split_source(path.read_text(encoding="utf-8"), source=path.name)
        out = {"articles": [expected_of(a) for a in articles]}
        path.with_suffix(".expected.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                                      encoding="utf-8")
        print(f"wrote {path.with_suffix('.expected.json')}: check it by hand")
        return 0
    print(f"{len(page_files(args.pages))} test pages in {args.pages}")
    print(f"{'layout':34} {'produced':>10} {'whole':>9} {'headlines':>10} {'authors':>9}")
    for layout in LAYOUTS:
        s = evaluate(layout, args.pages)
        print(f"{layout:34} {s.produced:>4} / {s.expected:<3} {s.whole:>3} / {s.expected:<3} "
              f"{s.headlines:>4} / {s.expected:<3} {s.persons_found:>3} / {s.persons:<3}")
        if args.show:
            for problem in s.problems:
                print("   ", problem)
    for layout in ISSUE_LAYOUTS:
        s, on_page = evaluate_issue(layout, args.pages)
        print(f"{layout:34} {s.produced:>4} / {s.expected:<3} {s.whole:>3} / {s.expected:<3} "
              f"{s.headlines:>4} / {s.expected:<3} {s.persons_found:>3} / {s.persons:<3}  "
              f"on their page {on_page} / {s.expected}")
        if args.show:
            for problem in s.problems:
                print("   ", problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
