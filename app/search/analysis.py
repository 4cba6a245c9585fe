"""Chinese-aware text analysis for the search index: folding and character n-grams.

Every character is folded on its own (NFKC, Traditional -> Simplified, lower case), so folding a
query gives exactly the folded form of the same characters inside an article: a substring of the
text stays a substring after folding, which is what makes 100% recall possible.

Articles are indexed as character unigrams and bigrams (one term space: a 1-character term is a
unigram, a 2-character term a bigram; those in a few articles only share hashed bucket terms),
and their whole text also as trigrams (field ``tri``: only the common trigrams have terms, see
:mod:`app.search.writer`). A 1-2 character query is one gram's posting list; a longer one is the
AND of its bigrams and common trigrams, whose candidates are then checked against the stored
folded text (except a 3-character query answered by a trigram's own term, which is exact), so
phrase queries are exact and no n-gram coincidence produces a false hit.

This module is pickled into the index's schema (:class:`GramField`): it must stay importable as
``app.search.analysis`` in every build of the program, the frozen one included.
"""

from __future__ import annotations

import pickle
import re
import threading
import unicodedata
import zlib
from bisect import bisect_right
from collections import Counter
from itertools import islice
from operator import add

from whoosh import formats
from whoosh.fields import FieldType
from whoosh.system import pack_uint

_FOLD_TABLE: dict[int, str] | None = None
_FOLD_LOCK = threading.Lock()

# Ranges worth running through the Traditional -> Simplified converter.
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


def _build_fold_table() -> dict[int, str]:
    import opencc  # the converter's own dictionaries, loaded once

    table: dict[int, str] = {}
    converter = opencc.OpenCC("t2s")
    # Characters one at a time, separated so the converter's phrase rules never join them.
    chars = [chr(cp) for lo, hi in _CJK_RANGES for cp in range(lo, hi)]
    converted = converter.convert("\n".join(chars)).split("\n")
    t2s = {}
    if len(converted) == len(chars):
        t2s = {c: s for c, s in zip(chars, converted) if s != c and len(s) == 1}
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        out = unicodedata.normalize("NFKC", ch)
        out = "".join(t2s.get(c, c) for c in out).lower()
        if out.isspace() or (ch.isspace() and ch != "\n"):
            out = " "
        if ch == "\n":
            out = "\n"
        if out != ch:
            table[cp] = out
    return table


def fold_table() -> dict[int, str]:
    global _FOLD_TABLE
    if _FOLD_TABLE is None:
        with _FOLD_LOCK:
            if _FOLD_TABLE is None:
                _FOLD_TABLE = _build_fold_table()
    return _FOLD_TABLE


def save_fold_table(path) -> None:
    """Keep the fold table beside an index: building it (OpenCC's dictionary over every CJK
    character) costs a tenth of a second or more, which a just-opened index's first search would
    otherwise pay. Written and read with the index's own versions of OpenCC and Unicode (its
    format marker checks them), so a saved table is the one this program would build."""
    with open(path, "wb") as fh:
        pickle.dump(fold_table(), fh, protocol=5)


def load_fold_table(path) -> bool:
    """Use a table :func:`save_fold_table` wrote unless one is built already; False when the
    file is missing or unreadable (the table is then built when first needed)."""
    global _FOLD_TABLE
    if _FOLD_TABLE is not None:
        return True
    try:
        with open(path, "rb") as fh:
            table = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a missing or damaged copy is only slower
        return False
    if not isinstance(table, dict) or not all(type(k) is int and type(v) is str for k, v in islice(table.items(), 64)):
        return False
    with _FOLD_LOCK:
        if _FOLD_TABLE is None:
            _FOLD_TABLE = table
    return True


def char_class(code_points) -> str:
    """A regular expression's character class of ``code_points``, as ranges: written one by one,
    the thousand characters that fold to several took a just-started program 14 ms to compile
    (its first snippet), and the table's 30,000 a tenth of a second."""
    cps = sorted(set(code_points))
    parts = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        parts.append(lo if i == j else f"{lo}{hi}" if j == i + 1 else f"{lo}-{hi}")
        i = j + 1
    return "[" + "".join(parts) + "]" if parts else "[^\\s\\S]"


def _folds_re() -> re.Pattern:
    """Any character the table changes (compiled on first use: a tenth of a second)."""
    global _FOLDS
    if _FOLDS is None:
        table = fold_table()
        _FOLDS = re.compile(char_class(table))
    return _FOLDS


_FOLDS: re.Pattern | None = None


def prepare_folding() -> None:
    """Build the fold table and compile :func:`fold`'s expression now: for a thread that works
    ahead of the one that will fold (the window's search thread; the GUI thread folds the query
    to mark its hits, and on a just-opened window's first search the expression cost it ~20 ms)."""
    fold_table()
    _folds_re()


_SAMPLE = 256  # characters looked at to choose how to fold a text
_SPARSE = _SAMPLE // 12  # changed characters in the sample below which the sparse way is used
_SHORT = 64  # texts below this length (queries) are translated without the expression


