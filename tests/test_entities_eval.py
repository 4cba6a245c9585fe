"""The evaluation code (BIO reading, span extraction, scoring) on a small fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.entities.evaluate import Scores, evaluate, is_name_list, read_bio, report, tags_to_spans

FIXTURE = Path(__file__).parent / "fixtures" / "ner" / "tiny.bio"

# what a pretend recogniser answers for each fixture sentence
PREDICTIONS = {
    "张三在北京大学工作": [("PERSON", 0, 2), ("PLACE", 3, 5)],  # person right, ORG cut to a wrong PLACE
    "李四去上海": [("PERSON", 0, 2), ("PLACE", 3, 5)],  # both right
    "王五说": [("PERSON", 0, 1), ("DATE", 0, 3)],  # wrong boundary; DATE is not scored
}


def fake(text: str):
    return PREDICTIONS.get(text, [])


def test_read_bio_and_spans():
    sents = read_bio(FIXTURE)
    assert [t for t, _ in sents][:3] == ["张三在北京大学工作", "李四去上海", "王五说"]
    assert tags_to_spans(sents[0][1]) == [("PERSON", 0, 2), ("ORG", 3, 7)]
    assert tags_to_spans(["I-LOC", "I-LOC", "O", "B-PER", "B-PER"]) == [("PLACE", 0, 2), ("PERSON", 3, 4), ("PERSON", 4, 5)]


def test_name_list_detection():
    sents = read_bio(FIXTURE)
    assert [is_name_list(t, tags) for t, tags in sents] == [False, False, False, True]


def test_known_scores():
    result = evaluate(read_bio(FIXTURE), fake)
    clean: Scores = result["no_name_lists"]
    assert clean.per_type("PERSON") == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert clean.per_type("PLACE") == pytest.approx((1 / 2, 1.0, 2 / 3))
    assert clean.per_type("ORG") == (0.0, 0.0, 0.0)
    assert clean.micro(("PERSON", "PLACE", "ORG")) == pytest.approx((0.6, 0.6, 0.6))
    # the name-list sentence adds 10 missed persons to the full figures only
    full: Scores = result["all"]
    assert full.fn["PERSON"] == 11 and full.tp["PERSON"] == 2
    p, r, f = full.micro(("PERSON", "PLACE", "ORG"))
    assert (p, r) == pytest.approx((3 / 5, 3 / 15))
    assert f == pytest.approx(2 * 0.6 * 0.2 / 0.8)
    assert result["name_lists"] == 1 and result["chars"] == 9 + 5 + 3 + 20
    text = report(result)
    assert "PERSON    66.67  66.67  66.67" in text
    assert "micro     60.00  60.00  60.00" in text


def test_crf_label_decoding_bio_and_bioes():
    from app.entities.crf import _labels_to_spans

    assert _labels_to_spans(["B-PER", "E-PER", "O", "S-LOC", "B-ORG", "I-ORG", "E-ORG", "S-LOC"]) == [
        ("PERSON", 0, 2), ("PLACE", 3, 4), ("ORG", 4, 7), ("PLACE", 7, 8)
    ]
    assert _labels_to_spans(["B-PER", "I-PER", "B-PER", "I-LOC", "O", "I-ORG"]) == [
        ("PERSON", 0, 2), ("PERSON", 2, 3), ("PLACE", 3, 4), ("ORG", 5, 6)
    ]
