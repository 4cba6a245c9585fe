"""The window's process-wide settings: the only place it changes the interpreter's shared state.

Two settings of the interpreter are shared by every thread of the process, and so by every
module of it; the window changes them here and nowhere else.

- **The switch interval** (``sys.setswitchinterval``), set to :data:`GUI_SWITCH_INTERVAL_S` once
  at start-up by :func:`apply_at_start_up`, which ``app.ui.application.create_application``
  calls. Why: every call from Qt into Python (a paint, a model's ``data()``) takes the GIL; while
  a search or a count runs Python in a background thread, each take waited up to the default 5 ms
  switch interval, and a repaint makes hundreds of them. At 0.2 ms the GUI thread takes the
  interpreter back almost at once; background threads lose little (they hand it over more often).
- **The cyclic garbage collector's permanent generation** (``gc.freeze``), through
  :func:`keep_out_of_gc`, on the GUI thread only: once the window is made (the modules and
  widgets of the start, ``app.ui.application.create_window``), and as the library's long-lived
  objects arrive there: the loaded sources (``app.ui.workers.LoadSignals``, every 50 files and at the end), the
  lists the window keeps of them once taken in (``SourcesMixin._hand_to_search`` in
  ``app.ui.window_sources``: after a load, sources closed or a page corrected), the
  entities the indexer found (``app.ui.search.library_search.LibrarySearch``, after each batch is given
  to its articles), the scan's folded texts (``LibrarySearch``, every
  ``library_search.FREEZE_EVERY`` articles folded, and when the folding ends) and the index's
  texts read in after an update (``LibrarySearch._reload``, every ``FREEZE_EVERY`` read and at the end). Why: left to the
  collector, every full collection walked them all with the interpreter held: 100-200 ms GUI
  stalls while entities arrived at 3,000 articles, seconds at 100,000; 60-200 ms for the scan's
  folded copy at 100,000 articles. ``gc.freeze()`` costs O(1) (it moves the collector's lists,
  3 µs measured), so the GUI thread loses nothing by making the call itself; threads ask for it
  with a queued signal instead of calling it, so that when and from where the collector is
  touched is decided in one place.

The command line, a process of its own, borrows one thing from here: :func:`collector_paused`,
the cyclic collector paused while ``baozhi search`` answers for a remembered list of 10,000 files
(``app.cli.commands.quick_search``: no cycles made, only ~10,000 short tuples and strings whose
collector passes cost ~3 ms, and, with the files' stats taken by a forked child meanwhile
(``app.stat_ahead``), the collector's writes would copy pages the child shares).

The window changes nothing else process-wide. The umask is only read, once, when
``app.export.atomic`` is imported on the main thread at start-up (``UMASK``; where /proc does not
report it, by setting it and setting it back before any export thread exists): set to 0 and back
in the export thread, it gave files other threads made meanwhile mode 0666.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager

GUI_SWITCH_INTERVAL_S = 0.0002  # how long a background thread may hold the GIL while the GUI waits


def apply_at_start_up() -> None:
    """Set the process-wide switch interval (see the module's docstring); called once, by
    ``create_application`` (calling it again changes nothing)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


def keep_out_of_gc() -> None:
    """Move every object alive now into the cyclic collector's permanent generation.

    The library's articles, paragraphs and entity spans, and the scan's folded texts, are
    long-lived and hold no reference cycles (reference counting frees them when their source is
    closed): what is frozen is only ever freed by reference counting. O(1). Called on the GUI
    thread only (see the module's docstring), as each batch of them arrives there."""
    gc.freeze()


@contextmanager
def collector_paused():
    """The cyclic collector off for the ``with`` block, then as it was (see the module's
    docstring: for the command line's short work that makes no cycles, not for the window)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


__all__ = ["GUI_SWITCH_INTERVAL_S", "apply_at_start_up", "collector_paused", "keep_out_of_gc"]