def fold(text: str) -> str:
    """Full-width -> half-width (NFKC), Traditional -> Simplified, lower case; char by char.

    In Simplified Chinese text about one character in twenty changes (mostly full-width
    punctuation): replacing just those through a regular expression is three times as fast as
    ``str.translate``, which looks every character up in the table (the window folds the whole
    library for its search before the index is ready). Text where many change (Traditional
    Chinese) goes through ``translate``, faster there."""
    if text.isascii():
        return text.lower()
    table = fold_table()
    if len(text) < _SHORT:
        return text.translate(table)
    folds = _folds_re()
    if len(folds.findall(text, 0, _SAMPLE)) >= _SPARSE:
        return text.translate(table)
    return folds.sub(_fold_match, text)


def changed_chars(text: str):
    """The matches of every character :func:`fold` changes in ``text``."""
    return _folds_re().finditer(text)


def _fold_match(match: re.Match) -> str:
    return _FOLD_TABLE[ord(match.group())]


def fold_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when its length differs, each folded char's offset in ``text``."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    table = fold_table()
    starts: list[int] = []
    for i, ch in enumerate(text):
        starts.extend([i] * len(table.get(ord(ch), ch)))
    starts.append(len(text))
    return folded, starts


_EXPANDING = None


def _expanding_re():
    global _EXPANDING
    if _EXPANDING is None:
        _EXPANDING = re.compile(char_class([cp for cp, out in fold_table().items() if len(out) > 1]))
    return _EXPANDING


class OffsetMap:
    """Maps offsets in ``fold(text)`` back to ``text`` (they differ after a char like ``…``
    that folds to several); costs nothing for the usual text where no char expands."""

    def __init__(self, text: str):
        table = fold_table()
        self._pos: list[int] = []  # original offset of each expanding char
        self._fstart: list[int] = []  # its first folded offset
        self._shift: list[int] = []  # total extra folded chars up to and including it
        shift = 0
        if not text.isascii():
            for m in _expanding_re().finditer(text):
                pos = m.start()
                self._pos.append(pos)
                self._fstart.append(pos + shift)
                shift += len(table[ord(m.group())]) - 1
                self._shift.append(shift)

    def start(self, f: int) -> int:
        k = bisect_right(self._fstart, f) - 1
        if k < 0:
            return f
        extra = self._shift[k] - (self._shift[k - 1] if k else 0)
        if f <= self._fstart[k] + extra:
            return self._pos[k]
        return f - self._shift[k]

    def end(self, f: int) -> int:
        k = bisect_right(self._fstart, f - 1) - 1
        if k < 0:
            return f
        extra = self._shift[k] - (self._shift[k - 1] if k else 0)
        if f - 1 <= self._fstart[k] + extra:
            return self._pos[k] + 1
        return f - self._shift[k]


def gram_counts(folded: str) -> Counter:
    """Unigram and bigram frequencies of folded text; grams never cross a newline."""
    counts: Counter = Counter()
    for part in folded.split("\n"):
        if not part:
            continue
        counts.update(part)
        if len(part) > 1:
            counts.update(map(add, part, part[1:]))
    counts.pop(" ", None)
    return counts


def trigram_counts(folded: str) -> Counter:
    """Trigram frequencies of folded text; trigrams never cross a newline."""
    return Counter(_TRIGRAMS.findall(folded))


_TRIGRAMS = re.compile(r"(?=([^\n]{3}))")


def trigram_buckets(doc_count: int) -> int:
    """How many bucket terms a segment of ``doc_count`` documents shares its rare trigrams among."""
    n = 256
    while n < 65536 and n < 4 * doc_count:
        n *= 2
    return n


def gram_buckets(doc_count: int) -> int:
    """How many bucket terms a segment of ``doc_count`` documents shares its rare unigrams and
    bigrams among (field ``all``: those in at most a few documents, see app.search.writer)."""
    n = 1024
    while n < 32768 and n < 2 * doc_count:
        n *= 2
    return n


def bucket_term(number: int) -> str:
    """A bucket's term: a newline never occurs inside a gram, so no real trigram looks like it."""
    return f"\n{number:04x}"


def trigram_bucket(gram: str, buckets: int) -> str:
    """The shared term that holds a rare trigram's postings (with other rare trigrams')."""
    return bucket_term(zlib.crc32(gram.encode("utf-8")) & (buckets - 1))


def query_trigrams(folded: str) -> list[str]:
    """The distinct trigrams of a literal (none below 3 characters)."""
    if len(folded) < 3:
        return []
    return list(dict.fromkeys(map(add, map(add, folded, folded[1:]), folded[2:])))


def query_grams(folded: str) -> list[str]:
    """The index terms whose postings hold every text containing ``folded``."""
    if len(folded) == 1:
        return [folded]
    seen = dict.fromkeys(map(add, folded, folded[1:]))
    return list(seen)


class GramField(FieldType):
    """An indexed (not stored) field of unigrams + bigrams with term frequencies.

    The value passed to ``add_document`` must already be folded (see :func:`fold`).
    """

    def __init__(self, field_boost: float = 1.0):
        self.format = formats.Frequency(field_boost=field_boost)
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value, **kwargs):
        for gram, freq in gram_counts(value).items():
            yield gram.encode("utf-8"), freq, float(freq), pack_uint(freq)

    def process_text(self, qstring, mode="", **kwargs):
        return iter(query_grams(fold(qstring)))

    def self_parsing(self):
        return False

    def has_morph(self):
        return False
