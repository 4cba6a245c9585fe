"""The network view (issue 20, who appears with whom): the picture answers clicks, hovers and keys
with the right names, the table lists and sorts the pairs, the controls ask for a new network, the
colours are the reading pane's in both themes, and the picture saves as PNG and SVG."""

from __future__ import annotations

import random

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette  # noqa: E402
from PySide6.QtWidgets import QToolTip  # noqa: E402

from app import palette  # noqa: E402
from app.insight.network import layout, make_network  # noqa: E402
from app.model import Article, EntitySpan, Paragraph  # noqa: E402
from app.ui.insight.network_view import ALWAYS_LABELLED, LABELLED, NetworkPairModel, NetworkView  # noqa: E402

pytestmark = pytest.mark.gui

WANG, BEIJING, BUREAU, LI = ("PERSON", "王小明"), ("PLACE", "北京市"), ("ORG", "国家统计局"), ("PERSON", "李红")


def article(number: int, *names: tuple[str, str], repeat: int = 1) -> Article:
    """An article naming ``names`` (each ``repeat`` times) in one paragraph."""
    text, spans = "", []
    for entity_type, name in names:
        for _ in range(repeat):
            spans.append(EntitySpan(entity_type, name, 0, len(text), len(text) + len(name)))
            text += name + "，"
    return Article(title=f"第{number}篇", paragraphs=[Paragraph(text)], entities=spans, id=f"a{number}")


def small_articles() -> list[Article]:
    # 王小明: 4 articles; 北京市: 3; 国家统计局: 2; 李红: 1
    return [article(1, WANG, BEIJING, BUREAU), article(2, WANG, BEIJING), article(3, WANG, BUREAU),
            article(4, LI, BEIJING), article(5, WANG, ("DATE", "11月2日")), article(6, ("MONEY", "100万元"))]


# a square: 王小明 top left, 北京市 top right, 国家统计局 bottom left, 李红 bottom right
SQUARE = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]


def made_up_names(count: int) -> list[tuple[str, str]]:
    family, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
    rng = random.Random(7)
    names: set[tuple[str, str]] = set()
    types = ("PERSON", "PERSON", "PLACE", "ORG")
    while len(names) < count:
        entity_type = types[len(names) % 4]
        stem = rng.choice(family) + rng.choice(given) + rng.choice(given)
        text = {"PERSON": stem, "PLACE": stem + "街道", "ORG": stem + "区人民政府办公室"}[entity_type]
        names.add((entity_type, text))
    return sorted(names)


def realistic_articles(names: int = 30, articles: int = 200) -> list[Article]:
    rng = random.Random(3)
    pool = made_up_names(names)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(pool))]
    return [article(n, *{rng.choices(pool, weights)[0] for _ in range(rng.randint(1, 4))})
            for n in range(articles)]


@pytest.fixture()
def view(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    network = make_network(small_articles())
    view.set_network(network, SQUARE)
    view.show()
    qtbot.waitExposed(view)
    return view


def centre(view: NetworkView, i: int) -> QPoint:
    return view.canvas.node_centre(i).toPoint()


def test_the_network_is_the_made_up_one(view):
    nodes = view.network.nodes
    assert [n.key for n in nodes] == [WANG, BEIJING, BUREAU, LI]
    assert (nodes[0].articles, nodes[0].mentions) == (4, 4)
    assert view.summary.text() == "4 names, 4 pairs"


def test_clicking_a_node_emits_its_type_and_text(view, qtbot):
    for i, key in enumerate([WANG, BEIJING, BUREAU, LI]):
        with qtbot.waitSignal(view.node_activated, timeout=1000) as blocker:
            qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=centre(view, i))
        assert tuple(blocker.args) == key


