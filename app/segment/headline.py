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


def is_couplet(pieces: list[str]) -> bool:
    """Two halves of equal length (3 to 7 characters, all CJK), such as ``山歌进校园 非遗有传承`` or
    ``稳就业 促增收``: a parallel (对仗) headline, read as one clause."""
    return (len(pieces) == 2 and len(pieces[0]) == len(pieces[1]) and 3 <= len(pieces[0]) <= 7
            and all(CJK_ONLY_RE.fullmatch(p) for p in pieces))


CJK_ONLY_RE = re.compile(r"[\u4e00-\u9fff]+")


def headline_clauses(lines: list[list[str]]) -> list[str]:
    """Re-join headline pieces into clauses. Lines are hard clause boundaries; within a line a
    piece opens a new clause when it is verb-led and the clause so far is not a bare subject or a
    short prepositional phrase, or when it is led by a dash (副题) or contains a colon title."""
    clauses: list[str] = []
    for pieces in lines:
        if is_couplet(pieces):  # "山歌进校园 非遗有传承": one title in two matched halves
            clauses.append(" ".join(pieces))
            continue
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


KICKER_CUE_RE = re.compile(
    r"^[□■●◆◇▲△★☆◎]"  # a bulleted line over the title: □“……”后续
    r"|^《[^》]{1,20}》\s*(?:系列|之)"  # 《……》系列报道之三
    r"|系列(?:报道|评论|调查|访谈|述评)|(?:后续|追踪|回访|追记|之[一二三四五六七八九十]+)$"
    r"|(?:——|：|:)$"  # a lead-in: "昨夜今晨，本报记者跟随……见证——"
    r"|(?:本报|记者).{0,12}(?:跟随|走进|探访|直击|见证|蹲点|体验|夜访|跟访|追访|暗访|实探|连线|走访)"
)


def kicker_cue(line: str) -> str | None:
    """Why a headline's first line is a kicker (引题, 肩题) over the title, or None."""
    m = KICKER_CUE_RE.search(line)
    if not m:
        return None
    cue = m.group(0)
    if line[:1] in "□■●◆◇▲△★☆◎":
        return "bulleted line over the title"
    if "系列" in line or cue.startswith(("《", "之")):
        return "series label over the title"
    if cue in ("后续", "追踪", "回访", "追记"):
        return "follow-up label over the title"
    if cue in ("——", "：", ":"):
        return "lead-in line over the title"
    return "reporter's-eye clause over the title"


def split_headline(lines: list[list[str]]) -> tuple[str | None, str, str | None]:
    """(kicker, title, subtitle) from a headline's lines of pieces."""
    return split_headline_explained(lines)[:3]


def split_headline_explained(lines: list[list[str]]) -> tuple[str | None, str, str | None, str]:
    """(kicker, title, subtitle, why) from a headline's lines of pieces. A first line with a
    kicker's cue (bullet, series label, follow-up, lead-in, a reporter's-eye clause), or the
    first of three lines whose second is not a dash subtitle, is the kicker; else clauses decide."""
    joined = [_join_pieces(pieces) for pieces in lines]
    if len(lines) >= 2:
        cue = kicker_cue(joined[0])
        if not cue and len(lines) == 2 and len(joined[0]) <= 4 and len(joined[1]) >= 2 * len(joined[0]):
            cue = "short column label over the title"  # 读者来信, 记者手记, 图片新闻
        three = len(lines) >= 3 and not joined[1].startswith(("—", "-")) and not joined[0].startswith(("—", "-"))
        if cue or three:
            kicker = " ".join(headline_clauses(lines[:1]))
            title_lines = lines[1:]
            if len(title_lines) >= 2:  # title, then the subtitle lines
                title = " ".join(headline_clauses(title_lines[:1]))
                subtitle = " ".join(headline_clauses(title_lines[1:]))
                return kicker, title, subtitle, cue or "three headline lines: kicker, title, subtitle"
            inner_kicker, title, subtitle = _split_clauses(title_lines)
            if inner_kicker:
                kicker = f"{kicker} {inner_kicker}"
            return kicker, title, subtitle, cue or "three headline lines: kicker, title, subtitle"
    kicker, title, subtitle = _split_clauses(lines)
    if kicker:
        why = "verb-led clause above the title"
    elif subtitle:
        why = "dash subtitle" if subtitle.startswith(("—", "-")) else "clause after the title"
    else:
        why = ""
    return kicker, title, subtitle, why


def _split_clauses(lines: list[list[str]]) -> tuple[str | None, str, str | None]:
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
