"""Dates from untrusted inputs: ISO 8601 / RFC 3339, RFC 822 and YAML/TOML values, always timezone-aware."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["parse_date", "build_time"]


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from a string, date or datetime; naive values are taken as UTC.

    Returns None for empty values; raises ValueError for text that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                from dateutil import parser as dateutil_parser  # the last resort, imported when needed

                try:
                    parsed = dateutil_parser.parse(text)
                except (ValueError, OverflowError) as exc:
                    raise ValueError(f"not a date: {value!r}") from exc
    else:
        raise ValueError(f"not a date: {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def build_time(dates: list[datetime | None]) -> datetime:
    """The build time of an export: ``SOURCE_DATE_EPOCH`` when set, else the newest input date.

    Deriving it from the inputs keeps output byte-identical for identical inputs even
    without ``SOURCE_DATE_EPOCH``; with no dated input it is the Unix epoch.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}") from None
    known = [d for d in dates if d is not None]
    return max(known).astimezone(UTC) if known else datetime(1970, 1, 1, tzinfo=UTC)
