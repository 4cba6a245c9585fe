"""The article list model, its sort/filter proxy and the reading document (no main window)."""

from __future__ import annotations

import functools

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QCollator, QLocale, Qt  # noqa: E402

from app.library import Library  # noqa: E402
from app.model import Article, Paragraph  # noqa: E402
from app.paths import sample_page  # noqa: E402
from app.ui.article_list.model import ARTICLE_ROLE, ID_ROLE, IS_RELATED_ROLE, SNIPPET_ROLE, ArticleListModel, any_related  # noqa: E402
from app.ui.article_list.proxy import ArticleProxyModel  # noqa: E402
from app.ui.reading.reader import ReadingContext, build_document  # noqa: E402
from app.ui.settings.theme import LIGHT  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture()
def sample_articles() -> list[Article]:
    library = Library()
    library.add(sample_page())
    return library.articles


def _art(title, ordinal, date=None, related_to=None, body="正文。"):
    a = Article(title=title, paragraphs=[Paragraph(body)], date=date, ordinal=ordinal, related_to=related_to,
                source="/tmp/p.txt")
    a.assign_id("k")
    return a


@pytest.fixture()
def models(qapp):
    parent = _art("张家港新闻", 0, "2024-10-31")
    related = _art("阿里相关报道", 1, None, related_to=parent.id)
    early = _art("北京早报", 2, "2024-10-01")
    late = _art("安徽晚报", 3, "2024-11-05")
    model = ArticleListModel()
    model.set_articles([parent, related, early, late])
    proxy = ArticleProxyModel()
    proxy.setSourceModel(model)
    return model, proxy, (parent, related, early, late)


def test_list_model_and_proxy_pass_qtmodeltester(qtmodeltester, sample_articles):
    model = ArticleListModel()
    model.set_articles(sample_articles)
    qtmodeltester.check(model)
    proxy = ArticleProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    assert model.rowCount() == len(sample_articles)
    first = model.index(0, 0)
    assert first.data() == sample_articles[0].title
    assert first.data(ARTICLE_ROLE) is sample_articles[0]
    assert first.data(ID_ROLE) == sample_articles[0].id


def test_same_article_twice_is_listed_once(qapp, sample_articles):
    model = ArticleListModel()
    model.set_articles(sample_articles + sample_articles)
    assert model.rowCount() == len(sample_articles)


def test_sort_modes_keep_related_after_parent(models):
    model, proxy, (parent, related, early, late) = models
    assert proxy.sorted_titles() == [parent.title, related.title, early.title, late.title]
    proxy.set_sort_mode("date")
    assert proxy.sorted_titles() == [early.title, parent.title, related.title, late.title]
    proxy.set_sort_mode("title")
    collator = QCollator(QLocale("zh_CN"))
    heads = sorted([parent.title, early.title, late.title], key=functools.cmp_to_key(collator.compare))
    expected = []
    for title in heads:
        expected.append(title)
        if title == parent.title:
            expected.append(related.title)
    assert proxy.sorted_titles() == expected
    assert expected[0] == "安徽晚报"  # pinyin order, not code point order
    proxy.set_sort_mode("page")
    assert proxy.sorted_titles() == [parent.title, related.title, early.title, late.title]


def test_filter_matches_title_and_body(models):
    model, proxy, (parent, related, early, late) = models
    proxy.set_filter_text("晚报")
    assert proxy.sorted_titles() == [late.title]
    proxy.set_filter_text("正文")
    assert proxy.rowCount() == 4
    proxy.set_filter_text("不存在的词")
    assert proxy.rowCount() == 0
    proxy.set_filter_text("")
    assert proxy.rowCount() == 4


def test_results_and_sorts_keep_the_model_valid_and_the_selection_on_its_articles(qtmodeltester, models):
    """Switching between hits, sorts and the full list is a layout change the tester watches:
    persistent indexes (the view's current row and selection) follow their articles, and an
    article that leaves the list leaves the selection."""
    from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex

    from app.model import SearchHit

    model, proxy, (parent, related, early, late) = models
    qtmodeltester.check(proxy)
    selection = QItemSelectionModel(proxy)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows

    def row(article):
        return proxy.mapFromSource(model.index(model.row_of(article.id), 0)).row()

    selection.select(proxy.index(row(early), 0), flags)
    selection.select(proxy.index(row(late), 0), flags)
    current = QPersistentModelIndex(proxy.index(row(late), 0))

    def selected():
        return sorted(i.data() for i in selection.selectedRows())

    hits = [SearchHit(id=a.id, ordinal=a.ordinal, source=a.source, title=a.title, score=1.0, snippet="s")
            for a in (late, parent)]
    proxy.set_results(hits)
    assert proxy.sorted_titles() == [late.title, parent.title]  # rank order, related one hidden
    assert current.data() == late.title and current.row() == 0
    assert selected() == [late.title]  # 北京早报 is not a hit: no longer selected
    assert proxy.index(1, 0).data(SNIPPET_ROLE) == "s"
    assert proxy.index(0, 0).data(IS_RELATED_ROLE) is False
    proxy.set_sort_mode("title")  # the hits keep their rank order
    assert proxy.sorted_titles() == [late.title, parent.title]
    proxy.clear_results()
    assert proxy.rowCount() == 4 and current.data() == late.title
    assert current.row() == proxy.sorted_titles().index(late.title)
    assert proxy.index(0, 0).data(SNIPPET_ROLE) is None
    proxy.set_results([])
    assert proxy.rowCount() == 0 and not current.isValid()
    model.set_articles([late, early])  # a reload while hits are shown: the hits are re-found
    assert proxy.rowCount() == 0
    proxy.clear_results()
    assert proxy.sorted_titles() == [late.title, early.title]  # by title: 安 before 北


