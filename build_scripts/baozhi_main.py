"""PyInstaller entry point: the same `baozhi` command as the console script."""

import multiprocessing

from app.cli import main

if __name__ == "__main__":
    # a frozen program's pool workers (splitting pages, recognising entities) start as this
    # executable again; freeze_support() runs them instead of the command line (spawn: Windows,
    # macOS, and a process that already has threads)
    multiprocessing.freeze_support()
    raise SystemExit(main())
