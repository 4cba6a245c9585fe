"""Starting the window: ``run()`` is what ``baozhi [SOURCE ...]`` and ``--screenshot`` call."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from app.paths import resource, sample_page

SCREENSHOT_SIZE = (1280, 800)
log = logging.getLogger("baozhi.ui")


def initial_sources(cli_sources: list[str], remembered: list[str]) -> list[str]:
    """The command line's sources, else the remembered ones that still exist, else the sample."""
    if cli_sources:
        return list(cli_sources)
    existing = [p for p in remembered if Path(p).exists()]
    return existing or [str(sample_page())]


def missing_sources(cli_sources: list[str], remembered: list[str]) -> list[str]:
    """The remembered sources that are gone, when the remembered library is what opens: the window
    lists them (to locate or remove) and keeps them in the settings, never drops them silently."""
    return [] if cli_sources else [p for p in remembered if not Path(p).exists()]


def create_application(argv: list[str] | None = None):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.ui import process

    app = QApplication.instance() or QApplication(argv if argv is not None else [sys.argv[0]])
    process.apply_at_start_up()  # the switch interval: the process-wide settings are made there
    app.setApplicationName("Baozhi Reader")
    app.setOrganizationName("BaozhiReader")
    app.setApplicationDisplayName("报纸阅读器 Baozhi Reader")
    from app.ui.reading import fonts

    app.setFont(fonts.ui_font(app.font().pointSizeF()))
    if not fonts.has_chinese_font():
        log.warning(fonts.FONT_HELP)
    icon = resource("icons/baozhi.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def create_window(settings, translations, screenshot: bool = False, index_dir: Path | None = None):
    from app.ui import process
    from app.ui.main_window import MainWindow

    window = MainWindow(settings, translations, index_dir=index_dir)
    window.set_remember(not screenshot)
    window.set_indexing(not screenshot)  # a screenshot searches the open articles, writing nothing
    # the modules, widgets and settings made so far live as long as the program: out of the cyclic
    # collector's reach, so a full collection while a library loads does not walk them (136 ms
    # at 10k articles, measured, with the GUI thread waiting; see app.ui.process)
    process.keep_out_of_gc()
    return window


def run(sources: list[str], screenshot: Path | None = None, index_dir: Path | None = None) -> int:
    """Open the window (or render it to ``screenshot`` and exit); returns the exit status.

    ``index_dir`` is where the window keeps the search index (default: :func:`app.paths.default_index_dir`).
    """
    if screenshot is not None and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    logging.basicConfig(level=logging.INFO, format="baozhi: %(message)s")

    from app.ui.errors import install_excepthook
    from app.ui.settings.i18n import Translations
    from app.ui.settings.store import Settings

    if screenshot is None:  # a screenshot run writes nothing but its picture
        from app.ui import log_file

        log_file.install()
    app = create_application()
    install_excepthook()
    settings = Settings()
    translations = Translations(app)
    translations.apply(settings.language)
    window = create_window(settings, translations, screenshot=screenshot is not None, index_dir=index_dir)
    paths = initial_sources(list(sources), settings.sources)
    window.set_missing_sources(missing_sources(list(sources), settings.sources))

    if screenshot is not None:
        code = _screenshot(app, window, paths, Path(screenshot))
    else:
        window.show()
        window.open_paths(paths, expand_folders=True)  # a folder given stands for its pages
        if os.environ.get("BAOZHI_QUIT_WHEN_SHOWN"):  # start-up benchmark: leave once the window is up
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, app.quit)
        if os.environ.get("BAOZHI_QUIT_WHEN"):  # the restart benchmark (tests/benchmarks/bench_window.py)
            _quit_when(app, window, os.environ["BAOZHI_QUIT_WHEN"])
        code = app.exec()
    # However the event loop ended (window closed, app.quit, a signal, a screenshot taken), stop
    # background work before Python tears the objects down: nothing may emit into a deleted
    # window (a screenshot run's name count or search still running printed a traceback).
    window.close()
    _wait_for_background_work(window)
    return code


def _quit_when(app, window, moment: str) -> None:
    """Say on stderr when the list shows the library (``listed``), when a search typed then has its
    results (``searched``) or when the index and entities are in (``indexed``), with the wall
    clock and this process's peak memory, and leave."""
    import time

    def report(what: str) -> None:
        rss = _peak_rss_mb()
        rows = window.panel.model.rowCount()
        print(f"baozhi-bench: {what} {rows} articles at {time.time():.3f} peak_rss_mb {rss:.1f}", file=sys.stderr,
              flush=True)
        app.quit()

    if moment == "indexed":
        window.library_search.index_finished.connect(lambda _stats: report("indexed"))
    elif moment == "searched":  # a search typed as soon as the list shows, until its results are listed
        window.loading_finished.connect(lambda: window.panel.search.setText("江海"))
        window.library_search.results_ready.connect(lambda _outcome: report("searched"))
    else:
        window.loading_finished.connect(lambda: report("listed"))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (Linux: VmHWM, which starts afresh with the program;
    ``ru_maxrss`` would include the process that started it, inherited across fork and exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _wait_for_background_work(window, timeout_s: float = 10.0) -> None:
    """Let the window's thread pools (loading, searching, counting, folding, sorting, the index
    writer) finish what they run, for up to ``timeout_s`` in all; closing the window has told them
    to stop at their next step."""
    import time

    from PySide6.QtCore import QThreadPool

    end = time.monotonic() + timeout_s
    for pool in [QThreadPool.globalInstance(), *window.findChildren(QThreadPool)]:
        pool.waitForDone(max(0, int((end - time.monotonic()) * 1000)))


def _screenshot(app, window, paths: list[str], out: Path) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.open_paths(paths, expand_folders=True, run_now=True)
    window.library_search.annotate_now(window.sources)  # no index job here: the entities at once
    window.panel.select_first()
    window.resize(*SCREENSHOT_SIZE)
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    out.parent.mkdir(parents=True, exist_ok=True)
    if image.isNull() or not image.save(str(out), "PNG"):
        print(f"baozhi: cannot write the screenshot to {out}", file=sys.stderr)
        return 1
    print(f"baozhi: screenshot written to {out} ({image.width()}x{image.height()})", file=sys.stderr)
    return 0
