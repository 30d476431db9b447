"""Bylines and datelines in a browser copy: "By Name", "Name · Posted: Sep 18, 2015 4:12 PM ET"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from exporters.readers.copied_text.chrome import is_prose, is_reading_time, word_count

#: Languages whose month names (from babel's CLDR data) datelines may use, beside English.
_MONTH_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")


def _month_names() -> dict[str, int]:
    """Month name or abbreviation (lower-cased, without its dot) → number; a name two languages use differently is left out."""
    from babel.dates import get_month_names

    found: dict[str, set[int]] = {}
    for language in _MONTH_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=language).items():
                found.setdefault(name.lower().rstrip("."), set()).add(number)
    found.setdefault("sept", set()).add(9)
    return {name: numbers.pop() for name, numbers in found.items() if len(numbers) == 1}


_MONTHS = _month_names()
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME_OF_DAY = (
    r",?\s*(?:(?:at|à|um|a las|alle|om|às)\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
)
# Zone abbreviations seen in datelines, mapped to zones so daylight saving comes out right.
_ZONES = {
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "ast": "America/Halifax",
    "adt": "America/Halifax",
    "nst": "America/St_Johns",
    "ndt": "America/St_Johns",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "utc": "UTC",
    "gmt": "UTC",
}
# A zone only means something after a time of day.
_CLOCK = r"(?:" + _TIME_OF_DAY + r"(?:\s*(?P<zone>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")\b)?)?"
_DATE_FORMS = [
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _CLOCK, re.I),
    # "18 March 2024", "18 mars 2024", "18. März 2024", "18 de marzo de 2024".
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+)?(?P<year>\d{4})" + _CLOCK,
        re.I,
    ),
    # The time first, as agencies write it: "2:15 PM GMT, July 21, 2025".
    re.compile(
        r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:(?P<zone>"
        + "|".join(sorted(_ZONES, key=len, reverse=True))
        + r")\b)?,?\s+"
        + _MONTH
        + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
        re.I,
    ),
    # Day first with dots, as most of Europe writes it: "12.02.2025, 14:30 Uhr".
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<number>\d{1,2})\.(?P<year>\d{4})" + _CLOCK + r"(?:\s*(?:uhr|h))?", re.I),
    # With slashes, day and month in either order: read only when one of them is above 12 ("2/26/2015").
    re.compile(r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})" + _CLOCK, re.I),
    # Chinese, Japanese and Korean: "2025年3月24日 10時15分", "2025년 3월 24일".
    re.compile(
        r"(?P<year>\d{4})\s*[年년]\s*(?P<number>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"
        r"(?:\s*(?P<hour>\d{1,2})\s*[時时:시]\s*(?P<minute>\d{2})\s*[分분]?)?"
    ),
]
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")
# "Published on", "Updated:", and the same labels in German, French, Spanish, Italian, Dutch and Portuguese.
_UPDATED_LABELS = (
    "updated|last updated|modified|last modified|aktualisiert|mis à jour|actualizado|aggiornato|bijgewerkt|atualizado"
)
_DATE_LABEL = re.compile(
    r"^(?P<label>posted|published|first published|veröffentlicht|publié|publicado|pubblicato|gepubliceerd|"
    + _UPDATED_LABELS
    + r")(?:\s+(?:on|am|le|el|il|op|em))?\s*:?\s*",
    re.I,
)
# "By" ("Posted by", "Written by"...), and its French, Spanish/Portuguese and German forms.
_BYLINE = re.compile(
    r"^(?:(?:[Pp]osted|[Ww]ritten|[Ww]ords|[Rr]eporting|[Ss]tory) by|[Bb]y|Par|Por|Von)\s+(?P<names>[A-Z].*)$"
)
_PART_SEPARATOR = re.compile(r"\s+[·•|]\s+|\s+[–—]\s+")
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\b(?:and|und|et|y|e)\b)\s*")
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|del|la|le|bin|al|el)){1,4}$")
# Words that make a byline part an organisation or a role rather than a person.
# The nouns publications and agencies are named with, roles, and initialisms ("AP", "AFP"): no outlet by name.
_ROLES = "correspondent|reporter|editor|writer|contributor|columnist|critic|journalist"
_NOT_A_PERSON = re.compile(
    r"^(?i:the)\b|\b(?i:news|press|agency|agencies|staff|times|post|journal|herald|tribune|gazette|chronicle|"
    r"telegraph|daily|magazine|bureau|wire|service|media|" + _ROLES + r")\b"
    r"|\b[A-Z]{2,5}\b"
)
# A line giving a writer's role under their name: "Science correspondent", "Staff writer".
_ROLE_LINE = re.compile(r"^(?:[\w'’-]+\s+){0,3}(?i:" + _ROLES + r")s?$")


@dataclass(frozen=True)
class Byline:
    """People and dates read from byline and dateline lines."""

    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None


def read_byline(lines: list[str]) -> Byline:
    """Authors and dates from the byline and dateline lines among ``lines`` (the first date of each kind wins)."""
    authors: list[str] = []
    published = updated = None
    for n, text in enumerate(lines):
        parts = byline_parts(text)
        if parts is None and n + 1 < len(lines) and _ROLE_LINE.match(lines[n + 1]):
            # A name alone on its line with the writer's role under it: "Maria Keller" / "Science correspondent".
            parts = [("author", name) for name in _names(text)]
        for kind, value in parts or ():
            if isinstance(value, str):
                if value not in authors:
                    authors.append(value)
            elif kind == "updated" and updated is None:
                updated = value
            elif kind == "published" and published is None:
                published = value
    return Byline(tuple(authors), published, updated)


def byline_parts(text: str) -> list[tuple[str, str | datetime]] | None:
    """The authors and dates of a byline/dateline line, or None when the line is anything else.

    A line counts when it opens with "By Name", or when every part between separators
    ("·", "|", "—") is a date, a name, an outlet or a reading time and at least one part is a date.
    """
    if len(text) > 200 or is_prose(text):
        return None
    parts: list[tuple[str, str | datetime]] = []
    has_date = has_by = False
    for piece in (part for separated in _PART_SEPARATOR.split(text) for part in _names_and_date_apart(separated)):
        byline = _BYLINE.match(piece)
        labelled = _DATE_LABEL.match(piece)
        when = _parse_date(piece[labelled.end() :] if labelled else piece)
        if byline:
            has_by = True
            parts.extend(("author", name) for name in _names(byline.group("names")))
        elif when is not None:
            has_date = True
            label = labelled.group("label").lower() if labelled else ""
            parts.append(("updated" if re.fullmatch(_UPDATED_LABELS, label) else "published", when))
        elif is_reading_time(piece):
            continue
        elif _NAME.match(piece) and not _NOT_A_PERSON.search(piece):
            parts.append(("author", piece))
        elif not (_NOT_A_PERSON.search(piece) and word_count(piece) <= 5):
            return None
    return parts if has_by or has_date else None


# "By" inside a dateline, before the names: "2/26/2015 7:11 AM PST BY JANE DOE".
_INNER_BY = re.compile(r"\s+(?:[Bb]y|BY)\s+(?=[A-Z])")


def _names_and_date_apart(piece: str) -> list[str]:
    """A byline piece with its date split off when no separator stands between them.

    "By Jane Doe March 3, 2015" gives "By Jane Doe" and "March 3, 2015"; "March 3, 2015 By Jane
    Doe" gives them the other way round.
    """
    byline = _BYLINE.match(piece)
    if byline:
        names = byline.group("names")
        for form in _DATE_FORMS:
            match = form.search(names)
            if match and match.start() > 0 and _parse_date(names[match.start() :]) is not None:
                return [piece[: byline.start("names") + match.start()].rstrip(" ,"), names[match.start() :]]
        return [piece]
    inner = _INNER_BY.search(piece)
    if inner and _parse_date(piece[: inner.start()]) is not None:
        return [piece[: inner.start()], "By " + piece[inner.end() :]]
    return [piece]


#: Two or more words in capitals: a name set in capitals ("JANE SMITH"), not an initialism ("AP").
_CAPITALISED_NAME = re.compile(r"\b[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)+\b")


def _names(text: str) -> list[str]:
    """People in the names part of a byline; organisations and roles ("The Associated Press") are left out."""
    text = _CAPITALISED_NAME.sub(lambda match: match.group(0).title(), text)
    return [
        name
        for name in _NAME_SEPARATOR.split(text.strip().rstrip("."))
        if name and _NAME.match(name) and not _NOT_A_PERSON.search(name)
    ]


def _zone(abbreviation: str | None):
    """The zone a dateline abbreviation stands for; UTC when there is none or the zone database lacks it."""
    name = _ZONES.get((abbreviation or "").lower(), "UTC")
    if name == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return UTC


def _parse_date(text: str) -> datetime | None:
    """A date written out in a dateline ("Sep 18, 2015 4:12 PM ET", "18 September 2015", ISO 8601), else None.

    The text must be the date and little else; a date without a zone is taken as UTC.
    """
    text = text.strip()
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    for form in _DATE_FORMS:
        match = form.search(text)
        if not match or len(text) - (match.end() - match.start()) > 12:
            continue
        found = match.groupdict()
        hour = int(found["hour"] or 0)
        ampm = (found.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        zone = _zone(found.get("zone"))
        month_and_day = _month_and_day(found)
        if month_and_day is None:
            return None
        try:
            return datetime(
                int(match.group("year")),
                *month_and_day,
                hour,
                int(found["minute"] or 0),
                tzinfo=zone,
            )
        except ValueError:
            return None
    return None


def _month_and_day(found: dict[str, str | None]) -> tuple[int, int] | None:
    """The month and day a date form matched; None for "3/4/2025", which may be either."""
    if found.get("first"):
        first, second = int(found["first"] or 0), int(found["second"] or 0)
        if (first > 12) == (second > 12):
            return None
        return (second, first) if first > 12 else (first, second)
    month = int(found["number"] or 0) if found.get("number") else _MONTHS[(found["month"] or "").lower()]
    return month, int(found["day"] or 0)
