"""``newsexport check BOOK.epub --device NAME``: what in a book a device would choke on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exporters.cli.app import app, fail
from exporters.cli.help import PanelledCommand
from exporters.epub.devices import DEVICES, check_book


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
    if not book.is_file():
        raise fail(f"{book}: no such file", code=2)
    problems = check_book(book, DEVICES[device])
    if not problems:
        typer.echo(f"{book}: nothing {device} would choke on")
        return
    for problem in problems:
        typer.echo(f"{book}: {problem}")
    raise typer.Exit(1)
