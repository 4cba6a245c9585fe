"""Splitting a plain-text newspaper page into the articles an editor would list.

The page is read as *blocks* (its non-blank lines). Each block is classified by its shape:

* **dateline** — ``江门日报讯(记者/陈婵)10月31日,`` / ``本报讯`` / ``新华社北京5月3日电(记者 某某)``,
  ``【新华社南宁3月5日电】``, ``央广网广州1月30日消息``, ``本报长沙4月8日电 记者某某报道：`` and agency copy's
  ``新华社上海3月5日电 题：<its own headline>``: starts a story and names its authors and date; the
  text stays in the article.
* **byline** — a line of credits such as ``文/图 江门日报记者 何榕 通讯员 林瑞蓬``, ``■本报记者 某某``,
  ``作者：某某``, ``全媒体记者 某某``, ``新华社记者 某某 某某`` (a stray glyph before it, names run
  together, a bullet and bare names, a letter's ``读者 某先生``), names alone under a headline, and a
  closing ``(陈晖 区市监)`` at the end of a paragraph (split off as its own paragraph).
* **marker** — ``相关新闻`` and its kin: the next headline is a related article.
* **headline candidate** — short, no sentence punctuation. Whether it opens a new article or is an
  in-article subhead is decided from its surroundings: a following dateline or byline, a
  preceding marker, a title/subtitle split by spaces, the start of the page, or — when none of
  those speak — whether the paragraph after it continues the current story's vocabulary.
* everything else is body text. A body paragraph that stops without sentence-final punctuation
  was cut by a column break and is joined with the next one.

A line over the title is its kicker when it says so (a bullet, ``《……》系列报道之三``, ``……后续``, a
lead-in ending in a dash, a reporter's-eye clause, a short column label), and the first of three
headline lines is. Place subheads (``广州南站——``), ``【…】`` subheads and reader-tip boxes
(``感谢读者某某提供线索，奖励50元``) stay in their story.

A headline line may hold kicker (引题), title (主题) and subtitle (副题) separated by spaces, and a
title may itself be broken by a space (``江海区召开创建国家食品安全 示范城市动员部署会``). Pieces are
re-joined into clauses and the clause led by a subject, rather than a verb, is taken as the title.

Nothing is lost: every non-blank character of the input ends up, in order, in exactly one
article's kicker, title, subtitle or paragraphs — except pure markers such as ``相关新闻``, which
become the ``related_to`` link. The only characters dropped are whitespace.

Split along the pipeline: :mod:`.text` (character classes, helpers), :mod:`.lines` (one line ->
a block), :mod:`.headline` (kicker / title / subtitle), :mod:`.assemble` (blocks -> articles);
:mod:`.explain` records each line's role and why when a ``trace`` is given (``--explain``).
"""

from __future__ import annotations

import importlib

# Loaded on first use (PEP 562): reading the splitter's version (:mod:`.version`) or one stage must
# not compile every stage's patterns; a command on an unchanged library splits nothing.
_WHERE = {
    "_blocks": "assemble", "split_articles": "assemble",
    "headline_clauses": "headline", "split_headline": "headline",
    "PAGE_FURNITURE_RE": "lines", "Dateline": "lines", "classify": "lines", "credit_names": "lines",
    "credits_of": "lines", "is_byline_line": "lines", "is_dateline": "lines", "is_headline_shaped": "lines",
    "is_person_name": "lines", "is_related_marker": "lines", "parse_dateline": "lines",
    "Block": "text", "ends_sentence": "text", "fold": "text",
    "split_source": "source", "SPLITTER_VERSION": "version",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'app.segment' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"app.segment.{module}"), name)
    globals()[name] = value
    return value
