"""The index's compact format (issue #19): postings as machine arrays, texts in GB 18030 with the
original as a patch of the folded text, records in a column of their own; and a just-opened
index that answers its first search without reading every record or building the fold table."""

from __future__ import annotations

import pickle
import random

import pytest
from types import SimpleNamespace

import app.search.analysis as analysis
from app.search import SearchIndex
from app.search.analysis import fold
from app.search.records import pack_original, pack_text, unpack_original, unpack_text
from app.search.whoosh_private import decode_postings, encode_postings
from app.search.writer import RARE_GRAM
from tests.benchmarks.corpus import archive


@pytest.fixture(scope="module")
def sources():
    return archive(400, seed=19)


@pytest.fixture(scope="module")
def built(tmp_path_factory, sources):
    index_dir = tmp_path_factory.mktemp("ix")
    with SearchIndex(index_dir) as index:
        index.update(sources)
    return index_dir


def test_postings_round_trip_whatever_their_gaps_and_frequencies():
    rng = random.Random(3)
    for top, tf_top in ((200, 1), (60_000, 3), (5_000_000, 300), (70_000, 70_000)):
        ids = sorted(rng.sample(range(top), min(top, 500)))
        tfs = [rng.randint(1, tf_top) for _ in ids]
        for compress in (False, True):
            got_ids, got_tfs = decode_postings(encode_postings(ids, tfs, compress=compress))
            assert got_ids == ids
            assert got_tfs == tfs
        assert decode_postings(encode_postings(ids)) == (ids, [1] * len(ids))
    # a posting is a byte or two, not a pickled Python number
    assert len(encode_postings(list(range(0, 2000, 3)), [1] * 667)) < 700


@pytest.mark.parametrize("text", [
    "江门日报讯（记者／李雨溪）本报今日刊出",  # full-width punctuation: a patch
    "區領導調研大氣污染防治工作",  # Traditional characters
    "省略号……之后的文字，还有很长的一段话没有说完呢",  # characters folding to three: a patch
    "ＡＢＣ１２３全角",  # most characters change: the whole text
    "纯简体中文没有需要折叠的字",  # nothing changes: nothing kept
    "……",
    "A lone surrogate \udc80 stays",
])
def test_the_stored_text_gives_back_exactly_the_original(text):
    folded = fold(text)
    assert unpack_text(pack_text(folded)) == folded
    assert unpack_original(pack_original(text, folded), folded) == text


def test_the_original_and_folded_texts_take_fewer_bytes_than_one_in_utf8(sources):
    texts = [index_text(a) for s in sources[:20] for a in s.articles]
    utf8 = sum(len(t.encode("utf-8")) for t in texts)
    stored = sum(len(pack_text(fold(t))) + len(pickle.dumps(pack_original(t, fold(t)), 5)) for t in texts)
    assert stored < 0.85 * utf8


def test_a_just_opened_index_reads_only_its_candidates(built, sources):
    index = SearchIndex(built)
    result = index.search("记者")
    assert result.total > 100 and len(result.hits) == 20
    read = sum(text is not None for placed in index._loaded.segments for text in placed.seg.folded)
    assert read < result.total / 2  # the hot list and the title matches, not every article
    everything = index.search("记者", limit=None)
    assert {h.id for h in everything.hits} == {
        a.id for s in sources for a in s.articles if "记者" in fold(index_text(a))}
    index.close()


def index_text(article) -> str:
    from app.search import searchable_text

    return searchable_text(article)


def test_opening_an_index_uses_the_fold_table_saved_with_it(built, monkeypatch):
    monkeypatch.setattr(analysis, "_FOLD_TABLE", None)
    monkeypatch.setattr(analysis, "_FOLDS", None)

    def no_build():
        raise AssertionError("the fold table was built again")

    monkeypatch.setattr(analysis, "_build_fold_table", no_build)
    with SearchIndex(built) as index:
        assert index.search("記者").total > 100  # folded with the saved table


