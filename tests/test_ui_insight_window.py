"""Seeing the archive in the window (issue 20): the timeline follows the list, a range lists its
articles and Esc brings the list back, the network's names and pairs list their articles, and a
dossier opens from a name and exports."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from app.ui.article_list.model import ID_ROLE  # noqa: E402

pytestmark = pytest.mark.gui

PAGE = """{title}

本报讯(记者 王晓明){year}年{month}月{day}日,城东区{topic}工作会议召开,区长陈立新出席并讲话,城东街道负责人汇报了{topic}进展。

会议要求各部门密切配合,把{topic}工作落到实处。
"""
TOPICS = ["扬尘治理", "食品安全"]


def _pages(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(12):
        topic = TOPICS[n % 2]
        path = folder / f"page-{n:02d}.txt"
        path.write_text(PAGE.format(title=f"城东区部署{topic}第{n + 1}次会议", year=2023, month=n % 6 + 1,
                                    day=n + 1, topic=topic), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture()
def window(make_window, tmp_path, qtbot):
    w = make_window()
    w.open_paths([str(p) for p in _pages(tmp_path / "pages")], run_now=True)
    w.library_search.annotate_now(w.sources)
    w.insight.pool.waitForDone(10000)
    qtbot.waitUntil(lambda: w.insight.timeline.timeline() is not None, timeout=10000)
    return w


def _search(window, qtbot, query: str) -> None:
    """Type ``query`` (setText: QTest cannot type Chinese) and wait until the list shows it."""
    with qtbot.waitSignal(window.library_search.results_ready, timeout=10000,
                          check_params_cb=lambda outcome: outcome.query == query):
        window.panel.search.setText(query)
    qtbot.waitUntil(lambda: window.panel.showing.kind == "search", timeout=10000)


def _settle(window, qtbot) -> None:
    window.insight.pool.waitForDone(10000)
    qtbot.wait(50)


def test_the_timeline_counts_the_library_and_a_comparison_of_two_searches(window, qtbot):
    timeline = window.insight.timeline.timeline()
    assert timeline.unit == "week" or timeline.unit == "day" or timeline.unit == "month"
    assert sum(timeline.series[0].counts) == 12 and timeline.series[0].undated == 0
    _search(window, qtbot, "扬尘治理 | 食品安全")
    _settle(window, qtbot)
    qtbot.waitUntil(lambda: len(window.insight.timeline.timeline().series) == 2, timeout=10000)
    series = window.insight.timeline.timeline().series
    assert [s.name for s in series] == TOPICS and [sum(s.counts) for s in series] == [6, 6]


def test_a_chosen_range_lists_its_articles_and_esc_brings_the_search_back(window, qtbot):
    _search(window, qtbot, "扬尘治理")
    _settle(window, qtbot)
    qtbot.waitUntil(lambda: sum(window.insight.timeline.timeline().series[0].counts) == 6, timeout=10000)
    listed_before = window.panel.proxy.rowCount()
    view = window.insight.timeline
    view.choose(0, 0, 0)  # the first bucket
    assert window.panel.showing.kind == "range"
    ids = view.timeline().ids_between(0, 0, 0)
    shown = [window.panel.proxy.index(r, 0).data(ID_ROLE) for r in range(window.panel.proxy.rowCount())]
    assert sorted(shown) == sorted(ids) and len(ids) >= 1
    assert "Esc shows all" in window.panel.result_label.text()
    view.clear_range()
    assert window.panel.showing.kind == "search" and window.panel.proxy.rowCount() == listed_before


def test_the_network_lists_a_name_and_a_pair(window, qtbot):
    window.insight.network_dock.show()
    window.insight.recount_network()  # (the window itself is not shown here, so no visibility change)
    qtbot.waitUntil(lambda: window.insight.network.network is not None
                    and len(window.insight.network.network.nodes) > 1, timeout=10000)
    network = window.insight.network.network
    names = {n.text for n in network.nodes}
    assert "陈立新" in names and "王晓明" in names
    node = next(n for n in network.nodes if n.text == "陈立新")
    window.insight.network.node_activated.emit(node.type, node.text)
    assert window.panel.showing.kind == "entity" and window.panel.proxy.rowCount() == 12
    edge = network.edges[0]
    a, b = network.nodes[edge.a], network.nodes[edge.b]
    window.insight.network.pair_activated.emit(a.key, b.key)  # found off the GUI thread
    qtbot.waitUntil(lambda: window.panel.showing.kind == "pair", timeout=10000)
    assert window.panel.proxy.rowCount() == edge.weight
    window.insight.timeline.choose(0, 0, 0)
    assert window.panel.showing.kind == "range"
    window.insight.timeline.clear_range()  # the pair's list comes back
    qtbot.waitUntil(lambda: window.panel.showing.kind == "pair", timeout=10000)
    assert window.panel.proxy.rowCount() == edge.weight


def test_a_dossier_opens_from_a_name_and_exports_its_mentions(window, qtbot, tmp_path):
    dialog = window.insight.open_dossier("PERSON", "陈立新")
    _settle(window, qtbot)
    view = dialog.view
    qtbot.waitUntil(lambda: view.dossier() is not None, timeout=10000)
    assert view.dossier().articles == 12 and len(view.dossier().mentions) == 12
    out = tmp_path / "mentions.csv"
    window.insight.export_dossier(view, "csv", out)
    window.insight.pool.waitForDone(10000)
    qtbot.waitUntil(out.exists, timeout=5000)
    text = out.read_text(encoding="utf-8")
    assert text.count("陈立新") >= 12 and "2023-01-01" in text
    first = view.dossier().mentions[0].article_id
    view.article_requested.emit(first)
    assert window.panel.current_id() == first
    dialog.close()


def test_the_timeline_can_be_hidden_and_comes_back_hidden(make_window, window):
    window.act_timeline.trigger()
    assert not window.insight.timeline.isVisibleTo(window)
    window.close()
    again = make_window()
    assert not again.act_timeline.isChecked() and not again.insight.timeline.isVisibleTo(again)


def test_a_names_dossier_opens_from_the_network_and_the_reading_pane(window, qtbot):
    window.insight.network.canvas.dossier_requested.emit("PERSON", "陈立新")  # its context menu's action
    assert [d.windowTitle() for d in window.insight.dossiers] == ["Dossier: 陈立新"]
    reader = window.reader
    _kind, start, end = next(m for m in reader.entity_marks if m[0] == "PERSON")
    name = reader.document().toPlainText()[start:end]
    assert reader.entity_at(start) == ("PERSON", name) and reader.entity_at(0) is None  # the title
    reader.dossier_requested.emit("PERSON", name)
    qtbot.waitUntil(lambda: len(window.insight.dossiers) == 2, timeout=5000)
    for dialog in list(window.insight.dossiers):
        dialog.close()
    window.insight.pool.waitForDone(10000)


def test_a_count_superseded_while_it_waited_is_not_made(window, qtbot):
    """Each search shown queued a count of its timeline; at 100k articles each read every hit's
    record and the library's names, one after another, and closing the window waited for them
    all. Only the newest of the counts waiting is made; closing skips those still waiting."""
    import threading

    from app.ui import workers

    insight = window.insight
    made: list[int] = []
    real_facts_call = insight._facts_call

    def facts_call(names=True):
        facts = real_facts_call(names)
        generation = insight._timeline_generation  # (the count being queued)
        return lambda: (made.append(generation), facts())[1]

    insight._facts_call = facts_call
    release = threading.Event()
    insight.pool.start(workers.CallTask(0, lambda: release.wait(10)))  # the pool's one thread, busy
    for _ in range(3):
        insight.refresh_timeline()
    release.set()
    _settle(window, qtbot)
    assert made == [insight._timeline_generation]  # the last one only
    qtbot.waitUntil(lambda: insight.timeline.timeline() is not None, timeout=10000)

    made.clear()
    release.clear()
    insight.pool.start(workers.CallTask(0, lambda: release.wait(10)))
    insight.refresh_timeline()
    insight._timeline_generation += 1  # as shut_down() does
    release.set()
    _settle(window, qtbot)
    assert made == []


def test_a_closing_windows_search_counts_no_more_ids(window, qtbot, monkeypatch):
    """The timeline's ids of a search, asked for as the window closes: its index was closed, and
    reading them opened it again (105k records read at 100k articles, as the window closed)."""
    import app.search.scan as scan

    search = window.library_search
    match = search.matching_ids_call(["城东区"])
    assert match() and len(match()[0]) == 12
    later = search.matching_ids_call(["城东区"])
    search.shut_down()
    search.writer_pool.waitForDone(10000)
    monkeypatch.setattr(scan, "matching_ids", lambda *_a: pytest.fail("the library was scanned"))
    if search._index is not None:
        monkeypatch.setattr(type(search._index), "matching_ids", lambda *_a: pytest.fail("the index was read"))
    assert later() is None


def test_the_librarys_old_facts_are_let_go_before_new_ones_are_made(window, qtbot, monkeypatch):
    """The facts (each article's date and names) are made again when entities arrived (for the
    network's names); held until the new ones were made, both were in memory at once (~100 MB
    more at 100k)."""
    import app.insight.facts as facts_module

    insight = window.insight
    assert insight._facts is not None
    held: list = []
    real = facts_module.ArchiveFacts

    class Recording(real):
        def __init__(self, *args, **kwargs):
            held.append(insight._facts)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(facts_module, "ArchiveFacts", Recording)
    insight.entities_arrived()  # the names are of an older version now
    insight.network_dock.show()
    insight.recount_network()
    _settle(window, qtbot)
    assert held == [None] and insight._facts is not None


def test_entities_arriving_make_the_network_count_again_but_not_the_timeline(window, qtbot, monkeypatch):
    """The timeline reads only dates: while the indexer works, a batch of entities arrives every
    second or so, and making the library's facts again for the timeline at each search typed
    (0.4 s at 100k articles) took the interpreter from the GUI thread. The network counts names:
    it is counted from new facts, with the names that arrived."""
    import app.insight.facts as facts_module

    insight = window.insight
    made: list = []
    real = facts_module.ArchiveFacts

    class Counting(real):
        def __init__(self, articles, *args, **kwargs):
            made.append(1)
            super().__init__(articles, *args, **kwargs)

    monkeypatch.setattr(facts_module, "ArchiveFacts", Counting)
    before = window.insight.timeline.timeline()
    insight.entities_arrived([window.panel.model.articles()[0].id])
    arrived = insight._entities_version  # (the window's own indexer may deliver more meanwhile)
    _search(window, qtbot, "城东区")
    _settle(window, qtbot)
    window.panel.clear_results()
    _settle(window, qtbot)
    assert made == []  # the timelines of the search and of the library again: the same facts
    assert window.insight.timeline.timeline() is not None
    assert window.insight.timeline.timeline().series[0].total == before.series[0].total
    insight.network_dock.show()
    insight.recount_network()
    _settle(window, qtbot)
    assert made and insight._facts[0][0] == insight._library_version and insight._facts[0][1] >= arrived
