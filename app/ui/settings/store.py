"""A small typed wrapper over ``QSettings`` (an INI file), created in ``run()``, never at import.

The file lives in ``$BAOZHI_CONFIG_DIR`` when set (tests point it into ``tmp_path``), else in the
user's configuration folder.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from app.export import FORMATS
from app.model import ENTITY_TYPES
from app.paths import APP_NAME

translate = QCoreApplication.translate  # lupdate reads translate("Settings", "…") calls
THEMES = ("system", "light", "dark")
SORT_MODES = ("page", "date", "title")  # as app.ui.article_list.sort.SORT_MODES (checked by a test)
LANGUAGES = ("system", "en", "zh_CN")
ZOOM_MIN, ZOOM_MAX, ZOOM_DEFAULT = 50, 300, 100
MAX_RECENT = 10
MAX_RECENT_SEARCHES = 10
EXPORT_FORMATS = tuple(FORMATS)


def config_dir() -> Path:
    override = os.environ.get("BAOZHI_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


class Settings:
    """What the window remembers between runs."""

    def __init__(self, path: Path | None = None):
        self.path = path or config_dir() / "settings.ini"
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        # None when the file read well, else (the sources list was lost?, the copy kept or None)
        self._problem = self._check()

    @property
    def problem(self) -> str:
        """What could not be read, as a sentence in the interface's language ("" when all was
        read): made when it is shown, after the language is chosen, not when the file is read."""
        if self._problem is None:
            return ""
        lost, backup = self._problem
        if lost:
            text = translate("Settings", "The list of sources to reopen could not be read from the settings "
                                         "({path}); the last sources were not reopened.")
        else:
            text = translate("Settings", "The settings file could not be read ({path}); some settings may be "
                                         "back to their defaults.")
        text = text.format(path=self.path)
        if backup is not None:
            text += " " + translate("Settings", "A copy of the old file was kept as {copy}.").format(copy=backup)
        return text

    def _check(self) -> tuple[bool, Path | None] | None:
        """Say what could not be read, keeping a copy of the file before the window overwrites it.

        A value of the wrong type just falls back to its default; only the list of sources to
        reopen is worth telling the user about, since losing it silently loses their library."""
        unreadable = self._qs.status() != QSettings.Status.NoError
        if not unreadable and (not self._qs.contains("library/sources")
                               or self._read_list("library/sources") is not None):
            return None
        backup = self.path.with_name(self.path.name + ".unreadable")
        try:
            if self.path.is_file() and not backup.exists():
                shutil.copy2(self.path, backup)
        except OSError:
            backup = None
        lost = self._qs.contains("library/sources") and self._read_list("library/sources") is None
        return lost, backup

    # -- helpers ---------------------------------------------------------------------------------
    def _str(self, key: str, default: str, allowed: tuple[str, ...] | None = None) -> str:
        value = self._qs.value(key, default)
        value = value if isinstance(value, str) else default
        return value if allowed is None or value in allowed else default

    def _list(self, key: str) -> list[str]:
        return self._read_list(key) or []

    def _read_list(self, key: str) -> list[str] | None:
        """The JSON list of strings under ``key`` (a plain list of strings is taken too); None when
        the value is there but unreadable."""
        raw = self._qs.value(key, "[]")
        if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            return list(raw)
        try:
            data = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            return None
        if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
            return None
        return data

    def _bool(self, key: str, default: bool) -> bool:
        value = self._qs.value(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return default

    def _bytes(self, key: str) -> QByteArray:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    # -- typed values ----------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    @property
    def splitter(self) -> QByteArray:
        return self._bytes("window/splitter")

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self._qs.setValue("window/splitter", value)

    @property
    def window_state(self) -> QByteArray:
        """Where the docks (the entity panel) stand and whether they are shown."""
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._qs.setValue("window/state", value)

    @property
    def zoom(self) -> int:
        try:
            value = int(self._qs.value("reader/zoom", ZOOM_DEFAULT))
        except (TypeError, ValueError):
            return ZOOM_DEFAULT
        return min(ZOOM_MAX, max(ZOOM_MIN, value))

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._qs.setValue("reader/zoom", int(value))

    @property
    def theme(self) -> str:
        return self._str("view/theme", "system", THEMES)

    @theme.setter
    def theme(self, value: str) -> None:
        self._qs.setValue("view/theme", value if value in THEMES else "system")

    @property
    def language(self) -> str:
        return self._str("view/language", "system", LANGUAGES)

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("view/language", value if value in LANGUAGES else "system")

    @property
    def sources(self) -> list[str]:
        return self._list("library/sources")

    @sources.setter
    def sources(self, value: list[str]) -> None:
        self._qs.setValue("library/sources", json.dumps(list(value), ensure_ascii=False))

    @property
    def sort_mode(self) -> str:
        """How the article list is sorted: page order, date or title."""
        return self._str("view/sort", "page", SORT_MODES)

    @sort_mode.setter
    def sort_mode(self, value: str) -> None:
        self._qs.setValue("view/sort", value if value in SORT_MODES else "page")

    @property
    def show_timeline(self) -> bool:
        """Whether the timeline strip is shown under the article list."""
        return self._bool("view/timeline", True)

    @show_timeline.setter
    def show_timeline(self, value: bool) -> None:
        self._qs.setValue("view/timeline", bool(value))

    @property
    def shown_entity_types(self) -> frozenset[str]:
        """The entity types the reading pane highlights (the legend's ticks); all by default."""
        if not self._qs.contains("view/entity_types"):
            return frozenset(ENTITY_TYPES)
        listed = self._read_list("view/entity_types")
        return frozenset(ENTITY_TYPES) if listed is None else frozenset(t for t in listed if t in ENTITY_TYPES)

    @shown_entity_types.setter
    def shown_entity_types(self, value) -> None:
        kept = [t for t in ENTITY_TYPES if t in value]
        self._qs.setValue("view/entity_types", json.dumps(kept))

    @property
    def last_article(self) -> str:
        return self._str("library/last_article", "")

    @last_article.setter
    def last_article(self, value: str) -> None:
        self._qs.setValue("library/last_article", value or "")

    @property
    def recent_files(self) -> list[str]:
        return self._list("library/recent")

    def add_recent(self, paths: list[str]) -> None:
        recent = [p for p in self.recent_files if p not in paths]
        self._qs.setValue("library/recent", json.dumps((list(paths) + recent)[:MAX_RECENT], ensure_ascii=False))

    def clear_recent(self) -> None:
        self._qs.setValue("library/recent", "[]")

    @property
    def recent_searches(self) -> list[str]:
        """The last queries searched for, newest first."""
        return self._list("search/recent")

    def add_recent_search(self, query: str) -> None:
        query = " ".join(query.split())
        if not query:
            return
        recent = [q for q in self.recent_searches if q != query]
        self._qs.setValue("search/recent", json.dumps(([query] + recent)[:MAX_RECENT_SEARCHES], ensure_ascii=False))

    # -- the watched folder ------------------------------------------------------------------------
    @property
    def watch_folder(self) -> str:
        """The folder whose new pages are opened while the window runs ("" when none is watched)."""
        return self._str("library/watch_folder", "")

    @watch_folder.setter
    def watch_folder(self, value: str) -> None:
        self._qs.setValue("library/watch_folder", str(value or ""))

    @property
    def watch_subfolders(self) -> bool:
        return self._bool("library/watch_subfolders", True)

    @watch_subfolders.setter
    def watch_subfolders(self, value: bool) -> None:
        self._qs.setValue("library/watch_subfolders", bool(value))

    # -- the export dialog's last choices --------------------------------------------------------
    @property
    def export_format(self) -> str:
        return self._str("export/format", "pdf", EXPORT_FORMATS)

    @export_format.setter
    def export_format(self, value: str) -> None:
        self._qs.setValue("export/format", value if value in EXPORT_FORMATS else "pdf")

    @property
    def export_per_article(self) -> bool:
        return self._bool("export/per_article", False)

    @export_per_article.setter
    def export_per_article(self, value: bool) -> None:
        self._qs.setValue("export/per_article", bool(value))

    @property
    def export_metadata(self) -> bool:
        return self._bool("export/metadata", True)

    @export_metadata.setter
    def export_metadata(self, value: bool) -> None:
        self._qs.setValue("export/metadata", bool(value))

    @property
    def export_highlights(self) -> bool:
        return self._bool("export/highlights", False)

    @export_highlights.setter
    def export_highlights(self, value: bool) -> None:
        self._qs.setValue("export/highlights", bool(value))

    @property
    def export_file(self) -> str:
        """The last combined file exported to ("" before the first export)."""
        return self._str("export/file", "")

    @export_file.setter
    def export_file(self, value: str) -> None:
        self._qs.setValue("export/file", str(value or ""))

    @property
    def export_folder(self) -> str:
        """The last folder exported one file per article into ("" before the first)."""
        return self._str("export/folder", "")

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self._qs.setValue("export/folder", str(value or ""))

    def sync(self) -> None:
        self._qs.sync()