def test_preloading_reads_every_record_once(built, sources):
    with SearchIndex(built) as index:
        index.search("记者")
        count = sum(len(s.articles) for s in sources)
        first = index.preload()
        assert 0 < first < count  # the search had read some already
        assert all(text is not None for placed in index._loaded.segments for text in placed.seg.folded)
        assert index.preload() == 0


def test_preloading_reports_how_far_it_has_read_after_each_chunk(built, sources):
    """The window freezes what has been read so far as the read goes on (app.ui.process): it is
    told after each chunk, outside the index's lock, how many records have been read."""
    with SearchIndex(built) as index:
        reported: list[tuple[int, bool]] = []

        def read_so_far(n: int) -> None:
            reported.append((n, not index._lock._is_owned()))  # not called under the lock

        assert index.article_count > 14  # opened, nothing read yet
        read = index.preload(chunk=7, read_so_far=read_so_far)
        assert read > 14
        assert [n for n, _ in reported] == sorted({n for n, _ in reported})  # growing, once each
        assert reported[-1][0] == read and all(free for _, free in reported)
        assert len(reported) >= read // 7  # after every chunk (a segment's last may be short)


def test_once_a_segments_texts_are_all_read_its_mapped_column_is_let_go_and_still_reads(built, monkeypatch):
    """Preloading keeps every text; the mapped text column, read through once, stayed resident
    beside them (at 100k articles ~190 MB more in the window). Its pages are given back, and a
    read after that still gives the same bytes."""
    import mmap

    if not hasattr(mmap.mmap, "madvise") or not hasattr(mmap, "MADV_DONTNEED"):
        pytest.skip("no madvise here: the pages are left to the system")
    with SearchIndex(built) as fresh:
        before = fresh.search("记者", limit=None)
    with SearchIndex(built) as index:
        assert index.article_count > 0  # opened, no text read
        segments = [placed.seg for placed in index._loaded.segments]
        first = {seg.key: seg.texts(0) for seg in segments}
        dropped: list[str] = []
        for seg in segments:
            real = seg.texts.drop_pages
            monkeypatch.setattr(seg.texts, "drop_pages", lambda real=real, key=seg.key: (dropped.append(key), real()))
        assert index.preload() > 0
        assert sorted(dropped) == sorted(seg.key for seg in segments)  # each once, after its read
        assert {seg.key: seg.texts(0) for seg in segments} == first
        assert index.preload() == 0 and len(dropped) == len(segments)  # nothing read: nothing dropped
        after = index.search("记者", limit=None)
        assert [h.id for h in after.hits] == [h.id for h in before.hits] and after.total == before.total > 0


def test_the_text_columns_are_read_without_read_ahead_except_when_read_through(built, monkeypatch):
    """A search reads its candidates' texts here and there in the mapped text columns: the map is
    opened for random reads (the system's read-ahead had one search of a just-opened 100k index
    read 190 MB of them from disk). Preloading, which reads every text in order, asks for
    read-ahead again first; the texts read are the same either way."""
    import mmap

    import app.search.whoosh_private as whoosh_private

    if not hasattr(mmap.mmap, "madvise") or not hasattr(mmap, "MADV_RANDOM"):
        pytest.skip("no madvise here: the system reads as it will")
    advice: list[tuple[int, int]] = []

    class Recorded:
        def __init__(self, *args, **kwargs):
            self._map = mmap.mmap(*args, **kwargs)

        def __getitem__(self, key):
            return self._map[key]

        def madvise(self, option, *args):
            advice.append((self, option))
            return self._map.madvise(option, *args)

    monkeypatch.setattr(whoosh_private, "mmap", SimpleNamespace(
        mmap=Recorded, ACCESS_READ=mmap.ACCESS_READ, MADV_RANDOM=mmap.MADV_RANDOM,
        MADV_NORMAL=mmap.MADV_NORMAL, MADV_DONTNEED=mmap.MADV_DONTNEED))
    with SearchIndex(built) as fresh:
        before = fresh.search("记者", limit=None)
    advice.clear()
    with SearchIndex(built) as index:
        assert index.article_count > 0
        maps = {who for who, _ in advice}
        assert maps and all(option == mmap.MADV_RANDOM for _, option in advice)  # opened: random reads
        advice.clear()
        assert index.preload() > 0
        firsts = {}
        for who, option in advice:
            firsts.setdefault(who, option)
        assert set(firsts) == maps and set(firsts.values()) == {mmap.MADV_NORMAL}  # read-ahead, then the read
        after = index.search("记者", limit=None)
    assert [h.id for h in after.hits] == [h.id for h in before.hits] and after.total == before.total > 0


