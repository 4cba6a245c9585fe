"""The window's indexer child (``baozhi --index-worker``), held back for tests of its queries.

    python -m tests.hardening.held_index_worker

Runs :func:`app.index_worker.main` unchanged, except that:

- the index update waits until the file named by ``BAOZHI_TEST_GATE`` exists, so a test can ask
  the child queries while it is certainly still working;
- with ``BAOZHI_TEST_DIE_ON_QUERY`` set, the process dies (exit code 9) when the first query
  arrives, as a crashing or killed indexer would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def hold(monkeypatch, folder: Path, die_on_query: bool = False) -> Path:
    """In a test: make :mod:`app.index_worker` start this program as its child; returns the gate
    file to create when the index update may go on."""
    from app import index_worker

    gate = folder / "gate"
    monkeypatch.setattr(index_worker, "command", lambda: [sys.executable, "-m", "tests.hardening.held_index_worker"])
    monkeypatch.setenv("BAOZHI_TEST_GATE", str(gate))
    if die_on_query:
        monkeypatch.setenv("BAOZHI_TEST_DIE_ON_QUERY", "1")
    return gate


def main() -> int:
    from app import index_worker
    from app.search import SearchIndex

    gate = Path(os.environ["BAOZHI_TEST_GATE"])
    update = SearchIndex.update

    def held(self, *args, **kwargs):
        while not gate.exists():
            time.sleep(0.02)
        return update(self, *args, **kwargs)

    SearchIndex.update = held
    if os.environ.get("BAOZHI_TEST_DIE_ON_QUERY"):
        index_worker.ScanServer._answer = lambda self: (self.pending.get(), os._exit(9))
    return index_worker.main()


if __name__ == "__main__":
    sys.exit(main())
