"""newsexport from a source checkout: ``python main.py export ...`` runs the installed command's app."""

from exporters.cli import app, run

__all__ = ["app", "run"]

if __name__ == "__main__":
    run()
