"""app.lexicon: the one place for Chinese-text knowledge (surnames, roles, suffixes, dates)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app import lexicon
from app.entities import rules

REPO = Path(__file__).resolve().parent.parent


def test_importing_the_lexicon_is_cheap_and_qt_free():
    code = "import sys, app.lexicon; print(sorted(m for m in ('PySide6', 'app.entities', 'pycrfsuite') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_numeric_date_gives_year_month_and_day():
    m = lexicon.NUMERIC_DATE_RE.search("江门日报讯 2023年 10月31日,区委书记")
    assert (m.group("year"), m.group("month"), m.group("day")) == ("2023", "10", "31")
    m = lexicon.NUMERIC_DATE_RE.search("(记者/陈婵)10月3日电")
    assert (m.group("year"), m.group("month"), m.group("day")) == (None, "10", "3")
    assert lexicon.NUMERIC_DATE_RE.search("13月40日") is None


def test_date_expressions_in_running_text():
    s = "今年7月,十月一日和2023年上半年,10月31日起,7月份;31日报道"
    found = [s[a:b] for _, a, b in rules.date_spans(s)]
    assert found == ["今年7月", "十月一日", "2023年上半年", "10月31日", "7月份"]  # not 31日报 (日报)


def test_a_credit_role_is_never_hidden_behind_a_shorter_one_it_starts_with():
    roles = lexicon.CREDIT_ROLES  # the first role a credit token starts with is stripped
    for i, short in enumerate(roles):
        assert not any(long.startswith(short) for long in roles[i + 1 :] if long != short), short
    reporters = lexicon.REPORTER_ROLES
    for i, short in enumerate(reporters):
        assert not any(long.startswith(short) for long in reporters[i + 1 :]), short


def test_titles_and_credit_roles_are_different_lists():
    assert "区委书记" in lexicon.TITLES_BEFORE_NAME and "区委书记" not in lexicon.CREDIT_ROLES
    assert "文/图" in lexicon.CREDIT_ROLES and "文/图" not in lexicon.TITLES_BEFORE_NAME
    lens = [len(w) for w in lexicon.TITLES_BEFORE_NAME]
    assert lens == sorted(lens, reverse=True)  # longest first: 区委书记 before 书记
    # the recogniser drops a "person" that ends in a title (区领导), and finds the name after one
    assert ("PERSON", 4, 7) in rules.role_name_spans("区委书记夏加伟带队")


def test_the_recogniser_reads_the_shared_lists():
    from app.entities import features

    assert features._ROLE_SET == frozenset(lexicon.TITLES_BEFORE_NAME)
    assert {"区", "冼", "邝", "欧阳"} <= lexicon.SINGLE_SURNAMES | lexicon.COMPOUND_SURNAMES
    assert {"区", "冼", "邝", "欧阳"} <= lexicon.COMMON_SURNAMES


def test_structure_fold_maps_each_traditional_character_once_and_only_its_own():
    trad = "".join(chr(c) for c in lexicon.STRUCTURE_FOLD)
    assert len(trad) == len(set(trad)) == len(lexicon.STRUCTURE_FOLD)
    assert "鄘" not in trad and "鄺".translate(lexicon.STRUCTURE_FOLD) == "邝"
    text = "江門日報訊(記者/鄺倩婷 關某)"
    assert text.translate(lexicon.STRUCTURE_FOLD) == "江門日报讯(记者/邝倩婷 关某)"