def test_laying_out_a_long_list_calls_no_python_per_row(qapp):
    """A list view makes an index of every row at each layout, and an index asks the row count:
    the proxy's count is Qt's own, so 20,000 rows laid out cost no call into Python per row (each
    such call waits for the interpreter while a background thread holds it). The current row and
    the selection still follow their articles as the hits shrink the list and the whole list
    comes back."""
    import sys

    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QListView

    from app.model import SearchHit

    articles = [_art(f"标题{i:05d}", i) for i in range(20000)]
    model = ArticleListModel()
    model.set_articles(articles)
    proxy = ArticleProxyModel()
    proxy.setSourceModel(model)
    view = QListView()
    view.setUniformItemSizes(True)
    view.setModel(proxy)
    view.resize(300, 400)
    view.show()
    qapp.processEvents()
    target = articles[15000]
    view.setCurrentIndex(proxy.index(15000, 0))
    hits = [SearchHit(id=a.id, ordinal=a.ordinal, source=a.source, title=a.title, score=1.0, snippet="s")
            for a in (articles[3], target)]

    calls = []

    def count(frame, event, _arg):
        if event == "call":
            calls.append(frame.f_code.co_name)

    def layout_calls(change) -> int:
        calls.clear()
        change()
        sys.setprofile(count)
        try:
            view.doItemsLayout()  # what the view does on the next pass, done now
            qapp.processEvents()
        finally:
            sys.setprofile(None)
        return len(calls)

    per_row = len(articles) // 10  # (painting the visible rows calls Python: that is per row shown)
    assert layout_calls(lambda: proxy.set_results(hits)) < per_row
    assert proxy.rowCount() == 2 and view.currentIndex().row() == 1
    assert view.currentIndex().data(ARTICLE_ROLE) is target
    assert layout_calls(proxy.clear_results) < per_row  # 20,000 rows again
    assert proxy.rowCount() == 20000 and view.currentIndex().row() == 15000
    assert view.currentIndex().data(ARTICLE_ROLE) is target
    assert view.selectionModel().isSelected(proxy.index(15000, 0))
    view.selectionModel().select(proxy.index(19999, 0), QItemSelectionModel.SelectionFlag.Select)
    proxy.set_results(hits[:1])  # the selected last row and the current one leave the list
    assert proxy.rowCount() == 1 and not view.selectionModel().selectedIndexes()
    assert not proxy.flags(proxy.index(0, 0)) & Qt.ItemFlag.ItemIsEditable  # a list, not a string editor


def test_document_shows_markup_literally_and_sets_paragraph_kinds(qapp):
    article = Article(
        title="<b>标题</b>",
        subtitle="副题 & 说明",
        kicker="引题",
        authors=["陈婵"],
        date="10-31",
        source="/tmp/页面.txt",
        paragraphs=[
            Paragraph("正文<script>alert('x')</script>，第一段。"),
            Paragraph("小标题", "subhead"),
            Paragraph("图片说明", "caption"),
            Paragraph("(陈晖 区市监)", "byline"),
        ],
    )
    article.assign_id("k")
    doc = build_document(article, ReadingContext(), LIGHT, None)
    text = doc.toPlainText()
    assert "<b>标题</b>" in text
    assert "正文<script>alert('x')</script>，第一段。" in text
    assert "副题 & 说明" in text and "页面.txt" in text and "10-31" in text
    body = doc.find("正文<script>").block()
    assert body.blockFormat().textIndent() > 0  # the two-character first-line indent
    assert body.blockFormat().lineHeight() > 100
    byline = doc.find("(陈晖 区市监)").block()
    from PySide6.QtCore import Qt

    assert byline.blockFormat().alignment() & Qt.AlignmentFlag.AlignRight
    subhead = doc.find("小标题")
    assert subhead.charFormat().fontWeight() >= 700


# -- sorting a large library off the GUI thread -----------------------------------------------------
DATE_ORDER = ["北京早报", "张家港新闻", "阿里相关报道", "安徽晚报"]
PAGE_ORDER = ["张家港新闻", "阿里相关报道", "北京早报", "安徽晚报"]


