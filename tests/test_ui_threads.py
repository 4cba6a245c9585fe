"""Which thread touches what (issue 16, "No hidden process-wide state"): an article's entities are
replaced on the GUI thread only, the cyclic collector is touched from the GUI thread only, and
the process-wide settings are made in one module (app/ui/process.py)."""

from __future__ import annotations

import gc
import re
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.model import Article, EntitySpan  # noqa: E402
from app.paths import sample_page  # noqa: E402
from app.ui import process, workers  # noqa: E402
from app.ui.search import library_search  # noqa: E402

from conftest import INDEX_TIMEOUT  # noqa: E402

pytestmark = pytest.mark.gui
APP = Path(__file__).resolve().parent.parent / "app"


class WatchedSlot:
    """Stands in for ``Article.entities`` (a slot): records the thread of every assignment."""

    def __init__(self, slot):
        self.slot = slot
        self.threads: list[threading.Thread] = []

    def __get__(self, obj, owner=None):
        return self if obj is None else self.slot.__get__(obj, owner)

    def __set__(self, obj, value):
        self.threads.append(threading.current_thread())
        self.slot.__set__(obj, value)


def test_entities_from_the_indexer_are_given_to_the_articles_on_the_gui_thread(make_window, qtbot, monkeypatch):
    window = make_window()
    gate = threading.Event()
    window.library_search.writer_pool.start(lambda: gate.wait(10))  # the update waits until watched
    window.open_paths([str(sample_page())], run_now=True)
    assert window.reader.article is not None and window.reader.entity_marks == []
    watched = WatchedSlot(Article.__dict__["entities"])
    monkeypatch.setattr(Article, "entities", watched)
    arrived: list[list[str]] = []
    window.library_search.entities_ready.connect(arrived.append)
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        gate.set()
    qtbot.waitUntil(lambda: bool(arrived), timeout=5000)
    articles = window.library.articles
    assert len(watched.threads) >= len(articles)  # each article given its entities...
    assert set(watched.threads) == {threading.main_thread()}  # ...by the GUI thread
    assert sorted(i for ids in arrived for i in ids) == sorted(a.id for a in articles)
    # and the window shows them as before: the open article re-marked, the legend counted
    article = window.reader.article
    assert article.entities and all(isinstance(e, EntitySpan) for e in article.entities)
    assert len(window.reader.entity_marks) == len(article.entities)
    expected = {t: sum(1 for e in article.entities if e.type == t) for t in window.reading_pane.legend.counts}
    assert sum(expected.values()) > 0 and window.reading_pane.legend.counts == expected
    # the names are interned: one string per name, not one per mention
    people = [e.text for a in articles for e in a.entities if e.type == "PERSON"]
    firsts = {}
    assert all(firsts.setdefault(p, p) is p for p in people)


def batch_of(n: int, tag: str) -> workers.EntityBatch:
    articles = [Article(title=f"{tag}{i}", id=f"{tag}{i}") for i in range(n)]
    spans = [[EntitySpan("PERSON", "王小明", 0, 0, 3)] for _ in range(n)]
    return workers.EntityBatch(articles, spans)


def test_a_large_batch_is_given_over_several_event_loop_passes_in_order(qapp, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(library_search, "ENTITY_PASS_S", 0.0)  # one step of each batch per pass
    search = library_search.LibrarySearch(tmp_path / "index")
    first, second = batch_of(2 * workers.EntityBatch.STEP + 1, "a"), batch_of(5, "b")
    arrived: list[list[str]] = []
    search.entities_ready.connect(arrived.append)
    search._on_entities_ready(first)
    search._on_entities_ready(second)  # waits for the first
    assert first.given == workers.EntityBatch.STEP and not arrived  # one step in this pass
    assert not second.articles[0].entities
    qtbot.waitUntil(lambda: len(arrived) == 2, timeout=5000)
    assert arrived == [first.ids, second.ids]
    assert all(a.entities == s for b in (first, second) for a, s in zip(b.articles, b.spans))


def test_the_collector_is_touched_on_the_gui_thread_only(make_window, qtbot, monkeypatch):
    """Loading, the indexer's entities and the scan's folding all leave the library out of the
    cyclic collector's reach (gc.freeze), and only ever from the GUI thread."""
    frozen: list[threading.Thread] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(threading.current_thread()))
    monkeypatch.setattr(library_search, "FREEZE_EVERY", 1)
    monkeypatch.setattr(workers, "FREEZE_EVERY_FILES", 1)
    window = make_window()
    loaded: list = []
    window.loading_finished.connect(lambda: loaded.append(1))
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())])  # read in the pool's thread, not run_now
        qtbot.waitUntil(lambda: bool(loaded), timeout=INDEX_TIMEOUT)
    window.library_search.warm_pool.waitForDone(INDEX_TIMEOUT)
    qtbot.wait(50)  # the queued requests arrive
    assert len(frozen) >= 3  # the load, the entities, the folding
    assert set(frozen) == {threading.main_thread()}


