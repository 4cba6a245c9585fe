"""The index's speed learnt before the first keystroke (issue #19, app.ui.search.probe): the
session's first character waited the full debounce, and searched a cold index, because the box
only learnt how fast searches were from a first search."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from app.paths import sample_page  # noqa: E402
from app.ui.search import library_search  # noqa: E402
from app.ui.search.box import QUICK_DEBOUNCE_MS, QUICK_SEARCH_MS  # noqa: E402
from app.ui.search.probe import probe_queries, time_queries  # noqa: E402
from conftest import INDEX_TIMEOUT  # noqa: E402


def test_the_probe_searches_the_commonest_character_and_pair_of_the_headlines():
    titles = ["江门市江海区召开会议", "江海区推进食品安全", "Report 2026: 江海", "", "——"]
    assert probe_queries(titles) == ["江", "江海"]
    assert probe_queries(["ABC 123", "——"]) == []  # no Chinese: nothing to probe
    assert probe_queries(["蓬"]) == ["蓬"]  # a character but no pair


def test_each_query_is_timed_warm_and_the_probe_stops_when_told():
    calls: list[str] = []
    times = iter([40.0, 9.0, 30.0, 4.0])

    def search(query: str) -> float:
        calls.append(query)
        return next(times)

    assert time_queries(search, ["江", "江海"], stop=lambda: False) == [("江", 9.0), ("江海", 4.0)]
    assert calls == ["江", "江", "江海", "江海"]
    calls.clear()
    # told to stop after the third search: the first query's timing, not a half-measured second
    assert time_queries(lambda q: (calls.append(q), 5.0)[1], ["江", "江海"], stop=lambda: len(calls) >= 3) == [("江", 5.0)]
    assert calls == ["江", "江", "江海"]


@pytest.mark.gui
def test_the_first_character_typed_after_the_index_is_ready_waits_the_short_time(make_window, qtbot, monkeypatch):
    monkeypatch.setattr(library_search, "PROBE_DELAY_MS", 50)
    window = make_window()
    box = window.panel.search
    # what slow scans taught the box while the index was built (a large library): no longer so
    box.note_search_ms(QUICK_SEARCH_MS + 300.0, "江")
    box.note_search_ms(QUICK_SEARCH_MS + 300.0, "江海")
    with qtbot.waitSignal(window.library_search.probed, timeout=INDEX_TIMEOUT) as blocker:
        window.open_paths([str(sample_page())], run_now=True)
    queries = [q for q, _ms in blocker.args[0]]
    assert [len(q) for q in queries] == [1, 2]
    assert all(ms is not None and ms < QUICK_SEARCH_MS for _q, ms in blocker.args[0])  # seven articles
    box.setText(queries[0])  # nothing typed since: the box knows the index is quick
    assert box.debounce.interval() == QUICK_DEBOUNCE_MS
    box.setText(queries[1])
    assert box.debounce.interval() == QUICK_DEBOUNCE_MS
    with qtbot.waitSignal(window.library_search.results_ready, timeout=10000):
        pass
    assert window.panel.proxy.rowCount() > 0


def probing_window(make_window, monkeypatch, delay_ms: int):
    """A window whose probe waits ``delay_ms``, and the list of what it reports (``probed``)."""
    monkeypatch.setattr(library_search, "PROBE_DELAY_MS", delay_ms)
    window = make_window()
    probed: list = []
    window.library_search.probed.connect(probed.append)
    return window, probed


@pytest.mark.gui
def test_no_probe_once_the_reader_has_searched(make_window, qtbot, monkeypatch):
    window, probed = probing_window(make_window, monkeypatch, 300)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())], run_now=True)
    assert window.library_search.index_ready
    with qtbot.waitSignal(window.library_search.results_ready, timeout=10000):
        window.search("江海")  # before the probe's turn: the search measures itself
    qtbot.wait(600)
    assert probed == []


@pytest.mark.gui
def test_an_index_found_current_is_probed_once_not_again_when_its_update_ends(make_window, qtbot, monkeypatch):
    window, probed = probing_window(make_window, monkeypatch, 50)
    with qtbot.waitSignal(window.library_search.probed, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())], run_now=True)  # a first build: probed when it ends
    probed.clear()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.library_search.update_index(window.sources)  # the same library: current on disk
    qtbot.wait(500)
    assert len(probed) == 1  # when found current, and not again when the update ended
