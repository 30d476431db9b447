"""What the library records for recipes: which articles a destination received, and numbered runs."""

from __future__ import annotations

from datetime import datetime

from exporters.library.articles import Library
from exporters.library.records import iso
from exporters.library.store import write

__all__ = ["sent_ids", "next_run", "last_run"]


def sent_ids(library: Library, destination: str) -> set[str]:
    """The ids of every article ever sent to ``destination``."""
    rows = library.conn.execute(
        "SELECT a.id FROM deliveries AS d JOIN articles AS a ON a.rowid = d.article WHERE d.destination = ?",
        (destination,),
    )
    return {key for (key,) in rows}


def next_run(library: Library, recipe: str, when: datetime) -> int:
    """Number a new run of ``recipe`` (1, 2, 3, ...) and record it; one transaction."""
    with write(library.conn):
        (last,) = library.conn.execute("SELECT max(run) FROM recipe_runs WHERE recipe = ?", (recipe,)).fetchone()
        run = (last or 0) + 1
        library.conn.execute(
            "INSERT INTO recipe_runs (recipe, run, started) VALUES (?, ?, ?)", (recipe, run, iso(when))
        )
    return run


def last_run(library: Library, recipe: str) -> int:
    """The number of ``recipe``'s last recorded run (0 before the first)."""
    (last,) = library.conn.execute("SELECT max(run) FROM recipe_runs WHERE recipe = ?", (recipe,)).fetchone()
    return last or 0
