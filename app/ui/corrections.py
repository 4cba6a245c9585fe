"""The reader corrects the splitter in the window: merge with the previous article, split here,
this line is the title / kicker / subtitle / byline / body.

The entries are in the reading pane's context menu (for the line under the pointer) and in the
Article menu (for the line the reader last clicked). Each correction is a ``QUndoCommand`` on one
``QUndoStack`` (Edit ▸ Undo / Redo, Ctrl+Z / Ctrl+Shift+Z): doing or undoing one writes the
source's list of corrections to the store (:class:`app.corrections.CorrectionStore`, in the data
folder, so they survive a restart), splits the source again with them
(:func:`app.library.corrected_source`), puts its articles in the list with the selection on the
article concerned, and brings the entities and the search index up to date for the changed
source in the background, as a reload does.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMenu

from app import corrections as corr
from app.corrections import Correction, CorrectionStore
from app.library import MERGE_STEP, LoadedSource, corrected_source
from app.model import Article
from app.paths import corrections_dir
from app.ui import errors, workers
from app.ui.window_sources import STEPWISE_MIN, STEPWISE_STEP

translate = QCoreApplication.translate  # lupdate reads translate("Corrections", "…") calls

STATUS_MS = 8000
RESPLIT_NOW_CHARS = 30_000  # a source up to this size is split again at once; larger ones in the background


def action_texts() -> dict[str, str]:
    """The entries' texts, by what they do (merge, split, and a role each)."""
    return {
        "merge": translate("Corrections", "&Merge with Previous Article"),
        "split": translate("Corrections", "&Split Here"),
        "title": translate("Corrections", "Make &Title"),
        "kicker": translate("Corrections", "Make &Kicker"),
        "subtitle": translate("Corrections", "Make S&ubtitle"),
        "byline": translate("Corrections", "Make &Byline"),
        "body": translate("Corrections", "Make B&ody Text"),
    }


def done_text(correction: Correction, line_text: str) -> str:
    """The status line after ``correction``."""
    short = line_text if len(line_text) <= 20 else line_text[:20] + "…"
    if correction.op == "merge":
        return translate("Corrections", "Merged “{title}” with the previous article").format(
            title=correction.title or short)
    if correction.op == "split":
        return translate("Corrections", "Split into two articles at “{text}”").format(text=short)
    return {
        "title": translate("Corrections", "“{text}” is now the title"),
        "kicker": translate("Corrections", "“{text}” is now the kicker"),
        "subtitle": translate("Corrections", "“{text}” is now the subtitle"),
        "byline": translate("Corrections", "“{text}” is now a byline"),
        "body": translate("Corrections", "“{text}” is now body text"),
    }[correction.role].format(text=short)


def line_role(article: Article, line: str | int) -> str:
    """What ``line`` is now: a headline slot, or its paragraph's kind."""
    return line if isinstance(line, str) else article.paragraphs[line].kind


def line_text(article: Article, line: str | int) -> str:
    return (getattr(article, line) or "") if isinstance(line, str) else article.paragraphs[line].text


class CorrectionCommand(QUndoCommand):
    """One correction of one source: its corrections before and after."""

    def __init__(self, owner: "WindowCorrections", sha256: str, path: str, before: list[Correction],
                 after: list[Correction], text: str, status: str, back_to: str):
        super().__init__(text)
        self.owner, self.sha256, self.path = owner, sha256, path
        self.before, self.after, self.status, self.back_to = before, after, status, back_to

    def redo(self) -> None:
        if not self.owner.set_corrections(self.sha256, self.path, self.after, None, self.status):
            self.setObsolete(True)  # not kept: nothing to undo

    def undo(self) -> None:
        undone = translate("Corrections", "Undone: {what}").format(what=self.text())
        self.owner.set_corrections(self.sha256, self.path, self.before, self.back_to, undone)