def test_a_large_librarys_sort_is_made_in_the_background_then_cached(qtbot, models, monkeypatch):
    import threading

    from PySide6.QtCore import QPersistentModelIndex

    from app.ui.article_list import proxy as article_proxy
    from app.ui.article_list import sort as article_sort

    monkeypatch.setattr(article_proxy, "BACKGROUND_SORT_ROWS", 0)  # the tiny library counts as large
    threads = []
    real = article_sort.sort_order

    def sorting(*args):
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(article_sort, "sort_order", sorting)  # what background_sort calls
    model, proxy, (_parent, _related, early, late) = models
    current = QPersistentModelIndex(proxy.index(PAGE_ORDER.index(late.title), 0))
    with qtbot.waitSignal(proxy.sorting_changed, timeout=5000) as busy:
        proxy.set_sort_mode("date")
        assert proxy.sort_mode == "date" and proxy.sorting
        assert proxy.sorted_titles() == PAGE_ORDER  # the list keeps its order meanwhile
    assert busy.args == [True]
    qtbot.waitUntil(lambda: proxy.sorted_titles() == DATE_ORDER, timeout=5000)
    assert proxy.shown_sort_mode == "date"
    assert current.data() == late.title and current.row() == DATE_ORDER.index(late.title)  # it follows
    qtbot.waitUntil(lambda: not proxy.sorting, timeout=5000)
    assert threads and all(t is not threading.main_thread() for t in threads)

    proxy.set_sort_mode("page")  # with a related article page order is a sort too
    qtbot.waitUntil(lambda: proxy.sorted_titles() == PAGE_ORDER, timeout=5000)
    made = len(threads)
    proxy.set_sort_mode("date")  # made already: at once, nothing sorted again
    assert proxy.sorted_titles() == DATE_ORDER and not proxy.sorting and len(threads) == made
    proxy.set_sort_mode("page")
    assert proxy.sorted_titles() == PAGE_ORDER and len(threads) == made

    model.set_articles([late, early])  # other content: the cached orders are of no use
    proxy.set_sort_mode("date")
    qtbot.waitUntil(lambda: proxy.sorted_titles() == [early.title, late.title], timeout=5000)
    assert len(threads) > made


def test_a_sort_result_for_an_older_mode_or_content_is_not_shown(qtbot, models, monkeypatch):
    import threading

    from app.ui.article_list import proxy as article_proxy

    monkeypatch.setattr(article_proxy, "BACKGROUND_SORT_ROWS", 0)
    gate = threading.Event()
    real = article_proxy.background_sort

    def held(articles, rows, mode, still_wanted):
        found = real(articles, rows, mode, lambda: True)  # made as if wanted, then held back
        gate.wait(5)
        return found

    monkeypatch.setattr(article_proxy, "background_sort", held)
    model, proxy, (parent, related, early, late) = models
    shown = []
    proxy.layoutChanged.connect(lambda: shown.append(proxy.sorted_titles()))
    proxy.set_sort_mode("date")
    proxy.set_sort_mode("title")  # before the date order arrives
    gate.set()
    qtbot.waitUntil(lambda: not proxy.sorting, timeout=5000)
    collator = QCollator(QLocale("zh_CN"))
    heads = sorted([parent.title, early.title, late.title], key=functools.cmp_to_key(collator.compare))
    title_order = [t for h in heads for t in ([h, related.title] if h == parent.title else [h])]
    assert shown == [title_order]  # the date order was never shown
    assert proxy.shown_sort_mode == "title"
    proxy.set_sort_mode("date")  # but it was kept: shown at once
    assert proxy.sorted_titles() == DATE_ORDER

    gate.clear()
    shown.clear()
    model.set_articles([late, early, parent, related])  # sorted by date for this content ...
    model.set_articles([late, early])  # ... which changes again before that order arrives
    gate.set()
    qtbot.waitUntil(lambda: not proxy.sorting, timeout=5000)
    qtbot.wait(20)
    assert proxy.sorted_titles() == [early.title, late.title]  # by date, the content as it is now
    assert shown and all(len(titles) == 2 for titles in shown)  # the older content's order never came up


def test_select_all_selects_every_row_and_selected_articles_come_in_list_order(qtbot, sample_articles):
    from PySide6.QtCore import Qt

    from app.ui.article_list.panel import ArticlePanel

    panel = ArticlePanel()
    qtbot.addWidget(panel)
    panel.set_articles(sample_articles)
    panel.select_first()
    qtbot.keyClick(panel.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    listed = [panel.proxy.index(r, 0).data(ID_ROLE) for r in range(panel.proxy.rowCount())]
    assert [a.id for a in panel.selected_articles()] == listed and len(listed) == len(sample_articles)
    panel.proxy.set_sort_mode("title")  # the selection follows its articles; the order is the list's
    assert [a.title for a in panel.selected_articles()] == panel.proxy.sorted_titles()
    panel.view.selectionModel().clear()
    assert panel.selected_articles() == []


def test_whether_any_article_belongs_under_another_is_read_from_the_models_related_ids():
    """The proxy learns it at the step that replaces the list, from the parent id -> related ids
    the model built in its earlier steps (no pass over 100k articles there): an article that
    names itself as its parent does not count."""
    assert not any_related({})
    assert not any_related({"a": ["a"], "b": ["b"]})
    assert any_related({"a": ["a"], "b": ["b", "c"]})
