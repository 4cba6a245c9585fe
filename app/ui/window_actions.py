"""The window's actions and menus, each declared once (see :meth:`ActionsMixin._declared_actions`).

A part of :class:`~app.ui.main_window.MainWindow` kept in its own file: it reads the window's
panel, reader and settings, and the slots it names are the window's.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from app.ui.settings.i18n import LANGUAGE_NAMES
from app.ui.settings.store import ZOOM_DEFAULT

translate = QCoreApplication.translate  # lupdate reads translate("MainWindow", "…") calls

ZOOM_STEP = 10


class ActionsMixin:
    # Texts are translated in the "MainWindow" context, spelled out: at run time ``self.tr`` looks
    # them up under the window's class, but lupdate would file ``self.tr`` here under this class.
    # -- actions and menus -----------------------------------------------------------------------
    def _declared_actions(self) -> list[tuple[str, str, tuple, object]]:
        """Every plain action once: (attribute, text, shortcuts, slot). Read when the actions are
        made, and again by :meth:`retranslate` for their texts in the new language."""
        K = QKeySequence.StandardKey
        return [
            ("act_open", translate("MainWindow", "&Open Files…"), (K.Open,), self.choose_files),
            ("act_open_folder", translate("MainWindow", "Open &Folder…"), ("Ctrl+Shift+O",), self.choose_folder),
            ("act_reload", translate("MainWindow", "Re&load"), ("F5", "Ctrl+R"), self.reload),
            ("act_watch_folder", translate("MainWindow", "&Watch Folder…"), (), lambda: self.watch.choose()),
            ("act_watch_subfolders", translate("MainWindow", "Watch &Subfolders Too"), (),
             lambda checked=False: self.watch.set_subfolders(checked)),
            ("act_stop_watching", translate("MainWindow", "Stop Watc&hing"), (), lambda: self.watch.stop()),
            ("act_clear_recent", translate("MainWindow", "&Clear List"), (), self._clear_recent),
            ("act_print", translate("MainWindow", "&Print Article…"), (K.Print,), self.print_preview),
            ("act_export", translate("MainWindow", "&Export Selected…"), ("Ctrl+E",), self.export_selected),
            ("act_quit", translate("MainWindow", "&Quit"), ("Ctrl+Q",), self.close),
            ("act_find", translate("MainWindow", "&Find"), (K.Find,), self.focus_search),
            ("act_find_next", translate("MainWindow", "Find &Next"), ("F3",), self.reader.next_hit),
            ("act_find_previous", translate("MainWindow", "Find &Previous"), ("Shift+F3",), self.reader.previous_hit),
            ("act_select_results", translate("MainWindow", "Select &All Results"), ("Ctrl+Shift+A",),
             self.select_all_results),
            ("act_save_search", translate("MainWindow", "Sa&ve This Search…"), (),
             lambda: self.saved_searches.save_current()),
            ("act_zoom_in", translate("MainWindow", "Zoom &In"), ("Ctrl+=", "Ctrl++"),
             lambda: self.set_zoom(self.reader.zoom + ZOOM_STEP)),
            ("act_zoom_out", translate("MainWindow", "Zoom &Out"), (K.ZoomOut,),
             lambda: self.set_zoom(self.reader.zoom - ZOOM_STEP)),
            ("act_zoom_reset", translate("MainWindow", "&Actual Size"), ("Ctrl+0",),
             lambda: self.set_zoom(ZOOM_DEFAULT)),
            ("act_shortcuts", translate("MainWindow", "&Keyboard Shortcuts"), ("F1",), self.show_shortcuts),
            ("act_about", translate("MainWindow", "&About Baozhi Reader"), (), self.show_about),
            ("act_open_log", translate("MainWindow", "Open &Log File"), (), self.open_log_file),
        ]

    def _choice_texts(self) -> dict[str, dict[str, str]]:
        """The texts of the checkable choices, by group and value (languages name themselves)."""
        return {
            "sort": {"page": translate("MainWindow", "&Page Order"), "date": translate("MainWindow", "&Date"),
                     "title": translate("MainWindow", "&Title")},
            "theme": {"system": translate("MainWindow", "Follow &System"), "light": translate("MainWindow", "&Light"),
                      "dark": translate("MainWindow", "&Dark")},
            "language": {"system": translate("MainWindow", "Follow &System"), **LANGUAGE_NAMES},
        }

    def _action(self, slot, shortcuts=(), checkable=False) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _create_actions(self) -> None:
        for name, _text, shortcuts, slot in self._declared_actions():
            setattr(self, name, self._action(slot, shortcuts))
        self.act_select_results.setEnabled(False)
        self.act_watch_subfolders.setCheckable(True)
        self.act_watch_subfolders.setChecked(self.settings.watch_subfolders)
        self.act_stop_watching.setEnabled(False)
        slots = {"sort": lambda m: self.panel.set_sort_mode(m), "theme": self.apply_theme,
                 "language": self.set_language}
        self.choice_actions: dict[str, dict[str, QAction]] = {}
        for group_name, texts in self._choice_texts().items():
            group = QActionGroup(self)
            actions = self.choice_actions[group_name] = {}
            for value in texts:
                act = self._action(lambda _=False, f=slots[group_name], v=value: f(v), checkable=True)
                group.addAction(act)
                actions[value] = act
        self.sort_actions = self.choice_actions["sort"]
        self.theme_actions = self.choice_actions["theme"]
        self.language_actions = self.choice_actions["language"]
        self.sort_actions[self.panel.proxy.sort_mode].setChecked(True)
        self.language_actions[self.settings.language].setChecked(True)

    def _menu_texts(self) -> dict[str, str]:
        return {"menu_file": translate("MainWindow", "&File"), "menu_edit": translate("MainWindow", "&Edit"),
                "menu_view": translate("MainWindow", "&View"), "menu_help": translate("MainWindow", "&Help"),
                "menu_recent": translate("MainWindow", "Open &Recent"), "menu_sort": translate("MainWindow", "&Sort By"),
                "menu_theme": translate("MainWindow", "&Theme"), "menu_language": translate("MainWindow", "&Language")}

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_recent = QMenu(self)
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        for item in (self.act_open, self.act_open_folder, self.menu_recent, None, self.act_reload, None,
                     self.act_watch_folder, self.act_watch_subfolders, self.act_stop_watching, None,
                     self.act_print, self.act_export, None, self.act_quit):
            self._add_to(self.menu_file, item)
        self.menu_edit = bar.addMenu("")
        for item in (self.act_find, self.act_find_next, self.act_find_previous, None, self.act_select_results,
                     self.act_save_search):
            self._add_to(self.menu_edit, item)
        self.menu_view = bar.addMenu("")
        self.menu_sort = QMenu(self)
        self.menu_sort.addActions(list(self.sort_actions.values()))
        self.menu_theme = QMenu(self)
        self.menu_theme.addActions(list(self.theme_actions.values()))
        self.menu_language = QMenu(self)
        self.menu_language.addActions(list(self.language_actions.values()))
        for item in (self.menu_sort, None, self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset,
                     None, self.menu_theme, self.menu_language):
            self._add_to(self.menu_view, item)
        self.menu_help = bar.addMenu("")
        self.menu_help.addActions([self.act_shortcuts, self.act_open_log, self.act_about])

    @staticmethod
    def _add_to(menu: QMenu, item) -> None:
        if item is None:
            menu.addSeparator()
        elif isinstance(item, QMenu):
            menu.addMenu(item)
        else:
            menu.addAction(item)
