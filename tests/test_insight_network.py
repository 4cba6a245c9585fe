"""Who appears with whom: ranking, edge weights, min_shared, articles_naming, the layout, and
the per-library facts giving the same answers (the articles are made up for these tests)."""

from __future__ import annotations

import csv
import io
import json
import math
import random

import pytest

from app.insight.facts import ArchiveFacts
from app.insight.network import articles_naming, layout, make_network, names_of
from tests.insight_helpers import article, dated

P, L, O = "PERSON", "PLACE", "ORG"


def library():
    return [
        dated("a1", "2023-01-01", [(P, "罗明远"), (L, "青禾区"), (O, "青禾区文化馆")]),
        dated("a2", "2023-01-02", [(P, "罗明远"), (L, "青禾区")]),
        dated("a3", "2023-01-03", [(P, "罗明远"), (L, "白沙镇"), ("DATE", "1月3日")]),
        dated("a4", "2023-01-04", [(P, "苏晓岚"), (L, "青禾区")]),
        article("a5", None, ["罗明远、罗明远和罗明远。苏晓岚。"], [(P, "罗明远"), (P, "苏晓岚")]),
        dated("a6", None, [("MONEY", "5万元")]),
    ]


def by_text(net):
    return {n.text: n for n in net.nodes}


def test_nodes_are_ranked_by_articles_then_mentions_then_text():
    net = make_network(library())
    assert [(n.type, n.text, n.articles, n.mentions) for n in net.nodes] == [
        (P, "罗明远", 4, 6), (L, "青禾区", 3, 3), (P, "苏晓岚", 2, 2), (L, "白沙镇", 1, 1), (O, "青禾区文化馆", 1, 1)]
    assert "1月3日" not in by_text(net) and "5万元" not in by_text(net)  # only people, places, organisations
    assert [n.text for n in make_network(library(), top=2).nodes] == ["罗明远", "青禾区"]
    assert make_network(library(), top=0).nodes == () and make_network([]).nodes == ()
    assert [n.text for n in make_network(library(), types=["PLACE"]).nodes] == ["青禾区", "白沙镇"]


def test_edge_weight_is_shared_articles_heaviest_first():
    net = make_network(library())
    idx = {n.text: i for i, n in enumerate(net.nodes)}
    pairs = {(net.nodes[e.a].text, net.nodes[e.b].text): e.weight for e in net.edges}
    assert pairs[("罗明远", "青禾区")] == 2  # a1, a2: not the 6 mentions
    assert pairs[("罗明远", "苏晓岚")] == 1 and pairs[("青禾区", "苏晓岚")] == 1
    assert ("苏晓岚", "白沙镇") not in pairs
    assert all(e.a < e.b for e in net.edges)
    weights = [e.weight for e in net.edges]
    assert weights == sorted(weights, reverse=True)
    assert net.edges[0].a == idx["罗明远"] and net.edges[0].b == idx["青禾区"]


def test_min_shared_drops_the_lighter_edges_and_top_limits_the_pairs():
    assert [(e.a, e.b, e.weight) for e in make_network(library(), min_shared=2).edges] == [(0, 1, 2)]
    assert make_network(library(), min_shared=3).edges == ()
    assert {(e.a, e.b) for e in make_network(library(), top=2).edges} == {(0, 1)}


def test_articles_naming():
    arts = library()
    assert [a.id for a in articles_naming(arts, (P, "罗明远"), (L, "青禾区"))] == ["a1", "a2"]
    assert [a.id for a in articles_naming(arts, (P, "苏晓岚"))] == ["a4", "a5"]
    assert articles_naming(arts, (P, "青禾区")) == []  # the type counts
    assert names_of(arts[2]) == {(P, "罗明远"), (L, "白沙镇")}


def test_to_dict_and_to_csv_shapes():
    net = make_network(library())
    data = json.loads(json.dumps(net.to_dict(), ensure_ascii=False))
    assert data["nodes"][0] == {"type": "PERSON", "text": "罗明远", "mentions": 6, "articles": 4}
    assert data["edges"][0] == {"a": 0, "b": 1, "shared": 2}
    rows = list(csv.reader(io.StringIO(net.to_csv())))
    assert rows[0] == ["type_a", "name_a", "type_b", "name_b", "shared"]
    assert rows[1] == ["PERSON", "罗明远", "PLACE", "青禾区", "2"] and len(rows) == len(net.edges) + 1


def random_library(n=400, names=60, seed=3):
    rng = random.Random(seed)
    pool = [(rng.choice((P, L, O)), f"名{i:03d}") for i in range(names)]
    return [dated(f"x{i}", "2023-01-01", rng.sample(pool, rng.randint(0, 6))) for i in range(n)]


def test_layout_is_deterministic_inside_the_unit_square_and_never_nan():
    net = make_network(random_library(), top=30)
    first = layout(net, seed=4)
    assert first == layout(net, seed=4) and first != layout(net, seed=5)
    assert len(first) == 30
    for x, y in first:
        assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 and not math.isnan(x) and not math.isnan(y)
    assert min(x for x, _ in first) == 0.0 and max(x for x, _ in first) == 1.0  # it fills the square
    assert len(set(first)) == 30  # no two nodes on one spot


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_layout_of_tiny_networks(n):
    net = make_network(random_library(n=50), top=n)
    pos = layout(net)
    assert len(pos) == n and all(0 <= c <= 1 and not math.isnan(c) for p in pos for c in p)
    if n == 1:
        assert pos == [(0.5, 0.5)]


def test_layout_of_nodes_with_no_edges_and_one_heavy_edge():
    arts = [dated(f"s{i}", None, [(P, f"独{i}")]) for i in range(5)] + [dated("t", None, [(P, "甲乙"), (P, "丙丁")])] * 50
    pos = layout(make_network(arts))
    assert all(0 <= c <= 1 and not math.isnan(c) for p in pos for c in p)


def test_archive_facts_give_the_same_network_for_the_library_and_for_subsets():
    arts = random_library()
    facts = ArchiveFacts(arts)
    for top in (0, 5, 30, 100):
        assert facts.network(top=top) == make_network(arts, top=top)
        assert facts.network(top=top) == make_network(arts, top=top)  # from the kept counts
    some = arts[::3]
    ids = [a.id for a in some]
    assert facts.network(ids, top=20, min_shared=2) == make_network(some, top=20, min_shared=2)
    assert facts.network(ids, top=20, types=[L]) == make_network(some, top=20, types=[L])
    assert facts.network(ids + ["nobody"]) == make_network(some)
    assert facts.network([]) == make_network([])
    key = facts.network(top=1).nodes[0].key
    assert facts.ids_naming(key) == [a.id for a in articles_naming(arts, key)]
    assert facts.ids_naming(key, ids=ids) == [a.id for a in articles_naming(some, key)]
    assert facts.ids_naming((P, "无名")) == []
    assert len(facts) == len(arts)
