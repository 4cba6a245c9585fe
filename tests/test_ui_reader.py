"""The reading pane on its own: how it lays out a new article and draws its marks."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QObject  # noqa: E402

from app.model import Article, EntitySpan, Paragraph  # noqa: E402
from app.ui.reading import fonts  # noqa: E402
from app.ui.reading.reader import ReaderView  # noqa: E402
from app.ui.settings import theme  # noqa: E402

pytestmark = pytest.mark.gui

# made-up text: a long article (the pane must scroll) whose paragraphs name a person and a place
PARAGRAPH = "本报讯(记者/林晓东)11月5日,石湾镇举行秋季文化节,镇里的志愿者在广场上为居民讲解防火知识。"


def long_article(title: str, kicker: str | None = None, page: str | None = None) -> Article:
    paragraphs = [Paragraph(PARAGRAPH) for _ in range(40)]
    entities = [span for number in range(40) for span in (
        EntitySpan("PERSON", "林晓东", number, 7, 10), EntitySpan("PLACE", "石湾镇", number, 17, 20))]
    return Article(title=title, kicker=kicker, page=page, paragraphs=paragraphs, entities=entities,
                   source="made-up.txt")


class Resizes(QObject):
    def __init__(self):
        super().__init__()
        self.seen: list[tuple[int, int]] = []

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.seen.append((event.oldSize().width(), event.size().width()))
        return False


@pytest.fixture()
def reader(qtbot):
    view = ReaderView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.configure(theme.colors(False), fonts.reading_family(), 100)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_long_article_after_another_is_laid_out_once_at_the_width_it_is_read_at(reader):
    reader.set_search_terms(["石湾镇"])
    reader.show_article(long_article("第一篇"))
    assert reader.verticalScrollBar().isVisible()
    resizes = Resizes()
    reader.viewport().installEventFilter(resizes)
    heights: list[float] = []
    reader.document().documentLayout().documentSizeChanged.connect(lambda size: heights.append(size.height()))

    reader.show_article(long_article("第二篇"))

    # the document was never laid out empty or half-built: the scroll bar stayed, the text kept
    # its width (each change of width had laid the whole article out again)
    assert resizes.seen == []
    assert reader.verticalScrollBar().isVisible()
    assert heights and min(heights) > reader.viewport().height()
    assert "第二篇" in reader.toPlainText() and "第一篇" not in reader.toPlainText()


def test_a_new_article_keeps_nothing_of_the_first_line_of_the_last_one(reader):
    reader.show_article(long_article("有眉题的一篇", kicker="眉题"))
    assert reader.line_at(0) == "kicker"

    reader.show_article(long_article("有版面的一篇", page="A03"))

    first = reader.document().begin()
    assert "A03" in first.text()
    assert reader.line_at(0) is None  # the page's header is no line of the article
    assert reader.position_of_line("kicker") is None
    assert reader.line_at(reader.position_of_line("title")) == "title"


def test_a_new_article_opens_at_its_first_hit_drawn_as_the_current_one(reader, qtbot):
    reader.set_search_terms(["石湾镇"])
    counters: list[tuple[int, int]] = []
    reader.hits_changed.connect(lambda current, total: counters.append((current, total)))

    reader.show_article(long_article("第三篇"))

    assert len(reader.hits) == 40 and reader.current_hit == 0
    assert counters and counters[-1] == (1, 40)
    assert all(current == 1 for current, _ in counters)  # never said "no hit is current" on the way
    selections = reader.extraSelections()
    assert [s.cursor.selectedText() for s in selections] == ["石湾镇"] * 40
    colors = [s.format.background().color().name() for s in selections]
    assert colors[0] != colors[1] and len(set(colors[1:])) == 1
    # the entities are drawn in the text itself, one tint per type
    marks = reader.entity_marks
    assert len(marks) == 80
    doc_text = reader.toPlainText()
    assert {doc_text[s:e] for _, s, e in marks} == {"林晓东", "石湾镇"}


def test_the_formats_of_related_articles_links_do_not_pile_up_while_reading(reader):
    """The document keeps every format it is given, and each related article's link is one of its
    own (its address and tooltip); emptied without clearing, the pane gathered one per link ever
    shown (616 after 600 articles)."""
    from app.ui.reading.reader import ReadingContext

    def article(n: int) -> Article:
        item = long_article(f"第{n}篇")
        item.id = f"article-{n}"
        return item

    counts = []
    for n in range(600):
        reader.show_article(article(n), ReadingContext(related=[article(10_000 + n)]))
        counts.append(len(reader.document().allFormats()))
    assert max(counts) < 250  # (cleared every RENDERS_PER_CLEAR = 200 articles)
    assert "第599篇" in reader.toPlainText() and reader.position_of_line("title") is not None
