"""Files the user names are read only when they are regular files, and never past their kind's limit.

A FIFO would block the run until something wrote to it, and a device such as ``/dev/zero``
never ends: each is refused with one line naming the file. Large files are sparse here (their
size is only claimed), so the tests write nothing to disk.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

import main
from exporters.pipeline.fetch import MAX_IMAGE_BYTES
from exporters.pipeline.localfile import (
    MAX_FONT_BYTES,
    MAX_IMPORT_BYTES,
    MAX_INPUT_BYTES,
    MAX_LIST_BYTES,
    MAX_STYLESHEET_BYTES,
)

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "SOURCE_DATE_EPOCH": "1700000000"}
NOTE = "Harbour notes\n\nThe ferry timetable changes on Monday, and the night boat stops running.\n"
USAGE = ["Usage: newsexport export [OPTIONS] [INPUT...]", "Try 'newsexport export --help' for help.", ""]


def run(*args: str, stdin: bytes | None = None):
    result = CliRunner().invoke(main.app, list(args), env=ENV, input=stdin)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if not line.startswith(("Exporting ", "7 articles"))]


@contextmanager
def fifo(path: Path):
    """A real FIFO at ``path``; should anything open it for reading, it is given end-of-file after 10 s.

    That turns the hang of a reader waiting for a writer into a failing test (the file then
    reads as empty), never a stuck run."""
    os.mkfifo(path)
    done = threading.Event()

    def unblock() -> None:
        deadline = time.monotonic() + 10
        while not done.wait(0.2) and time.monotonic() < deadline:
            pass
        while not done.is_set():
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # succeeds only while a reader waits
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    return
            done.wait(0.2)

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        done.set()
        thread.join()


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)
    return path


def note(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


def test_a_fifo_named_as_an_input_is_skipped_not_waited_on(tmp_path):
    with fifo(tmp_path / "x.txt") as path:
        result = run("export", str(path), "-o", str(tmp_path / "o.epub"))
    assert result.exit_code == 1
    assert lines(result) == [
        f"Warning: skipped {path}: is a named pipe (FIFO), not a regular file",
        "Error: no articles to export (all inputs were skipped)",
    ]
    assert not (tmp_path / "o.epub").exists()


def test_a_device_named_as_an_input_is_skipped(tmp_path):
    result = run("export", os.devnull, str(note(tmp_path)), "-o", str(tmp_path / "o.epub"), "-q")
    assert result.exit_code == 1  # an input skipped: the book is written, the run reports it
    assert (tmp_path / "o.epub").exists()
    assert lines(result) == [f"Warning: skipped {os.devnull}: is a device, not a regular file"]


def test_an_input_over_the_limit_is_skipped_naming_the_limit(tmp_path):
    big = sparse(tmp_path / "big.md", MAX_INPUT_BYTES + 1)
    result = run("export", str(big), str(note(tmp_path)), "-o", str(tmp_path / "o.epub"), "-q")
    assert result.exit_code == 1
    assert lines(result) == [
        f"Warning: skipped {big}: file is {MAX_INPUT_BYTES + 1:,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit"
    ]


def test_stdin_is_still_read_and_capped(tmp_path, monkeypatch):
    out = tmp_path / "o.epub"
    assert run("export", "-", "-o", str(out), "-q", stdin=NOTE.encode()).exit_code == 0
    assert out.exists()
    monkeypatch.setattr("exporters.readers.MAX_INPUT_BYTES", 64)
    result = run("export", "-", "-o", str(tmp_path / "p.epub"), stdin=NOTE.encode() * 2)
    assert result.exit_code == 1
    assert lines(result) == [
        "Warning: skipped -: over the 64-byte limit",
        "Error: no articles to export (all inputs were skipped)",
    ]


@pytest.mark.parametrize(
    ("flag", "output"),
    [("--cover", "o.epub"), ("--css", "o.epub"), ("--merge", "o.rss")],
)
def test_a_fifo_given_to_a_file_option_is_bad_usage(tmp_path, flag, output):
    with fifo(tmp_path / "named.pipe") as path:
        result = run(
            "export", str(note(tmp_path)), "-o", str(tmp_path / output), "--site-url", "https://e.org/", flag, str(path)
        )
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        *USAGE,
        f"Error: Invalid value for '{flag}': {path}: is a named pipe (FIFO), not a regular file",
    ]
    assert not (tmp_path / output).exists()


@pytest.mark.parametrize("flag", ["--cover", "--css"])
def test_a_device_or_directory_given_to_a_file_option_is_bad_usage(tmp_path, flag):
    for value, problem in (
        (os.devnull, "is a device, not a regular file"),
        (str(tmp_path), "is a directory, not a file"),
    ):
        result = run("export", str(note(tmp_path)), "-o", str(tmp_path / "o.epub"), flag, value)
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '{flag}': {value}: {problem}"


@pytest.mark.parametrize(
    ("flag", "name", "limit"),
    [("--css", "big.css", MAX_STYLESHEET_BYTES), ("--cover", "big.png", MAX_IMAGE_BYTES)],
)
def test_a_cover_or_stylesheet_over_its_limit_is_refused(tmp_path, flag, name, limit):
    big = sparse(tmp_path / name, limit + 1)
    out = tmp_path / "o.epub"
    result = run("export", str(note(tmp_path)), "-o", str(out), flag, str(big), "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {out}: {flag} {big}: file is {limit + 1:,} bytes, over the {limit:,}-byte limit"
    ]
    assert not out.exists()


def test_a_feed_to_merge_over_the_input_limit_is_bad_usage(tmp_path):
    big = sparse(tmp_path / "old.rss", MAX_INPUT_BYTES + 1)
    result = run(
        "export",
        str(note(tmp_path)),
        "-o",
        str(tmp_path / "o.rss"),
        "--site-url",
        "https://e.org/",
        "--merge",
        str(big),
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--merge': {big}: file is {MAX_INPUT_BYTES + 1:,} bytes, "
        f"over the {MAX_INPUT_BYTES:,}-byte limit"
    )


def test_a_font_that_is_a_device_fifo_or_too_large_is_named_as_such(tmp_path):
    big = sparse(tmp_path / "big.ttf", MAX_FONT_BYTES + 1)
    with fifo(tmp_path / "pipe.ttf") as pipe:
        cases = (
            (os.devnull, "is a device, not a regular file"),
            (str(pipe), "is a named pipe (FIFO), not a regular file"),
            (str(big), f"file is {MAX_FONT_BYTES + 1:,} bytes, over the {MAX_FONT_BYTES:,}-byte limit"),
        )
        for font, problem in cases:
            out = tmp_path / "o.pdf"
            result = run("export", str(note(tmp_path)), "-o", str(out), "--font", font, "-q")
            assert result.exit_code == 1
            assert result.stderr.splitlines() == [f"Error: {out}: pdf: font file {font}: {problem}"]
    missing = run("export", str(note(tmp_path)), "-o", str(tmp_path / "o.pdf"), "--font", "/nonexistent/x.ttf", "-q")
    assert missing.stderr.splitlines()[-1].endswith("pdf: font file /nonexistent/x.ttf does not exist")


def test_a_recipe_that_is_a_fifo_or_too_large_is_refused(tmp_path):
    big = sparse(tmp_path / "big.toml", MAX_LIST_BYTES + 1)
    with fifo(tmp_path / "r.toml") as pipe:
        for recipe, problem in (
            (pipe, "is a named pipe (FIFO), not a regular file"),
            (big, f"file is {MAX_LIST_BYTES + 1:,} bytes, over the {MAX_LIST_BYTES:,}-byte limit"),
        ):
            result = run("run", str(recipe))
            assert result.exit_code == 2
            assert result.stderr.splitlines() == [f"Error: {recipe}: cannot read the recipe ({problem})"]


def test_an_import_or_library_that_is_a_fifo_is_refused(tmp_path):
    big = sparse(tmp_path / "big.csv", MAX_IMPORT_BYTES + 1)
    with fifo(tmp_path / "export.csv") as export, fifo(tmp_path / "lib.db") as library:
        result = run("import", str(export), "--library", str(tmp_path / "l.db"))
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"Error: {export}: is a named pipe (FIFO), not a regular file"]
        result = run("import", str(big), "--library", str(tmp_path / "l.db"))
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"Error: {big}: file is {MAX_IMPORT_BYTES + 1:,} bytes, over the {MAX_IMPORT_BYTES:,}-byte limit"
        ]
        result = run("list", "--library", str(library))
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"Error: {library}: is a named pipe (FIFO), not a regular file"]
