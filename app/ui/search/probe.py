"""How fast the index answers, learnt before the reader's first keystroke.

The search box waits less after a keystroke while searches answer quickly
(:meth:`app.ui.search.box.SearchBox.note_search_ms`), but it only knew that after a first search,
so every session's first character waited the full debounce, and its search met a cold index
(at 10,000 articles: 202 ms from the key to the results, against 80-90 ms for the keystrokes
after it). Once the index is ready, the window searches it once in the background for what a
reader is likely to type first -- the commonest character and pair of characters of the library's
headlines -- and tells the box how long each took; the same searches bring the index's term
lists and the query folding into memory. What the box measured before (the scans that answer
while the index is built, far slower) no longer holds and is replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

PROBE_TITLES = 400  # headlines the probe's queries are taken from (the first of the library)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def probe_queries(titles: Iterable[str]) -> list[str]:
    """The commonest Chinese character and the commonest pair of adjacent Chinese characters in
    ``titles`` (a reader's first search is a common word), each once; none when there are none."""
    ones: Counter[str] = Counter()
    twos: Counter[str] = Counter()
    for title in titles:
        for run in _HAN_RUN.findall(title or ""):
            ones.update(run)
            twos.update(run[i:i + 2] for i in range(len(run) - 1))
    return [counter.most_common(1)[0][0] for counter in (ones, twos) if counter]


def time_queries(search: Callable[[str], float], queries: list[str],
                 stop: Callable[[], bool]) -> list[tuple[str, float]]:
    """Each of ``queries`` searched twice with ``search`` (which returns the milliseconds the
    search reported), the second time -- the index warm, as typing meets it -- kept. Stops, with
    what it has, as soon as ``stop()`` says so (the reader typed: a real search measures itself)."""
    timings = []
    for query in queries:
        took = None
        for _ in range(2):
            if stop():
                return timings
            took = search(query)
        timings.append((query, took))
    return timings
