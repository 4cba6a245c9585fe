"""Tagging with the model's own attribute tables (issue #18's speed): exactly the same entities as
tagging with every feature string, on the sample page, the modern development sets and MSRA test."""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

import pytest

from app.entities.crf import load_model, model_dir, read_attributes
from app.entities.evaluate import read_sentences
from app.entities.features import KnownAttributes, normalise, sentence_features
from app.entities.recogniser import Recogniser
from app.paths import resource

REPO = Path(__file__).resolve().parent.parent
MODERN = REPO / "tests" / "fixtures" / "ner" / "modern"
MSRA_TEST = REPO.parent / "shared" / "data" / "ner" / "msra" / "test.bio"


@pytest.fixture(scope="module")
def model():
    return load_model(model_dir())


def _recognisers(model):
    """The same model tagging the fast way (attribute tables) and the slow way (every string)."""
    fast, slow = Recogniser(), Recogniser()
    fast._model = model
    slow._model = dataclasses.replace(model, known=None)
    assert model.known is not None
    return fast, slow


def _texts() -> list[str]:
    sample = resource("sample_jianghai.txt").read_text(encoding="utf-8")
    texts = [p for p in sample.splitlines() if p.strip()]
    for path in sorted(MODERN.glob("*.txt")):
        if path.name != "README.txt":
            texts += [t for t, _ in read_sentences(path)]
    return texts


def test_read_attributes_are_the_models_own(model):
    names = read_attributes(model_dir() / "crf.model")
    info = model.tagger.info()  # pycrfsuite's (slow) reading of a dump of the model
    assert len(names) == len(info.attributes) > 1000
    assert {n.decode("utf-8") for n in names} == set(info.attributes)


def test_a_damaged_model_file_is_refused(tmp_path, model):
    data = (model_dir() / "crf.model").read_bytes()
    bad = tmp_path / "crf.model"
    bad.write_bytes(b"nope" + data[4:])
    with pytest.raises(ValueError, match="not a crfsuite CRF model"):
        read_attributes(bad)
    off_attrs = struct.unpack_from("<I", data, 36)[0]
    first = off_attrs + 24 + 256 * 8
    bad.write_bytes(data[: first + 4] + struct.pack("<I", 10**6) + data[first + 8 :])  # a key size past the end
    with pytest.raises(ValueError, match="damaged attribute record"):
        read_attributes(bad)


def test_known_features_are_all_features_less_the_unknown_ones(model):
    known_names = set(read_attributes(model_dir() / "crf.model"))
    n_unknown = 0
    for text in _texts()[:300]:
        s = normalise(text)
        args = (s, model.gaz, model.words, model.trigrams, model.extra)
        every = sentence_features(*args, as_bytes=True)
        fast = sentence_features(*args, as_bytes=True, known=model.known)
        assert len(fast) == len(every) == len(s)
        for all_of_one, fast_of_one in zip(every, fast):
            kept = [f for f in all_of_one if isinstance(f, str) or f in known_names]
            n_unknown += len(all_of_one) - len(kept)
            assert fast_of_one == kept  # same strings, same order
    assert n_unknown > 1000  # (the tables leave out something)


def test_known_attributes_ignore_names_of_no_column():
    k = KnownAttributes([b"u0=\xe6\xb1\x9f", b"sn", b"b0=\xe6\xb1\x9f\xe9\x97\xa8", b"ws3", b"t=HHH", b"zz=1"])
    assert k.tables["u0"] == {"江": b"u0=\xe6\xb1\x9f"}
    assert k.tables["b0"] == {"江门": b"b0=\xe6\xb1\x9f\xe9\x97\xa8"}
    assert k.tables["t"] == {"HHH": b"t=HHH"}
    assert "zz" not in k.tables and all("sn" not in t for t in k.tables.values())


def test_same_entities_on_the_sample_and_the_modern_sets(model):
    fast, slow = _recognisers(model)
    texts = _texts()
    assert len(texts) > 400
    for text in texts:
        assert fast.article_spans([text]) == slow.article_spans([text]), text
    sample = [p for p in resource("sample_jianghai.txt").read_text(encoding="utf-8").splitlines() if p.strip()]
    assert fast.article_spans(sample) == slow.article_spans(sample)


@pytest.mark.skipif(not MSRA_TEST.exists(), reason="MSRA test.bio not found (../shared/data/ner/msra)")
def test_same_entities_on_msra_test(model):
    fast, slow = _recognisers(model)
    sentences = read_sentences(MSRA_TEST)
    assert len(sentences) > 3000
    differ = [t for t, _ in sentences if fast.article_spans([t]) != slow.article_spans([t])]
    assert not differ, differ[:3]


def test_a_model_file_the_reader_does_not_know_tags_the_slow_way(tmp_path, model):
    from app.entities.crf import _known_attributes

    bad = tmp_path / "crf.model"
    bad.write_bytes(b"lCRF" + b"\0" * 60)  # no FOMC model, no attribute database
    assert _known_attributes(bad) is None
    assert _known_attributes(tmp_path / "missing.model") is None
    text = "江海区委书记夏加伟带队到礼乐街道调研。"
    fast, slow = _recognisers(model)
    assert slow._model.known is None and slow.paragraph_spans(text) == fast.paragraph_spans(text) != []
