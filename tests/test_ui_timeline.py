"""The timeline strip (app/ui/insight/timeline_view.py): bars as tall as their counts, choosing a
bucket or a range by mouse and keyboard, the undated box, the legend of compared searches, both
themes, saving the picture, and its words in English and Chinese."""

from __future__ import annotations

import itertools
import time
from datetime import date, timedelta

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import palette  # noqa: E402
from app.insight.timeline import make_timeline  # noqa: E402
from app.model import Article  # noqa: E402
from app.ui.insight.timeline_view import UNDATED, TimelineView  # noqa: E402
from tests.colour_vision import VISIONS, contrast, difference  # noqa: E402

pytestmark = pytest.mark.gui

# articles per month, May to August 2023 (June has none), and two without a full date
MONTHS = {"2023-05": 3, "2023-06": 0, "2023-07": 5, "2023-08": 1}


def articles(per_month: dict[str, int], prefix: str = "a", undated: int = 2) -> list[Article]:
    out = []
    for month, count in per_month.items():
        out += [Article(title=f"{month} {n}", date=f"{month}-{n + 1:02d}", id=f"{prefix}{month}-{n}")
                for n in reversed(range(count))]  # listed out of date order on purpose
    out += [Article(title=f"undated {n}", date="05-03", id=f"{prefix}u{n}") for n in range(undated)]
    return out


def month_ids(month: str, prefix: str = "a") -> list[str]:
    return [f"{prefix}{month}-{n}" for n in range(MONTHS[month])]


@pytest.fixture()
def view(qtbot):
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(380, 110)
    widget.set_timeline(make_timeline([("", articles(MONTHS))], unit="month"))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def bar_of(view: TimelineView, bucket: int, series: int = 0):
    return next(b for b in view.bars() if b.first == bucket and b.series == series)


def centre(rect) -> QPoint:
    return rect.center().toPoint()


def pixel(view: TimelineView, point: QPointF) -> QColor:
    image = view.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


# -- the bars ----------------------------------------------------------------------------------------
def test_bars_are_as_tall_as_their_counts_and_share_one_baseline(view):
    counts = list(MONTHS.values())
    bars = view.bars()
    assert [b.first for b in bars] == [0, 2, 3]  # June has no articles: no bar
    tallest = max(bars, key=lambda b: b.rect.height())
    assert tallest.first == counts.index(max(counts))  # July
    unit = tallest.rect.height() / max(counts)
    for bar in bars:
        assert bar.rect.height() == pytest.approx(counts[bar.first] * unit, abs=0.01)
        assert bar.rect.bottom() == pytest.approx(tallest.rect.bottom())
    lefts = [b.rect.left() for b in bars]
    assert lefts == sorted(lefts)  # in date order, left to right
    assert max(b.rect.right() for b in bars) < view.undated_box().left()  # the undated box stands apart


def test_tick_labels_name_the_months_under_their_bars_without_overlapping(view):
    ticks = view.ticks()
    assert [t.text for t in ticks] == ["2023-05", "2023-06", "2023-07", "2023-08"]
    for tick in ticks:  # wide bars: each label is centred under its bar
        assert tick.rect.left() < tick.x < tick.rect.right()
    for a, b in itertools.pairwise(ticks):
        assert a.rect.right() < b.rect.left()
    for n in (0, 2, 3):
        assert bar_of(view, n).rect.left() < ticks[n].x < bar_of(view, n).rect.right()


@pytest.mark.parametrize("width", [160, 380, 900, 1600])
@pytest.mark.parametrize("unit, days", [("day", 80), ("week", 700), ("month", 3000), ("year", 40 * 366),
                                        ("day", 3650)])
