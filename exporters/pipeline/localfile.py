"""Reading a file the user names: only a regular file is opened, and never more of it than its kind's limit.

A FIFO would block the run until something writes to it, a device such as ``/dev/zero`` never
ends, and a directory is no file: each is refused with :class:`FileRefused`, an ``OSError``
whose ``strerror`` says what is wrong, so the callers' ``OSError`` handling reports it.
"""

from __future__ import annotations

import os
import stat
import zipfile
from typing import BinaryIO

__all__ = [
    "EntryTooLarge",
    "FileRefused",
    "FileTooLarge",
    "ZipEntries",
    "check_regular_file",
    "open_regular_file",
    "read_regular_file",
    "read_limited",
    "MAX_INPUT_BYTES",
    "MAX_STREAMED_INPUT_BYTES",
    "MAX_STYLESHEET_BYTES",
    "MAX_FONT_BYTES",
    "MAX_LIST_BYTES",
    "MAX_IMPORT_BYTES",
]

#: An article input read whole (a feed, a page, a JSON or Markdown file, standard input), or a feed to merge.
MAX_INPUT_BYTES = 200 * 1024 * 1024
#: A JSON Lines input, which is read a batch of lines at a time, never whole.
MAX_STREAMED_INPUT_BYTES = 4 * 1024 * 1024 * 1024
#: A ``--css`` stylesheet.
MAX_STYLESHEET_BYTES = 2 * 1024 * 1024
#: A ``--font`` TrueType file (the largest CJK fonts are about 20 MB).
MAX_FONT_BYTES = 64 * 1024 * 1024
#: A recipe, an OPML subscription list or a list of URLs.
MAX_LIST_BYTES = 10 * 1024 * 1024
#: A read-it-later export imported into the library.
MAX_IMPORT_BYTES = 200 * 1024 * 1024


class FileRefused(OSError):
    """A file that is not read: not a regular file, or over its limit; ``strerror`` says which."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.strerror = problem


class FileTooLarge(FileRefused):
    """A regular file larger than its kind's limit."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _over(size: int, limit: int) -> FileTooLarge:
    return FileTooLarge(f"file is {size:,} bytes, over the {limit:,}-byte limit")


def check_regular_file(path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True) -> int:
    """The size of the regular file at ``path``; :class:`FileRefused` when it is anything else or over ``limit``.

    For a file another library opens itself (a font); what this module opens is checked again once open."""
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
    except ValueError:  # a NUL byte in the name
        raise FileRefused("is not a valid file name") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(_kind(info.st_mode))
    if info.st_size > limit:
        raise _over(info.st_size, limit)
    return info.st_size


def open_regular_file(path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True) -> BinaryIO:
    """The regular file at ``path`` opened for reading; :class:`FileRefused` when it is anything else or over ``limit``.

    The name is checked before opening (a device is never opened), and what was opened is
    checked again (the name may have been swapped in between); a FIFO is opened without
    waiting for a writer. ``follow_symlinks=False`` refuses a final symbolic link."""
    check_regular_file(path, limit, follow_symlinks=follow_symlinks)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(_kind(info.st_mode))
        if info.st_size > limit:
            raise _over(info.st_size, limit)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(file: BinaryIO, limit: int) -> bytes:
    """All of ``file`` (standard input, or a file growing while it is read); :class:`FileTooLarge` past ``limit``."""
    data = file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"over the {limit:,}-byte limit")
    return data


def read_regular_file(path: str | os.PathLike[str], limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them (see :func:`open_regular_file`)."""
    with open_regular_file(path, limit, follow_symlinks=follow_symlinks) as file:
        return read_limited(file, limit)


class EntryTooLarge(ValueError):
    """A zip entry over the limit of one (``size``: what it declares, or None when found reading it), or the
    entries read over the limit of all (``in_all``)."""

    def __init__(self, name: str, limit: int, *, size: int | None = None, in_all: bool = False):
        super().__init__(name)
        self.name, self.limit, self.size, self.in_all = name, limit, size, in_all


class ZipEntries:
    """Reads the entries of an open zip, never inflating more than ``entry_limit`` of one or ``total_limit`` of all.

    A few hundred kilobytes of zip can hold gigabytes, and many entries can name the same data:
    the sizes the zip declares are checked first, then the bytes actually inflated (never more
    than one past a limit is read), since a hostile zip's headers may lie. Raises :class:`EntryTooLarge`.
    """

    def __init__(self, archive: zipfile.ZipFile, entry_limit: int, total_limit: int):
        self.archive, self.entry_limit, self.total_limit = archive, entry_limit, total_limit
        self.total = 0

    def read(self, entry: str | zipfile.ZipInfo) -> bytes:
        info = entry if isinstance(entry, zipfile.ZipInfo) else self.archive.getinfo(entry)
        if info.file_size > self.entry_limit:
            raise EntryTooLarge(info.filename, self.entry_limit, size=info.file_size)
        if self.total + info.file_size > self.total_limit:
            raise EntryTooLarge(info.filename, self.total_limit, in_all=True)
        with self.archive.open(info) as member:
            data = member.read(self.entry_limit + 1)
        if len(data) > self.entry_limit:
            raise EntryTooLarge(info.filename, self.entry_limit)
        self.total += len(data)
        if self.total > self.total_limit:
            raise EntryTooLarge(info.filename, self.total_limit, in_all=True)
        return data
