"""A headline's pieces -> kicker (引题), title (主题) and subtitle (副题)."""

from __future__ import annotations

import re

from app.segment.text import CLAUSE_PREPOSITIONS, CLAUSE_PREPOSITION_WORDS, CLAUSE_VERBS, SUBJECT_SUFFIXES

# ---------------------------------------------------------------------------------------------
# Headlines: kicker / title / subtitle


def _join_pieces(pieces: list[str]) -> str:
    """Join headline pieces broken by a space; keep one space between Latin letters or digits."""
    out = ""
    for piece in pieces:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", piece[0]):
            out += " "
        out += piece
    return out


def _verb_led(piece: str) -> bool:
    p = piece.lstrip("“\"'‘「『《")
    return p[:2] in CLAUSE_VERBS or p[:1] in CLAUSE_PREPOSITIONS or p[:2] in CLAUSE_PREPOSITION_WORDS


def _preposition_led(piece: str) -> bool:
    return piece[:1] in CLAUSE_PREPOSITIONS or piece[:2] in CLAUSE_PREPOSITION_WORDS


WIDTH_BROKEN_PIECE = 8


def headline_clauses(lines: list[list[str]]) -> list[str]:
    """Re-join headline pieces into clauses. Lines are hard clause boundaries; within a line a
    piece opens a new clause when it is verb-led and the clause so far is not a bare subject or a
    short prepositional phrase, or when it is led by a dash (副题) or contains a colon title."""
    clauses: list[str] = []
    for pieces in lines:
        current: list[str] = []
        for piece in pieces:
            if not current:
                current = [piece]
                continue
            so_far = _join_pieces(current)
            bare_subject = so_far.endswith(SUBJECT_SUFFIXES)
            # A line broken by the column width leaves a long first piece; a short one
            # ("老街新生 骑楼里的烟火气回来了") is a phrase of its own.
            width_broken = len(current[-1]) >= WIDTH_BROKEN_PIECE
            latin = bool(re.match(r"[A-Za-z0-9]", piece[0]) or re.search(r"[A-Za-z0-9%]$", so_far))
            short_prep = _preposition_led(so_far) and len(so_far) <= 8 and len(current) == 1
            new_clause = (
                piece.startswith(("—", "-", "――"))
                or (_verb_led(piece) and not bare_subject and not short_prep)
                or ((":" in piece or "：" in piece) and not bare_subject)
                or (not width_broken and not bare_subject and not short_prep)
            ) and not latin
            if new_clause and len(so_far) > 2:
                clauses.append(so_far)
                current = [piece]
            else:
                current.append(piece)
        if current:
            clauses.append(_join_pieces(current))
    return clauses


def split_headline(lines: list[list[str]]) -> tuple[str | None, str, str | None]:
    """(kicker, title, subtitle) from a headline's lines of pieces."""
    clauses = headline_clauses(lines)
    if len(clauses) == 1:
        return None, clauses[0], None
    main = 0
    for i, clause in enumerate(clauses):
        if clause.startswith(("—", "-")):
            break
        if not _verb_led(clause):
            main = i
            break
    kicker = " ".join(clauses[:main]) or None
    subtitle = " ".join(clauses[main + 1:]) or None
    return kicker, clauses[main], subtitle
