"""Who appears with whom: the people, places and organisations named together in articles.

A node is a name (type and text) with its mentions and the articles naming it; an edge joins two
of the top names by the number of articles naming both. :func:`layout` places the nodes
(force-directed, deterministic for a seed) in the unit square for the window to draw.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from typing import Iterable

from app.model import Article

NETWORK_TYPES = ("PERSON", "PLACE", "ORG")


@dataclass(frozen=True, slots=True)
class Node:
    type: str
    text: str
    mentions: int  # times named, across the articles counted
    articles: int  # articles naming it

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.text)


@dataclass(frozen=True, slots=True)
class Edge:
    a: int  # index into Network.nodes
    b: int
    weight: int  # articles naming both


@dataclass(frozen=True, slots=True)
class Network:
    nodes: tuple[Node, ...]  # most-named first
    edges: tuple[Edge, ...]  # heaviest first

    def to_dict(self) -> dict:
        """``{"nodes": [{"type", "text", "mentions", "articles"}], "edges": [{"a", "b", "shared"}]}``
        (``a``/``b`` index ``nodes``)."""
        return {
            "nodes": [{"type": n.type, "text": n.text, "mentions": n.mentions, "articles": n.articles}
                      for n in self.nodes],
            "edges": [{"a": e.a, "b": e.b, "shared": e.weight} for e in self.edges],
        }

    def to_csv(self) -> str:
        """The pairs, heaviest first: ``type_a,name_a,type_b,name_b,shared``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["type_a", "name_a", "type_b", "name_b", "shared"])
        for e in self.edges:
            a, b = self.nodes[e.a], self.nodes[e.b]
            writer.writerow([a.type, a.text, b.type, b.text, e.weight])
        return out.getvalue()


def names_of(article: Article, types: Iterable[str] = NETWORK_TYPES) -> set[tuple[str, str]]:
    wanted = set(types)
    return {(e.type, e.text) for e in article.entities if e.type in wanted}


def make_network(articles: Iterable[Article], top: int = 30, types: Iterable[str] = NETWORK_TYPES,
                 min_shared: int = 1) -> Network:
    """The ``top`` most-named names of ``types`` in ``articles`` (by articles naming them, then
    mentions, then text, then type) and the pairs among them named together in at least
    ``min_shared`` articles (an edge's weight is the number of articles naming both). For many
    questions over one library, :class:`app.insight.facts.ArchiveFacts` reads the articles once."""
    from app.insight.facts import ArchiveFacts

    return ArchiveFacts(articles, types).network(top=top, min_shared=min_shared)


def articles_naming(articles: Iterable[Article], *keys: tuple[str, str]) -> list[Article]:
    """The articles naming every one of ``keys`` ((type, text) pairs), in the order given."""
    wanted = set(keys)
    return [a for a in articles if wanted <= {(e.type, e.text) for e in a.entities}]


def layout(network: Network, seed: int = 0, iterations: int = 300) -> list[tuple[float, float]]:
    """Positions for the nodes in [0, 1]², Fruchterman-Reingold with edges pulling by weight;
    the same network and seed always give the same picture."""
    n = len(network.nodes)
    if n == 0:
        return []
    if n == 1:
        return [(0.5, 0.5)]
    rng = random.Random(seed)
    pos = [[rng.random(), rng.random()] for _ in range(n)]
    k = math.sqrt(1.0 / n)
    heaviest = max((e.weight for e in network.edges), default=1)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        moves = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            xi, yi = pos[i]
            for j in range(i + 1, n):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                dist = math.hypot(dx, dy) or 1e-6
                push = k * k / dist
                moves[i][0] += dx / dist * push
                moves[i][1] += dy / dist * push
                moves[j][0] -= dx / dist * push
                moves[j][1] -= dy / dist * push
        for e in network.edges:
            dx, dy = pos[e.a][0] - pos[e.b][0], pos[e.a][1] - pos[e.b][1]
            dist = math.hypot(dx, dy) or 1e-6
            pull = dist * dist / k * (0.5 + 0.5 * e.weight / heaviest)
            moves[e.a][0] -= dx / dist * pull
            moves[e.a][1] -= dy / dist * pull
            moves[e.b][0] += dx / dist * pull
            moves[e.b][1] += dy / dist * pull
        for p, (mx, my) in zip(pos, moves):
            length = math.hypot(mx, my) or 1e-6
            step = min(length, temperature)
            p[0] += mx / length * step
            p[1] += my / length * step
        temperature -= cooling
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return [((x - min(xs)) / span_x, (y - min(ys)) / span_y) for x, y in zip(xs, ys)]
