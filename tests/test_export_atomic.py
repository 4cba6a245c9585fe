"""All-or-nothing export commits: a failed multi-file replace gives every user file back, and no
worker thread touches the process umask."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import app.export.atomic as atomic
from app.export import ExportError, ExportOptions, export_articles
from app.library import Library
from app.paths import sample_page


@pytest.fixture
def articles():
    return Library().add(sample_page()).articles[:4]


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def fail_replace_of_temp(monkeypatch, which: int) -> list[tuple[str, str]]:
    """``os.replace`` fails (as on Windows for a file open elsewhere) on the ``which``-th move of a
    finished temporary file onto its target; every other call goes through. Returns the calls."""
    real = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src, dst, *args, **kwargs):
        calls.append((str(src), str(dst)))
        if str(src).endswith(atomic.TEMP_SUFFIX) and sum(s.endswith(atomic.TEMP_SUFFIX) for s, _ in calls) == which:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "replace", replace)
    return calls


def test_failed_replace_restores_every_overwritten_file(tmp_path, articles, monkeypatch):
    folder = tmp_path / "out"
    targets = export_articles(articles, "txt", folder, ExportOptions(per_article=True))
    for i, t in enumerate(targets[:-1]):
        t.write_text(f"the user's own file {i}", encoding="utf-8")
    targets[-1].unlink()  # this one is new: it must be gone again afterwards
    before = contents(folder)
    calls = fail_replace_of_temp(monkeypatch, 2)
    with pytest.raises(ExportError, match="Permission denied"):
        export_articles(articles, "txt", folder, ExportOptions(per_article=True, force=True))
    assert sum(s.endswith(atomic.TEMP_SUFFIX) for s, _ in calls) == 2  # the first target was replaced
    assert contents(folder) == before  # every original is back, no temporary or backup file is left


def test_failed_first_replace_and_a_successful_overwrite_leave_only_the_targets(tmp_path, articles, monkeypatch):
    folder = tmp_path / "out"
    targets = export_articles(articles, "txt", folder, ExportOptions(per_article=True))
    for t in targets:
        t.write_text("old", encoding="utf-8")
    fail_replace_of_temp(monkeypatch, 1)
    with pytest.raises(ExportError):
        export_articles(articles, "txt", folder, ExportOptions(per_article=True, force=True))
    assert set(contents(folder).values()) == {"old"} and len(contents(folder)) == len(targets)
    monkeypatch.undo()
    assert export_articles(articles, "txt", folder, ExportOptions(per_article=True, force=True)) == targets
    got = contents(folder)
    assert sorted(got) == sorted(t.name for t in targets) and "old" not in got.values()


def test_without_hard_links_the_originals_are_copied_and_restored(tmp_path, articles, monkeypatch):
    folder = tmp_path / "out"
    targets = export_articles(articles, "txt", folder, ExportOptions(per_article=True))
    for i, t in enumerate(targets):
        t.write_text(f"mine {i}", encoding="utf-8")
    before = contents(folder)

    def no_links(*args, **kwargs):  # FAT, some network shares
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    fail_replace_of_temp(monkeypatch, 3)
    with pytest.raises(ExportError):
        export_articles(articles, "txt", folder, ExportOptions(per_article=True, force=True))
    assert contents(folder) == before


def test_an_export_thread_never_touches_the_umask(tmp_path, articles, monkeypatch):
    import threading

    mask = os.umask(0o022)  # (the test's own thread, before the export: as at start-up)
    os.umask(mask)
    calls = []
    monkeypatch.setattr(atomic.os, "umask", lambda *a: calls.append(a) or 0)
    done = []
    worker = threading.Thread(target=lambda: done.extend(
        export_articles(articles, "txt", tmp_path / "out", ExportOptions(per_article=True))))
    worker.start()
    worker.join(60)
    assert calls == []
    assert len(done) == len(articles)
    if os.name == "posix":
        assert {p.stat().st_mode & 0o777 for p in done} == {0o666 & ~mask}
        assert atomic.UMASK == mask
