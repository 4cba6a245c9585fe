"""The window opens a library lazily (issue #19): the list comes from the article store's heads,
an article's paragraphs are read when it is shown, searched or exported, and a restart with the
same library reads no page file and splits nothing."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

import app.library as library  # noqa: E402
from app.export import ExportOptions  # noqa: E402
from app.store import StoredArticle  # noqa: E402
from app.ui import workers  # noqa: E402
from tests.test_store import write_pages  # noqa: E402
from tests.test_store_lazy import opened  # noqa: E402

pytestmark = pytest.mark.gui


def open_folder(window, qtbot, folder):
    with qtbot.waitSignal(window.loading_finished, timeout=20000):
        window.open_paths([str(folder)], expand_folders=True)


def listed(window):
    return window.panel.model.articles()


def reopened_without_indexing(make_window, qtbot, folder, pages: int, between=None):
    """A window that opens ``pages`` new pages in ``folder`` a second time (the first window split
    them into the store and closed), no indexer child running; ``between()`` runs before it."""
    write_pages(folder, pages)
    for again in (False, True):
        if again and between is not None:
            between()
        window = make_window()
        window.set_indexing(False)  # (no indexer child: the window itself scans and folds)
        open_folder(window, qtbot, folder)
        if not again:
            window.close()
    return window


def test_a_restart_lists_from_the_store_and_reads_only_the_article_shown(make_window, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    write_pages(folder, 6)
    first = make_window()
    open_folder(first, qtbot, folder)
    assert len(listed(first)) == 18
    first.close()

    splits = []
    real = library.parse_source
    monkeypatch.setattr(library, "parse_source", lambda text: splits.append(text.path) or real(text))
    again = make_window()
    open_folder(again, qtbot, folder)
    articles = listed(again)
    assert len(articles) == 18 and splits == []  # nothing split again
    assert all(isinstance(a, StoredArticle) for a in articles)
    shown = again.panel.current_article()
    loaded = [a for a in articles if a.paragraphs_loaded]
    assert loaded == [shown]  # the list needed no paragraph, the reading pane one article's
    assert shown.paragraphs[-1].text in again.reader.toPlainText()

    other = next(a for a in articles if a is not shown)
    assert again.panel.select_article(other.id)
    assert other.paragraphs_loaded and other.paragraphs[0].text in again.reader.toPlainText()


def test_a_lazily_opened_library_is_searched_in_its_text(make_window, qtbot, tmp_path):
    window = reopened_without_indexing(make_window, qtbot, tmp_path / "pages", 4)
    assert all(isinstance(a, StoredArticle) for a in listed(window))
    with qtbot.waitSignal(window.library_search.results_ready, timeout=10000) as got:
        window.search("群众满意度")  # in a body paragraph, never in a headline
    assert got.args[0].result.total == 12


def test_exporting_lazily_opened_articles_writes_their_text_and_lets_it_go(qapp, qtbot, tmp_path):
    _paths, _store, loaded = opened(tmp_path, 3)
    articles = [a for s in loaded for a in s.articles][:4]
    assert not any(a.paragraphs_loaded for a in articles)
    out = tmp_path / "four.txt"
    task = workers.ExportTask(articles, "txt", out, ExportOptions())
    with qtbot.waitSignal(task.signals.finished, timeout=10000):
        workers.start(task)
    text = out.read_text(encoding="utf-8")
    assert all(a.title in text for a in articles)
    assert text.count("群众满意度") == 4
    assert not any(a.paragraphs_loaded for a in articles)  # not kept after the export


def lazily_opened_with_a_person(tmp_path):
    from app.model import EntitySpan

    _paths, store, loaded = opened(tmp_path, 3)
    articles = [a for s in loaded for a in s.articles]
    for a in articles:  # the byline's name, as the recogniser would give it
        full = store.paragraphs(a._origin.key, a.id)
        text = full[0].text
        start = text.index("记者/") + 3
        end = text.index(")", start)
        a.entities = [EntitySpan("PERSON", text[start:end], 0, start, end)]
    assert not any(a.paragraphs_loaded for a in articles)
    return articles


def test_listing_who_mentions_a_name_reads_the_snippets_and_lets_the_text_go(qapp, tmp_path):
    from app.ui.entities.browser import hits_for

    articles = lazily_opened_with_a_person(tmp_path)
    name = articles[0].entities[0].text
    found = [a for a in articles if a.entities[0].text == name]
    hits = hits_for(found, name)
    assert [h.id for h in hits] == [a.id for a in found]
    assert all(name in h.snippet.text for h in hits)
    assert not any(a.paragraphs_loaded for a in articles)


def test_a_dossier_of_lazily_opened_articles_quotes_their_sentences(qapp, tmp_path):
    from app.ui.insight.window_insight import dossier_of

    articles = lazily_opened_with_a_person(tmp_path)
    name = articles[0].entities[0].text
    dossier = dossier_of(articles, "PERSON", name)
    mentions = sum(1 for a in articles if a.entities[0].text == name)
    assert dossier.articles == mentions >= 1
    assert len(dossier.mentions) == mentions
    assert all(m.sentence[m.start:m.end] == name and "记者" in m.sentence for m in dossier.mentions)
    assert not any(a.paragraphs_loaded for a in articles)


def test_the_window_folds_a_lazily_opened_library_in_a_few_queries_and_keeps_no_text(make_window, qtbot, tmp_path,
                                                                                      monkeypatch):
    import app.ui.search.library_search as library_search
    from app.store import ArticleStore

    monkeypatch.setattr(library_search, "WARM_READ", 4)
    one_by_one = []
    real = ArticleStore.paragraphs

    def count_single_reads():
        monkeypatch.setattr(ArticleStore, "paragraphs", lambda self, *a: one_by_one.append(a) or real(self, *a))

    window = reopened_without_indexing(make_window, qtbot, tmp_path / "pages", 5, between=count_single_reads)
    search = window.library_search
    qtbot.waitUntil(lambda: len(search._cache) == 15, timeout=10000)
    search.warm_pool.waitForDone(10000)
    shown = window.panel.current_article()
    assert [a for a in listed(window) if a.paragraphs_loaded] == [shown]  # the reading pane's only
    assert len(one_by_one) <= 1  # (the shown article's; the folding read the rest four at a time)


def test_the_snippets_of_who_mentions_a_name_equal_those_of_the_whole_articles(qapp, tmp_path):
    from app.ui.entities.browser import entity_snippet, hits_for

    articles = lazily_opened_with_a_person(tmp_path)
    name = articles[0].entities[0].text
    found = [a for a in articles if a.entities[0].text == name]
    lazily = [h.snippet for h in hits_for(found, name)]
    assert not any(a.paragraphs_loaded for a in found)
    assert lazily == [entity_snippet(a, name) for a in found]  # (these read each article whole)


def test_a_load_of_many_new_pages_splits_them_in_one_pool_of_processes(qapp, tmp_path, monkeypatch):
    import concurrent.futures

    made = []
    real = concurrent.futures.ProcessPoolExecutor

    class Counted(real):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(workers, "LOAD_STEP", 20)  # three steps of the load
    monkeypatch.setattr(library, "cpu_count", lambda: 2)
    paths = write_pages(tmp_path / "pages", 50)
    task = workers.LoadSourcesTask([str(p) for p in paths])
    got = []
    task.signals.finished.connect(lambda loaded, errors: got.append((loaded, errors)))
    task.run()
    loaded, errors = got[0]
    assert not errors and len(loaded) == 50 and made == [1]
    assert all(isinstance(a, StoredArticle) and not a.paragraphs_loaded for s in loaded for a in s.articles)
    assert loaded[49].articles[0].paragraphs  # split by the pool, kept in the store


def held_update(window):
    """Hold the window's next index update back (its one writer thread waits) until set."""
    import threading

    gate = threading.Event()
    window.library_search.writer_pool.start(lambda: gate.wait(30))
    return gate


