"""A separate program that indexes source files, for kill and concurrency tests.

    python -m tests.hardening.index_worker INDEX_DIR update|rebuild FILE...

Prints ``READY`` once the sources are read (imports and parsing done), then ``DONE <json stats>``
when the index is written. Tests SIGKILL it at random moments in between, or run two at once.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    index_dir, op, *files = argv
    from app.library import Library
    from app.search import SearchIndex
    from app.search.analysis import fold_table

    library = Library()
    for path in files:
        library.add(path)
    fold_table()  # built here, so that the time after READY is spent indexing
    print("READY", flush=True)
    index = SearchIndex(index_dir)
    stats = (index.rebuild if op == "rebuild" else index.update)(library.sources)
    result = index.search("江海", limit=None)
    index.close()
    print("DONE", json.dumps(stats.to_dict() | {"search_total": result.total, "search_notice": result.notice}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
