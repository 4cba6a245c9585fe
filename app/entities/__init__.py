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


_lazy: list = []  # [the default Recogniser, EntitySpan]: imported on first use, then kept


def _imports():
    """The default :class:`~app.entities.recogniser.Recogniser` (the bundled model) and
    ``EntitySpan``, imported on the first call (importing this package stays cheap). Kept here
    because an import statement in every call, even of a loaded module, took about 1% of the time
    of recognising a sentence."""
    if not _lazy:
        from app.model import EntitySpan

        from .recogniser import default

        _lazy[:] = [default, EntitySpan]
    return _lazy


def _to_entities(text: str, paragraph: int, spans: Iterable[tuple[str, int, int]]) -> list["EntitySpan"]:
    EntitySpan = _imports()[1]
    return [EntitySpan(type=t, text=text[a:b], paragraph=paragraph, start=a, end=b) for t, a, b in spans]


def recognise_text(text: str) -> list["EntitySpan"]:
    """Entities of one piece of text (paragraph=0), with in-text name consistency."""
    return _to_entities(text, 0, _imports()[0].article_spans([text])[0])


def annotate_article(article: "Article") -> list["EntitySpan"]:
    """Entities over ``article.paragraphs`` (paragraph = index); names found in one paragraph are
    tagged wherever else they occur in the article. Does not modify the article."""
    texts = [p.text for p in article.paragraphs]
    found = _imports()[0].article_spans(texts)
    return [e for i, spans in enumerate(found) for e in _to_entities(texts[i], i, spans)]


def annotate_articles(articles: Iterable["Article"]) -> None:
    """Fill ``article.entities`` for each article."""
    for article in articles:
        article.entities = annotate_article(article)
