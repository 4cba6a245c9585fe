"""Named-entity recognition for news text: PERSON, PLACE, ORG, DATE, MONEY (Qt-free).

A character CRF (python-crfsuite, trained on MSRA by ``build_scripts/train_ner.py``) plus news
rules (dates, money, bylines, role + name, organisation and place suffixes) and consistency
within an article. The model in ``resources/ner/`` is loaded on first use, not at import.

Offsets are Python code-point indices into the paragraph text: for every span
``paragraph_text[span.start:span.end] == span.text``, and spans never overlap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # keep the import cheap
    from app.model import Article, EntitySpan

__all__ = ["recognise_text", "annotate_article", "annotate_articles"]


def _to_entity(text: str, paragraph: int, span: tuple[str, int, int]) -> "EntitySpan":
    from app.model import EntitySpan

    t, a, b = span
    return EntitySpan(type=t, text=text[a:b], paragraph=paragraph, start=a, end=b)


def recognise_text(text: str) -> list["EntitySpan"]:
    """Entities of one piece of text (paragraph=0), with in-text name consistency."""
    from .recogniser import consistent_spans, paragraph_spans

    spans = consistent_spans([text], [paragraph_spans(text)])[0]
    return [_to_entity(text, 0, s) for s in spans]


def annotate_article(article: "Article") -> list["EntitySpan"]:
    """Entities over ``article.paragraphs`` (paragraph = index); names found in one paragraph are
    tagged wherever else they occur in the article. Does not modify the article."""
    from .recogniser import consistent_spans, paragraph_spans

    texts = [p.text for p in article.paragraphs]
    found = consistent_spans(texts, [paragraph_spans(t) for t in texts])
    return [_to_entity(texts[i], i, s) for i, spans in enumerate(found) for s in spans]


def annotate_articles(articles: Iterable["Article"]) -> None:
    """Fill ``article.entities`` for each article."""
    for article in articles:
        article.entities = annotate_article(article)
