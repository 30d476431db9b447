"""The selection flags of ``list`` and ``export --from-library`` as a library :class:`Query`."""

from __future__ import annotations

from typing import Literal

import typer

from exporters.library import Query
from exporters.library.query import State
from exporters.pipeline.dates import parse_date

__all__ = ["make_query"]


def _date(value: str | None, flag: str):
    try:
        return parse_date(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD or ISO 8601)", param_hint=flag) from None


def make_query(
    *,
    unread: bool = False,
    archived: bool = False,
    all_states: bool = False,
    starred: bool = False,
    tags: list[str] | None = None,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    search: str | None = None,
    not_sent_to: str | None = None,
    sort: Literal["added", "published", "title"] = "added",
    newest_first: bool = True,
    limit: int | None = None,
) -> Query:
    """The :class:`Query` the selection flags ask for: unread by default, any state with ``--starred`` alone."""
    if unread + archived + all_states > 1:
        raise typer.BadParameter("choose one of --unread, --archived and --all", param_hint="--unread")
    state: State = "unread" if unread else "archived" if archived else "any" if all_states or starred else "unread"
    return Query(
        state=state,
        starred=True if starred else None,
        tags=tuple(tags or ()),
        site=site,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        search=search,
        not_sent_to=not_sent_to,
        sort=sort,
        newest_first=newest_first,
        limit=limit,
    )
