"""Pinyin search over titles and names: ``jiangmen`` finds 江门, ``yangchen`` 扬尘.

Readings come from pypinyin's single-character dictionary (``pinyin_dict.json``, every reading of
every character), read directly: importing the ``pypinyin`` package would also load its 2.5 MB
phrase dictionary, which this does not need. Tones are dropped; ü is typed ``v`` or ``u``.

A text is turned into a *cell string*: one cell per character, ``|`` after each, a cell holding
the character's readings separated by ``/`` (``重庆`` -> ``zhong/chong/tong|qing|``) or ``~`` for a
character without one. A query such as ``chongqing`` is split into syllables in every possible
way (``chong qing``) and found in the cell strings by a regular expression that starts with the
first syllable as a literal (so the search skips quickly through the text); the cells it covers
give the characters that matched.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import threading
import unicodedata
from bisect import bisect_right
from pathlib import Path
from typing import Callable, NamedTuple

_LOCK = threading.Lock()
_TABLE: dict[int, str] | None = None
_SYLLABLES: frozenset[str] = frozenset()
MAX_SEGMENTATIONS = 8
MAX_QUERY = 48
QUERY_RE = re.compile(r"[a-z]{2,%d}" % MAX_QUERY)
# Every toneless syllable of the dictionary (what :func:`_load` finds in it; a test checks that
# they agree): whether a query can be read as pinyin is known without reading the dictionary,
# which a just-started program would otherwise read (0.1 s) for a Latin query that finds nothing.
SYLLABLES = frozenset("""
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu
    ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou
    chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang
    dao de dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en
    eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou
    gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
    huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai
    kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao
    le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lue lun luo lv
    lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan
    nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nue nun
    nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia
    qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou
    ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei
    shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun
    suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa
    wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan
    xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze
    zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai
    zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
""".split())


def dictionary_path() -> Path | None:
    """pypinyin's single-character dictionary: from the installed package, or beside the frozen
    program (the package build bundles only this file, as ``pypinyin/pinyin_dict.json``)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        path = Path(frozen) / "pypinyin" / "pinyin_dict.json"
        if path.is_file():
            return path
    try:
        spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "pinyin_dict.json"
        if path.is_file():
            return path
    return None


_TONES = str.maketrans({**{c: "a" for c in "āáǎà"}, **{c: "e" for c in "ēéěè"}, **{c: "i" for c in "īíǐì"},
                        **{c: "o" for c in "ōóǒò"}, **{c: "u" for c in "ūúǔù"}, **{c: "v" for c in "ǖǘǚǜü"}})


def _plain(reading: str) -> list[str]:
    """Toneless spellings of a reading: ``lǜ`` -> ``lv``, ``lu``."""
    quick = reading.translate(_TONES)
    if quick.isascii():
        return [quick, quick.replace("v", "u")] if "v" in quick else [quick]
    out = []
    decomposed = unicodedata.normalize("NFD", reading)
    for form in (decomposed.replace("u\u0308", "v"), decomposed):
        plain = "".join(c for c in form if not unicodedata.combining(c))
        plain = plain.lower()
        if plain.isascii() and plain.isalpha() and plain not in out:
            out.append(plain)
    return out


def _load() -> dict[int, str]:
    global _TABLE, _SYLLABLES
    if _TABLE is not None:
        return _TABLE
    with _LOCK:
        if _TABLE is not None:
            return _TABLE
        table: dict[int, str] = {}
        syllables: set[str] = set()
        path = dictionary_path()
        data = json.loads(path.read_text("utf-8")) if path else {}
        plain: dict[str, list[str]] = {}  # a few thousand distinct readings among 40,000 entries
        cells_of: dict[str, str | None] = {}
        for key, value in data.items():
            cell = cells_of.get(value, "")
            if cell == "":
                readings: list[str] = []
                for reading in value.split(","):
                    forms = plain.get(reading)
                    if forms is None:
                        forms = plain[reading] = [r for r in _plain(reading.strip())
                                                  if any(v in r for v in "aeiouv")]  # not "m", "ng"
                    readings.extend(r for r in forms if r not in readings)
                cell = cells_of[value] = "/".join(readings) + "|" if readings else None
                syllables.update(readings)
            if cell:
                table[int(key)] = cell
        _SYLLABLES = frozenset(syllables)
        _TABLE = table
        return table


def available() -> bool:
    return bool(_load())


class CellTable(dict):
    """str.translate table: characters with readings -> their cell, any other -> ``~|``
    (newlines stay, so a match never crosses from one name to the next)."""

    def __missing__(self, cp: int) -> str:
        return "\n" if cp == 10 else "\x00" if cp == 0 else "~|"


_CELLS: CellTable | None = None