def test_clicking_the_middle_of_an_edge_emits_the_pair(view, qtbot):
    edges = view.network.edges
    for k, e in enumerate(edges):
        point = view.canvas.edge_midpoint(k).toPoint()
        assert view.canvas.item_at(point) == ("edge", k)
        with qtbot.waitSignal(view.pair_activated, timeout=1000) as blocker:
            qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
        assert tuple(blocker.args) == (view.network.nodes[e.a].key, view.network.nodes[e.b].key)


def test_clicking_empty_paper_or_with_the_right_button_emits_nothing(view, qtbot):
    emitted = []
    view.node_activated.connect(lambda *a: emitted.append(a))
    view.pair_activated.connect(lambda *a: emitted.append(a))
    middle_of_right_edge = (view.canvas.node_centre(1) + view.canvas.node_centre(3)) / 2
    empty = QPoint(int(middle_of_right_edge.x()) - 60, int(middle_of_right_edge.y()) - 60)
    assert view.canvas.item_at(empty) is None
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=empty)
    qtbot.mouseClick(view.canvas, Qt.MouseButton.RightButton, pos=centre(view, 0))
    assert emitted == []


def test_tooltips_name_the_counts(view):
    canvas = view.canvas
    assert canvas.tooltip_at(centre(view, 0)) == "王小明 (Person) — 4 articles, 4 mentions"
    assert canvas.tooltip_at(centre(view, 3)) == "李红 (Person) — 1 article, 1 mention"
    assert canvas.tooltip_at(centre(view, 2)) == "国家统计局 (Organisation) — 2 articles, 2 mentions"
    k = next(k for k, e in enumerate(view.network.edges) if {e.a, e.b} == {0, 1})
    assert canvas.tooltip_at(canvas.edge_midpoint(k)) == "王小明 — 北京市: 2 articles name both"
    k = next(k for k, e in enumerate(view.network.edges) if {e.a, e.b} == {1, 3})
    assert canvas.tooltip_at(canvas.edge_midpoint(k)) == "北京市 — 李红: 1 article names both"
    # the real tooltip event shows the same text
    point = centre(view, 1)
    canvas.event(QHelpEvent(QEvent.Type.ToolTip, point, canvas.mapToGlobal(point)))
    assert QToolTip.text() == "北京市 (Place) — 3 articles, 3 mentions"
    QToolTip.hideText()


def test_hovering_a_node_highlights_it(view, qtbot):
    canvas = view.canvas
    before = canvas.grab().toImage()
    qtbot.mouseMove(canvas, centre(view, 3))
    qtbot.waitUntil(lambda: canvas._hover == ("node", 3), timeout=1000)
    after = canvas.grab().toImage()
    # 国家统计局 (not 李红's neighbour) is faded towards the paper; 北京市 (a neighbour) is not
    at = centre(view, 2)
    assert before.pixelColor(at) == QColor(palette.LIGHT.entities["ORG"].tint)
    assert after.pixelColor(at) != before.pixelColor(at)
    assert after.pixelColor(centre(view, 1)) == QColor(palette.LIGHT.entities["PLACE"].tint)


