"""Dates from untrusted inputs (ISO 8601 / RFC 3339, RFC 822, YAML/TOML values, always timezone-aware),
and dates as a reader of the article's language writes them."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from functools import cache, lru_cache
from typing import Any

__all__ = ["parse_date", "build_time", "format_date"]


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
