"""File → Export Selected…: the dialog, its memory, the worker, overwrite questions, cancel, errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QItemSelectionModel, QThread, QThreadPool, Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QPushButton  # noqa: E402

from app.export import ExportOptions  # noqa: E402
from app.paths import sample_page  # noqa: E402
from app.ui import errors, workers  # noqa: E402
from app.ui.export import run as export_run  # noqa: E402
from app.ui.application import create_window  # noqa: E402
from app.ui.export.dialog import ExportChoice, ExportDialog  # noqa: E402
from app.ui.settings.i18n import Translations  # noqa: E402
from app.ui.settings.store import Settings  # noqa: E402

pytestmark = pytest.mark.gui




@pytest.fixture()
def questions(monkeypatch):
    """Every yes/no question asked; the answers come from ``questions.answers`` (default: no)."""

    class Questions(list):
        answers: list[bool] = []

    asked = Questions()

    def ask(parent, title, text):
        asked.append((title, text))
        return asked.answers.pop(0) if asked.answers else False

    monkeypatch.setattr(errors, "ask_yes_no", ask)
    return asked


@pytest.fixture()
def opened(monkeypatch):
    folders: list[Path] = []
    monkeypatch.setattr(export_run, "open_folder", lambda folder: folders.append(Path(folder)) or True)
    return folders


@pytest.fixture()
def window(qtbot, qapp, reports, questions, opened):
    translations = Translations(qapp)
    translations.apply("en")
    w = create_window(Settings(), translations)
    qtbot.addWidget(w)
    w.open_paths([str(sample_page())], run_now=True)
    yield w
    w.close()
    QThreadPool.globalInstance().waitForDone(10000)


def select_rows(window, rows: list[int]) -> list[str]:
    model = window.panel.view.selectionModel()
    model.clearSelection()
    for row in rows:
        model.select(window.panel.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.Select)
    return [window.panel.proxy.index(r, 0).data() for r in rows]


def open_dialog(window) -> ExportDialog:
    window.act_export.trigger()
    dialog = window._export_dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    return dialog


def choose(dialog: ExportDialog, fmt: str, per_article: bool = False, metadata: bool = True) -> None:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
    (dialog.per_article_radio if per_article else dialog.combined_radio).setChecked(True)
    dialog.metadata_box.setChecked(metadata)


def accept_and_wait(window, dialog, qtbot, outcome: str = "done", timeout: int = 15000):
    dialog.accept()
    run = window._export_run
    assert run is not None
    qtbot.waitUntil(lambda: run.outcome != "", timeout=timeout)
    assert run.outcome == outcome
    return run


def test_ctrl_a_selects_every_row_and_ctrl_e_opens_the_dialog_with_the_count(window, qtbot):
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts go to the active window
    view = window.panel.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(window.panel.selected_articles()) == 7
    # Ctrl-click takes one row out of the selection
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     view.visualRect(window.panel.proxy.index(1, 0)).center())
    assert len(window.panel.selected_articles()) == 6
    assert window.act_export.shortcut().toString() == "Ctrl+E"
    qtbot.keyClick(view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window._export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.intro.text() == "Export the 6 selected articles."
    assert len(dialog.articles) == 6
    dialog.reject()


def test_accepting_exports_the_selected_articles_to_one_json_file(window, qtbot, tmp_path, monkeypatch,
                                                                   questions, opened):
    chosen = select_rows(window, [0, 2, 4])
    dialog = open_dialog(window)
    choose(dialog, "json")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "三篇"), ""))
    dialog.browse_button.click()
    assert dialog.destination.text() == str(tmp_path / "三篇.json")  # the suffix is added
    run = accept_and_wait(window, dialog, qtbot)
    out = tmp_path / "三篇.json"
    assert run.written == [out]
    assert [a["title"] for a in json.loads(out.read_text(encoding="utf-8"))] == chosen
    assert str(out) in window.statusBar().currentMessage()
    assert questions and questions[-1][0] == "Export Finished" and opened == []  # answered no
    assert window.act_export.isEnabled()


def test_per_article_writes_one_file_per_article_into_a_folder(window, qtbot, tmp_path, monkeypatch,
                                                                questions, opened):
    chosen = select_rows(window, [1, 3, 5])
    folder = tmp_path / "导出"
    folder.mkdir()
    dialog = open_dialog(window)
    choose(dialog, "txt", per_article=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    dialog.browse_button.click()
    assert dialog.destination_label.text() == "F&older:" and dialog.destination.text() == str(folder)
    questions.answers = [True]  # open the folder afterwards
    run = accept_and_wait(window, dialog, qtbot)
    files = sorted(folder.iterdir())
    assert len(files) == 3 and set(run.written) == set(files)
    assert all(f.suffix == ".txt" for f in files)
    for title in chosen:
        holding = [f for f in files if title in f.read_text(encoding="utf-8")]
        assert len(holding) == 1
    assert opened == [folder]
    assert "3 files" in window.statusBar().currentMessage()


def test_nothing_selected_exports_the_current_article(window, qtbot, tmp_path):
    window.panel.select_article(window.panel.proxy.index(2, 0).data(Qt.ItemDataRole.UserRole + 2))
    current = window.panel.current_article()
    window.panel.view.selectionModel().clearSelection()
    assert window.panel.selected_articles() == [] and window.panel.current_article() is current
    dialog = open_dialog(window)
    assert not dialog.from_selection
    assert "No articles are selected" in dialog.intro.text() and current.title in dialog.intro.text()
    choose(dialog, "md")
    dialog.destination.setText(str(tmp_path / "one"))
    accept_and_wait(window, dialog, qtbot)
    text = (tmp_path / "one.md").read_text(encoding="utf-8")
    assert text.startswith("# ") and text.count("\n# ") == 0  # a single article
    assert current.paragraphs[-1].text[:10] in text


def test_the_dialog_remembers_its_choices_and_highlights_follow_the_format(qapp, tmp_path):
    from app.model import Article

    article = Article(id="a", source=str(tmp_path / "p.txt"), ordinal=0, title="标题")
    settings = Settings()
    first = ExportDialog(settings, [article], from_selection=True)
    choose(first, "docx", per_article=True, metadata=False)
    first.highlights_box.setChecked(True)
    first.destination.setText(str(tmp_path / "folder"))
    first.accept()

    second = ExportDialog(Settings(), [article], from_selection=True)
    assert second.fmt == "docx" and second.per_article
    assert not second.metadata_box.isChecked() and second.highlights_box.isChecked()
    assert second.destination.text() == str(tmp_path / "folder")
    assert second.choice() == ExportChoice(
        "docx", tmp_path / "folder", ExportOptions(per_article=True, metadata=False, highlights=True))
    # plain formats cannot show highlights: the box is off and disabled, and comes back after
    second.format_box.setCurrentIndex(second.format_box.findData("txt"))
    assert not second.highlights_box.isEnabled() and not second.highlights_box.isChecked()
    assert second.choice().options.highlights is False
    second.format_box.setCurrentIndex(second.format_box.findData("epub"))
    assert second.highlights_box.isEnabled() and second.highlights_box.isChecked()
    # a combined file follows the format's suffix
    second.combined_radio.setChecked(True)
    second.destination.setText(str(tmp_path / "报纸.epub"))
    second.format_box.setCurrentIndex(second.format_box.findData("html"))
    assert second.destination.text() == str(tmp_path / "报纸.html")
    assert second.destination_label.text() == "&Save as:"


def test_overwrite_asks_and_no_leaves_the_file_untouched(window, qtbot, tmp_path, questions):
    chosen = select_rows(window, [0, 1])
    out = tmp_path / "exports" / "existing.html"
    out.parent.mkdir()
    out.write_text("old content", encoding="utf-8")
    dialog = open_dialog(window)
    choose(dialog, "html")
    dialog.destination.setText(str(out))
    questions.answers = [False]
    accept_and_wait(window, dialog, qtbot, outcome="declined")
    assert out.read_text(encoding="utf-8") == "old content"
    assert questions[0][0] == "Replace Existing Files?" and str(out) in questions[0][1]
    assert "unchanged" in window.statusBar().currentMessage()
    assert [p.name for p in out.parent.iterdir()] == ["existing.html"]  # no temporary file either

    dialog = open_dialog(window)  # the format and folder come back; this time say yes
    assert Path(dialog.destination.text()).parent == out.parent and dialog.fmt == "html"
    dialog.destination.setText(str(out))
    questions.answers = [True, False]
    accept_and_wait(window, dialog, qtbot)
    html = out.read_text(encoding="utf-8")
    assert "old content" not in html and all(title in html for title in chosen)
    assert [q[0] for q in questions] == ["Replace Existing Files?", "Replace Existing Files?", "Export Finished"]


def test_cancel_during_export_leaves_no_file(window, qtbot, tmp_path, monkeypatch):
    from app.export import txt

    real_write = txt.write

    def slow_write(articles, path, options, step):
        def slow_step():
            time.sleep(0.3)
            step()

        real_write(articles, path, options, slow_step)

    monkeypatch.setattr(txt, "write", slow_write)
    articles = window.panel.model.articles()[:4]
    out = tmp_path / "out" / "combined.txt"
    out.parent.mkdir()
    run = window.start_export(articles, ExportChoice("txt", out, ExportOptions()))
    assert not window.act_export.isEnabled()  # one export at a time
    qtbot.waitUntil(lambda: run.progress is not None and run.progress.value() >= 1, timeout=10000)
    cancel = run.progress.findChild(QPushButton)
    cancel.click()
    with qtbot.waitSignal(run.ended, timeout=10000) as ended:
        pass
    assert ended.args == ["cancelled"]
    assert list(out.parent.iterdir()) == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.act_export.isEnabled()


def test_an_export_error_is_reported_and_the_window_stays_usable(window, qtbot, tmp_path, reports):
    select_rows(window, [0])
    dialog = open_dialog(window)
    choose(dialog, "json")
    missing = tmp_path / "no-such-folder" / "out.json"
    dialog.destination.setText(str(missing))
    accept_and_wait(window, dialog, qtbot, outcome="failed")
    assert reports == [("Export failed", f"The folder {missing.parent} does not exist.")]
    assert not missing.parent.exists()
    # still usable: the next export works
    assert window.act_export.isEnabled()
    dialog = open_dialog(window)
    dialog.destination.setText(str(tmp_path / "ok.json"))
    accept_and_wait(window, dialog, qtbot)
    assert len(json.loads((tmp_path / "ok.json").read_text(encoding="utf-8"))) == 1
    assert len(reports) == 1


def test_export_task_emits_finished_with_the_written_paths(qapp, qtbot, tmp_path):
    from app.library import Library

    library = Library()
    library.add(sample_page())
    articles = library.articles[:2]
    out = tmp_path / "two.txt"
    task = workers.ExportTask(articles, "txt", out, ExportOptions())
    steps: list[tuple[int, int]] = []
    task.signals.progress.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(task.signals.finished, timeout=10000) as finished:
        workers.start(task)
    assert finished.args == [[out]]
    text = out.read_text(encoding="utf-8")
    assert articles[0].title in text and articles[1].title in text
    qtbot.waitUntil(lambda: steps[-1:] == [(2, 2)])


def test_pdf_export_runs_in_a_worker_thread(qapp, qtbot, tmp_path):
    from pypdf import PdfReader

    from app.library import Library

    library = Library()
    library.add(sample_page())
    articles = library.articles[:2]
    out = tmp_path / "two.pdf"
    task = workers.ExportTask(articles, "pdf", out, ExportOptions(highlights=True))
    threads: list[QThread] = []
    task.signals.progress.connect(lambda *_: threads.append(QThread.currentThread()),
                                  Qt.ConnectionType.DirectConnection)  # runs where it is emitted
    with qtbot.waitSignal(task.signals.finished, timeout=120000) as finished:
        workers.start(task)
    assert finished.args == [[out]]
    assert threads and all(t is not qapp.thread() for t in threads)
    reader = PdfReader(str(out))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for article in articles:
        assert "".join(article.title.split()) in text
    assert [item.title for item in reader.outline][:2] == [a.title for a in articles]


def test_ask_yes_no_returns_the_answer(qapp, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    assert errors.ask_yes_no(None, "Replace?", "<b>a.pdf</b> exists") is True
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
    assert errors.ask_yes_no(None, "Replace?", "b.pdf exists") is False
    assert seen == ["<b>a.pdf</b> exists", "b.pdf exists"]
