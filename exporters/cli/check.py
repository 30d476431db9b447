"""``newsexport check BOOK.epub --device NAME``: what in a book a device would choke on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from exporters.cli.app import app, fail
from exporters.cli.help import PanelledCommand
from exporters.epub.devices import DEVICES, BookRefused, check_book
from exporters.pipeline.localfile import check_regular_file


@app.command("check", cls=PanelledCommand)
def check(
    book: Annotated[Path, typer.Argument(metavar="BOOK", help="The EPUB to check.")],
    device: Annotated[
        str | None,
        typer.Option("--device", metavar="NAME", help=f"The device to check against: {', '.join(DEVICES)}."),
    ] = None,
) -> None:
    """Report what in an EPUB a device would choke on, one line each (exit 1 when there is something)."""
    if device is None:
        raise fail(f"pass --device (one of {', '.join(DEVICES)})", code=2)
    if device not in DEVICES:
        raise fail(f"--device must be one of {', '.join(DEVICES)}, not {device!r}", code=2)
    try:
        check_regular_file(book, sys.maxsize)  # no size limit: zipfile seeks to the entries it reads
    except FileNotFoundError:
        raise fail(f"{book}: no such file", code=2) from None
    except OSError as exc:
        raise fail(f"{book}: {exc.strerror or exc}", code=2) from None
    try:
        problems = check_book(book, DEVICES[device])
    except BookRefused as exc:
        raise fail(f"{book}: {exc}") from None
    if not problems:
        typer.echo(f"{book}: nothing {device} would choke on")
        return
    for problem in problems:
        typer.echo(f"{book}: {problem}")
    raise typer.Exit(1)
