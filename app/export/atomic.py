"""All-or-nothing writes: every file is written to a temporary file beside its target, and only
when all of them are complete are they moved into place (``os.link``/``os.replace``, both atomic).
A failure or a cancel before that removes every temporary file, so no half-written file is left.

Overwriting (``force``) keeps a second name for each existing target's content (a hard link, or a
copy where the file system has none) until every target is in place: when a later move fails (on
Windows, a target open in another program) the targets already replaced get their own content
back, so no user file is ever left with neither its old nor its new content.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from app.export.options import ExportExists, ExportError

TEMP_PREFIX = ".baozhi-export-"
TEMP_SUFFIX = ".part"
BACKUP_SUFFIX = ".orig"


def describe_os_error(err: OSError, path: Path) -> str:
    """One sentence for the user about an OS error while writing ``path``."""
    target = err.filename or path
    if err.errno == errno.ENOSPC or err.errno == getattr(errno, "EDQUOT", -1):
        return f"The disk is full: {path} could not be written."
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Permission denied: {path} cannot be written."
    if isinstance(err, IsADirectoryError):
        return f"{target} is a folder, not a file."
    if isinstance(err, NotADirectoryError):
        return f"{target} is not a folder."
    if isinstance(err, FileNotFoundError):
        return f"The folder for {path} does not exist."
    if isinstance(err, FileExistsError):
        return f"{path} already exists; choose another name or allow overwriting."
    return f"Cannot write {path}: {err.strerror or err}."


def _read_umask() -> int:
    """The process's umask, without changing it where the system allows (Linux 4.7+ reports it in
    /proc/self/status); elsewhere by setting it and setting it back, the only way there is."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once, when this module is imported: the window (app.ui.workers, app.ui.settings.store) and the
# command line import app.export at start-up, on the main thread, before any export thread exists.
# Never from the export thread: setting the umask to 0 and back there gave a file that another
# thread created in between (the log, the settings) mode 0666.
UMASK = _read_umask()


class Staging:
    """Temporary files for a set of targets, committed together or not at all."""

    def __init__(self) -> None:
        self._temps: list[tuple[Path, Path]] = []  # (temp, target)
        self._committed: list[tuple[Path, Path | None]] = []  # (target, backup of its old content)
        self._made_dirs: list[Path] = []

    def make_dir(self, folder: Path) -> None:
        """Create ``folder`` (and missing parents), remembered for removal on rollback."""
        missing = []
        p = folder
        while not p.exists():
            missing.append(p)
            if p.parent == p:
                break
            p = p.parent
        for d in reversed(missing):
            try:
                d.mkdir()
            except FileExistsError:
                continue
            except OSError as err:
                raise ExportError(describe_os_error(err, folder)) from err
            self._made_dirs.append(d)

    def temp_for(self, target: Path) -> Path:
        try:
            fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
        except OSError as err:
            raise ExportError(describe_os_error(err, target)) from err
        os.close(fd)
        temp = Path(name)
        self._temps.append((temp, target))
        return temp

    def commit(self, force: bool) -> list[Path]:
        """Flush every temporary file to disk, then move each to its target."""
        mode = 0o666 & ~UMASK  # what a file created here would get (mkstemp's are 0600)
        for temp, target in self._temps:
            try:
                os.chmod(temp, mode)
                with open(temp, "rb+") as f:
                    os.fsync(f.fileno())
            except OSError as err:
                raise ExportError(describe_os_error(err, target)) from err
        for temp, target in self._temps:
            try:
                backup = _backup(target) if force else None
                try:
                    _move(temp, target, force)
                except BaseException:
                    if backup is not None:
                        _remove(backup)  # the move failed: the target still holds its own content
                    raise
            except FileExistsError as err:
                raise ExportExists(target) from err
            except OSError as err:
                raise ExportError(describe_os_error(err, target)) from err
            self._committed.append((target, backup))
        for _, backup in self._committed:
            if backup is not None:
                _remove(backup)
        done = [target for _, target in self._temps]
        self._temps, self._committed, self._made_dirs = [], [], []
        return done

    def rollback(self) -> None:
        """Remove every temporary file and every folder made; every target committed so far gets
        its old content back (or is removed, if it is new)."""
        for temp, _ in self._temps:
            _remove(temp)
        for target, backup in reversed(self._committed):
            if backup is None:
                _remove(target)
                continue
            try:
                os.replace(backup, target)
            except OSError:
                pass  # (the backup stays beside the target: the old content is never deleted)
        for d in reversed(self._made_dirs):
            try:
                d.rmdir()
            except OSError:
                pass
        self._temps, self._committed, self._made_dirs = [], [], []


def _move(temp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails atomically if the target appeared meanwhile
    except FileExistsError:
        raise
    except OSError:
        # file systems without hard links (FAT, some network shares): check, then replace
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.replace(temp, target)
        return
    _remove(temp)


def _backup(target: Path) -> Path | None:
    """A second name, beside ``target``, for its current content (None when there is no target):
    a hard link, or a copy on file systems without them (FAT, some network shares)."""
    if not os.path.lexists(target):
        return None
    while True:
        backup = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}{BACKUP_SUFFIX}"
        try:
            os.link(target, backup, follow_symlinks=False)
        except FileExistsError:
            continue
        except (OSError, NotImplementedError):
            if os.path.lexists(backup):
                continue
            shutil.copy2(target, backup, follow_symlinks=False)
        return backup


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass
