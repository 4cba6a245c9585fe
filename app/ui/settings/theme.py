"""Light and dark palettes, following the system's colour scheme unless the user picks one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app import palette


@dataclass(frozen=True)
class Colors:
    """The few colours the reader document and the list delegate need besides the palette."""

    text: str
    muted: str
    accent: str
    paper: str
    rule: str
    badge_bg: str
    badge_fg: str


# text and paper are the entity palette's: its tints are checked for contrast with that text and
# for difference from that paper
LIGHT = Colors(text=palette.LIGHT.text, muted="#6b6b70", accent="#a4161a", paper=palette.LIGHT.paper,
               rule="#d8d4c8", badge_bg="#f3e1e1", badge_fg="#a4161a")
DARK = Colors(text=palette.DARK.text, muted="#9a978f", accent="#ff8a80", paper=palette.DARK.paper,
              rule="#44464b", badge_bg="#4a2a2a", badge_fg="#ffb4ab")


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def effective_dark(theme: str) -> bool:
    """``theme`` is "system", "light" or "dark"."""
    if theme == "dark":
        return True
    if theme == "light":
        return False
    return system_is_dark()


def colors(dark: bool) -> Colors:
    return DARK if dark else LIGHT


def _palette(dark: bool) -> QPalette:
    pal = QPalette()
    c = colors(dark)
    if dark:
        window, base, alt, button, text = "#2b2d30", c.paper, "#26272a", "#34363a", c.text
        highlight, htext, link = "#3d6fb4", "#ffffff", "#8ab4f8"
    else:
        window, base, alt, button, text = "#efede8", c.paper, "#f3f1eb", "#e7e4dd", c.text
        highlight, htext, link = "#2f5f9e", "#ffffff", "#1a56a8"
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, window), (role.WindowText, text), (role.Base, base), (role.AlternateBase, alt),
        (role.Text, text), (role.Button, button), (role.ButtonText, text), (role.ToolTipBase, base),
        (role.ToolTipText, text), (role.Highlight, highlight), (role.HighlightedText, htext),
        (role.Link, link), (role.PlaceholderText, c.muted), (role.BrightText, "#ff5555"),
    ):
        pal.setColor(r, QColor(value))
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(c.muted))
    return pal


def apply_theme(app: QApplication, theme: str) -> bool:
    """Set the Fusion style and the palette for ``theme``; return whether it is dark."""
    dark = effective_dark(theme)
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(_palette(dark))
    return dark
