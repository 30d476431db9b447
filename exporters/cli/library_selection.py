"""The selection flags of ``list`` and ``export --from-library`` as a library :class:`Query`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import typer

from exporters.library import Query
from exporters.library.query import State

__all__ = ["make_query"]


def make_query(
    *,
    unread: bool = False,
    archived: bool = False,
    all_states: bool = False,
    starred: bool = False,
    tags: list[str] | None = None,
    site: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
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
        since=since,
        until=until,
        search=search,
        not_sent_to=not_sent_to,
        sort=sort,
        newest_first=newest_first,
        limit=limit,
    )