def test_rare_grams_in_shared_buckets_are_found_exactly(built, sources):
    """Unigrams and bigrams in a few articles only (of the text and of the titles) share bucket
    terms; searching them still finds exactly the articles holding them."""
    articles = [a for s in sources for a in s.articles]
    texts = {a.id: fold(index_text(a)) for a in articles}
    titles = {a.id: fold(a.title) for a in articles}
    rng = random.Random(5)
    with SearchIndex(built) as index:
        checked = 0
        for article in rng.sample(articles, 60):
            for field, pool in (("", texts), ("title:", titles)):
                text = pool[article.id]
                for n in (1, 2):
                    at = rng.randrange(max(1, len(text) - n))
                    gram = text[at:at + n]
                    if not gram.strip() or '"' in gram or "\n" in gram or ":" in gram or " " in gram:
                        continue
                    want = {i for i, t in pool.items() if gram in t}
                    got = {h.id for h in index.search(f'{field}"{gram}"', limit=None).hits}
                    assert got == want, (field, gram)
                    checked += len(want) <= RARE_GRAM  # a rare one, from a bucket
        assert checked > 20


def test_a_just_opened_index_checks_its_candidates_by_their_text_alone(built, sources):
    # most articles start "江门日报讯": each is a candidate whose text is checked; only those
    # ranked have their record (title, spans, names) read
    index = SearchIndex(built)
    result = index.search("江门日报讯")
    holding = sum("江门日报讯" in fold(index_text(a)) for s in sources for a in s.articles)
    assert result.total == holding > 200 and len(result.hits) == 20
    segments = [placed.seg for placed in index._loaded.segments]
    texts = sum(text is not None for seg in segments for text in seg.folded)
    records = sum(meta is not None for seg in segments for meta in seg.meta)
    assert texts >= holding
    assert records < holding / 4
    index.close()


@pytest.mark.parametrize("text", ["纯简体中文", "ascii only", "", "a lone surrogate \udc80 and \ud800 stay", "😀 astral"])
def test_the_text_column_gives_back_exactly_the_folded_text(text):
    from app.search.records import pack_folded, unpack_folded

    assert unpack_folded(pack_folded(text)) == text


def test_a_numeric_column_is_read_in_one_piece_as_whoosh_reads_it(tmp_path):
    from whoosh import index as whoosh_index
    from whoosh.columns import NumericColumn
    from whoosh.fields import COLUMN, ID, Schema

    from app.search.whoosh_private import numeric_column

    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True), n=COLUMN(NumericColumn("I"))))
    values = [5, 0, 70000, 1, 0, 0]  # zeros are the default: the trailing ones are not written
    with ix.writer() as writer:
        for i, v in enumerate(values):
            writer.add_document(id=str(i), n=v)
    with ix.reader() as reader:
        leaf = reader.leaf_readers()[0][0] if hasattr(reader, "leaf_readers") else reader
        column = leaf.column_reader("n", translate=False)
        assert list(numeric_column(column, len(values))) == list(column.load()) == values