def test_tick_labels_never_overlap_and_stay_inside(qtbot, width, unit, days):
    start = date(1990, 3, 7)
    sample = [Article(title="t", date=(start + timedelta(days=d)).isoformat(), id=f"a{d}")
              for d in range(0, days, max(1, days // 300))]
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(width, 110)
    widget.set_timeline(make_timeline([("", sample)], unit=unit))
    ticks = widget.ticks()
    assert ticks or width < 200
    for a, b in itertools.pairwise(ticks):
        assert a.rect.right() + 4 <= b.rect.left(), (a, b)
    for tick in ticks:
        assert 0 <= tick.rect.left() and tick.rect.right() <= width
    if width >= 380:
        assert len(ticks) >= 2


def test_thousands_of_buckets_draw_at_most_one_bar_per_pixel_column_and_lay_out_quickly(qtbot):
    start = date(2014, 1, 1)
    sample = [Article(title="t", date=(start + timedelta(days=d % 3650)).isoformat(), id=f"a{d}")
              for d in range(100_000)]
    timeline = make_timeline([("扬尘", sample), ("食品安全", sample[::3])], unit="day")
    assert len(timeline.buckets) == 3650
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(380, 110)
    began = time.perf_counter()
    widget.set_timeline(timeline)
    took = time.perf_counter() - began
    assert len(widget.bars()) <= 2 * 380
    assert took < 1.0  # typically ~20 ms
    began = time.perf_counter()
    widget.grab()
    assert time.perf_counter() - began < 0.5


# -- choosing ------------------------------------------------------------------------------------------
def test_clicking_a_bar_chooses_its_articles(view, qtbot):
    with qtbot.waitSignal(view.range_chosen) as chosen:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(bar_of(view, 2).rect))
    assert chosen.args == [month_ids("2023-07"), "2023-07"]
    assert view.chosen_range() == (0, 2, 2)
    assert view.description() == "2023-07"


def test_dragging_across_three_buckets_chooses_their_union_in_date_order(view, qtbot):
    may, jul, aug = (centre(bar_of(view, n).rect) for n in (0, 2, 3))
    jun = QPoint((may.x() + jul.x()) // 2, may.y())  # June has no bar, but a place
    for path, expected, text in (
        ((may, jun, jul), month_ids("2023-05") + month_ids("2023-07"), "2023-05 – 2023-07"),
        ((aug, jul, jun), month_ids("2023-07") + month_ids("2023-08"), "2023-06 – 2023-08"),  # leftwards
    ):
        with qtbot.waitSignal(view.range_chosen) as chosen:
            qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=path[0])
            for point in path[1:]:
                qtbot.mouseMove(view, point)
            qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=path[-1])
        assert chosen.args == [expected, text]
    assert view.chosen_range() == (0, 1, 3)


def test_the_chosen_range_stays_highlighted_and_the_rest_fades(view, qtbot):
    aug, may = bar_of(view, 3).rect, bar_of(view, 0).rect
    inside, outside = QPointF(aug.center().x(), aug.bottom() - 2), QPointF(may.center().x(), may.bottom() - 2)
    above = QPointF(aug.center().x(), aug.top() - 10)  # the band behind the chosen bucket
    colour, paper = QColor(palette.LIGHT.series[0]), QColor(palette.LIGHT.paper)
    assert pixel(view, inside) == colour and pixel(view, outside) == colour
    assert pixel(view, above) == paper
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(aug))
    view.setAttribute(Qt.WidgetAttribute.WA_UnderMouse, False)
    view.leaveEvent(QEvent(QEvent.Type.Leave))  # no hover band: only the chosen one
    assert pixel(view, inside) == colour
    assert pixel(view, outside) != colour  # faded towards the paper
    assert pixel(view, above) != paper
    june = (may.center().x() + bar_of(view, 2).rect.center().x()) / 2  # no bar, not chosen
    assert pixel(view, QPointF(june, aug.top() - 10)) == paper


def test_esc_the_cross_and_a_click_beside_the_bars_clear_the_range(view, qtbot):
    def choose():
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(bar_of(view, 0).rect))
        assert view.chosen_range() is not None

    choose()
    view.setFocus()
    with qtbot.waitSignal(view.range_cleared):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.chosen_range() is None and view.description() == ""
    choose()
    with qtbot.waitSignal(view.range_cleared):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(view._clear_box))
    choose()
    with qtbot.waitSignal(view.range_cleared):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    choose()
    with qtbot.waitSignal(view.range_cleared):
        view.clear_range()
    with qtbot.assertNotEmitted(view.range_cleared):
        view.clear_range()  # nothing chosen: nothing to say
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view, event)
    assert not event.isAccepted()  # left to the window (the list's own Esc)


def test_a_new_timeline_drops_the_range_quietly(view, qtbot):
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(bar_of(view, 0).rect))
    with qtbot.assertNotEmitted(view.range_cleared):
        view.set_timeline(make_timeline([("", articles(MONTHS))], unit="month"))
    assert view.chosen_range() is None


