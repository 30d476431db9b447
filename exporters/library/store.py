"""The library's SQLite file: where it lives, how it is opened, checked and migrated, and write transactions.

One connection per process (never carried across ``fork``), in autocommit mode: every change is
an explicit ``BEGIN IMMEDIATE`` transaction, so two writers queue on the busy timeout instead of
failing when a read lock is upgraded, and a process killed mid-way leaves every transaction
committed before it intact.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from exporters.pipeline.localfile import FileRefused, open_regular_file

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "LibraryError",
    "default_path",
    "library_path",
    "connect",
    "write",
    "MIGRATIONS",
]

#: ``PRAGMA application_id`` of a newsexport library ("NXLB"): tells it from any other SQLite file.
APPLICATION_ID = 0x4E584C42
#: Seconds a writer waits for another one to finish before giving up.
BUSY_TIMEOUT = 30.0
_SQLITE_HEADER = b"SQLite format 3\x00"


class LibraryError(Exception):
    """The library cannot be opened or an operation on it failed; the message names the file or the article."""


def default_path() -> Path:
    """``library.sqlite`` in the user data directory (``platformdirs``), under ``newsexport``."""
    from platformdirs import user_data_path

    return user_data_path("newsexport", appauthor=False) / "library.sqlite"


def library_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The library to use: ``given``, else ``$NEWSEXPORT_LIBRARY``, else :func:`default_path`."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get("NEWSEXPORT_LIBRARY", "").strip()
    return Path(env).expanduser() if env else default_path()


# -- schema -------------------------------------------------------------------------------------------
_V1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- 20 hex digits: of the canonical URL, else of the model id
    url TEXT UNIQUE,                    -- canonical URL
    host TEXT,
    title TEXT NOT NULL,
    site TEXT,
    published TEXT,                     -- ISO 8601, UTC
    added TEXT NOT NULL,
    read_at TEXT,
    archived_at TEXT,
    state TEXT NOT NULL DEFAULT 'unread' CHECK (state IN ('unread', 'archived')),
    starred INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT '',    -- the input or import file it came from
    fetched INTEGER NOT NULL DEFAULT 1, -- 0: only a URL and title so far (an import), text still to fetch
    article BLOB NOT NULL,              -- zlib of the model's lossless JSON form
    html BLOB                           -- zlib of the original page, when there was one
);
CREATE INDEX articles_added ON articles (added);
CREATE TABLE tags (
    article INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    tag TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (article, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);
CREATE TABLE deliveries (
    article INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    destination TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (article, destination)
) WITHOUT ROWID;
CREATE INDEX deliveries_destination ON deliveries (destination);
"""

_V2 = """
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE images (
    article INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    src TEXT NOT NULL,
    blob TEXT NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (article, src)
) WITHOUT ROWID;
CREATE INDEX images_blob ON images (blob);
CREATE VIRTUAL TABLE search USING fts5 (title, authors, site, body, tokenize = 'unicode61 remove_diacritics 2');
"""


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V1):
        conn.execute(statement)


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Image blobs and the full-text index, filled from the articles already stored."""
    from exporters.library.records import search_row, unpack

    for statement in _statements(_V2):
        conn.execute(statement)
    for rowid, packed in conn.execute("SELECT rowid, article FROM articles").fetchall():
        conn.execute(
            "INSERT INTO search (rowid, title, authors, site, body) VALUES (?, ?, ?, ?, ?)",
            (rowid, *search_row(unpack(packed, "library"))),
        )


_V3 = """
CREATE TABLE recipe_runs (
    recipe TEXT NOT NULL,
    run INTEGER NOT NULL,
    started TEXT NOT NULL,
    PRIMARY KEY (recipe, run)
) WITHOUT ROWID;
"""


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    """Recipes' runs, numbered per recipe (``{run}`` in output paths)."""
    for statement in _statements(_V3):
        conn.execute(statement)


#: Migration to version ``n`` is ``MIGRATIONS[n - 1]``; each runs in its own transaction.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_to_1, _migrate_to_2, _migrate_to_3)
SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    lines = [line.split("--")[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


# -- opening ------------------------------------------------------------------------------------------
def connect(path: Path) -> sqlite3.Connection:
    """Open the library at ``path`` (created when missing), checked and migrated to :data:`SCHEMA_VERSION`.

    A path that is not a newsexport library (a directory, a text file, another SQLite database,
    a newer schema) raises :class:`LibraryError` naming it, and the file is left untouched.
    """
    _refuse_foreign_file(path)
    if not path.exists():
        _create(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise LibraryError(f"{path}: cannot open ({exc})") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        _check_identity(conn, path)
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")  # persists in the file
        # With WAL, a killed process loses nothing committed; a power cut at most the last transactions, never the file.
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise LibraryError(f"{path}: not a newsexport library ({exc})") from None
    except LibraryError:
        conn.close()
        raise
    return conn


def _create(path: Path) -> None:
    """Make a new library beside ``path`` and link it into place, so nobody ever sees a half-made file.

    Two processes creating the same library at once each build one; the first link wins and
    the other process opens that one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
        conn = sqlite3.connect(temporary, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise LibraryError(f"{path}: cannot create the library ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        _migrate(conn, path)
        conn.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system: a rename, which only a simultaneous creator can race
            if not path.exists():
                os.replace(temporary, path)
    except (OSError, sqlite3.Error) as exc:
        raise LibraryError(f"{path}: cannot create the library ({getattr(exc, 'strerror', None) or exc})") from None
    finally:
        conn.close()
        for leftover in (
            temporary,
            temporary.with_name(temporary.name + "-wal"),
            temporary.with_name(temporary.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)


def _refuse_foreign_file(path: Path) -> None:
    if path.is_dir():
        raise LibraryError(f"{path}: is a directory, not a newsexport library")
    if not path.exists():
        return
    try:
        # No size limit: only the header is read, and SQLite reads the rest itself.
        with open_regular_file(path, sys.maxsize) as file:
            head = file.read(len(_SQLITE_HEADER))
    except FileRefused as exc:
        raise LibraryError(f"{path}: {exc.strerror}") from None
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head != _SQLITE_HEADER:
        raise LibraryError(f"{path}: not a newsexport library (not an SQLite database)")


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    if application == APPLICATION_ID:
        return
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application != 0 or tables:
        raise LibraryError(f"{path}: not a newsexport library (another SQLite database)")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    for target in range(1, SCHEMA_VERSION + 1):
        with write(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # read again under the write lock
            if version > SCHEMA_VERSION:
                raise LibraryError(
                    f"{path}: library has schema version {version}, newer than this newsexport knows "
                    f"({SCHEMA_VERSION}): upgrade newsexport"
                )
            if version >= target:
                continue
            if version == 0:
                _check_identity(conn, path)  # another process may have created something else meanwhile
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            MIGRATIONS[target - 1](conn)
            conn.execute(f"PRAGMA user_version = {target}")


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``): committed when the block ends, rolled back on any error.

    A library that cannot be written (a read-only file or folder, a full disk, a lock held past
    the busy timeout) raises :class:`LibraryError` naming the file, as opening one does.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        name = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "") or "library"
        raise LibraryError(f"{name}: cannot write ({exc})") from None
