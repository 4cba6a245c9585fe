"""PyInstaller entry point: the same `baozhi` command as the console script."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
