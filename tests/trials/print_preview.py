"""Open the print preview of the first sample article in a real window, render it, close it.

Run as a separate process (``python -m tests.trials.print_preview OUT.png``) by
tests/test_ui_print.py: under Xvfb (``QT_QPA_PLATFORM=xcb``) and offscreen. Exits 0 when the
preview showed at least one page and closed; a crash (the freed printer of issue 15) ends the
process with a signal instead.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(out: str) -> int:
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication

    from app.paths import sample_page
    from app.ui.application import create_application, create_window
    from app.ui.settings.i18n import Translations
    from app.ui.settings.store import Settings

    app = create_application()
    translations = Translations(app)
    translations.apply("en")
    window = create_window(Settings(), translations, screenshot=True)
    window.show()
    window.open_paths([str(sample_page())], run_now=True)
    window.act_print.trigger()
    dialog = window._preview
    widget = dialog.findChild(QPrintPreviewWidget)
    end = time.monotonic() + 20
    while time.monotonic() < end and not (dialog.isVisible() and widget.pageCount() > 0):
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):  # let it paint the pages, as a person would see them
        app.processEvents()
        time.sleep(0.02)
    pages = widget.pageCount()
    dialog.grab().save(out, "PNG")
    dialog.close()
    for _ in range(10):
        app.processEvents()
    window.close()
    QApplication.processEvents()
    print(f"pages={pages}", flush=True)
    return 0 if pages > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(Path.cwd() / "preview.png")))
