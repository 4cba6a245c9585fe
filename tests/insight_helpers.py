"""Made-up articles with entity spans for the insight tests (the text is written for the tests)."""

from __future__ import annotations

from app.model import Article, EntitySpan, Paragraph


def article(aid: str, date: str | None, paragraphs: list[str], names: list[tuple[str, str]] = (),
            title: str | None = None) -> Article:
    """An article whose entities are every occurrence of ``names`` ((type, text)) in its paragraphs
    (a longer name wins where two overlap)."""
    spans = []
    for n, text in enumerate(paragraphs):
        taken: set[int] = set()
        for kind, name in sorted(names, key=lambda kn: -len(kn[1])):
            start = text.find(name)
            while start >= 0:
                cells = set(range(start, start + len(name)))
                if not cells & taken:
                    spans.append(EntitySpan(kind, name, n, start, start + len(name)))
                    taken |= cells
                start = text.find(name, start + 1)
    spans.sort(key=lambda e: (e.paragraph, e.start))
    return Article(title=title if title is not None else f"标题{aid}", date=date, id=aid,
                   paragraphs=[Paragraph(p) for p in paragraphs], entities=spans, source="made-up.txt")


def dated(aid: str, date: str | None, names: list[tuple[str, str]] = ()) -> Article:
    """An article with a date and one sentence naming ``names``."""
    text = "、".join(n for _k, n in names) + "出席了会议。" if names else "今天天气晴朗。"
    return article(aid, date, [text], names)
