"""The window's search after opening (issue #19): the box waits less while searches answer
quickly, and the window's index reads its records off the search thread."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

from app.ui.search.box import DEBOUNCE_MS, QUICK_DEBOUNCE_MS, SearchBox  # noqa: E402

pytestmark = pytest.mark.gui


def settle_ms(box: SearchBox, qtbot, text: str) -> float:
    start = time.perf_counter()
    with qtbot.waitSignal(box.query_changed, timeout=2000):
        box.setText(text)
    return (time.perf_counter() - start) * 1000


def test_the_box_waits_less_after_quick_searches_and_again_after_a_slow_one(qtbot):
    box = SearchBox()
    qtbot.addWidget(box)
    assert settle_ms(box, qtbot, "江") >= DEBOUNCE_MS - 5
    box.note_search_ms(3.0)  # the index answered in 3 ms
    assert box.debounce.interval() == QUICK_DEBOUNCE_MS
    assert settle_ms(box, qtbot, "江海") < DEBOUNCE_MS - 20
    box.note_search_ms(400.0)  # a scan of a large library
    assert settle_ms(box, qtbot, "江海区") >= DEBOUNCE_MS - 5
