"""Dates from untrusted inputs (ISO 8601 / RFC 3339, RFC 822, YAML/TOML values, always timezone-aware),
and dates as a reader of the article's language writes them.

Every reader's dates pass through :func:`parse_date`, the one place that checks them: it
refuses what no real article carries (offsets of a day or more, instants that cannot be
written in UTC such as ``9999-12-31T23:59:59-12:00``), so that converting any date the
model holds to UTC (:func:`to_utc`) cannot fail later. The author's offset is kept.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from functools import cache, lru_cache
from typing import Any

__all__ = ["parse_date", "to_utc", "build_time", "zip_date_time", "format_date"]

#: Real offsets run from -12:00 to +14:00; anything from a day up is not a timezone.
_MAX_OFFSET = timedelta(hours=23, minutes=59)
#: The DOS timestamps in zip entries cover 1980-01-01 to 2107-12-31.
_ZIP_FIRST, _ZIP_LAST = (1980, 1, 1, 0, 0, 0), (2107, 12, 31, 23, 59, 58)


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from a string, date or datetime; naive values are taken as UTC.

    Returns None for empty values; raises ValueError for anything that is not a possible date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        parsed = _parse_text(value)
    else:
        raise ValueError(f"not a date: {value!r}")
    to_utc(parsed, value)  # refuses an impossible offset or instant
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_text(value: str) -> datetime:
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    from dateutil import parser as dateutil_parser  # the last resort, imported when needed

    try:
        return dateutil_parser.parse(text)
    except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
        raise ValueError(f"not a date: {value!r}") from exc


def to_utc(moment: datetime, shown: Any = None) -> datetime:
    """``moment`` in UTC (naive is taken as UTC); ValueError for an impossible offset or an instant outside UTC's range."""
    shown = moment if shown is None else shown
    if isinstance(shown, (date, datetime)):
        shown = shown.isoformat()
    try:
        offset = moment.utcoffset()
    except ValueError:  # a tzinfo whose offset is a day or more
        raise ValueError(f"not a date: {shown!r} (timezone offset out of range)") from None
    if offset is None:
        return moment.replace(tzinfo=UTC)
    if abs(offset) > _MAX_OFFSET:
        raise ValueError(f"not a date: {shown!r} (timezone offset out of range)")
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(f"not a date: {shown!r} (outside the years 1-9999 in UTC)") from None


def zip_date_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """``moment`` (in UTC) as a zip entry's ``date_time``, clamped to the years a zip can hold (1980-2107)."""
    stamp = to_utc(moment).timetuple()[:6]
    clamped = min(max(stamp, _ZIP_FIRST), _ZIP_LAST)
    return (clamped[0], clamped[1], clamped[2], clamped[3], clamped[4], clamped[5])


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
    known = [to_utc(d) for d in dates if d is not None]
    return max(known) if known else datetime(1970, 1, 1, tzinfo=UTC)


def format_date(value: date, language: str | None = None) -> str:
    """A day in words for readers of ``language``: ``18 March 2024``, ``18. März 2024``, ``2024年3月18日``.

    CLDR's long date format (through Babel), so output depends on the Babel version, never on the
    machine's locale. English without a region, and a language CLDR does not know, read as
    international English (``en_001``: day, month, year) rather than CLDR's US default.
    """
    return _format_day(value.date() if isinstance(value, datetime) else value, language or "")


@lru_cache(maxsize=4096)
def _format_day(day: date, language: str) -> str:
    from babel.dates import format_date as babel_format_date  # imported on first use: Babel loads slowly

    return babel_format_date(day, "long", locale=_locale(language))


@cache
def _locale(language: str):
    """Babel's locale for a language tag (``pt-BR``, ``de_DE``, ``zh-Hant``), else its primary language's, else ``en_001``."""
    from babel import Locale, UnknownLocaleError

    tag = language.strip().replace("-", "_")
    primary = tag.split("_")[0].lower()
    if primary not in ("", "en", "und") or "_" in tag:
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError, TypeError):
            if "_" in tag:
                return _locale(primary)
    return Locale.parse("en_001")