def test_the_keyboard_moves_extends_and_chooses(view, qtbot):
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert view.accessibleName() == "Timeline"
    assert "Enter" in view.accessibleDescription()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the cursor starts on the first bucket
    assert view.accessibleDescription().startswith("2023-05; Articles: 3")
    with qtbot.waitSignal(view.range_chosen) as chosen:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert chosen.args == [month_ids("2023-05"), "2023-05"]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # stops at the last bucket
    with qtbot.waitSignal(view.range_chosen) as chosen:
        qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert chosen.args == [month_ids("2023-07") + month_ids("2023-08"), "2023-06 – 2023-08"]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # stays on the first
    with qtbot.waitSignal(view.range_chosen) as chosen:
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert chosen.args[1] == "2023-05"
    qtbot.keyClick(view, Qt.Key.Key_End)  # past the last bucket: the undated box
    with qtbot.waitSignal(view.range_chosen) as chosen:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert chosen.args == [["au0", "au1"], "Undated"]
    with qtbot.waitSignal(view.range_cleared):
        qtbot.keyClick(view, Qt.Key.Key_Escape)


def test_the_undated_box_counts_them_apart_and_chooses_them(view, qtbot):
    box = view.undated_box()
    assert not box.isEmpty() and box.right() <= view.width()
    assert "Without a full date" in view.tooltip_text(box.center())
    with qtbot.waitSignal(view.range_chosen) as chosen:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(box))
    assert chosen.args == [["au0", "au1"], "Undated"]
    assert view.chosen_range() == (0, UNDATED, UNDATED)
    for bar in view.bars():  # every bar faded: none of them is chosen
        assert pixel(view, QPointF(bar.rect.center().x(), bar.rect.bottom() - 1)) != QColor(palette.LIGHT.series[0])


def test_no_undated_articles_no_box(qtbot):
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(380, 110)
    widget.set_timeline(make_timeline([("", articles(MONTHS, undated=0))], unit="month"))
    assert widget.undated_box().isEmpty()
    assert max(b.rect.right() for b in widget.bars()) > 380 - 20


def test_nothing_to_draw(qtbot):
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(380, 110)
    widget.grab()  # no timeline yet
    widget.set_timeline(make_timeline([("", articles({}, undated=4))]))  # nothing with a full date
    assert widget.bars() == () and not widget.undated_box().isEmpty()
    widget.grab()
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    with qtbot.waitSignal(widget.range_chosen) as chosen:
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert chosen.args[0] == ["au0", "au1", "au2", "au3"]
    widget.set_timeline(None)
    assert widget.bars() == () and widget.undated_box().isEmpty()
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    widget.grab()


# -- comparing searches --------------------------------------------------------------------------------
@pytest.fixture()
def compared(qtbot):
    widget = TimelineView()
    qtbot.addWidget(widget)
    widget.resize(380, 110)
    other = {"2023-05": 1, "2023-06": 4, "2023-07": 0, "2023-08": 2}
    widget.set_timeline(make_timeline([("扬尘", articles(MONTHS)), ("食品安全", articles(other, "b", undated=1))],
                                      unit="month"))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_two_series_side_by_side_with_a_legend(compared, qtbot):
    names = [name for _rect, _s, name in compared._legend]
    assert names == ["扬尘", "食品安全"]
    for rect, s, _name in compared._legend:  # each swatch in its series' colour
        assert pixel(compared, QPointF(rect.left() + 3, rect.center().y())) == QColor(palette.LIGHT.series[s])
    may_a, may_b = bar_of(compared, 0, 0).rect, bar_of(compared, 0, 1).rect
    assert may_a.right() <= may_b.left() + 0.01  # side by side within the bucket
    assert pixel(compared, may_a.center()) == QColor(palette.LIGHT.series[0])
    assert pixel(compared, may_b.center()) == QColor(palette.LIGHT.series[1])
    tip = compared.tooltip_text(may_b.center())
    assert tip.splitlines() == ["2023-05", "扬尘: 3", "食品安全: 1"]
    # clicking the second series' bar chooses its articles
    with qtbot.waitSignal(compared.range_chosen) as chosen:
        qtbot.mouseClick(compared, Qt.MouseButton.LeftButton, pos=centre(bar_of(compared, 1, 1).rect))
    assert chosen.args == [["b2023-06-0", "b2023-06-1", "b2023-06-2", "b2023-06-3"], "食品安全: 2023-06"]
    with qtbot.waitSignal(compared.range_chosen) as chosen:
        qtbot.mouseClick(compared, Qt.MouseButton.LeftButton, pos=centre(may_a))
    assert chosen.args == [month_ids("2023-05"), "扬尘: 2023-05"]
    with qtbot.waitSignal(compared.range_chosen):
        qtbot.mouseClick(compared, Qt.MouseButton.LeftButton, pos=centre(may_b))
    compared.leaveEvent(QEvent(QEvent.Type.Leave))
    assert pixel(compared, may_b.center()) == QColor(palette.LIGHT.series[1])
    assert pixel(compared, may_a.center()) != QColor(palette.LIGHT.series[0])  # not chosen: faded


