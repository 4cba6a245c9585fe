"""A watched folder: new and changed page files are picked up while the window is open.

:class:`FolderWatch` looks at a folder (and, when asked, its subfolders) whenever a
``QFileSystemWatcher`` says something changed there, debounced, and every few seconds anyway (a
watcher on every subfolder is costly and not every file system reports changes). Each look
stats the page files; a file is *ready* when its size and modification time are the same at two
looks in a row and differ from what was last reported — so a file still being copied in (its
size or time still moving) is not read until it is complete. ``files_ready(paths)`` names the
new or changed files, ``files_gone(paths)`` the ones that disappeared; the window opens the
first through its one opening path and closes the second (their marks stay, orphaned, and
reattach when the file returns).

Files present when the watch starts and already open in the library are the baseline; the
others are new.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QThreadPool, QTimer, Signal

translate = QCoreApplication.translate  # lupdate reads translate("MainWindow", "…") calls

PAGE_SUFFIXES = (".txt", ".text")
DEBOUNCE_MS = 700  # after a change is reported: the next look (and the one confirming a file is stable)
SCAN_MS = 3000  # a look every few seconds anyway: subfolders, and file systems that report nothing
MAX_WATCHED_DIRS = 200  # folders given to QFileSystemWatcher; deeper ones are found by the periodic look

Stat = tuple[int, int]  # (size, modification time in ns)


def page_files(folder: Path, subfolders: bool) -> dict[str, Stat]:
    """The page files under ``folder`` (in subfolders too when asked) with their size and time.
    Hidden files and folders (a copy in progress is often ``.name.part``) are left out."""
    found: dict[str, Stat] = {}
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if subfolders:
                        stack.append(Path(entry.path))
                elif entry.is_file() and entry.name.lower().endswith(PAGE_SUFFIXES):
                    st = entry.stat()
                    found[os.path.abspath(entry.path)] = (st.st_size, st.st_mtime_ns)
            except OSError:
                continue  # gone between listing and looking
    return found


def folders_under(folder: Path, subfolders: bool, limit: int = MAX_WATCHED_DIRS) -> list[str]:
    """``folder`` and, when asked, its subfolders (breadth first, at most ``limit``)."""
    out = [str(folder)]
    if not subfolders:
        return out
    queue = [folder]
    while queue and len(out) < limit:
        current = queue.pop(0)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            out.append(entry.path)
            queue.append(Path(entry.path))
            if len(out) >= limit:
                break
    return out


class FolderWatch(QObject):
    """Watches one folder; ``files_ready(list[str])`` and ``files_gone(list[str])`` (absolute paths)."""

    files_ready = Signal(list)
    files_gone = Signal(list)

    def __init__(self, parent=None, debounce_ms: int = DEBOUNCE_MS, scan_ms: int = SCAN_MS):
        super().__init__(parent)
        self.folder: Path | None = None
        self.subfolders = True
        self._known: dict[str, Stat] = {}  # reported (or baseline) files and their stat then
        self._seen: dict[str, Stat] = {}  # files that differ from _known, as the last look saw them
        self._watcher: QFileSystemWatcher | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.look_in_background)
        self._scan = QTimer(self)
        self._scan.setInterval(scan_ms)
        self._scan.timeout.connect(self.look_in_background)
        # the stat calls run in a worker: a folder of 10,000 pages took ~30 ms of the GUI thread
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0  # a new folder (or none) makes a look under way stale
        self._looking: dict[QObject, object] = {}
        self._again = False  # asked to look while a look was under way
        self._baseline: set[str] | None = None  # the known paths, until the first listing

    @property
    def active(self) -> bool:
        return self.folder is not None

    def start(self, folder: str | Path, subfolders: bool = True, known: Iterable[str] = (),
              background: bool = False) -> None:
        """Watch ``folder``. Files in it already open (``known`` paths) are the baseline; the first
        look reports the others once they are stable. With ``background`` the folder is first
        listed in the worker thread (the window), else here (tests)."""
        self.stop()
        self._generation += 1
        self.folder = Path(folder).resolve()
        self.subfolders = subfolders
        self._baseline = {os.path.abspath(p) for p in known}
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._changed)
        self._watcher.fileChanged.connect(self._changed)
        self._scan.start()
        if background:
            self.look_in_background()
        else:
            self._take_baseline(page_files(self.folder, subfolders))

    def _take_baseline(self, now: dict[str, Stat]) -> None:
        known, self._baseline = self._baseline, None
        self._known = {p: st for p, st in now.items() if p in known}
        self._seen = {p: st for p, st in now.items() if p not in known}
        self._watch_dirs()
        if self._seen:
            self._debounce.start()

    def stop(self) -> None:
        self._generation += 1
        self._debounce.stop()
        self._scan.stop()
        if self._watcher is not None:
            self._watcher.deleteLater()
            self._watcher = None
        self.folder = None
        self._known, self._seen = {}, {}

    def forget(self, paths: Iterable[str]) -> None:
        """``paths`` were closed in the window: seen again, they count as new."""
        for p in paths:
            self._known.pop(os.path.abspath(p), None)

    def _watch_dirs(self) -> None:
        if self._watcher is None or self.folder is None:
            return
        wanted = set(folders_under(self.folder, self.subfolders))
        have = set(self._watcher.directories())
        if have - wanted:
            self._watcher.removePaths(sorted(have - wanted))
        if wanted - have:
            self._watcher.addPaths(sorted(wanted - have))

    def _changed(self, _path: str) -> None:
        self._debounce.start()  # restarted by every change: one look after a burst of them

    def look_in_background(self) -> None:
        """:meth:`look`, the folder's files listed and stat'ed in a worker thread."""
        if self.folder is None:
            return
        if self._looking:
            self._again = True
            return
        from app.ui import workers

        folder, subfolders = self.folder, self.subfolders
        task = workers.CallTask(self._generation, lambda: page_files(folder, subfolders))
        self._looking[task.signals] = task
        task.signals.finished.connect(self._on_listed)
        task.signals.failed.connect(self._on_list_failed)
        self._pool.start(task)

    def _on_listed(self, now: dict) -> None:
        task = self._looking.pop(self.sender(), None)
        if task is not None and task.generation == self._generation and self.folder is not None:
            if self._baseline is not None:
                self._take_baseline(now)
            else:
                self.compare(now)
        if self._again:
            self._again = False
            self._debounce.start()

    def _on_list_failed(self, _message: str) -> None:
        self._looking.pop(self.sender(), None)  # logged by the task; the next look tries again

    def wait(self, ms: int = 10000) -> bool:
        return self._pool.waitForDone(ms)

    def look(self) -> tuple[list[str], list[str]]:
        """Stat the folder now (on this thread): see :meth:`compare`."""
        if self.folder is None:
            return [], []
        now = page_files(self.folder, self.subfolders)
        if self._baseline is not None:
            self._take_baseline(now)
            return [], []
        return self.compare(now)

    def compare(self, now: dict[str, Stat]) -> tuple[list[str], list[str]]:
        """Given the folder's files as they are ``now``: report stable new or changed files and
        vanished ones; look again soon while some file is still settling. Returns (ready, gone)."""
        gone = sorted(p for p in self._known if p not in now)
        for p in gone:
            del self._known[p]
        ready: list[str] = []
        settling: dict[str, Stat] = {}
        for path, st in now.items():
            if self._known.get(path) == st:
                continue
            if self._seen.get(path) == st:  # the same at two looks in a row: complete
                ready.append(path)
                self._known[path] = st
            else:
                settling[path] = st
        self._seen = settling
        if self.subfolders and (gone or ready or settling):
            self._watch_dirs()  # new subfolders
        if settling:
            self._debounce.start()
        if gone:
            self.files_gone.emit(gone)
        if ready:
            self.files_ready.emit(sorted(ready))
        return sorted(ready), gone




class WindowWatch(QObject):
    """The window's watched folder: File ▸ Watch Folder…, the setting remembered, new and changed
    files opened through the window's one opening path and announced ("3 new articles"),
    vanished files closed."""

    def __init__(self, window, debounce_ms: int = DEBOUNCE_MS, scan_ms: int = SCAN_MS):
        super().__init__(window)
        self.window = window
        self.watch = FolderWatch(self, debounce_ms, scan_ms)
        self.watch.files_ready.connect(self.open_ready)
        self.watch.files_gone.connect(self.close_gone)
        self._before: set[str] | None = None  # the article ids listed before a watched load
        self._opening: list[str] = []  # the paths of that load
        window.loading_finished.connect(self._announce)

    def restore(self) -> None:
        """Watch the remembered folder (if it is still there) once the first sources are in."""
        folder = self.window.settings.watch_folder
        if folder and Path(folder).is_dir():
            self.start(folder, self.window.settings.watch_subfolders, remember=False)

    def choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = self.window.settings.watch_folder or self.window._last_dir()
        folder = QFileDialog.getExistingDirectory(self.window, translate("MainWindow", "Watch a Folder of Pages"), start)
        if folder:
            self.start(folder, self.window.settings.watch_subfolders)

    def start(self, folder: str, subfolders: bool, remember: bool = True) -> None:
        open_paths = [s.source.path for s in self.window.sources] + list(self.window.settings.sources)
        self.watch.start(folder, subfolders, known=open_paths, background=True)
        if remember and self.window._remember:
            self.window.settings.watch_folder = str(self.watch.folder)
            self.window.settings.watch_subfolders = subfolders
        self.window.statusBar().showMessage(
            translate("MainWindow", "Watching {folder} for new pages").format(folder=self.watch.folder), 5000)
        self.window.update_watch_actions()

    def set_subfolders(self, subfolders: bool) -> None:
        if self.window._remember:
            self.window.settings.watch_subfolders = subfolders
        if self.watch.folder is not None:
            self.start(str(self.watch.folder), subfolders)

    def stop(self) -> None:
        self.watch.stop()
        if self.window._remember:
            self.window.settings.watch_folder = ""
        self.window.statusBar().showMessage(translate("MainWindow", "Stopped watching the folder"), 5000)
        self.window.update_watch_actions()

    def open_ready(self, paths: list[str]) -> None:
        if self._before is None:
            self._before = set(a.id for a in self.window.panel.model.articles())
        self._opening.extend(paths)
        self.window.open_paths(paths)

    def close_gone(self, paths: list[str]) -> None:
        n = self.window.close_sources(paths)
        if n:
            text = (translate("MainWindow", "A watched file was removed; its article left the list") if len(paths) == 1
                    else translate("MainWindow", "{n} watched files were removed; their articles left the list").format(n=len(paths)))
            self.window.statusBar().showMessage(text, 8000)

    def _announce(self) -> None:
        if self._before is None:
            return
        opened = set(self._opening)
        new = sum(1 for s in self.window.sources if s.source.path in opened
                  for a in s.articles if a.id not in self._before)
        listed = {s.source.path for s in self.window.sources}
        if self.window._tasks and any(p not in listed for p in opened):
            return  # that load is not taken in yet (another one finished first)
        self._before, self._opening = None, []
        if new:  # (a changed file with the same articles is read again quietly)
            text = (translate("MainWindow", "1 new article") if new == 1
                    else translate("MainWindow", "{n} new articles").format(n=new))
            self.window.statusBar().showMessage(text, 10000)
        self.window.show_new_arrivals(new)
