import multiprocessing

from app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the pools that split pages and recognise entities (spawned on Windows/macOS)
    raise SystemExit(main())
