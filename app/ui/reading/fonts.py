"""Choosing fonts that cover Chinese, through ``QFontDatabase``."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

SERIF_PREFERENCE = (
    "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Songti SC", "SimSun",
    "AR PL UMing CN", "Noto Serif SC",
)
SANS_PREFERENCE = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans SC",
)

FONT_HELP = (
    "No installed font covers Chinese, so characters may show as boxes. "
    "Install one, e.g. 'sudo apt install fonts-noto-cjk' (Debian/Ubuntu) or Noto Sans CJK SC."
)


def chinese_families() -> list[str]:
    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


def _pick(preference: tuple[str, ...], available: list[str]) -> str | None:
    for name in preference:
        if name in available:
            return name
    return None


def ui_family() -> str | None:
    """The interface font: a preferred CJK sans, else any family that covers Chinese, else None."""
    available = chinese_families()
    return _pick(SANS_PREFERENCE, available) or (available[0] if available else None)


def reading_family() -> str | None:
    """The reading font: a CJK serif (as a newspaper is set), else the interface font."""
    available = chinese_families()
    return _pick(SERIF_PREFERENCE, available) or ui_family()


def has_chinese_font() -> bool:
    return bool(chinese_families())


def ui_font(point_size: float = 10.0) -> QFont:
    font = QFont()
    family = ui_family()
    if family:
        font.setFamilies([family])
    font.setPointSizeF(point_size)
    return font
