"""Writing output files so that a failed or interrupted run never leaves a partial file behind.

Outputs are checked before anything is read (:func:`check_outputs`), so a run never renders
for minutes to fail at the end; every failure to write becomes one :class:`OutputError` naming
the path. A file is written to a temporary ``.newsexport-*.tmp`` beside it and renamed over it;
``SIGTERM`` removes the temporary file as ``Ctrl-C`` does.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["OutputError", "check_outputs", "write_all_atomic", "write_atomic", "write_stdout", "TEMP_PREFIX"]

#: Temporary files start with this (and end in ``.tmp``): recognisable, and hidden.
TEMP_PREFIX = ".newsexport-"
#: Exit status of a run ended by SIGTERM (128 + the signal number, as a shell reports it).
_TERMINATED = 128 + signal.SIGTERM


class OutputError(OSError):
    """An output cannot be written; the message is ``PATH: reason``."""


def check_outputs(outputs: Iterable[str], inputs: Iterable[str]) -> None:
    """Refuse, before any input is read, an output that cannot be written or that names an input.

    ``-`` (stdout) is not checked. A folder that does not exist yet is created when writing,
    so the nearest folder that exists must be writable.
    """
    files, folders = _input_paths(inputs)
    for name in outputs:
        if name == "-":
            continue
        path = Path(name)
        if path.is_dir():
            raise OutputError(f"{name}: is a directory")
        try:
            info = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            info = None
        except OSError as exc:
            raise OutputError(f"{name}: {exc.strerror or exc}") from None
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{name}: is not a regular file (write to stdout with -o -)")
        real = os.path.realpath(path)
        inside = info is not None and _would_be_read(path) and any(real.startswith(f + os.sep) for f in folders)
        if real in files or inside:
            raise OutputError(f"{name}: is one of the inputs; choose another output file")
        _check_folder(name, path.parent)


def _input_paths(inputs: Iterable[str]) -> tuple[set[str], set[str]]:
    """The real paths of the local input files, and of the input folders."""
    files: set[str] = set()
    folders: set[str] = set()
    for name in inputs:
        if name == "-" or name.lower().startswith(("http://", "https://")):
            continue
        real = os.path.realpath(name)
        (folders if os.path.isdir(real) else files).add(real)
    return files, folders


def _would_be_read(path: Path) -> bool:
    """Whether a file inside an input folder is one the readers would take (a known extension)."""
    from exporters.readers import READER_TABLE

    extensions = tuple(ext for _, _, exts in READER_TABLE for ext in exts)
    return path.name.lower().endswith(extensions) and not path.name.startswith(".")


def _check_folder(name: str, folder: Path) -> None:
    """The nearest existing folder of ``folder`` must be a directory we can create a file in."""
    existing = folder if str(folder) else Path(".")
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{name}: {existing} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=existing)
    except OSError as exc:
        raise OutputError(f"{name}: cannot write in {existing} ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of bytes in order) to a temporary file beside ``path``, then rename it over ``path``.

    An existing file keeps its permissions; a new one gets those the umask leaves. Raises
    :class:`OutputError` for any failure, and leaves neither a partial file nor the temporary one.
    """
    write_all_atomic([(path, data)])


def write_all_atomic(files: Sequence[tuple[Path, bytes | Iterable[bytes]]]) -> None:
    """Write several files as :func:`write_atomic` does, renaming none until all are written.

    A feed and its archive pages, or a feed and its stylesheet, belong together: a disk that fills
    on the seventeenth archive leaves none of them, and the files they replace as they were.
    """
    written: list[tuple[str, Path]] = []
    try:
        with _removed_on_sigterm():
            for path, data in files:
                written.append((_write_temporary(path, data), path))
            for tmp, path in written:
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    raise OutputError(f"{path}: {exc.strerror or exc}") from None
    except BaseException:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        raise


def _write_temporary(path: Path, data: bytes | Iterable[bytes]) -> str:
    """The name of a temporary file beside ``path`` holding ``data``, synced, with the mode ``path`` will have."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(path)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, (bytes, bytearray, memoryview)):
                out.write(data)
            else:
                out.writelines(data)
            out.flush()
            os.fsync(out.fileno())
            os.fchmod(out.fileno(), mode)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _mode_for(path: Path) -> int:
    """The permissions of the file ``path`` replaces, else the default for a new file under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def _removed_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while a temporary file exists, so the ``except`` that removes it runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminated(signum, frame):  # noqa: ARG001 - signal handlers take these
        raise SystemExit(_TERMINATED)

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_stdout(pieces: Iterable[bytes | str]) -> None:
    """Write to standard output and flush; a failure (a full disk, a closed pipe) raises :class:`OutputError`."""
    try:
        for piece in pieces:
            if isinstance(piece, str):
                sys.stdout.write(piece)
            else:
                sys.stdout.flush()
                sys.stdout.buffer.write(piece)
        sys.stdout.flush()
    except OSError as exc:
        raise OutputError(f"stdout: {exc.strerror or exc}") from None
