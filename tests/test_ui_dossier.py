"""The dossier window (issue 20): header, concordance, names beside it, Export…, light and dark.

The dossiers are made by hand (made-up names and sentences), so these tests need only the
record types of :mod:`app.insight.dossier`, not the code that gathers a dossier from a library.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFontMetrics  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QVBoxLayout  # noqa: E402

from app import palette  # noqa: E402
from app.insight.dossier import Dossier, Mention  # noqa: E402
from app.insight.timeline import Bucket, Series, Timeline  # noqa: E402
from app.ui.insight import dossier_view  # noqa: E402
from app.ui.insight.dossier_view import (  # noqa: E402
    DATE, HEADLINE, MARK_ROLE, SENTENCE, SPELLING, DossierView, fit_sentence,
)
from app.ui.settings import theme  # noqa: E402

pytestmark = pytest.mark.gui

# (article id, headline, date, sentence, spelling): made up, in the dossier's (date) order
ROWS = [
    ("a1", "区领导调研大气污染防治工作", "2023-03-02", "区委书记李明华带队到各镇街检查扬尘治理情况。", "李明华"),
    ("a2", "推动绿美江海生态建设", "2023-04-08", "李书记指出，生态建设是一项长期任务。", "李书记"),
    ("a3", "全区重点项目集中开工", "2023-05-20",
     "在开工仪式上，区委书记李明华、区长张伟共同为项目培土奠基，标志着全区今年第二批重点项目正式进入建设阶段。", "李明华"),
    ("a3", "全区重点项目集中开工", "2023-05-20", "仪式结束后，李明华一行还实地察看了项目现场。", "李明华"),
    ("a4", "文明城市创建再动员", "09-03", "😀𠀋李明华表示，创建工作只有起点没有终点。", "李明华"),  # non-BMP before
    ("a5", "简讯", None, "当天，李明华还会见了外地客商代表团。", "李明华"),
]
COMPANIONS = (("PLACE", "江海区", 4), ("PERSON", "张伟", 2), ("ORG", "区委", 1))


def mention(article_id: str, title: str, day: str | None, sentence: str, spelling: str) -> Mention:
    start = sentence.index(spelling)
    return Mention(article_id, title, day, sentence, start, start + len(spelling), spelling)


def make_dossier(rows=ROWS, entity_type: str = "PERSON", name: str = "李明华") -> Dossier:
    mentions = tuple(mention(*row) for row in rows)
    bucket = Bucket(date(2023, 3, 1), date(2023, 4, 1), "2023-03")
    timeline = Timeline("month", (bucket,), (Series("", (1,), (("a1",),), ("a4", "a5")),))
    return Dossier(type=entity_type, name=name, spellings=(name, "李书记"), mentions=mentions, timeline=timeline,
                   companions=COMPANIONS, articles=len({m.article_id for m in mentions}))


@pytest.fixture()
def view(qtbot):
    view = DossierView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.set_dossier(make_dossier())
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture()
def dark_theme(qapp):
    """The window's dark theme for the test, the application's palette and style back afterwards."""
    before, style = qapp.palette(), qapp.style().name()
    theme.apply_theme(qapp, "dark")
    yield
    qapp.setPalette(before)
    qapp.setStyle(style)


def row_rect(view: DossierView, row: int, column: int = HEADLINE):
    return view.table.visualRect(view.model.index(row, column))


# -- header -----------------------------------------------------------------------------------------
def test_the_header_shows_the_name_its_type_the_counts_and_the_spellings(view):
    assert view.name_label.text() == "李明华"
    assert view.type_label.text() == "Person"
    assert view.swatch.accessibleName() == "Person"
    assert view.counts_label.text() == "5 articles · 6 mentions"
    assert view.spellings_label.text() == "Spellings: 李明华 (5), 李书记 (1)"
    assert view.export_button.isEnabled()


def test_one_article_and_one_mention_are_singular(qtbot):
    view = DossierView()
    qtbot.addWidget(view)
    view.set_dossier(make_dossier(ROWS[:1]))
    assert view.counts_label.text() == "1 article · 1 mention"


def test_before_a_dossier_nothing_is_offered(qtbot):
    view = DossierView()
    qtbot.addWidget(view)
    assert view.dossier() is None
    assert view.model.rowCount() == 0
    assert not view.export_button.isEnabled()
    assert view.export_as("pdf") is None


def test_a_name_no_article_names_shows_an_empty_dossier_with_nothing_to_export(qtbot):
    view = DossierView()
    qtbot.addWidget(view)
    view.set_dossier(Dossier("PERSON", "王某某", ("王某某",), (), Timeline("month", (), ()), (), 0))
    assert view.counts_label.text() == "0 articles · 0 mentions"
    assert view.model.rowCount() == 0 and view.companions.topLevelItemCount() == 0
    assert not view.export_button.isEnabled()
    assert view.export_as("csv") is None


def test_the_header_swatch_is_the_types_palette_tint_in_light_and_dark(qtbot, dark_theme):
    view = DossierView()
    qtbot.addWidget(view)
    view.set_dossier(make_dossier(entity_type="PLACE", name="江海区"))
    image = view.swatch.pixmap().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 3) == QColor(palette.DARK.entities["PLACE"].tint)
    assert view.type_label.text() == "Place"


# -- the concordance --------------------------------------------------------------------------------
def test_the_concordance_has_one_row_per_mention_in_order(view):
    model = view.model
    assert model.rowCount() == len(ROWS)
    shown = [tuple(model.index(r, c).data() for c in (DATE, HEADLINE, SENTENCE, SPELLING))
             for r in range(model.rowCount())]
    expected = [(day or "undated", title, sentence, spelling) for _id, title, day, sentence, spelling in ROWS]
    assert shown == expected
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Date", "Headline", "Sentence", "Spelling"]


def test_each_rows_marked_range_is_the_name(view):
    for row in range(view.model.rowCount()):
        index = view.model.index(row, SENTENCE)
        start, end = index.data(MARK_ROLE)
        assert index.data()[start:end] == ROWS[row][4]


def test_a_long_sentence_is_trimmed_around_the_name_and_the_name_stays_whole(view):
    fm = QFontMetrics(view.table.font())
    sentence = "在开工仪式上，" * 12 + "区委书记李明华共同为项目培土奠基。" + "标志着正式进入建设阶段。" * 6
    start = sentence.index("李明华")
    for width in (120, 200, 400):
        text, lo, hi = fit_sentence(sentence, start, start + 3, fm, width)
        assert text[lo:hi] == "李明华"
        assert text.startswith("…") and text.endswith("…")
        assert fm.horizontalAdvance(text) <= width
    assert fit_sentence("李明华说好。", 0, 3, fm, 400) == ("李明华说好。", 0, 3)  # fits: shown whole


def test_the_name_is_painted_on_its_types_tint(view):
    image = view.table.viewport().grab(row_rect(view, 1, SENTENCE)).toImage()
    tint = QColor(palette.LIGHT.entities["PERSON"].tint)
    assert any(image.pixelColor(x, y) == tint for x in range(image.width()) for y in range(image.height()))


def test_dark_theme_paints_the_name_on_the_dark_tint(qtbot, dark_theme):
    view = DossierView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.set_dossier(make_dossier(entity_type="ORG", name="区委"))
    view.show()
    qtbot.waitExposed(view)
    assert view.delegate.mark_colors() == (QColor(palette.DARK.entities["ORG"].tint), QColor(palette.DARK.text))
    image = view.table.viewport().grab(row_rect(view, 1, SENTENCE)).toImage()
    tint = QColor(palette.DARK.entities["ORG"].tint)
    assert any(image.pixelColor(x, y) == tint for x in range(image.width()) for y in range(image.height()))
    icon = view.companions.topLevelItem(0).icon(0).pixmap(8, 8).toImage()
    assert icon.pixelColor(4, 3) == QColor(palette.DARK.entities["PLACE"].tint)


def test_double_click_on_a_row_asks_for_its_article(view, qtbot):
    rect = row_rect(view, 2)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click's first press
    with qtbot.waitSignal(view.article_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["a3"]


def test_enter_on_a_row_asks_for_its_article_and_the_keys_move_through_rows(view, qtbot):
    view.table.setFocus()
    assert view.table.currentIndex().row() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(view.article_requested, timeout=1000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == ["a5"]


def test_enter_in_a_dialog_opens_the_article_and_nothing_else(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    view = DossierView(dialog)
    QVBoxLayout(dialog).addWidget(view)
    view.set_dossier(make_dossier())
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not view.export_button.isDefault() and not view.export_button.autoDefault()
    view.table.setFocus()
    with qtbot.waitSignal(view.article_requested, timeout=1000) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == ["a1"] and dialog.isVisible()


def test_ctrl_c_copies_the_current_row(view, qtbot):
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    _id, title, day, sentence, spelling = ROWS[1]
    assert QApplication.clipboard().text() == "\t".join([day, title, sentence, spelling])


def test_thousands_of_mentions_display_at_once(qtbot):
    view = DossierView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    rows = [(f"id{n}", f"第{n}篇报道的标题", f"2023-{n % 12 + 1:02d}-01", f"第{n}句话里，李明华出席了会议。", "李明华")
            for n in range(20000)]
    dossier = make_dossier(rows)
    began = time.perf_counter()
    view.set_dossier(dossier)
    view.table.viewport().repaint()
    assert time.perf_counter() - began < 1.0
    assert view.model.rowCount() == 20000


# -- mentions over time ----------------------------------------------------------------------------
def test_a_range_narrows_the_concordance_to_its_articles_and_clearing_shows_all(view):
    view.show_range(["a3", "a5"], "2023-05")
    assert [view.model.index(r, SENTENCE).data() for r in range(view.model.rowCount())] == [
        ROWS[2][3], ROWS[3][3], ROWS[5][3]]
    assert view.sentences_label.text() == "&Sentences naming it in 2023-05: 3 of 6"
    view.show_all()
    assert view.model.rowCount() == len(ROWS)
    assert view.sentences_label.text() == "&Sentences naming it, by date"


def test_the_timeline_shows_the_dossiers_and_its_bars_narrow_the_concordance(view):
    assert view.timeline.timeline() is view.dossier().timeline
    assert view.timeline.accessibleName() == "Mentions over time"
    view.timeline.choose(0, 0, 0)
    assert [view.model.mention(r).article_id for r in range(view.model.rowCount())] == ["a1"]
    view.timeline.clear_range()
    assert view.model.rowCount() == len(ROWS)
    view.show_range(["a1"], "2023-03")
    view.set_dossier(make_dossier(ROWS[:2]))  # a new dossier shows all its sentences
    assert view.model.rowCount() == 2 and view.sentences_label.text() == "&Sentences naming it, by date"


# -- the names beside it ----------------------------------------------------------------------------
def test_the_names_beside_it_are_listed_with_counts(view):
    items = [view.companions.topLevelItem(n) for n in range(view.companions.topLevelItemCount())]
    assert [(i.text(0), i.text(1)) for i in items] == [("江海区", "4"), ("张伟", "2"), ("区委", "1")]
    assert "Place" in items[0].toolTip(0)


def test_activating_a_name_beside_it_asks_for_its_dossier(view, qtbot):
    view.companions.setFocus()
    qtbot.keyClick(view.companions, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.name_requested, timeout=1000) as blocker:
        qtbot.keyClick(view.companions, Qt.Key.Key_Return)
    assert blocker.args == ["PERSON", "张伟"]
    rect = view.companions.visualItemRect(view.companions.topLevelItem(0))
    qtbot.mouseClick(view.companions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.name_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(view.companions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["PLACE", "江海区"]


# -- export -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, typed, written", [
    ("pdf", "李明华.pdf", "李明华.pdf"),
    ("md", "notes", "notes.md"),
    ("html", "dossier.html", "dossier.html"),
    ("docx", "dossier.DOCX", "dossier.DOCX"),
    ("csv", "mentions", "mentions.csv"),
])
def test_export_asks_where_and_emits_the_format_and_path(view, qtbot, monkeypatch, tmp_path, fmt, typed, written):
    asked = []

    def save_dialog(parent, caption, suggested, filters, *args, **kwargs):
        asked.append((caption, suggested, filters))
        return str(tmp_path / typed), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    view.export_folder = tmp_path
    with qtbot.waitSignal(view.export_requested, timeout=1000) as blocker:
        view.export_actions[fmt].trigger()
    assert blocker.args == [fmt, tmp_path / written]
    caption, suggested, filters = asked[0]
    assert "李明华" in caption
    assert Path(suggested) == tmp_path / f"李明华{dossier_view.SUFFIXES[fmt]}"
    assert filters.endswith(f"(*{dossier_view.SUFFIXES[fmt]})")


def test_export_offers_every_format_and_cancel_emits_nothing(view, qtbot, monkeypatch):
    assert [a.data() for a in view.export_menu.actions()] == ["pdf", "md", "html", "docx", "csv"]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    with qtbot.assertNotEmitted(view.export_requested):
        assert view.export_as("pdf") is None


# -- keyboard, names, language ----------------------------------------------------------------------
def test_every_part_is_reachable_by_keyboard_and_named(view):
    parts = [view.export_button, view.timeline, view.table, view.companions]
    for widget in parts:
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert widget.accessibleName()
    assert view.sentences_label.buddy() is view.table
    assert view.companions_label.buddy() is view.companions
    chain, widget = [], view.export_button
    for _ in parts:
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
    assert chain == parts


def test_chinese_interface(view, qapp):
    from app.ui.settings.i18n import Translations

    translations = Translations(qapp)
    translations.apply("zh_CN")
    try:
        assert view.type_label.text() == "人名"
        assert view.counts_label.text() == "5 篇文章 · 6 处提及"
        assert view.model.headerData(DATE, Qt.Orientation.Horizontal) == "日期"
        assert view.model.index(5, DATE).data() == "无日期"
        assert view.export_actions["csv"].text() == "提及列表（CSV 表格）…"
    finally:
        translations.apply("en")
    assert view.type_label.text() == "Person"


def test_the_view_draws_with_the_header_and_the_table_apart(view):
    header = view.spellings_label.geometry()
    assert view.splitter.geometry().top() >= header.bottom()
    assert view.table.width() > view.companions.width() > 100
    assert not view.grab().isNull()


def test_a_companion_point_hits_its_row(view):
    rect = view.companions.visualItemRect(view.companions.topLevelItem(1))
    assert view.companions.itemAt(QPoint(rect.center())).text(0) == "张伟"
