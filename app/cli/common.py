"""What every part of the command line shares: the one-line error and the exit statuses."""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 1

SUBCOMMANDS = ("articles", "search", "index", "entities", "export", "timeline", "network", "dossier")


class CliError(Exception):
    """A problem to report as one line on stderr with a non-zero exit."""
