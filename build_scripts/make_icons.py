"""Render resources/icons/baozhi.svg into the icon files each platform's package needs.

    python build_scripts/make_icons.py

Writes baozhi.png (256 px, Linux .desktop), baozhi.ico (Windows) and baozhi.icns (macOS) beside
the SVG with Qt's own image writers. The results are committed; rerun after changing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICONS / "baozhi.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - image plugins need an application
    for name, size in (("baozhi.png", 256), ("baozhi.ico", 256), ("baozhi.icns", 512)):
        if not render(size).save(str(ICONS / name)):
            print(f"icons: could not write {name}", file=sys.stderr)
            return 1
        print(f"icons: {ICONS / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
