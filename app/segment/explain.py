"""Why a page split as it did: each line of the source with the role the splitter gave it.

``baozhi articles FILE --explain`` prints it. The splitter fills a :class:`Trace` when it is given
one (``split_articles(text, trace=trace)``, ``split_source(text, trace=trace)``); nothing is
recorded (and nothing costs) when ``trace`` is ``None``.

Public API, for every stage of the splitter:

* ``trace.note(line, text, role, reason, article=None)`` — line ``line`` (1-based, counted in the
  text that stage was given) has the final role ``role`` (one of :data:`ROLES`) because of
  ``reason`` (a few words: "followed by a dateline", "credit line: 本报记者 + names"). A later
  note of the same line replaces the earlier one: record the role a line finally got (a candidate
  that became a kicker is ``"kicker"``). ``article`` is the line's article's position in the list
  that stage returns (None for page-level lines: page headers, separators, editors' lines).
* ``trace.remark(line, reason)`` — an extra reason kept whatever role the line is given later
  (``"joined: hard-wrapped at 24"`` for a line rejoined to the one above it).
* ``trace.view(lines=None, *, line_offset=0, article_offset=0)`` — a Trace writing into the same
  record for a stage that sees a transformed text: its line ``k`` stands for line ``lines[k-1]``
  of the original text (an int, or a sequence of ints when several original lines were joined
  into one: the note is recorded on each of them), or for ``k + line_offset`` when ``lines`` is
  None; its article numbers are shifted by ``article_offset`` (one page of a whole issue).
* ``trace.lines()`` — the notes, in line order; ``trace.to_json()`` — a list of
  ``{line, text, role, reason, article}``; ``format_trace(trace, titles)`` — the human text,
  grouped by article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ROLES = (
    "headline", "kicker", "subtitle", "byline", "dateline", "subhead", "caption", "body", "marker",
    "page header", "separator",
)


@dataclass
class LineNote:
    line: int  # 1-based, in the original text
    text: str
    role: str
    reason: str
    article: int | None = None
    remarks: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        return "; ".join([self.reason, *self.remarks] if self.reason else self.remarks)

    def to_dict(self) -> dict:
        return {"line": self.line, "text": self.text, "role": self.role, "reason": self.why, "article": self.article}


class Trace:
    """The roles given to a page's lines, and why (see the module's docstring)."""

    def __init__(self, text: str | None = None) -> None:
        """``text``: the source as given (optional); its lines are then shown as they were, however
        a later stage joined or changed them."""
        self._notes: dict[int, LineNote] = {}
        self._source = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text is not None else None
        self._map: Sequence[int | Sequence[int]] | None = None
        self._line_offset = 0
        self._article_offset = 0

    def view(self, lines: Sequence[int | Sequence[int]] | None = None, *, line_offset: int = 0,
             article_offset: int = 0) -> "Trace":
        """A Trace for a stage that sees a transformed text (see the module's docstring)."""
        child = Trace.__new__(Trace)
        child._notes = self._notes
        child._source = self._source
        # compose with this trace's own mapping
        if lines is None:
            child._map = None if self._map is None else [self._map[i] for i in range(line_offset, len(self._map))]
            child._line_offset = self._line_offset + line_offset if self._map is None else 0
        else:
            child._map = [self._original(line) for line in lines]
            child._line_offset = 0
        child._article_offset = self._article_offset + article_offset
        return child

    def _original(self, line: int | Sequence[int]) -> tuple[int, ...]:
        """The original line numbers that this trace's line (or lines) stand for."""
        if not isinstance(line, int):
            return tuple(n for one in line for n in self._original(one))
        if self._map is None:
            return (line + self._line_offset,)
        if not 1 <= line <= len(self._map):
            return (line,)
        mapped = self._map[line - 1]
        return (mapped,) if isinstance(mapped, int) else tuple(mapped)

    def note(self, line: int, text: str, role: str, reason: str, article: int | None = None) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if article is not None:
            article += self._article_offset
        for n in self._original(line):
            old = self._notes.get(n)
            remarks = old.remarks if old else []
            if self._source is not None and 1 <= n <= len(self._source):
                shown = self._source[n - 1].strip()
            else:  # the original text, when a stage gave it
                shown = old.text if old and old.text else text
            self._notes[n] = LineNote(n, shown, role, reason, article, remarks)

    def remark(self, line: int, reason: str) -> None:
        for n in self._original(line):
            note = self._notes.setdefault(n, LineNote(n, "", "body", ""))
            if reason not in note.remarks:
                note.remarks.append(reason)

    def set_text(self, line: int, text: str) -> None:
        """The original text of a line (for a stage that knows it, before later stages note it)."""
        for n in self._original(line):
            self._notes.setdefault(n, LineNote(n, text, "body", "")).text = text

    def lines(self) -> list[LineNote]:
        return [self._notes[n] for n in sorted(self._notes)]

    def to_json(self) -> list[dict]:
        return [note.to_dict() for note in self.lines()]


def format_trace(trace: Trace, titles: Sequence[str] = ()) -> str:
    """The human text: lines grouped by article (``titles[n]`` heads article ``n``), page-level
    lines where they fall. ``  12 headline   区领导调研…   (followed by a dateline)``."""
    out: list[str] = []
    current: object = object()
    notes = trace.lines()
    width = len(str(notes[-1].line)) if notes else 1
    for note in notes:
        if note.article != current:
            current = note.article
            if note.article is None:
                out.append("── page")
            else:
                title = titles[note.article] if note.article < len(titles) else ""
                out.append(f"── article {note.article}: {title or '(untitled)'}")
        text = note.text if len(note.text) <= 40 else note.text[:39] + "…"
        out.append(f"{note.line:>{width}} {note.role:<11} {text}" + (f"   ({note.why})" if note.why else ""))
    return "\n".join(out)
