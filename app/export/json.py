"""JSON: a list of ``Article.to_dict()``, the shape ``baozhi articles --json`` prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

from app.export.options import ExportOptions
from app.model import Article

SUFFIX = ".json"


def write(articles: Sequence[Article], path: Path, options: ExportOptions, step: Callable[[], None]) -> None:
    with open(path, "w", encoding="utf-8", errors="replace", newline="\n") as f:
        f.write("[")
        for i, article in enumerate(articles):
            f.write(",\n" if i else "\n")
            f.write(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
            step()
        f.write("\n]\n" if articles else "]\n")