def test_comparing_keys_pick_the_series_and_the_undated_box_has_a_row_each(compared, qtbot):
    compared.setFocus()
    qtbot.keyClick(compared, Qt.Key.Key_Down)
    qtbot.keyClick(compared, Qt.Key.Key_Right)
    with qtbot.waitSignal(compared.range_chosen) as chosen:
        qtbot.keyClick(compared, Qt.Key.Key_Return)
    assert chosen.args == [["b2023-05-0"], "食品安全: 2023-05"]
    tip = compared.tooltip_text(compared.undated_box().center())
    assert tip.splitlines()[1:] == ["扬尘: 2", "食品安全: 1"]
    box = compared.undated_box()
    rows = [QPoint(int(box.center().x()), y) for y in range(int(box.top()) + 2, int(box.bottom()) - 1)]
    seen = []
    for point in rows:
        with qtbot.waitSignal(compared.range_chosen) as chosen:
            qtbot.mouseClick(compared, Qt.MouseButton.LeftButton, pos=point)
        seen.append(tuple(chosen.args[0]))
    assert ("au0", "au1") in seen and ("bu0",) in seen


# -- themes and colours -------------------------------------------------------------------------------
def test_series_colours_are_legible_on_the_paper_and_distinct_with_every_colour_vision():
    for p in (palette.LIGHT, palette.DARK):
        assert len(p.series) == 3
        for colour in p.series:
            assert contrast(colour, p.paper) >= 3.0  # WCAG 1.4.11, non-text
        for vision in VISIONS:
            for a, b in itertools.combinations(p.series, 2):
                assert difference(a, b, vision) >= 10.0, (vision, a, b)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_theme_colours_come_from_the_palette(view, dark):
    if dark:
        colours = view.palette()
        colours.setColor(QPalette.ColorRole.Base, QColor(palette.DARK.paper))
        view.setPalette(colours)
    expected = palette.palette(dark)
    assert pixel(view, QPointF(2, view.height() - 2)) == QColor(expected.paper)
    bar = bar_of(view, 2).rect
    assert pixel(view, bar.center()) == QColor(expected.series[0])


# -- saving -----------------------------------------------------------------------------------------------
def test_save_png_and_svg(view, tmp_path, qtbot):
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(bar_of(view, 2).rect))
    png, svg = tmp_path / "t.png", tmp_path / "t.svg"
    view.save_png(str(png))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (view.width(), view.height())
    bar = bar_of(view, 2).rect
    assert image.pixelColor(centre(bar)) == QColor(palette.LIGHT.series[0])
    view.save_svg(str(svg))
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "2023-07" in text and "undated" in text
    with pytest.raises(OSError):
        view.save_png(str(tmp_path / "missing" / "t.png"))


def test_context_menu_offers_both_pictures(view, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    texts = [a.text() for a in view.context_menu().actions()]
    assert texts == ["Save as PNG…", "Save as SVG…"]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "picture"), ""))
    view.context_menu().actions()[1].trigger()
    assert (tmp_path / "picture.svg").read_text(encoding="utf-8").count("<svg") == 1
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre(bar_of(view, 2).rect))
    assert len(view.context_menu().actions()) == 4  # and the way back


# -- words --------------------------------------------------------------------------------------------------
def test_tooltips(view):
    july = bar_of(view, 2).rect
    assert view.tooltip_text(july.center()) == "2023-07\nArticles: 5"
    assert view.tooltip_text(QPointF(july.center().x(), 8)) == ""  # above the bars: the title row
    week = make_timeline([("", [Article(title="t", date="2023-05-03", id="w")])], unit="week")
    view.set_timeline(week)
    assert view.tooltip_text(view.bars()[0].rect.center()).splitlines()[0] == "2023-W18 (2023-05-01 – 2023-05-07)"


def test_chinese(view, qapp):
    from app.ui.settings.i18n import Translations

    translations = Translations(qapp)
    try:
        translations.apply("zh_CN")
        assert view.accessibleName() == "时间线"
        assert view.tooltip_text(bar_of(view, 2).rect.center()) == "2023-07\n文章：5"
        assert view.tooltip_text(view.undated_box().center()).startswith("没有完整日期")
        assert view._title == "每月文章数"
        assert [a.text() for a in view.context_menu().actions()] == ["另存为 PNG…", "另存为 SVG…"]
        view.choose(0, UNDATED, UNDATED)
        assert view.description() == "未注明日期"
    finally:
        translations.apply("en")
    assert view.accessibleName() == "Timeline"
