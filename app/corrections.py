"""The reader's corrections of the splitter, kept per source and applied after every split.

When the splitter is wrong the reader can say so: merge an article with the previous one, split
one at a paragraph, or give a line another role (title, kicker, subtitle, byline, body). Each
correction is one :class:`Correction`, anchored by text (the article's title and the start of its
first paragraph, the line's own text) rather than by position alone, so it still finds its place
when the splitter improves; one whose anchor is gone is skipped and reported, never an error.

Corrections are kept in one small JSON file per source content (its SHA-256) in the user's data
folder (:func:`app.paths.corrections_dir`), written atomically; a file that cannot be read is set
aside with a notice. :func:`apply_corrections` is what :mod:`app.library` runs after
``split_source``, so the window and the command line see the same corrected articles.

Qt-free, like the rest of the core.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.model import Article, Paragraph

FORMAT_VERSION = 1
ANCHOR_CHARS = 32  # a paragraph is found again by this many of its first characters
HEADLINE_ROLES = ("kicker", "title", "subtitle")
PARAGRAPH_ROLES = ("body", "byline")
ROLES = HEADLINE_ROLES + PARAGRAPH_ROLES
OPS = ("merge", "split", "role")


@dataclass(frozen=True)
class Correction:
    """One correction, as the reader made it.

    ``title``, ``first`` and ``ordinal`` find the article (its title, the start of its first
    paragraph, its place on the page when it was made); ``line`` is the text of the line a split
    or a role change is about (a paragraph's first :data:`ANCHOR_CHARS` characters, a headline
    line whole); ``role`` is the role a ``role`` correction gives it."""

    op: str  # merge (with the previous article) | split (before ``line``) | role
    title: str = ""
    first: str = ""
    ordinal: int = 0
    line: str = ""
    role: str = ""

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v or k in ("op", "ordinal")}

    @classmethod
    def from_dict(cls, data: dict) -> "Correction":
        if not isinstance(data, dict):
            raise ValueError("a correction is not an object")
        op = data.get("op")
        role = str(data.get("role", ""))
        if op not in OPS or (op == "role" and role not in ROLES):
            raise ValueError(f"unknown correction {op!r}")
        ordinal = data.get("ordinal", 0)
        if type(ordinal) is not int:
            raise ValueError("ordinal is not a whole number")
        return cls(op=op, title=str(data.get("title", "")), first=str(data.get("first", "")),
                   ordinal=ordinal, line=str(data.get("line", "")), role=role)

    def describe(self) -> str:
        """One line for a notice: what it was and where."""
        where = f"“{self.title}”" if self.title else f"article {self.ordinal + 1}"
        if self.op == "merge":
            return f"merge {where} with the previous article"
        if self.op == "split":
            return f"split {where} at “{self.line[:16]}”"
        return f"make “{self.line[:16]}” the {self.role} of {where}"


# -- making corrections (the window calls these for the article and line the reader pointed at) --


def anchor_of(article: Article) -> dict:
    """The fields that find ``article`` again."""
    first = article.paragraphs[0].text[:ANCHOR_CHARS] if article.paragraphs else ""
    return {"title": article.title, "first": first, "ordinal": article.ordinal}


def merge_with_previous(article: Article) -> Correction:
    return Correction("merge", **anchor_of(article))


def split_at(article: Article, paragraph: int) -> Correction:
    """Split ``article`` so that a new article starts at its paragraph number ``paragraph`` (>= 1)."""
    if not 1 <= paragraph < len(article.paragraphs):
        raise ValueError("a split needs paragraphs before and after it")
    return Correction("split", line=article.paragraphs[paragraph].text[:ANCHOR_CHARS], **anchor_of(article))


def set_role(article: Article, line: str | int, role: str) -> Correction:
    """Give a line of ``article`` the ``role``: ``line`` is a headline slot ("kicker", "title",
    "subtitle") or a paragraph's number."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if isinstance(line, int):
        text = article.paragraphs[line].text[:ANCHOR_CHARS]
    else:
        text = getattr(article, line) or ""
    if not text:
        raise ValueError("that line is empty")
    return Correction("role", line=text, role=role, **anchor_of(article))


def can_split(article: Article, paragraph: int) -> bool:
    return 1 <= paragraph < len(article.paragraphs)


# -- applying ----------------------------------------------------------------------------------


