"""The library file: created with WAL and foreign keys, refused when it is something else, migrated forward."""

from __future__ import annotations

import sqlite3

import pytest

from exporters.library import SCHEMA_VERSION, LibraryError, Query, open_library
from exporters.library.deliveries import last_run
from exporters.library.records import pack
from exporters.library.store import APPLICATION_ID, MIGRATIONS, library_path
from exporters.model import Article, Paragraph, Span, article_id


def test_new_library_uses_wal_foreign_keys_and_the_current_schema(tmp_path):
    path = tmp_path / "deep" / "lib.sqlite"
    with open_library(path) as library:
        conn = library.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_library_path_comes_from_the_option_then_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEXPORT_LIBRARY", str(tmp_path / "env.sqlite"))
    assert library_path(str(tmp_path / "given.sqlite")) == tmp_path / "given.sqlite"
    assert library_path(None) == tmp_path / "env.sqlite"
    monkeypatch.delenv("NEWSEXPORT_LIBRARY")
    assert library_path(None).parts[-2:] == ("newsexport", "library.sqlite")


def test_a_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    with pytest.raises(LibraryError) as caught:
        open_library(path)
    assert str(caught.value) == f"{path}: not a newsexport library (not an SQLite database)"
    assert path.read_text() == "my notes\n"


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(LibraryError, match="not an SQLite database"):
        open_library(path)
    assert path.read_bytes() == b""


def test_another_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError) as caught:
        open_library(path)
    assert str(caught.value) == f"{path}: not a newsexport library (another SQLite database)"
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "lib.sqlite"
    open_library(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError) as caught:
        open_library(path)
    assert str(caught.value) == (
        f"{path}: library has schema version {SCHEMA_VERSION + 1}, newer than this newsexport knows "
        f"({SCHEMA_VERSION}): upgrade newsexport"
    )


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(LibraryError, match="is a directory"):
        open_library(tmp_path)


def test_a_version_1_library_is_migrated_and_its_articles_become_searchable(tmp_path):
    path = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    url = "https://news.example/ferries"
    article = Article(
        id=article_id(url, "Ferries"), title="Ferries", url=url, body=(Paragraph((Span("Winter timetable"),)),)
    )
    conn.execute(
        "INSERT INTO articles (id, url, host, title, added, origin, article) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("a" * 20, url, "news.example", "Ferries", "2024-01-01T00:00:00+00:00", "old", pack(article)),
    )
    conn.execute("COMMIT")
    conn.close()
    with open_library(path) as library:
        assert library.conn.execute("PRAGMA user_version").fetchone()[0] == 3
        found = library.find(Query(search="timetable"))
        assert [s.title for s in found] == ["Ferries"]
        assert last_run(library, "weekly") == 0  # version 3 added the recipes' runs
        assert library.article(found[0]).body == article.body
        assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_write_to_a_library_that_cannot_be_written_is_a_library_error_naming_it(tmp_path):
    from exporters.library.store import write

    path = tmp_path / "lib.sqlite"
    open_library(path).close()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)  # as a read-only file opens
    with pytest.raises(LibraryError) as error:
        with write(conn) as c:
            c.execute("UPDATE articles SET state = 'archived'")
    assert str(error.value) == f"{path}: cannot write (attempt to write a readonly database)"
    assert not conn.in_transaction
