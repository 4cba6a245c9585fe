"""A dossier for one name: its mentions over time, every sentence that names it (a concordance,
in date order with each article's headline), the names most often beside it, and its spellings.

    d = make_dossier(library.articles, "PLACE", "江海区")
    dossier_to_dict(d)            # JSON-ready
    mentions_csv(d)               # date,title,spelling,sentence,article_id
    export_articles(dossier_articles(d), "pdf", out)   # the exporters write it like an article

**Spellings.** A person, place or organisation is often named in full once and by a short form
after (江海区 … 江海). Another name of the same type is merged with the one asked for when

- one text contains the other (江海区 / 江海, 江门日报 / 江门日报社), the shorter at least two
  characters long, and
- the two are named in the same article at least once: the recogniser found both where one
  stands for the other.

Nothing else is merged: 夏加伟 and 夏书记 share no text and stay apart, and a form is compared with
the name asked for only (not with its other spellings, so merging never chains). Once merged, an
article naming only the short form counts as naming the name. Dates and amounts are never merged
(``5万元`` is inside ``15万元``).

**Concordance.** Each mention is the sentence around it (paragraphs split after 。！？!?；; and at
line ends), the name's ``start``/``end`` inside it, in date order: full dates ascending, then
``MM-DD`` dates ascending, then undated (invalid dates are undated), the articles' given (page)
order within a date and the text's order within an article. A sentence longer than
:data:`SENTENCE_MAX` is cut to a window around the name, marked with ``…``.

**Companions.** The people, places and organisations named in the same articles, counted by the
articles naming both, most first (then text), the top :data:`COMPANIONS`; its own spellings are
left out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from app.insight.network import NETWORK_TYPES
from app.insight.timeline import Timeline, article_date, make_timeline, parse_day
from app.model import Article, Paragraph

COMPANIONS = 20  # names beside it kept
SENTENCE_MAX = 200  # longer sentences are cut to a window around the name
MERGED_TYPES = ("PERSON", "PLACE", "ORG")  # the types whose short forms are merged
SHORTEST_FORM = 2  # a form merged with a name has at least this many characters
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    title: str  # the article's headline
    date: str | None  # the article's date as the page gave it (YYYY-MM-DD, MM-DD or None)
    sentence: str  # the sentence that names it
    start: int  # the name's place in ``sentence`` (code points)
    end: int
    spelling: str  # the form the sentence uses (one of Dossier.spellings)


@dataclass(frozen=True, slots=True)
class Dossier:
    type: str  # PERSON, PLACE, ORG, DATE or MONEY
    name: str  # the name asked for
    spellings: tuple[str, ...]  # the name and the forms merged with it (江海区 / 江海), most used first
    mentions: tuple[Mention, ...]  # in date order (full dates, then MM-DD, then undated), page order within
    timeline: Timeline  # its articles over time (one series)
    companions: tuple[tuple[str, str, int], ...]  # (type, text, articles naming both), most first
    articles: int  # articles naming it
    article_ids: tuple[str, ...] = ()  # those articles' ids, in the order given (to filter a list by)


def spellings_of(articles: Iterable[Article], entity_type: str, name: str) -> tuple[str, ...]:
    """The name and the forms merged with it (see the module's rule), most mentioned first, the
    name first among equals; just ``(name,)`` when nothing is merged."""
    mentions: Counter[str] = Counter()
    merged: set[str] = set()
    mergeable = entity_type in MERGED_TYPES
    for article in articles:
        forms = {e.text for e in article.entities if e.type == entity_type}
        if name not in forms:
            continue
        if mergeable:
            merged.update(f for f in forms if f != name and _related(f, name))
    for article in articles:
        for e in article.entities:
            if e.type == entity_type and (e.text == name or e.text in merged):
                mentions[e.text] += 1
    return tuple(sorted({name, *merged}, key=lambda f: (-mentions[f], f != name, -len(f), f)))


def _related(form: str, name: str) -> bool:
    short, long_ = (form, name) if len(form) < len(name) else (name, form)
    return len(short) >= SHORTEST_FORM and short in long_


def make_dossier(articles: Iterable[Article], entity_type: str, name: str) -> Dossier:
    """Everything ``articles`` say of the ``entity_type`` named ``name``. A name no article names
    gives an empty dossier (``articles == 0``), not an error."""
    articles = list(articles)
    spellings = spellings_of(articles, entity_type, name)
    forms = set(spellings)
    mine: list[Article] = []
    raw: list[tuple[tuple, int, Mention]] = []
    beside: Counter[tuple[str, str]] = Counter()
    for article in articles:
        spans = [e for e in article.entities if e.type == entity_type and e.text in forms]
        if not spans:
            continue
        mine.append(article)
        others = {(e.type, e.text) for e in article.entities
                  if e.type in NETWORK_TYPES and not (e.type == entity_type and e.text in forms)}
        beside.update(others)
        order = _date_key(article_date(article))
        seen: set[tuple[int, int, int]] = set()
        for e in sorted(spans, key=lambda s: (s.paragraph, s.start, s.end)):
            if (e.paragraph, e.start, e.end) in seen:
                continue
            seen.add((e.paragraph, e.start, e.end))
            mention = _mention(article, e.paragraph, e.start, e.end, e.text)
            if mention is not None:
                raw.append((order, len(raw), mention))
    raw.sort(key=lambda item: (item[0], item[1]))
    companions = tuple((t, x, n) for (t, x), n in
                       sorted(beside.items(), key=lambda item: (-item[1], item[0][1], item[0][0]))[:COMPANIONS])
    return Dossier(
        type=entity_type, name=name, spellings=spellings, mentions=tuple(m for _o, _n, m in raw),
        timeline=make_timeline([(name, mine)]), companions=companions, articles=len(mine),
        article_ids=tuple(a.id for a in mine),
    )


def _date_key(text: str | None) -> tuple[int, str]:
    """Full dates first (ascending), then ``MM-DD`` (ascending), then undated."""
    if parse_day(text) is not None:
        return (0, text)
    if text and re.fullmatch(r"\d\d-\d\d", text):
        return (1, text)
    return (2, "")


def _mention(article: Article, paragraph: int, start: int, end: int, text: str) -> Mention | None:
    """The sentence around ``text`` at ``start`` in a paragraph (found again nearby when the spans
    are stale; None when it is not there)."""
    if not 0 <= paragraph < len(article.paragraphs):
        return None
    para = article.paragraphs[paragraph].text
    if para[start:end] != text:
        found = para.find(text, max(0, start - len(text)))
        if found < 0:
            found = para.find(text)
        if found < 0:
            return None
        start, end = found, found + len(text)
    lo = 0
    for m in _SENTENCE_END.finditer(para, 0, start):
        lo = m.end()
    m = _SENTENCE_END.search(para, end)
    hi = m.end() if m else len(para)
    while lo < start and para[lo].isspace():
        lo += 1
    while hi > end and para[hi - 1].isspace():
        hi -= 1
    sentence, s, e = para[lo:hi], start - lo, end - lo
    if len(sentence) > SENTENCE_MAX:
        room = max(0, (SENTENCE_MAX - (e - s)) // 2)
        cut_lo = max(0, s - room)
        cut_hi = min(len(sentence), e + room)
        head = "…" if cut_lo > 0 else ""
        tail = "…" if cut_hi < len(sentence) else ""
        sentence, s, e = head + sentence[cut_lo:cut_hi] + tail, s - cut_lo + len(head), e - cut_lo + len(head)
    return Mention(article.id, article.title, article_date(article), sentence, s, e, text)


def dossier_to_dict(d: Dossier) -> dict:
    """``{"type", "name", "spellings", "articles", "article_ids", "mentions": [{"date", "title",
    "article_id", "spelling", "sentence", "start", "end"}], "companions": [{"type", "text",
    "shared"}], "timeline": Timeline.to_dict()}``."""
    return {
        "type": d.type,
        "name": d.name,
        "spellings": list(d.spellings),
        "articles": d.articles,
        "article_ids": list(d.article_ids),
        "mentions": [{"date": m.date, "title": m.title, "article_id": m.article_id, "spelling": m.spelling,
                      "sentence": m.sentence, "start": m.start, "end": m.end} for m in d.mentions],
        "companions": [{"type": t, "text": x, "shared": n} for t, x, n in d.companions],
        "timeline": d.timeline.to_dict(),
    }


def mentions_csv(d: Dossier) -> str:
    """The concordance as CSV: ``date,title,spelling,sentence,article_id``, in date order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "title", "spelling", "sentence", "article_id"])
    for m in d.mentions:
        writer.writerow([m.date or "", m.title, m.spelling, m.sentence, m.article_id])
    return out.getvalue()


