"""Issue 8, the window's part: damaged settings, two windows on one data folder, a GUI thread
that keeps ticking while a library loads and indexes. The real figures come from
``python -m tests.benchmarks.bench_window``; these are small and fast."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6")


from app.ui.settings.store import ZOOM_DEFAULT, Settings  # noqa: E402
from conftest import INDEX_TIMEOUT  # noqa: E402

pytestmark = pytest.mark.gui

QUERIES = ["江", "江海", "扬尘", "食品安全", "邓群标", "记者", "经济"]
GUI_GAP_LIMIT_MS = 200  # loose for a shared CI machine; bench_window reports the real figure


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory):
    """About 300 generated articles as page files (seeded)."""
    from tests.benchmarks.bench_window import write_library

    folder = tmp_path_factory.mktemp("pages")
    write_library(folder, 300, seed=8)
    return folder


def _page_files(folder) -> list[str]:
    return sorted(str(p) for p in folder.glob("*.txt"))


def _settings_file(tmp_path) -> "os.PathLike":
    return Path(os.environ["BAOZHI_CONFIG_DIR"]) / "settings.ini"


def _remembered(tmp_path, sources: list[str]) -> bytes:
    """A healthy settings file remembering ``sources`` (and a zoom); returns its bytes."""
    settings = Settings()
    settings.sources = sources
    settings.zoom = 150
    settings.theme = "dark"
    settings.sync()
    return _settings_file(tmp_path).read_bytes()


def _write_later(path, data: bytes) -> None:
    """Write ``data`` as a file changed well after the last one (QSettings keeps what it read of a
    file in memory until the file's size or time changes, as on a real next start)."""
    path.write_bytes(data)
    later = time.time() + 10
    os.utime(path, (later, later))


# -- damaged settings ----------------------------------------------------------------------------

def test_garbage_around_the_settings_keeps_readable_sources(make_window, reports, tmp_path, pages_dir):
    sources = _page_files(pages_dir)[:2]
    data = _remembered(tmp_path, sources)
    rng = random.Random(8)
    garbage = bytes(rng.randrange(256) for _ in range(400))
    _write_later(_settings_file(tmp_path), garbage + b"\n" + data + b"\n" + garbage)

    window = make_window()
    assert window.settings.sources == sources  # the line survived: kept, and nothing to tell
    assert reports == []
    from app.ui.application import initial_sources

    assert initial_sources([], window.settings.sources) == sources


@pytest.mark.parametrize("damage", ["bytes", "json", "type"])
def test_unreadable_sources_are_told_once_and_kept_in_a_copy(make_window, reports, tmp_path, pages_dir, damage):
    sources = _page_files(pages_dir)[:2]
    data = _remembered(tmp_path, sources)
    path = _settings_file(tmp_path)
    if damage == "bytes":  # the list's own bytes overwritten in the middle
        at = data.index(b"sources=") + len(b"sources=") + 6
        data = data[:at] + b"\xff\x00\xfe\x01garbage\x80" + data[at + 12:]
    elif damage == "json":
        data = data.replace(b"sources=", b"sources={not json ")
    else:  # a number where the list belongs
        start = data.index(b"sources=")
        end = data.index(b"\n", start)
        data = data[:start] + b"sources=42" + data[end:]
    _write_later(path, data)

    window = make_window()
    assert window.settings.sources == []
    assert len(reports) == 1, reports  # told once, plainly
    title, message = reports[0]
    assert "sources" in message and "could not be read" in message
    backup = path.with_name("settings.ini.unreadable")
    assert backup.read_bytes() == data  # the old file is kept before anything overwrites it
    assert str(backup) in message

    window.close()  # saves a healthy file
    reports.clear()
    again = make_window()
    assert reports == []  # not told again on the next start
    assert again.settings.problem == ""


def test_wrong_types_in_settings_give_the_defaults(make_window, reports, tmp_path, pages_dir):
    sources = _page_files(pages_dir)[:1]
    path = _settings_file(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[reader]\nzoom=abc\n[view]\ntheme=42\nlanguage=@ByteArray(xx)\n"
        "[window]\ngeometry=not geometry\nsplitter=7\nstate=true\n"
        "[export]\nformat=exe\nper_article=maybe\nmetadata=3\n"
        "[search]\nrecent=\"{}\"\n"
        "[library]\nrecent=42\nlast_article=@ByteArray(\\x01)\n"
        f"sources=\"[\\\"{sources[0]}\\\"]\"\n", encoding="utf-8")

    settings = Settings()
    assert (settings.zoom, settings.theme, settings.language) == (ZOOM_DEFAULT, "system", "system")
    assert settings.geometry.isEmpty() and settings.splitter.isEmpty() and settings.window_state.isEmpty()
    assert (settings.export_format, settings.export_per_article, settings.export_metadata) == ("pdf", False, True)
    assert settings.recent_files == [] and settings.recent_searches == [] and settings.last_article == ""
    assert settings.sources == sources  # the one value that was right is kept

    window = make_window()
    assert window.reader.zoom == ZOOM_DEFAULT
    assert window.theme_actions["system"].isChecked()
    assert reports == []
    window.open_paths(window.settings.sources, run_now=True)
    assert window.panel.model.rowCount() > 0


# -- two windows on one data folder --------------------------------------------------------------

def _fresh_answers(tmp_path, paths: list[str]) -> dict[str, list[str]]:
    from app.library import Library
    from app.search import SearchIndex

    library = Library()
    for p in paths:
        library.add(p)
    with SearchIndex(tmp_path / "fresh") as index:
        index.update(library.sources)
        return {q: sorted(h.id for h in index.search(q, limit=None).hits) for q in QUERIES}


def _window_answers(window, qtbot) -> dict[str, tuple[list[str], bool]]:
    out = {}
    for query in QUERIES:
        # (all its hits: an index lists its first ones at once and then the rest)
        with qtbot.waitSignal(window.library_search.results_ready, timeout=10000,
                              check_params_cb=lambda o, q=query: o.query == q and o.result.pending is None) as blocker:
            window.panel.search.setText(query)
        outcome = blocker.args[0]
        assert outcome.result.total == len(outcome.result.hits)  # well under the list's limit
        out[query] = (sorted(h.id for h in outcome.result.hits), outcome.via_index)
    return out


def _both_update(first, second, qtbot, paths: list[str]) -> list:
    """Open ``paths`` in both windows at once; each window's update outcome (stats or failure text)."""
    done = {first: [], second: []}
    for w in (first, second):
        w.library_search.index_finished.connect(done[w].append)
        w.library_search.index_failed.connect(done[w].append)
    first.open_paths(paths)
    second.open_paths(paths)  # both update the one index at once
    qtbot.waitUntil(lambda: bool(done[first] and done[second]), timeout=4 * INDEX_TIMEOUT)
    return [done[w][0] for w in (first, second)]


def _check_two_windows(first, second, qtbot, tmp_path, paths: list[str], outcomes: list) -> None:
    assert not any(isinstance(s, str) for s in outcomes), outcomes  # no update failed
    assert not any(s.cancelled for s in outcomes)
    assert not any(s.notice and not s.locked for s in outcomes), [s.notice for s in outcomes]
    for w, stats in zip((first, second), outcomes):
        assert w.library_search.index_ready == (not stats.locked)
        if stats.locked:  # told, and searching goes on through the open articles
            assert "Another Baozhi Reader" in w.statusBar().currentMessage()

    expected = _fresh_answers(tmp_path, paths)
    assert any(expected.values())
    for w, stats in zip((first, second), outcomes):
        answers = _window_answers(w, qtbot)
        assert {q: ids for q, (ids, _via) in answers.items()} == expected
        assert all(via == (not stats.locked) for _ids, via in answers.values())

    # nothing corrupted: the shared index, opened afresh, answers like a fresh build and is current
    from app.library import Library
    from app.search import SearchIndex

    library = Library()
    for p in paths:
        library.add(p)
    with SearchIndex(first.library_search.index_dir) as shared:
        assert {q: sorted(h.id for h in shared.search(q, limit=None).hits) for q in QUERIES} == expected
        again = shared.update(library.sources)
        assert not again.locked and not again.notice and again.articles_added == 0


def test_two_windows_updating_one_data_folder(make_window, qtbot, tmp_path, pages_dir):
    """The index exists; both windows then add the same new pages at once: each writes, waits
    for the other or reports ``locked``, and every search still answers like a fresh index."""
    paths = _page_files(pages_dir)
    first, second = make_window(), make_window()
    assert first.library_search.index_dir == second.library_search.index_dir  # the same data folder
    with qtbot.waitSignal(first.library_search.index_finished, timeout=4 * INDEX_TIMEOUT):
        first.open_paths(paths[: len(paths) // 2])
    outcomes = _both_update(first, second, qtbot, paths)
    print(f"\ntwo windows: locked {[s.locked for s in outcomes]}, added {[s.articles_added for s in outcomes]}")
    _check_two_windows(first, second, qtbot, tmp_path, paths, outcomes)


def test_two_windows_building_one_new_index_at_once(make_window, qtbot, tmp_path, pages_dir):
    paths = _page_files(pages_dir)
    first, second = make_window(), make_window()
    outcomes = _both_update(first, second, qtbot, paths)
    _check_two_windows(first, second, qtbot, tmp_path, paths, outcomes)


# -- the scan used while the index builds --------------------------------------------------------

def test_the_scan_keeps_its_folded_texts_when_entities_arrive(pages_dir):
    """Entities arriving re-fold only the person:/place:/org: fields (dropping the whole cached
    text made every keystroke during indexing fold the library again: seconds at 10,000 articles)."""
    from app.library import Library
    from app.model import EntitySpan
    from app.search.scan import scan_articles

    library = Library()
    library.add(_page_files(pages_dir)[0])
    articles = library.articles
    cache: dict = {}
    assert scan_articles(articles, "person:张三丰", cache=cache).total == 0
    folded = dict(cache)
    target = articles[1]
    target.entities = [*target.entities, EntitySpan("PERSON", "张三丰", 0, 0, 3)]
    result = scan_articles(articles, "person:张三丰", cache=cache)
    assert [h.id for h in result.hits] == [target.id]
    assert all(cache[k] is v for k, v in folded.items())  # the same folded texts, reused