def cells(text: str) -> str:
    """The cell string of ``text`` (folded text: Simplified, lower case); newlines and NULs are
    kept as they are, as separators."""
    global _CELLS
    if _CELLS is None:
        table = CellTable(_load())
        for cp in range(0x10000):  # no Python-level __missing__ call for any BMP character
            if cp not in table:
                table[cp] = table.__missing__(cp)
        _CELLS = table
    return text.translate(_CELLS)


def segmentations(query: str) -> list[tuple[str, ...]]:
    """Every way (at most MAX_SEGMENTATIONS) to read ``query`` as whole syllables."""
    if not QUERY_RE.fullmatch(query):
        return []
    syllables = _SYLLABLES if _TABLE is not None else SYLLABLES if dictionary_path() else frozenset()
    n = len(query)
    longest = 6
    # ways[i]: segmentations of query[i:], built from the end
    ways: list[list[tuple[str, ...]]] = [[] for _ in range(n + 1)]
    ways[n] = [()]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, min(n, i + longest) + 1):
            piece = query[i:j]
            if piece in syllables and ways[j]:
                for rest in ways[j]:
                    ways[i].append((piece, *rest))
                    if len(ways[i]) >= MAX_SEGMENTATIONS:
                        break
            if len(ways[i]) >= MAX_SEGMENTATIONS:
                break
    # fewer, longer syllables first: "xian" is 先 before 西安
    return sorted(ways[0], key=len)


def is_pinyin(query: str) -> bool:
    return bool(segmentations(query))


def pattern(query: str) -> re.Pattern | None:
    """A regular expression finding ``query`` in cell strings (``None``: not pinyin)."""
    alternatives = []
    for syllables in segmentations(query):
        parts = []
        for k, syl in enumerate(syllables):
            cell = rf"{syl}(?:/[a-z]+)*\|" if k == 0 else rf"(?:[a-z]+/)*{syl}(?:/[a-z]+)*\|"
            parts.append(cell)
        alternatives.append("".join(parts))
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def find(pat: re.Pattern, cell_text: str, lo: int = 0, hi: int | None = None):
    """``(start, end)`` of each match in ``cell_text[lo:hi]``: where it starts and ends in
    ``cell_text`` (from a cell's beginning; :func:`cell_offset` turns them into characters)."""
    hi = len(cell_text) if hi is None else hi
    for m in pat.finditer(cell_text, lo, hi):
        start = m.start()
        if start > lo and cell_text[start - 1] not in "|/\n\x00":
            continue  # inside a longer reading: "ang" in "jiang"
        if start > lo and cell_text[start - 1] == "/":
            start = max(cell_text.rfind(c, lo, start) for c in "|\n\x00") + 1
        yield start, m.end()


def cell_offset(cell_text: str, lo: int, at: int) -> int:
    """How many characters of the text lie before ``at`` in ``cell_text[lo:]`` (no separators)."""
    return cell_text.count("|", lo, at)


# ------------------------------------------------------------------ matching documents


class PinyinMatch(NamedTuple):
    """How a document matched a pinyin query: the Chinese texts read, and whether in its title."""

    texts: list[str]
    in_title: bool


NO_MATCH = PinyinMatch([], False)


def document_text(lines: list[str]) -> str:
    """One document's name lines (its title, then its person, place and org names) as one text
    of :class:`NameCells`: a line each, no NUL (which separates documents)."""
    return "\n".join(lines).replace("\x00", " ")


class NameCells:
    """A run of documents' titles and names as one cell string (documents separated by NUL), and
    where each document starts in it. ``lines(i)`` gives document ``i``'s name lines again, to
    read back the characters a match covered."""

    __slots__ = ("cells", "starts", "lines")

    def __init__(self, cell_text: str, lines: Callable[[int], list[str]]):
        self.cells = cell_text
        self.lines = lines
        starts = [0]
        at = cell_text.find("\x00")
        while at >= 0:
            starts.append(at + 1)
            at = cell_text.find("\x00", at + 1)
        self.starts = starts

    def find(self, pat: re.Pattern, skip=frozenset()) -> dict[int, PinyinMatch]:
        """Document number (of this run, not in ``skip``) -> how it matched ``pat``."""
        found: dict[int, PinyinMatch] = {}
        text, starts = self.cells, self.starts
        for start, end in find(pat, text):
            local = bisect_right(starts, start) - 1
            if local in skip:
                continue
            line_start = max(text.rfind("\n", starts[local], start), starts[local] - 1) + 1
            line_no = text.count("\n", starts[local], line_start)
            c0 = cell_offset(text, line_start, start)
            c1 = c0 + cell_offset(text, start, end)
            matched = self.lines(local)[line_no][c0:c1]
            texts, in_title = found.get(local, NO_MATCH)
            texts = texts if matched in texts else [*texts, matched]
            found[local] = PinyinMatch(texts, in_title or line_no == 0)
        return found
