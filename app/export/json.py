"""JSON: a list of ``Article.to_dict()``, the shape ``baozhi articles --json`` prints; with
``options.marks`` each also has ``marks``: ``{"starred", "tags", "note", "read", "read_at",
"highlights": [{"text", "note", "paragraph", "start", "end", "found"}]}`` (offsets in the
paragraph; ``found`` false when the passage is no longer in the article)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

from app.export.options import ExportOptions
from app.model import Article

SUFFIX = ".json"


def marks_dict(article: Article, options: ExportOptions) -> dict:
    from app.marks import locate

    m = (options.article_marks or {}).get(article.id)
    if m is None:
        return {"starred": False, "tags": [], "note": "", "read": False, "read_at": None, "highlights": []}
    highlights = []
    found = [(h, locate(article, h)) for h in m.highlights]
    found.sort(key=lambda f: (f[1] is None, f[1].start if f[1] is not None else f[0].start))  # reading order
    for h, where in found:
        highlights.append({"text": h.text, "note": h.note, "found": where is not None,
                           "paragraph": where.paragraph if where else None,
                           "start": where.para_start if where else None, "end": where.para_end if where else None})
    return {"starred": m.starred, "tags": list(m.tags), "note": m.note, "read": m.read, "read_at": m.read_at,
            "highlights": highlights}


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as f:
        f.write("[")
        for i, article in enumerate(articles):
            f.write(",\n" if i else "\n")
            data = article.to_dict()
            if options.marks:
                data["marks"] = marks_dict(article, options)
            f.write(json.dumps(data, ensure_ascii=False, indent=2))
            step()
        f.write("\n]\n" if articles else "]\n")
