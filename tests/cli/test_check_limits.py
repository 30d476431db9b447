"""``newsexport check`` on hostile books: a zip bomb is refused by its sizes, not inflated; a FIFO is not opened."""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

from typer.testing import CliRunner

import main
from exporters.epub import devices
from exporters.epub.devices import MAX_ENTRY_BYTES

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
CONTAINER = (
    '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
    '<rootfiles><rootfile full-path="c.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
)


def cli(*args: str):
    result = CliRunner().invoke(main.app, list(args), env=ENV)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def book(path: Path, stylesheets: dict[str, bytes]) -> Path:
    """A small EPUB whose manifest lists ``stylesheets`` (name: bytes), stored deflated."""
    items = "".join(f'<item id="s{n}" href="{name}" media-type="text/css"/>' for n, name in enumerate(stylesheets))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:language>en</dc:language></metadata>'
        f"<manifest>{items}</manifest></package>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        out.writestr("META-INF/container.xml", CONTAINER)
        out.writestr("c.opf", opf)
        for name, data in stylesheets.items():
            out.writestr(name, data)
    return path


def test_a_clean_small_book_is_still_checked(tmp_path):
    path = book(tmp_path / "ok.epub", {"a.css": b"p { margin: 0 }"})
    result = cli("check", str(path), "--device", "kobo")
    assert (result.exit_code, result.stdout) == (0, f"{path}: nothing kobo would choke on\n")


def test_an_entry_inflating_past_the_limit_refuses_the_book_naming_it(tmp_path):
    path = book(tmp_path / "bomb.epub", {"big.css": b" " * (MAX_ENTRY_BYTES + 1)})
    assert path.stat().st_size < 200_000
    result = cli("check", str(path), "--device", "kobo")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {path}: big.css: {MAX_ENTRY_BYTES + 1:,} bytes uncompressed, over the {MAX_ENTRY_BYTES:,}-byte limit"
    ]


def test_entries_inflating_past_the_book_limit_in_all_refuse_it(tmp_path, monkeypatch):
    monkeypatch.setattr(devices, "MAX_BOOK_BYTES", 5_000)
    path = book(tmp_path / "many.epub", {f"s{n}.css": b" " * 2_000 for n in range(4)})
    result = cli("check", str(path), "--device", "kobo")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {path}: s2.css: the entries read are over 5,000 bytes uncompressed in all"
    ]


def test_a_size_header_that_lies_low_inflates_no_further_than_it_says(tmp_path, monkeypatch):
    """zipfile stops at the declared size, and the CRC then shows the entry is damaged."""
    monkeypatch.setattr(devices, "MAX_ENTRY_BYTES", 1_000)
    path = book(tmp_path / "liar.epub", {"big.css": b" " * 100_000})
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last central directory entry is big.css
    data[central + 24 : central + 28] = struct.pack("<I", 10)  # uncompressed size: 10 bytes
    path.write_bytes(bytes(data))
    result = cli("check", str(path), "--device", "kobo")
    assert result.exit_code == 1
    assert result.stdout == f"{path}: not a readable EPUB (BadZipFile: Bad CRC-32 for file 'big.css')\n"


def test_a_fifo_or_a_directory_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "book.epub"
    os.mkfifo(fifo)
    result = cli("check", str(fifo), "--device", "kobo")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {fifo}: is a named pipe (FIFO), not a regular file"]
    result = cli("check", str(tmp_path), "--device", "kobo")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {tmp_path}: is a directory, not a file"]
