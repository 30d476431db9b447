"""newsexport's command line: one Typer app, a module per group of commands."""

from exporters.cli import check as _check  # noqa: F401 - registers check
from exporters.cli import export as _export  # noqa: F401 - registers the commands on the app
from exporters.cli import fonts as _fonts  # noqa: F401 - registers the fonts command
from exporters.cli import library as _library  # noqa: F401 - registers the library commands
from exporters.cli import recipes as _recipes  # noqa: F401 - registers run
from exporters.cli.app import app, run

__all__ = ["app", "run"]
