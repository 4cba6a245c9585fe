"""Full-text search over a library's articles (Qt-free).

    from app.search import SearchIndex
    index = SearchIndex(index_dir)
    stats = index.update(library.sources, progress=cb, cancel=flag)   # incremental, atomic
    result = index.search('扬尘 "食品安全" title:江海 -广告', limit=20)
    result.to_dict()  # {"query", "total", "took_ms", "hits": [{"id", "ordinal", "source", ...}]}

See :mod:`app.search.index` for how the parts fit, :mod:`app.search.generations` for the on-disk
layout, :mod:`app.search.analysis` for how Chinese text is folded and cut into n-grams,
:mod:`app.search.query` for the query language, :mod:`app.search.planner` and
:mod:`app.search.scoring` for the planning and ranking that the index and the scan
(:mod:`app.search.scan`) share.
"""

from app.search.index import SearchIndex
from app.search.results import SearchResult, UpdateStats
from app.search.query import parse_query
from app.search.records import searchable_text

__all__ = ["SearchIndex", "SearchResult", "UpdateStats", "parse_query", "searchable_text"]