def test_a_library_opened_again_unchanged_is_searched_by_its_index_at_once(make_window, qtbot, tmp_path):
    from tests.conftest import INDEX_TIMEOUT

    folder = tmp_path / "pages"
    write_pages(folder, 3)
    first = make_window()
    with qtbot.waitSignal(first.library_search.index_finished, timeout=INDEX_TIMEOUT):
        open_folder(first, qtbot, folder)
    first.close()
    first.library_search.writer_pool.waitForDone(INDEX_TIMEOUT)

    again = make_window()
    gate = held_update(again)  # the update cannot even start: only the index on disk can answer
    open_folder(again, qtbot, folder)
    with qtbot.waitSignal(again.library_search.results_ready, timeout=10000) as got:
        again.search("群众满意度")  # typed as the list shows: it waits for the check, not the child
    assert got.args[0].via_index and got.args[0].result.total == 9
    qtbot.waitUntil(lambda: again.library_search.index_ready, timeout=10000)
    assert again.library_search.indexing
    gate.set()

    write_pages(folder, 1, start=3)  # a new page: the index on disk no longer holds the library
    gate = held_update(again)
    open_folder(again, qtbot, folder)
    qtbot.wait(500)
    assert not again.library_search.index_ready
    with qtbot.waitSignal(again.library_search.index_finished, timeout=INDEX_TIMEOUT):
        gate.set()
    assert again.library_search.index_ready