@dataclass
class Applied:
    """The corrected articles, the corrections that were skipped (their anchor is gone), and for
    each correction the id of the article it produced or changed (None when skipped)."""

    articles: list[Article]
    skipped: list[Correction] = field(default_factory=list)
    focus: list[str | None] = field(default_factory=list)


def apply_corrections(articles: list[Article], corrections: list[Correction], source_key: str = "") -> Applied:
    """``articles`` (one source's, from the splitter) with ``corrections`` applied in order.

    The articles given are not changed. An article that is the same keeps its id (a merge keeps
    the first article's, a split the first part's and gives the new part one of its own); ordinals
    are renumbered to the new page order."""
    if not corrections:
        return Applied(list(articles))
    out = [copy.copy(a) for a in articles]
    for a in out:
        a.paragraphs = list(a.paragraphs)
        a.authors, a.author_roles, a.entities = list(a.authors), list(a.author_roles), list(a.entities)
    applied = Applied(out)
    for correction in corrections:
        i = _find_article(out, correction)
        done = None if i is None else _apply(out, i, correction, source_key)
        if done is None:
            applied.skipped.append(correction)
        applied.focus.append(done)
    for n, article in enumerate(out):
        article.ordinal = n
    return applied


def _find_article(articles: list[Article], c: Correction) -> int | None:
    """The article ``c`` was made on: its title and first words, else either, nearest its place."""
    def first_of(a: Article) -> str:
        return a.paragraphs[0].text[:ANCHOR_CHARS] if a.paragraphs else ""

    tiers = [
        [i for i, a in enumerate(articles) if a.title == c.title and first_of(a) == c.first],
        [i for i, a in enumerate(articles) if c.first and first_of(a).startswith(c.first[:12])
         and (not c.title or a.title == c.title or c.op == "role")],
        [i for i, a in enumerate(articles) if c.title and a.title == c.title],
    ]
    for found in tiers:
        if found:
            return min(found, key=lambda i: abs(i - c.ordinal))
    return None


def _apply(articles: list[Article], i: int, c: Correction, source_key: str) -> str | None:
    article = articles[i]
    if c.op == "merge":
        if i == 0:
            return None
        previous = articles[i - 1]
        _merge(previous, article)
        for other in articles:
            if other.related_to == article.id:
                other.related_to = previous.id
        del articles[i]
        return previous.id
    if c.op == "split":
        at = _paragraph_at(article, c.line, start=1)
        if at is None:
            return None
        new = _split(article, at)
        new.ordinal = i + 1
        taken = {a.id for a in articles}
        salt = ""
        new.assign_id(source_key)
        while new.id in taken:  # an untitled part where an untitled article was: another id
            salt += "+"
            new.assign_id(source_key + salt)
        articles.insert(i + 1, new)
        return new.id
    return article.id if _set_role(article, c.line, c.role) else None


def _paragraph_at(article: Article, line: str, start: int = 0) -> int | None:
    if not line:
        return None
    for n in range(start, len(article.paragraphs)):
        if article.paragraphs[n].text.startswith(line):
            return n
    return None


def _merge(previous: Article, article: Article) -> None:
    """``article`` appended to ``previous``: its headline lines become subheads."""
    heads = [Paragraph(text, "subhead") for text in (article.kicker, article.title, article.subtitle) if text]
    previous.paragraphs = previous.paragraphs + heads + article.paragraphs
    credits = previous.credits
    names = {name for _role, name in credits}
    credits += [(role, name) for role, name in article.credits if name not in names]
    previous.authors = [name for _role, name in credits]
    previous.author_roles = [role for role, _name in credits]
    previous.date = previous.date or article.date
    previous.entities = []


def _split(article: Article, at: int) -> Article:
    """The paragraphs from ``at`` on leave ``article`` as a new article; a subhead there is its title."""
    tail = article.paragraphs[at:]
    article.paragraphs = article.paragraphs[:at]
    title = ""
    if tail[0].kind == "subhead":
        title, tail = tail[0].text, tail[1:]
    credits = article.credits
    new = Article(title=title, paragraphs=tail, date=article.date, source=article.source,
                  related_to=article.related_to, page=article.page, page_name=article.page_name,
                  issue_date=article.issue_date, page_lines=article.page_lines)
    _credit(new, credits)
    _credit(article, credits, keep_unplaced=True)
    article.entities = []
    return new