@pytest.mark.parametrize("text", [
    "江门日报讯（记者／李雨溪）本报今日刊出，扬尘污染防治工作：“严格按照”要求。",
    "區領導調研大氣污染防治工作，全角（括号）与标点！",
    "省略号……之后的文字，还有很长的一段话没有说完呢",
])
def test_a_hits_original_text_is_read_a_slice_at_a_time_as_the_whole_would_be(text):
    from app.search.records import PatchedText, original_text
    from app.search.snippet import make_snippet

    folded = fold(text)
    whole = unpack_original(pack_original(text, folded), folded)
    assert whole == text
    got = original_text(pack_original(text, folded), folded)
    if "…" in text or type(pack_original(text, folded)) is not tuple:
        assert got == text  # a character folding to several, or most changed: the whole text
        return
    assert isinstance(got, PatchedText) and len(got) == len(text) and str(got) == text
    for start in range(len(text) + 1):
        for stop in range(start, len(text) + 2):
            assert got[start:stop] == text[start:stop]
    assert got[3] == text[3] and got[-1] == text[-1]
    for lit in ("扬尘", "调研", "污染", "记者"):
        assert make_snippet(got, folded, [lit]) == make_snippet(text, folded, [lit])


def test_a_common_terms_postings_are_one_compact_blob_read_back_exactly(built):
    """A term in more documents than the term table inlines has its whole posting list as one
    blob in the postings file (format 8), not Whoosh's pickled blocks: about a byte a posting,
    and read back as exactly the documents (and counts) holding the gram."""
    from whoosh import index as whoosh_index

    from app.search.analysis import gram_counts
    from app.search.index import CURRENT
    from app.search.whoosh_private import read_postings

    gen = built / (built / CURRENT).read_text().strip()
    with whoosh_index.open_dir(str(gen)).reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            on_disk = postings = 0
            long_terms = []
            for btext in leaf.lexicon("all"):
                info = leaf.term_info("all", btext)
                if info.is_inlined():
                    continue
                _offset, length = info.extent()
                on_disk += length[0] if type(length) is tuple else length
                ids, tfs = read_postings(leaf, "all", info, btext)
                postings += len(ids)
                assert len(ids) == info.doc_frequency() and ids == sorted(set(ids))
                long_terms.append(btext)
            assert len(long_terms) > 100
            assert on_disk < 1.3 * postings
            # some of them against the texts themselves
            counts = [gram_counts(text) for text in _segment_texts(leaf)]
            for btext in long_terms[::len(long_terms) // 25]:
                gram = btext.decode("utf-8")
                ids, tfs = read_postings(leaf, "all", leaf.term_info("all", btext), btext)
                want = [(d, c[gram]) for d, c in enumerate(counts) if gram in c]
                assert list(zip(ids, tfs)) == want, gram


def _segment_texts(leaf) -> list[str]:
    from app.search.records import TEXT_FIELD, unpack_folded

    column = leaf.column_reader(TEXT_FIELD, translate=False)
    return [unpack_folded(column[d]) for d in range(leaf.doc_count_all())]


def test_the_records_kept_in_memory_share_what_a_pages_articles_repeat(built, sources):
    """A window keeps every article's record once the index is read in: a page's path (as given
    and folded), its hash and its date are held once for all its articles, not once each."""
    with SearchIndex(built) as index:
        assert index.article_count and index.preload()
        metas = [placed.seg.meta[i] for placed in index._loaded.segments for i in range(placed.seg.count)]
    by_src: dict[str, list] = {}
    for m in metas:
        by_src.setdefault(m.src, []).append(m)
    page = next(ms for ms in by_src.values() if len(ms) > 2)
    first = page[0]
    for m in page[1:]:
        assert m.src is first.src and m.source is first.source
        assert m.small_field("source") is first.small_field("source")
        if m.small_field("date") == first.small_field("date"):
            assert m.small_field("date") is first.small_field("date")