def test_the_index_read_in_after_an_update_is_left_out_of_the_collectors_reach(make_window, qtbot, monkeypatch):
    """After each update the window reads the index's texts in (preload): at 100k articles, full
    collections walking them were two gaps of 54 and 92 ms. They are frozen once read."""
    from app.search import SearchIndex
    from app.search.results import UpdateStats

    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())], run_now=True)
    events: list[tuple[str, threading.Thread]] = []
    real_preload = SearchIndex.preload

    def preload(self, *args, **kwargs):
        events.append(("preload", threading.current_thread()))
        return real_preload(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "preload", preload)
    monkeypatch.setattr(gc, "freeze", lambda: events.append(("freeze", threading.current_thread())))
    reload = threading.Thread(target=window.library_search._reload, args=(UpdateStats(),))  # as the writer thread
    reload.start()
    reload.join()
    qtbot.waitUntil(lambda: ("freeze", threading.main_thread()) in events, timeout=5000)
    assert [what for what, _ in events] == ["preload", "freeze"]
    assert events[1][1] is threading.main_thread()


def test_the_index_is_left_out_of_the_collectors_reach_as_it_is_read_in(make_window, qtbot, monkeypatch):
    """Frozen once the whole read was done, the index's texts still cost two full collections of
    58 and 87 ms at 100k articles while they were read: the freeze is asked for as they are
    read, every FREEZE_EVERY records, and once more at the end."""
    from app.search import SearchIndex
    from app.search.results import UpdateStats

    window = make_window()
    with qtbot.waitSignal(window.library_search.index_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page())], run_now=True)
    search = window.library_search
    search.writer_pool.waitForDone(INDEX_TIMEOUT)
    search.search_pool.waitForDone(INDEX_TIMEOUT)
    search._index.close()
    search._index = None  # opened afresh by the reload: none of its records read yet
    monkeypatch.setattr(library_search, "FREEZE_EVERY", 2)
    events: list[tuple[str, int]] = []
    real_preload = SearchIndex.preload

    def preload(self, chunk=256, read_so_far=None):
        def told(n: int) -> None:
            events.append(("read", n))
            read_so_far(n)

        return real_preload(self, chunk=1, read_so_far=told)  # one record a chunk

    monkeypatch.setattr(SearchIndex, "preload", preload)
    monkeypatch.setattr(search, "_ask_to_freeze", lambda: events.append(("ask", len(events))))
    reload = threading.Thread(target=search._reload, args=(UpdateStats(),))  # as the writer thread
    reload.start()
    reload.join()
    reads = [n for what, n in events if what == "read"]
    assert len(reads) >= 4
    asks = [i for i, (what, _) in enumerate(events) if what == "ask"]
    # after the 2nd, 4th ... record, each right after its read; then once at the end
    assert [events[i - 1][1] for i in asks[:-1]] == list(range(2, reads[-1] + 1, 2))
    assert asks[-1] == len(events) - 1


def test_what_the_start_made_is_left_out_of_the_collectors_reach_once_the_window_is_made(make_window, monkeypatch):
    """A full collection while the first pages load walked every module and widget of the start
    (136 ms at 10k articles, the GUI thread waiting): they are frozen as the window is made."""
    frozen: list[threading.Thread] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(threading.current_thread()))
    make_window()
    assert frozen == [threading.main_thread()]


def test_the_switch_interval_is_set_at_start_up_in_one_place(qapp):
    from app.ui.application import create_application

    create_application()
    assert sys.getswitchinterval() == pytest.approx(process.GUI_SWITCH_INTERVAL_S)


def test_process_wide_settings_are_made_only_in_app_ui_process():
    """gc.freeze, the switch interval and the collector's other knobs are changed in one documented
    module; the umask is only read (app.export.atomic, at import)."""
    pattern = re.compile(r"\bgc\.(freeze|disable|enable|set_threshold|unfreeze)\(|setswitchinterval\(")
    offenders = [str(p.relative_to(APP)) for p in APP.rglob("*.py")
                 if p.name != "process.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_lists_kept_of_a_loaded_library_are_out_of_the_collectors_reach_when_it_is_shown(make_window, qtbot):
    """The list's model, the proxy and the search each keep a list of the library's articles,
    made as the load is taken in; at 100k articles the first full collection after the load
    walked them all (38-92 ms, in the counting thread, the GUI thread waiting). They are frozen
    before the work in other threads starts, so before the window says the load is in."""
    window = make_window()
    seen: list[bool] = []

    def check():
        kept = {id(window.library_search._articles), id(window.panel.model.snapshot()[0])}
        seen.append(any(id(o) in kept for o in gc.get_objects()))

    window.loading_finished.connect(check)
    window.open_paths([str(sample_page())], run_now=True)
    qtbot.waitUntil(lambda: bool(seen), timeout=INDEX_TIMEOUT)
    assert window.library_search._articles  # (the library is there)
    assert seen == [False]


def test_the_lists_kept_after_closing_a_source_are_out_of_the_collectors_reach_too(make_window, qtbot, tmp_path):
    """Closing a source (and correcting a page) lists the library again as a load does, and hands
    it to the search the same way: its new lists leave the collector's reach there too."""
    extra = tmp_path / "extra-page.txt"
    extra.write_text("河湾镇新建口袋公园\n本报讯(记者/林小禾)近日，河湾镇在老街口建成一座口袋公园，"
                     "居民傍晚在此散步、下棋。\n", encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.loading_finished, timeout=INDEX_TIMEOUT):
        window.open_paths([str(sample_page()), str(extra)], run_now=True)
    before = window.library_search._articles
    assert window.close_sources([str(extra)]) > 0
    kept = window.library_search._articles
    assert kept is not before and kept  # the rest handed to the search again
    assert not any(o is kept for o in gc.get_objects())