def test_mentions_count_every_naming(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    network = make_network([article(1, WANG, repeat=3), article(2, WANG, BEIJING)])
    view.set_network(network, [(0.0, 0.5), (1.0, 0.5)])
    assert view.canvas.node_tooltip(0) == "王小明 (Person) — 2 articles, 4 mentions"


def test_the_table_has_a_row_per_pair_sorted_by_shared_articles(view):
    proxy = view.pair_proxy()
    assert proxy.rowCount() == len(view.network.edges) == 4
    counts = [proxy.index(r, NetworkPairModel.COUNT_COLUMN).data() for r in range(proxy.rowCount())]
    assert counts == sorted(counts, reverse=True) == [2, 2, 1, 1]
    first = [proxy.index(0, c).data() for c in range(4)]
    assert first[:2] == ["王小明", "Person"] and first[2] in ("北京市", "国家统计局")
    assert proxy.headerData(NetworkPairModel.COUNT_COLUMN, Qt.Orientation.Horizontal) == "Articles naming both"


def test_the_table_sorts_the_count_as_a_number(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    articles = ([article(n, WANG, BEIJING) for n in range(12)] + [article(100 + n, WANG, BUREAU) for n in range(9)]
                + [article(200, BEIJING, LI)])
    network = make_network(articles)
    view.set_network(network, layout(network))
    proxy = view.pair_proxy()
    counts = lambda: [proxy.index(r, NetworkPairModel.COUNT_COLUMN).data() for r in range(proxy.rowCount())]  # noqa: E731
    assert counts() == [12, 9, 1]
    view.table.sortByColumn(NetworkPairModel.COUNT_COLUMN, Qt.SortOrder.AscendingOrder)
    assert counts() == [1, 9, 12]  # as text, "12" would come before "9"
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert {proxy.index(r, 0).data() for r in range(3)} == {"王小明", "北京市"}


def test_enter_or_a_double_click_on_a_row_emits_the_pair(view, qtbot):
    view.tabs.setCurrentIndex(1)
    table, proxy = view.table, view.pair_proxy()
    table.setFocus()
    table.setCurrentIndex(proxy.index(2, 0))
    row = [proxy.index(2, c).data() for c in range(4)]
    with qtbot.waitSignal(view.pair_activated, timeout=1000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    (type_a, text_a), (type_b, text_b) = blocker.args
    assert (text_a, text_b) == (row[0], row[2])
    assert {type_a, type_b} <= {"PERSON", "PLACE", "ORG"}
    rect = table.visualRect(proxy.index(0, 0))
    with qtbot.waitSignal(view.pair_activated, timeout=1000) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args[0][1] == proxy.index(0, 0).data()


def test_keyboard_moves_a_focus_through_the_nodes_and_enter_activates(view, qtbot):
    canvas = view.canvas
    view.activateWindow()
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(canvas.hasFocus, timeout=1000)
    assert canvas.focused_node == 0  # 王小明, top left
    assert "王小明" in canvas.accessibleDescription()
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.focused_node == 1  # 北京市, top right
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert canvas.focused_node == 3  # 李红, bottom right
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.focused_node == 2  # 国家统计局, bottom left
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.focused_node == 2  # nothing further left
    with qtbot.waitSignal(view.node_activated, timeout=1000) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert tuple(blocker.args) == BUREAU
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.focused_node == 1 and canvas.hasFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.focused_node == 3
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)  # past the last name, Tab leaves the picture
    assert not canvas.hasFocus()


def test_top_and_scope_controls_emit(view, qtbot):
    assert (view.top_box.minimum(), view.top_box.maximum(), view.top) == (10, 100, 30)
    with qtbot.waitSignal(view.top_changed, timeout=1000) as blocker:
        view.top_box.setValue(50)
    assert blocker.args == [50]
    with qtbot.assertNotEmitted(view.top_changed):
        view.set_top(70)
    assert view.top == 70
    assert view.scope == "library"
    with qtbot.waitSignal(view.scope_changed, timeout=1000) as blocker:
        view.scope_box.setCurrentIndex(1)
    assert blocker.args == ["list"]
    with qtbot.assertNotEmitted(view.scope_changed):
        view.set_scope("library")
    assert view.scope == "library"
    with pytest.raises(ValueError):
        view.set_scope("everything")


def dark_palette() -> QPalette:
    pal = QPalette()
    for role, colour in ((QPalette.ColorRole.Base, palette.DARK.paper), (QPalette.ColorRole.Window, "#2b2d30"),
                         (QPalette.ColorRole.Text, palette.DARK.text), (QPalette.ColorRole.WindowText, palette.DARK.text)):
        pal.setColor(role, QColor(colour))
    return pal


@pytest.mark.parametrize("dark", [False, True])
def test_colours_are_the_reading_panes_in_both_themes(view, dark):
    if dark:
        view.setPalette(dark_palette())
    colours = palette.palette(dark)
    image = view.canvas.grab().toImage()
    assert image.pixelColor(3, 3) == QColor(colours.paper)
    for i, node in enumerate(view.network.nodes):
        assert image.pixelColor(centre(view, i)) == QColor(colours.entities[node.type].tint)
        rim = view.canvas.node_centre(i).toPoint() + QPoint(int(view.canvas.node_radius(i)), 0)
        seen = image.pixelColor(rim)
        line = QColor(colours.entities[node.type].line)
        assert max(abs(seen.red() - line.red()), abs(seen.green() - line.green()),
                   abs(seen.blue() - line.blue())) < 90  # the rim, antialiased
    assert view.model.dark is dark


def test_save_png_and_svg(view, tmp_path):
    png, svg = tmp_path / "network.png", tmp_path / "network.svg"
    view.save_png(png)
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 2 * view.canvas.width()
    view.save_svg(svg)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "王小明" in text
    with pytest.raises(OSError):
        view.save_png(tmp_path / "no such folder" / "x.png")


def test_a_saved_picture_of_a_never_shown_view_has_a_usable_size(qtbot, tmp_path):
    view = NetworkView()
    qtbot.addWidget(view)
    network = make_network(small_articles())
    view.set_network(network, SQUARE)
    view.save_png(tmp_path / "n.png")
    assert QImage(str(tmp_path / "n.png")).width() >= 1000


def test_many_names_label_the_top_twenty_and_elide_long_ones(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(1000, 720)
    network = make_network(realistic_articles(names=40, articles=300), top=30)
    assert len(network.nodes) == 30
    view.set_network(network, layout(network))
    view.show()
    qtbot.waitExposed(view)
    canvas = view.canvas
    labelled = canvas.labelled_nodes()
    assert labelled[:ALWAYS_LABELLED] == list(range(ALWAYS_LABELLED))  # the most-named always
    assert 15 <= len(labelled) and set(labelled) <= set(range(LABELLED))  # the top 20 where they fit
    unlabelled = next(i for i in range(len(network.nodes)) if i not in labelled)
    qtbot.mouseMove(canvas, centre(view, unlabelled))  # the rest are labelled on hover
    qtbot.waitUntil(lambda: canvas._hover == ("node", unlabelled), timeout=1000)
    canvas.grab()
    assert unlabelled in canvas._current_geometry().hover_labels
    rects = [canvas.label_rect(i) for i in canvas.labelled_nodes()]
    overlap = sum(a.intersected(b).width() * a.intersected(b).height()
                  for n, a in enumerate(rects) for b in rects[n + 1:] if a.intersects(b))
    assert overlap < 0.05 * sum(r.width() * r.height() for r in rects)
    bounds = canvas.rect().toRectF()
    assert all(bounds.contains(r) for r in rects)
    longest = max(rects, key=lambda r: r.width())
    assert longest.width() < canvas.fontMetrics().horizontalAdvance("中") * 9 + 10  # elided near 8 characters


def test_an_empty_network_draws_a_message_and_answers_nothing(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.set_network(make_network([]), [])
    assert view.canvas.item_at(QPoint(300, 200)) is None
    assert view.pair_proxy().rowCount() == 0
    assert not view.canvas.grab().isNull()
    with pytest.raises(ValueError):
        view.set_network(make_network(small_articles()), [(0.5, 0.5)])


def test_many_lines_are_drawn_in_a_worker_and_then_shown(qtbot):
    from app.ui.insight.network_view import SYNC_EDGES

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(1000, 720)
    network = make_network(realistic_articles(names=40, articles=600), top=40)
    assert len(network.edges) > SYNC_EDGES
    view.set_network(network, layout(network))
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.canvas.edges_drawn, timeout=5000)
    canvas = view.canvas
    image = canvas.grab().toImage()
    k = next(k for k in range(len(network.edges)) if canvas.item_at(canvas.edge_midpoint(k)) == ("edge", k))
    assert image.pixelColor(canvas.edge_midpoint(k).toPoint()) != QColor(palette.LIGHT.paper)
