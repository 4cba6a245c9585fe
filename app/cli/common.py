"""What every part of the command line shares: the one-line error, the exit statuses and the
progress bar."""

from __future__ import annotations

import os
import sys

EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 1

SUBCOMMANDS = ("articles", "search", "index", "entities", "export", "timeline", "network", "dossier")


class CliError(Exception):
    """A problem to report as one line on stderr with a non-zero exit."""


def expand_sources(sources: list[str]) -> list[str]:
    """A command's sources with each folder standing for the text files inside it, as the window
    opens a folder (``baozhi search 扬尘 archive/``: no shell has to list a decade of pages)."""
    from app.library import text_files_in  # (not imported by every command)

    out: list[str] = []
    for source in sources:
        if os.path.isdir(source):
            found = text_files_in(source)
            if not found:
                raise CliError(f"{source}: no text files in this folder")
            out.extend(found)
        else:
            out.append(source)
    return out


class Progress:
    """A progress bar on stderr (tqdm) for ``progress(done, total)`` callbacks; quiet when stderr
    is not a terminal (scripts, pipes, tests), and not even imported then. Shown only for work
    that takes a while (``delay`` seconds), so a quick command draws nothing. Use as a context
    manager, or call :meth:`close`."""

    def __init__(self, what: str, unit: str, delay: float = 0.5):
        self.what = what
        self.unit = unit
        self.delay = delay
        self.bar = None
        self.quiet = not _is_terminal(sys.stderr)

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.what, unit=self.unit, file=sys.stderr, delay=self.delay,
                            leave=False, dynamic_ncols=True)
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
