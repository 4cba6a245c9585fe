"""The interface language, the Qt way: ``tr()`` strings, ``.ts`` sources, ``.qm`` at build time.

``resources/i18n/baozhi_<lang>.qm`` is built from the ``.ts`` beside it by the translation build
script (``pyside6-lrelease``). A development checkout where it has not been built yet still shows
the translation: :class:`TsTranslator` reads the ``.ts`` source directly. With neither, the
interface stays in English (the source strings).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from app.paths import resource

log = logging.getLogger("baozhi.ui")

SOURCE_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}  # each in its own language, never translated


def resolve(language: str, locale: QLocale | None = None) -> str:
    """``"system"`` becomes the system locale's language when we have it, else English."""
    if language in LANGUAGE_NAMES:
        return language
    name = (locale or QLocale.system()).name()
    return "zh_CN" if name.startswith("zh") else SOURCE_LANGUAGE


class TsTranslator(QTranslator):
    """Serves the finished messages of a ``.ts`` file when its ``.qm`` has not been built."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self._messages: dict[tuple[str, str, str], str] = {}  # (context, source, comment)
        root = ET.parse(path).getroot()
        for context in root.iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                source = message.findtext("source")
                node = message.find("translation")
                if source is None or node is None or node.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                if node.text:
                    self._messages[(name, source, message.findtext("comment") or "")] = node.text

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: N802 (Qt name)
        # None (a null QString) when the message is not here, so Qt asks the next translator and
        # falls back to the source text; "" would be taken as the translation (Qt tests isNull)
        return (self._messages.get((context, source_text, disambiguation or ""))
                or self._messages.get((context, source_text, "")))

    def isEmpty(self) -> bool:  # noqa: N802
        return not self._messages


class Translations:
    """Installs and swaps the application's translators at run time."""

    def __init__(self, app: QCoreApplication):
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def apply(self, language: str) -> str:
        """Switch to ``language`` ("system", "en" or "zh_CN"); returns the language in effect."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = resolve(language)
        if self.language != SOURCE_LANGUAGE:
            ours = self._load_bundled(f"baozhi_{self.language}")
            if ours is None:
                log.warning("no translation for %s; the interface stays in English", self.language)
            # installed in this order; Qt asks the last installed first, so the strings Qt's own
            # translation lacks (qtbase_extra) win over it
            for translator in (ours, self._load_qt_own(self.language), self._load_bundled(f"qtbase_extra_{self.language}")):
                if translator is not None:
                    self._install(translator)
        QLocale.setDefault(QLocale(self.language))
        # Deliver the LanguageChange events now, so every widget is retranslated when this returns.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange.value)
        return self.language

    def _install(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._installed.append(translator)

    def _load_qt_own(self, language: str) -> QTranslator | None:
        """Qt's own strings ("Look in:", "Cancel" in its file and print dialogs) from ``qtbase``.

        A frozen program may report a translations path of its own layout, so the copy beside
        the PySide6 package is tried as well."""
        import PySide6

        folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
                   str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")]
        for folder in dict.fromkeys(folders):
            translator = QTranslator(self._app)
            if translator.load(f"qtbase_{language}", folder) or translator.load(f"qt_{language}", folder):
                return translator
        log.warning("Qt's own %s translations were not found; its dialogs stay in English", language)
        return None

    def _load_bundled(self, name: str) -> QTranslator | None:
        """``resources/i18n/<name>.qm``, else the ``.ts`` it is built from; None when neither reads."""
        qm = resource(f"i18n/{name}.qm")
        translator = QTranslator(self._app)
        if qm.is_file() and translator.load(str(qm)):
            return translator
        ts = resource(f"i18n/{name}.ts")
        if ts.is_file():
            try:
                return TsTranslator(ts, self._app)
            except ET.ParseError as err:
                log.warning("cannot read %s: %s", ts, err)
        return None