TYPE_WORDS = {"PERSON": "人物", "PLACE": "地点", "ORG": "机构", "DATE": "日期", "MONEY": "金额"}


def dossier_articles(d: Dossier) -> list[Article]:
    """The dossier as one :class:`~app.model.Article` for the exporters (pdf, md, html, docx…):
    title ``档案：{name}``, and a subhead for each section — mentions over time (a line per bucket
    with articles, undated apart), the concordance (a paragraph per mention: ``date · headline:
    sentence``), the names beside it, its spellings."""
    paras: list[Paragraph] = []

    def section(title: str, lines: list[str]) -> None:
        paras.append(Paragraph(title, "subhead"))
        paras.extend(Paragraph(line) for line in (lines or ["（无 / none）"]))

    series = d.timeline.series[0] if d.timeline.series else None
    over_time: list[str] = []
    if series is not None:
        over_time = [f"{b.label}：{n} 篇" for b, n in zip(d.timeline.buckets, series.counts) if n]
        if series.undated:
            over_time.append(f"无完整日期 / undated：{series.undated} 篇")
    section("提及时间 / Mentions over time", over_time)
    section("语境 / Concordance",
            [f"{m.date or '无日期'} · {m.title or '（无标题）'}：{m.sentence}" for m in d.mentions])
    section("同现 / Names beside it",
            [f"{x}（{TYPE_WORDS.get(t, t)}）：{n} 篇" for t, x, n in d.companions])
    section("写法 / Spellings", ["、".join(d.spellings)])
    kind = TYPE_WORDS.get(d.type, d.type)
    article = Article(
        title=f"档案：{d.name}",
        subtitle=f"{kind} · {d.articles} 篇文章 · {len(d.mentions)} 处提及",
        paragraphs=paras,
        source="",
    )
    article.id = hashlib.sha1(f"dossier\x00{d.type}\x00{d.name}".encode("utf-8")).hexdigest()[:16]
    return [article]
