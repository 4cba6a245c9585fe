"""Seeded synthetic newspaper archives in the sample page's format, for tests and benchmarks.

Sentences come from real news text: the MSRA NER corpus (with its person/place/organisation
tags, which become entity spans) when it is available, else the bundled sample page. Articles are
laid out like ``resources/sample_jianghai.txt``: a title line, a lead paragraph starting with
``江门日报讯(记者/…)``, body paragraphs, all separated by blank lines, ten or so to a page.

Pages are parsed by ``app.segment.split_articles`` when that module exists; until then the
generated ``Article`` objects are used directly (and :func:`split_page` stands in for parsing a
real page in tests).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from app.model import Article, EntitySpan, Paragraph
from app.sources import SourceText

try:  # the service layer needs app.segment, which may not have landed yet
    from app.library import LoadedSource
except ImportError:  # pragma: no cover - depends on the tree's state
    @dataclass
    class LoadedSource:  # type: ignore[no-redef]
        source: SourceText
        articles: list[Article]

try:
    from app.segment import split_articles as _split_articles
except ImportError:  # pragma: no cover
    _split_articles = None

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample_jianghai.txt"
MSRA = Path("/work/shared/data/ner/msra/train.bio")

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
REPORTERS = ["陈婵", "李雨溪", "何榕", "曾梓欣", "林瑞蓬", "郑伟潮", "黄振波", "邓群标"]
TAGS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}


def load_sentences(path: Path | None = None, limit: int | None = None):
    """[(text, [(type, start, end), ...])] from a BIO file, else the sample page's sentences."""
    path = MSRA if path is None else path
    out = []
    if path.exists():
        chars: list[str] = []
        spans: list[tuple[str, int, int]] = []
        cur = None
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.rstrip("\n")
                if not line:
                    if chars:
                        if cur:
                            spans.append(cur)
                        out.append(("".join(chars), spans))
                        if limit and len(out) >= limit:
                            break
                    chars, spans, cur = [], [], None
                    continue
                ch, _, tag = line.partition("\t")
                i = len(chars)
                chars.append(ch[:1] or " ")
                if tag.startswith("B-"):
                    if cur:
                        spans.append(cur)
                    cur = (TAGS.get(tag[2:], "ORG"), i, i + 1)
                elif tag.startswith("I-") and cur:
                    cur = (cur[0], cur[1], i + 1)
                else:
                    if cur:
                        spans.append(cur)
                    cur = None
        return [s for s in out if 8 <= len(s[0]) <= 160]
    text = SAMPLE.read_text("utf-8")
    for para in text.split("\n"):
        for sent in _SENTENCE_END.split(para.strip()):
            if len(sent) >= 8:
                out.append((sent, []))
    return out


@dataclass
class Page:
    name: str
    text: str
    articles: list[Article]


class ArchiveGenerator:
    def __init__(self, seed: int = 2026, sentences=None):
        self.rng = random.Random(seed)
        self.sentences = sentences if sentences is not None else load_sentences()
        self._t2s = None

    def _traditional(self, text: str) -> str:
        if self._t2s is None:
            import opencc

            self._t2s = opencc.OpenCC("s2t")
        return self._t2s.convert(text)

    def article(self, ordinal: int, date: str) -> Article:
        rng = self.rng
        title_src = rng.choice(self.sentences)[0]
        title = re.split(r"[，,。；！？、：]", title_src)[0][:28].strip() or title_src[:20]
        reporter = rng.choice(REPORTERS)
        paragraphs: list[Paragraph] = []
        entities: list[EntitySpan] = []
        target = rng.randint(500, 1200)
        size = 0
        month, day = int(date[5:7]), int(date[8:10])
        lead = f"江门日报讯(记者/{reporter}){month}月{day}日,"
        n_par = 0
        while size < target:
            parts = [lead] if n_par == 0 else []
            base = len(parts[0]) if parts else 0
            for _ in range(rng.randint(2, 5)):
                text, spans = rng.choice(self.sentences)
                if rng.random() < 0.02:
                    text = self._traditional(text)
                elif rng.random() < 0.02:
                    text = text.replace(",", "，").replace("1", "１").replace("A", "Ａ")
                for etype, s, e in spans:
                    entities.append(EntitySpan(etype, text[s:e], n_par, base + s, base + e))
                parts.append(text)
                base += len(text)
            para = "".join(parts)
            paragraphs.append(Paragraph(para))
            size += len(para)
            n_par += 1
        art = Article(title=title, paragraphs=paragraphs, authors=[reporter], date=date,
                      ordinal=ordinal, entities=entities)
        return art

    def page(self, number: int) -> Page:
        rng = self.rng
        date = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        articles = [self.article(i, date) for i in range(rng.randint(8, 12))]
        blocks = ["", ""]
        for art in articles:
            blocks.append(art.title)
            blocks.extend(p.text for p in art.paragraphs)
        text = "\n\n".join(blocks) + "\n"
        return Page(f"page-{number:06d}.txt", text, articles)


def loaded_source(page: Page, folder: str = "/archive") -> LoadedSource:
    data = page.text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    path = f"{folder}/{page.name}"
    src = SourceText(path=path, text=page.text, encoding="utf-8", sha256=sha)
    if _split_articles is not None:
        articles = _split_articles(page.text, source=path, source_key=sha)
    else:
        articles = page.articles
        for art in articles:
            art.source = path
            art.assign_id(sha)
    return LoadedSource(src, articles)


def archive(n_articles: int, seed: int = 2026, sentences=None) -> list[LoadedSource]:
    gen = ArchiveGenerator(seed, sentences)
    out: list[LoadedSource] = []
    count = 0
    number = 0
    while count < n_articles:
        page = gen.page(number)
        number += 1
        loaded = loaded_source(page)
        out.append(loaded)
        count += len(loaded.articles)
    return out


def add_pages(library, folder: Path, pages: int, seed: int) -> None:
    """Write ``pages`` generated pages as .txt files into ``folder`` and open them in ``library``
    (an ``app.library.Library``): a real library read from files, for tests."""
    gen = ArchiveGenerator(seed)
    for number in range(pages):
        page = gen.page(number)
        path = folder / page.name
        path.write_text(page.text, encoding="utf-8")
        library.add(path)


_END = ("。", "！", "？", "”", "）", ")", "!", "?", "…")


def split_page(text: str, source: str = "", source_key: str = "") -> list[Article]:
    """``app.segment.split_articles`` when it exists, else a simple stand-in for tests:
    a short line not ending like a sentence starts an article."""
    if _split_articles is not None:
        return _split_articles(text, source=source, source_key=source_key)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    articles: list[Article] = []
    for block in blocks:
        is_title = len(block) <= 60 and not block.endswith(_END) and "\n" not in block
        if is_title and block != "相关新闻":
            articles.append(Article(title=block, ordinal=len(articles), source=source))
        elif block == "相关新闻":
            continue
        elif articles:
            articles[-1].paragraphs.append(Paragraph(block))
    for art in articles:
        art.assign_id(source_key)
    return articles


def source_from_text(text: str, path: str) -> LoadedSource:
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    src = SourceText(path=path, text=text, encoding="utf-8", sha256=sha)
    return LoadedSource(src, split_page(text, source=path, source_key=sha))
