"""File names from article titles that are safe on Windows, macOS and Linux.

A name never holds a path separator or a character Windows forbids (those are swapped for their
full-width forms, which read naturally in Chinese text), no control or format characters, no
leading dot (hidden) or trailing dot or space, no reserved device name (CON, PRN, AUX, NUL,
COM1-9, LPT1-9, any case, with or without an extension), fits in ``MAX_NAME_BYTES`` of UTF-8,
and is unique within the export even on case-insensitive file systems.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable

MAX_NAME_BYTES = 200

_FULL_WIDTH = str.maketrans({
    "/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜",
})
_RESERVED = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|clock\$|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)


def clean_stem(title: str) -> str:
    """The title as a file-name stem, or "" when nothing usable is left."""
    text = unicodedata.normalize("NFC", title).translate(_FULL_WIDTH)
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Zs", "Zl", "Zp") or ch in "\t\n\r":
            kept.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # controls, invisible format marks (bidi overrides), surrogates, unassigned
        else:
            kept.append(ch)
    stem = re.sub(r" +", " ", "".join(kept))
    return _trim(stem)


def _trim(stem: str) -> str:
    return stem.strip(" .")


def _is_reserved(stem: str) -> bool:
    return bool(_RESERVED.match(stem.split(".", 1)[0].rstrip(" ")))


def _fit(stem: str, budget: int) -> str:
    """``stem`` cut at a character boundary to at most ``budget`` UTF-8 bytes."""
    if len(stem.encode("utf-8")) <= budget:
        return stem
    data = stem.encode("utf-8")[:budget]
    cut = data.decode("utf-8", errors="ignore")
    # do not leave a dangling combining mark or a half of a joined sequence at the end
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return _trim(cut)


def safe_name(title: str, ordinal: int, suffix: str, taken: set[str]) -> str:
    """A safe, unique file name (``stem`` + ``suffix``) for one article; records it in ``taken``.

    ``taken`` holds the case-folded names already used in this export.
    """
    stem = clean_stem(title) or f"article-{ordinal + 1:03d}"
    if _is_reserved(stem):
        stem = "_" + stem
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    base = _fit(stem, budget) or f"article-{ordinal + 1:03d}"
    name = base + suffix
    n = 1
    while name.casefold() in taken:
        n += 1
        tag = f" ({n})"
        name = (_fit(base, budget - len(tag)) or "article") + tag + suffix
    taken.add(name.casefold())
    return name


def names_for(titles: Iterable[tuple[str, int]], suffix: str) -> list[str]:
    taken: set[str] = set()
    return [safe_name(title, ordinal, suffix, taken) for title, ordinal in titles]


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land elsewhere."""
    path = folder / name
    if path.parent != folder or name in ("", ".", "..") or Path(name).name != name:
        raise ValueError(f"unsafe file name {name!r}")
    return path
