"""Background work that waits for the window's paint (app.ui.after_paint): the rest of a query's
hits and the timeline's counts start once the new list is on screen, not during its paint."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.ui import after_paint as ap
from app.paths import sample_page
from conftest import INDEX_TIMEOUT


class Painted(QWidget):
    def __init__(self, log):
        super().__init__()
        self.log = log

    def paintEvent(self, _event):  # noqa: N802
        self.log.append("paint")


def test_the_function_runs_after_the_next_paint_not_before(qtbot):
    log = []
    w = Painted(log)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(50)
    log.clear()
    w.update()
    ap.after_paint(w, lambda: log.append("work"))
    assert log == []  # not at once
    qtbot.waitUntil(lambda: "work" in log, timeout=2000)
    assert log[:2] == ["paint", "work"]


def test_a_window_that_does_not_paint_still_runs_it_after_the_fallback(qtbot):
    log = []
    w = Painted(log)  # never shown: no paint comes
    qtbot.addWidget(w)
    start = time.perf_counter()
    ap.after_paint(w, lambda: log.append(time.perf_counter() - start))
    ap.after_paint(w, lambda: log.append("second"))
    assert log == []
    qtbot.waitUntil(lambda: len(log) == 2, timeout=2000)
    assert log[0] >= ap.FALLBACK_MS / 1000 * 0.9 and log[1] == "second"  # in the order asked
    # and the window is no longer watched
    assert not w.findChild(ap._PaintWatch).watched


def test_without_a_widget_it_runs_at_once():
    log = []
    ap.after_paint(QObject(), lambda: log.append(1))
    ap.after_paint(None, lambda: log.append(2))
    assert log == [1, 2]


class PaintCount(QObject):
    def __init__(self):
        super().__init__()
        self.n = 0

    def eventFilter(self, _obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.n += 1
        return False


def test_the_rest_of_the_hits_and_the_timeline_start_after_the_list_is_painted(make_window, qtbot, monkeypatch):
    from app.ui.search import library_search

    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.library_search.index_finished, timeout=INDEX_TIMEOUT):
        w.open_paths([str(sample_page())], run_now=True)
    qtbot.wait(200)  # the timeline of the whole library counted
    monkeypatch.setattr(library_search, "FIRST_HITS", 1)
    paints = PaintCount()
    w.panel.view.viewport().installEventFilter(paints)
    at_results, at_complete, at_count = [], [], []
    w.library_search.results_ready.connect(lambda _o: at_results.append(paints.n))
    real_complete = w.library_search._complete
    monkeypatch.setattr(w.library_search, "_complete", lambda o: (at_complete.append(paints.n), real_complete(o)))
    real_refresh = w.insight.refresh_timeline
    monkeypatch.setattr(w.insight, "refresh_timeline", lambda s=None: (at_count.append(paints.n), real_refresh(s)))
    w.panel.search.setText("会议")
    qtbot.waitUntil(lambda: bool(at_complete) and bool(at_count), timeout=5000)
    assert at_complete[0] > at_results[0]  # the list painted its first hits before the rest began
    assert at_count[0] > at_results[0]  # and before the timeline counted them


def test_the_check_of_the_index_on_disk_waits_for_the_windows_paint(make_window, qtbot, monkeypatch):
    """Reopening 100k articles, the check that the index on disk already holds the library (~30 ms
    of Python in the search thread) ran while the window painted the library: it now waits for
    that paint."""
    from app.search import SearchIndex

    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.library_search.index_finished, timeout=INDEX_TIMEOUT):
        w.open_paths([str(sample_page())], run_now=True)
    qtbot.wait(200)
    paints = PaintCount()
    w.panel.view.viewport().installEventFilter(paints)
    at_check: list[int] = []
    real = SearchIndex.indexed_sources
    monkeypatch.setattr(SearchIndex, "indexed_sources", lambda self: (at_check.append(paints.n), real(self))[1])
    asked_at = paints.n
    w.library_search.update_index(w.sources)  # as the load's last step does
    w.panel.view.viewport().update()  # (the library shown)
    qtbot.waitUntil(lambda: w.library_search.index_ready, timeout=5000)  # found current on disk
    assert at_check and at_check[0] > asked_at
    with qtbot.waitSignal(w.library_search.index_finished, timeout=INDEX_TIMEOUT):
        pass
