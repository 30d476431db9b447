"""newsexport's command line: one Typer app, a module per group of commands."""

from exporters.cli import export as _export  # noqa: F401 - registers the commands on the app
from exporters.cli.app import app, run

__all__ = ["app", "run"]
