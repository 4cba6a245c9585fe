"""Exporting from the window: the dialog for the selected articles (or the current one), then the
run that writes them off the GUI thread (:class:`~app.ui.export.run.ExportRun`).

A part of :class:`~app.ui.main_window.MainWindow` kept in its own file; its text is translated in
the "MainWindow" context, spelled out (lupdate would file ``self.tr`` here under this class).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.model import Article
from app.ui.export.dialog import ExportChoice, ExportDialog
from app.ui.export.run import ExportRun

translate = QCoreApplication.translate  # lupdate reads translate("MainWindow", "…") calls


class ExportMixin:
    def export_selected(self) -> None:
        """Ask how to export the selected articles (or the current one when none is selected)."""
        if self._export_run is not None and self._export_run.running:
            return
        selected = self.panel.selected_articles()
        current = self.panel.current_article()
        articles = selected or ([current] if current is not None else [])
        if not articles:
            self.statusBar().showMessage(translate("MainWindow", "There is no article to export."), 5000)
            return
        dialog = ExportDialog(self.settings, articles, from_selection=bool(selected), parent=self)
        dialog.accepted.connect(self._on_export_chosen)
        dialog.finished.connect(dialog.deleteLater)
        self._export_dialog = dialog
        dialog.open()  # window-modal; the GUI thread goes on

    def _on_export_chosen(self) -> None:
        dialog = self.sender()
        self.start_export(dialog.articles, dialog.choice())

    def start_export(self, articles: list[Article], choice: ExportChoice, run_now: bool = False) -> ExportRun:
        if self._export_run is not None and not self._export_run.running:
            self._export_run.deleteLater()
        run = ExportRun(self, articles, choice, run_now=run_now)
        run.ended.connect(self._on_export_ended)
        self._export_run = run
        self._update_export_action()
        run.start()
        return run

    def _on_export_ended(self, _outcome: str) -> None:
        self._update_export_action()

    def _update_export_action(self) -> None:
        busy = self._export_run is not None and self._export_run.running
        self.act_export.setEnabled(self.panel.model.rowCount() > 0 and not busy)