class WindowCorrections(QObject):
    """The corrections of a :class:`~app.ui.main_window.MainWindow`: actions, menu, undo stack."""

    corrected = Signal(str)  # a correction is shown; the id of the article selected

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.pool = QThreadPool(self)  # splits a large source again, one at a time
        self.pool.setMaxThreadCount(1)
        self._wanted: dict[str, int] = {}  # source content -> the generation of its latest correction
        self._running: dict[QObject, tuple] = {}  # signals -> (task, sha256, source, focus, status)
        self.store = CorrectionStore(corrections_dir())
        self.undo_stack = QUndoStack(self)
        self.act_undo = self._action(self.undo_stack.undo, (QKeySequence.StandardKey.Undo,))
        self.act_redo = self._action(self.undo_stack.redo, (QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"))
        self.actions: dict[str, QAction] = {}
        for what in action_texts():
            self.actions[what] = self._action(lambda _=False, w=what: self.correct_current(w))
        self.menu = QMenu(window)
        self.menu.setObjectName("articleMenu")
        self.menu.addAction(self.actions["merge"])
        self.menu.addAction(self.actions["split"])
        self.menu.addSeparator()
        for role in corr.ROLES:
            self.menu.addAction(self.actions[role])
        self.menu.addSeparator()
        self.act_clear = self._action(self.clear_current)
        self.menu.addAction(self.act_clear)
        self.menu.addSeparator()
        self.act_explain = self._action(self.explain_current)  # baozhi articles --explain, as a table
        self.act_explain.setObjectName("explainSplit")
        self.menu.addAction(self.act_explain)
        self.menu.aboutToShow.connect(self.update_actions)
        self.undo_stack.indexChanged.connect(self._update_undo)
        window.reader.line_actions = self.add_line_actions
        self.update_actions()
        self._update_undo()

    def _action(self, slot, shortcuts=()) -> QAction:
        action = QAction(self.window)
        keys = []
        for s in shortcuts:
            keys.extend(QKeySequence.keyBindings(s) if isinstance(s, QKeySequence.StandardKey) else [QKeySequence(s)])
        action.setShortcuts(list(dict.fromkeys(keys)))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def install(self, menu_bar, menu_edit, before_menu) -> None:
        """The Article menu before ``before_menu``; Undo and Redo first in the Edit menu."""
        menu_bar.insertMenu(before_menu.menuAction(), self.menu)
        first = menu_edit.actions()[0] if menu_edit.actions() else None
        menu_edit.insertActions(first, [self.act_undo, self.act_redo])
        menu_edit.insertSeparator(first)

    def retranslate(self) -> None:
        self.menu.setTitle(translate("Corrections", "&Article"))
        for what, text in action_texts().items():
            self.actions[what].setText(text)
        self.act_clear.setText(translate("Corrections", "&Clear the Corrections of This Page"))
        self.act_explain.setText(translate("Corrections", "&Why Was the Page Split So?…"))
        self._update_undo()

    def _update_undo(self, *_args) -> None:
        stack = self.undo_stack
        self.act_undo.setText(translate("Corrections", "&Undo {what}").format(what=stack.undoText()).strip()
                              if stack.canUndo() else translate("Corrections", "&Undo"))
        self.act_redo.setText(translate("Corrections", "&Redo {what}").format(what=stack.redoText()).strip()
                              if stack.canRedo() else translate("Corrections", "&Redo"))
        self.act_undo.setEnabled(stack.canUndo())
        self.act_redo.setEnabled(stack.canRedo())

    # -- which corrections fit a line ------------------------------------------------------------
    def possible(self, article: Article | None, line: str | int | None) -> dict[str, bool]:
        """Which corrections make sense for ``line`` of ``article`` (by what they do)."""
        out = dict.fromkeys(action_texts(), False)
        if article is None or self._source_of(article) is None:
            return out
        out["merge"] = self._previous_of(article) is not None
        if line is None or not line_text(article, line):
            return out
        out["split"] = isinstance(line, int) and corr.can_split(article, line)
        now = line_role(article, line)
        for role in corr.ROLES:
            out[role] = role != now
        return out

    def update_actions(self) -> None:
        """The Article menu's entries for the article shown and the line last clicked."""
        article = self.window.reader.article
        possible = self.possible(article, self.window.reader.current_line())
        for what, action in self.actions.items():
            action.setEnabled(possible[what])
        source = self._source_of(article) if article is not None else None
        self.act_clear.setEnabled(bool(source is not None and source.corrections))
        self.act_explain.setEnabled(source is not None)

    def add_line_actions(self, menu: QMenu, article: Article, line: str | int) -> None:
        """The reading pane's context menu: the corrections for the line under the pointer."""
        possible = self.possible(article, line)
        if not any(possible.values()):
            return
        menu.addSeparator()
        for what, text in action_texts().items():
            if possible[what]:
                action = menu.addAction(text)
                action.triggered.connect(lambda _=False, w=what: self.correct(w, article, line))

    # -- correcting ------------------------------------------------------------------------------
    def correct_current(self, what: str) -> None:
        reader = self.window.reader
        self.correct(what, reader.article, reader.current_line())

    def correct(self, what: str, article: Article | None, line: str | int | None) -> bool:
        """Make the correction ``what`` (merge, split or a role) of ``line`` of ``article``;
        False when it does not fit (nothing changes)."""
        if not self.possible(article, line).get(what):
            return False
        source = self._source_of(article)
        if what == "merge":
            correction = corr.merge_with_previous(article)
            text = article.title
        elif what == "split":
            correction = corr.split_at(article, line)
            text = line_text(article, line)
        else:
            correction = corr.set_role(article, line, what)
            text = line_text(article, line)
        label = re.sub(r"\(&\w\)|&", "", action_texts()[what])  # "合并到上一篇(&M)" -> "合并到上一篇"
        command = CorrectionCommand(self, source.source.sha256, source.source.path, list(source.corrections),
                                    list(source.corrections) + [correction], label,
                                    done_text(correction, text), article.id)
        self.undo_stack.push(command)
        return True

    def clear_current(self) -> bool:
        """Drop every correction of the page the article shown is on (undoable like the others)."""
        article = self.window.reader.article
        source = self._source_of(article) if article is not None else None
        if source is None or not source.corrections:
            return False
        label = re.sub(r"\(&\w\)|&", "", self.act_clear.text())
        status = translate("Corrections", "The page is shown as the splitter made it again")
        self.undo_stack.push(CorrectionCommand(self, source.source.sha256, source.source.path,
                                               list(source.corrections), [], label, status, article.id))
        return True

    def set_corrections(self, sha256: str, path: str, corrections: list[Correction], focus: str | None,
                        status: str) -> bool:
        """Keep ``corrections`` for the source content ``sha256`` and show its articles with them
        (split again at once for a page, in the background for a large source; ``corrected`` says
        when it is shown); the list's selection goes to the article the last correction concerns
        (``focus`` None) or to ``focus``. False when they cannot be kept."""
        window = self.window
        try:
            self.store.save(sha256, corrections, source=path)
        except OSError as err:
            errors.show_error(window, translate("Corrections", "The correction cannot be kept"),
                              translate("Corrections", "{folder}: {reason}").format(
                                  folder=self.store.folder, reason=err.strerror or str(err)))
            return False
        loaded = next((s for s in window.sources if s.source.sha256 == sha256), None)
        if loaded is None:  # the page was closed meanwhile: kept, nothing to show
            window.statusBar().showMessage(status, STATUS_MS)
            return True
        generation = self._wanted[sha256] = self._wanted.get(sha256, 0) + 1
        task = workers.CallTask(generation, lambda: corrected_source(loaded.source, corrections=corrections))
        self._running[task.signals] = (task, sha256, loaded, focus, status)
        task.signals.finished.connect(self._on_resplit)
        task.signals.failed.connect(self._on_resplit_failed)
        if len(loaded.source.text) <= RESPLIT_NOW_CHARS:
            task.run()  # a page: at once (~10-25 ms)
        else:  # a whole issue: ~90 ms per 100,000 characters, away from the GUI thread
            window.statusBar().showMessage(translate("Corrections", "Splitting the page again…"))
            self.pool.start(task)
        return True

    def _on_resplit(self, result) -> None:
        """The source split again with its corrections: it replaces the open one, and the list
        shows it with the selection on ``focus``, else on what the last correction made."""
        task, sha256, loaded, focus, status = self._running.pop(self.sender(), (None,) * 5)
        if task is None or task.generation != self._wanted.get(sha256):
            return  # a newer correction of this page is on its way
        window = self.window
        new, focused = result
        at = [i for i, s in enumerate(window.sources) if s.source.sha256 == sha256]
        if not at:
            return  # closed meanwhile
        for i in at:
            window.library.sources[i] = new
        keep = focus if focus is not None else (focused[-1] if focused else None)
        if keep is None or all(a.id != keep for a in new.articles):
            old = next((a for a in loaded.articles if a.id == window.panel.current_id()), None)
            near = min(old.ordinal if old else 0, len(new.articles) - 1)
            keep = new.articles[near].id if new.articles else None
        self._show_library(keep)
        window.statusBar().showMessage(status, STATUS_MS)
        self.corrected.emit(keep or "")

    def _on_resplit_failed(self, message: str) -> None:
        task, *_rest = self._running.pop(self.sender(), (None,))
        if task is not None:
            errors.show_error(self.window, translate("Corrections", "The page cannot be split again"), message)

    def _show_library(self, keep: str | None) -> None:
        """The library's articles in the list again, ``keep`` selected; a large library over
        several event-loop passes, as a load is taken in."""
        steps = self._show_in_steps(keep)
        if sum(len(s.articles) for s in self.window.sources) < STEPWISE_MIN:
            for _step in steps:
                pass
        else:
            self.window._run_in_passes(steps)

    def _show_in_steps(self, keep: str | None):
        window = self.window
        same = keep is not None and keep == window.panel.current_id()
        scrolled = window.reader.verticalScrollBar().value()
        articles: list[Article] = []
        for start in range(0, len(window.sources), MERGE_STEP):
            articles.extend(a for s in window.sources[start:start + MERGE_STEP] for a in s.articles)
            yield
        yield from window.panel.set_articles_in_steps(articles, keep, STEPWISE_STEP)
        if keep:
            window.panel.select_article(keep)
        window._show_article(window.panel.current_article())
        if same:  # the same article, corrected: the reader stays where it was
            window.reader.verticalScrollBar().setValue(scrolled)
        window._update_status()
        yield
        window._hand_to_search(articles)  # (the changed source's entities, its index entry)
        if window.panel.search.query:
            window.search(window.panel.search.query)
        window.loading_finished.emit()  # the name counts and the timeline follow the new articles
        self.update_actions()

    def note_loaded(self, loaded: list[LoadedSource]) -> None:
        """Tell (in the status line) about corrections that were skipped or could not be read."""
        damaged = [s for s in loaded if s.notices]  # (the library logged what exactly)
        lines = [translate("Corrections", "{file}: your corrections could not be read and were set aside; the page "
                           "is shown as split").format(file=s.source.path) for s in damaged[:1]]
        skipped = [s for s in loaded if s.skipped]
        if len(skipped) == 1 and len(skipped[0].skipped) == 1:
            lines.append(translate("Corrections", "{file}: one of your corrections no longer fits the page and "
                                   "was skipped").format(file=skipped[0].source.path))
        elif len(skipped) == 1:
            lines.append(translate("Corrections", "{file}: {n} of your corrections no longer fit the page and "
                                   "were skipped").format(file=skipped[0].source.path, n=len(skipped[0].skipped)))
        elif skipped:
            lines.append(translate("Corrections", "Corrections to {n} files no longer fit their pages and were "
                                   "skipped").format(n=len(skipped)))
        if lines:
            self.window.statusBar().showMessage(" ".join(lines), 15000)

    def explain_current(self):
        """Each line of the shown article's page with the role the splitter gave it, and why."""
        from app.ui.explain_view import ExplainDialog

        article = self.window.reader.article
        source = self._source_of(article) if article is not None else None
        if source is None:
            return None
        dialog = ExplainDialog(source, article.id, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- where an article is ---------------------------------------------------------------------
    def _source_of(self, article: Article) -> LoadedSource | None:
        return next((s for s in self.window.sources if any(a.id == article.id for a in s.articles)), None)

    def _previous_of(self, article: Article) -> Article | None:
        source = self._source_of(article)
        if source is None:
            return None
        ids = [a.id for a in source.articles]
        at = ids.index(article.id) if article.id in ids else -1
        return source.articles[at - 1] if at > 0 else None