def _credit(article: Article, credits: list[tuple[str, str]], keep_unplaced: bool = False) -> None:
    """The authors again, as the splitter finds them: the credits of the article's dateline and of
    its byline paragraphs (a role the page gave before kept where these give none). With
    ``keep_unplaced`` the ``credits`` stay when the text names nobody."""
    from app.segment.lines import credits_of, parse_dateline

    found: list[tuple[str, str]] = []
    for p in article.paragraphs:
        dateline = parse_dateline(p.text) if p.kind == "body" else None
        if dateline is not None:
            if dateline.credits:
                found.extend(credits_of(dateline.credits))
            break
    for p in article.paragraphs:
        if p.kind == "byline":
            found.extend(credits_of(p.text.strip(" ()（）【】[]")))
    if keep_unplaced and not found:
        found = list(credits)
    before = {name: role for role, name in credits}
    roles: dict[str, str] = {}
    for role, name in found:
        if not roles.get(name):
            roles[name] = role or before.get(name, "")
    article.authors, article.author_roles = list(roles), list(roles.values())


def _set_role(article: Article, line: str, role: str) -> bool:
    """Give the line starting with ``line`` the ``role``; the line that had that (headline) role
    takes its place. False when there is no such line."""
    slot = next((s for s in HEADLINE_ROLES if (getattr(article, s) or "") == line and line), None)
    n = None if slot is not None else _paragraph_at(article, line)
    if slot is None and n is None:
        return False
    text = getattr(article, slot) if slot is not None else article.paragraphs[n].text
    kind_before = article.paragraphs[n].kind if n is not None else slot
    if role in HEADLINE_ROLES:
        if slot == role:
            return True
        displaced = getattr(article, role) or None
        setattr(article, role, text)
        if slot is not None:
            setattr(article, slot, "" if slot == "title" and displaced is None else displaced)
        elif displaced:
            article.paragraphs[n] = Paragraph(displaced, "subhead")
        else:
            del article.paragraphs[n]
    else:
        if slot is not None:
            setattr(article, slot, "" if slot == "title" else None)
            article.paragraphs.insert(0, Paragraph(text, role))
        else:
            article.paragraphs[n] = Paragraph(text, role)
    if role == "byline" or kind_before == "byline":
        _credit(article, article.credits, keep_unplaced=False)
    article.entities = []
    return True


# -- the store ---------------------------------------------------------------------------------


def digest(corrections: list[Correction], splitter_version: str = "") -> str:
    """A short digest of ``corrections`` (and the splitter they were applied to), for cache keys."""
    text = json.dumps([c.to_dict() for c in corrections], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{splitter_version}\x00{text}".encode()).hexdigest()[:12]


class CorrectionStore:
    """One JSON file per source content hash in ``folder``: ``{"version": 1, "source": path,
    "corrections": [...]}``. ``notices`` collects what the reader should be told (a file set aside)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.notices: list[str] = []

    def path_of(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def corrected(self) -> set[str]:
        """The content hashes that have a corrections file, the folder listed once (none when it
        cannot be read): which sources must be loaded whole to be corrected."""
        try:
            return {name[:-5] for name in os.listdir(self.folder) if name.endswith(".json")}
        except OSError:
            return set()

    def load(self, sha256: str) -> list[Correction]:
        path = self.path_of(sha256)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as err:
            self.notices.append(f"The corrections in {path} cannot be read ({err.strerror or err}); "
                                "the page is shown as split.")
            return []
        try:
            data = json.loads(raw.decode("utf-8"))  # (a UnicodeDecodeError is a ValueError)
            if not isinstance(data, dict) or not isinstance(data.get("corrections"), list):
                raise ValueError("not a corrections file")
            if data.get("version") != FORMAT_VERSION:
                raise ValueError(f"format version {data.get('version')!r}")
            return [Correction.from_dict(c) for c in data["corrections"]]
        except ValueError as err:
            kept = self._set_aside(path)
            where = f"; it was kept as {kept.name}" if kept else ""
            self.notices.append(f"The corrections in {path} are damaged ({err}) and were set aside{where}; "
                                "the page is shown as split.")
            return []

    def save(self, sha256: str, corrections: list[Correction], source: str = "") -> None:
        """Write atomically (a temporary file moved into place); no corrections removes the file.
        Raises ``OSError`` when the folder cannot be written."""
        path = self.path_of(sha256)
        if not corrections:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            return
        data = {"version": FORMAT_VERSION, "source": source, "corrections": [c.to_dict() for c in corrections]}
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def _set_aside(self, path: Path) -> Path | None:
        target = path.with_name(f"{path.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json")
        try:
            os.replace(path, target)
            return target
        except OSError:
            return None
