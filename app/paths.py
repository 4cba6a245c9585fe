"""Where the program finds its bundled resources and keeps its own data.

The design card puts bundled files in the top-level ``resources/`` folder. A checkout and an
editable install find it beside the ``app`` package; a PyInstaller bundle carries it as
``resources/`` inside ``sys._MEIPASS``. This module is the only place that knows either layout.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "BaozhiReader"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    """Path of a bundled resource file, e.g. ``resource("sample_jianghai.txt")``."""
    return resources_dir() / name


def sample_page() -> Path:
    return resource("sample_jianghai.txt")


def data_dir() -> Path:
    """The user's data folder (index, caches); ``BAOZHI_DATA_DIR`` overrides it."""
    override = os.environ.get("BAOZHI_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def corrections_dir() -> Path:
    """The reader's corrections of the splitter, one JSON file per source content hash."""
    return data_dir() / "corrections"


def log_path() -> Path:
    """The log file the window and the command line append to (``logs/baozhi.log`` in the data folder)."""
    return data_dir() / "logs" / "baozhi.log"


def default_index_dir() -> Path:
    """Where the search index lives unless ``--index-dir`` says otherwise.

    ``BAOZHI_DATA_DIR`` (tests, portable use) wins; a development checkout keeps its index in the
    checkout's ``index/`` folder; installed and packaged programs use the user's data folder.
    """
    if os.environ.get("BAOZHI_DATA_DIR"):
        return data_dir() / "index"
    checkout = Path(__file__).resolve().parent.parent
    if not getattr(sys, "frozen", False) and (checkout / "pyproject.toml").is_file() and (checkout / "index").is_dir():
        return checkout / "index"
    return data_dir() / "index"
