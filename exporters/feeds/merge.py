"""Merging with a previous feed: its entries read back as bytes, new ones added on top, the newest kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from exporters.exporter import ExportError
from exporters.model import canonical_url
from exporters.pipeline.dates import parse_date
from exporters.pipeline.localfile import MAX_INPUT_BYTES, read_regular_file

__all__ = ["Record", "ReadDocument", "parse_feed_date", "read_previous", "merge_records", "keep_newest"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Record:
    """An entry serialised in the format (bytes), with what merging needs."""

    id: str
    link: str | None
    #: The entry's date; for an entry read back from a previous feed, its text until first asked for.
    when: datetime | str | None
    data: bytes

    @property
    def date(self) -> datetime | None:
        """The date entries are ranked by; read-back dates are parsed lazily (a 10,000-entry merge rarely needs them)."""
        if isinstance(self.when, str):
            self.when = parse_feed_date(self.when)
        return self.when


#: Reads one previous document: its entries as :class:`Record` and its prev-archive URL; ValueError when unreadable.
ReadDocument = Callable[[bytes, str], tuple[list[Record], str | None]]


def parse_feed_date(text: str | None) -> datetime | None:
    """A date read back from a previous feed (RFC 822 or RFC 3339), as aware UTC, or None."""
    try:
        parsed = parse_date((text or "").strip())
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed else None


def read_previous(name: str, path: Path, read: ReadDocument) -> list[Record]:
    """Entries of the feed named by ``--merge``, following its prev-archive links to local archive pages.

    Exporters otherwise never read files; merging cannot be done by the CLI because only the
    format knows how to keep the old entries byte for byte. ``name`` is the format's, for messages.
    """
    records: list[Record] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        if current in seen:
            raise ExportError(f"{name}: cannot merge {path}: its archive pages link in a loop")
        seen.add(current)
        try:
            data = read_regular_file(current, MAX_INPUT_BYTES)
        except FileNotFoundError:
            if current == path:
                raise ExportError(f"{name}: cannot merge {path}: no such file") from None
            raise ExportError(f"{name}: cannot merge {path}: archive page {current} is missing") from None
        except OSError as exc:
            raise ExportError(f"{name}: cannot merge {current}: {exc.strerror or exc}") from None
        try:
            page, prev_archive = read(data, str(current))
        except ValueError as exc:
            raise ExportError(f"{name}: cannot merge {current}: {exc}") from None
        records.extend(page)
        current = path.parent / PurePosixPath(urlsplit(prev_archive).path).name if prev_archive else None
    return records


def keep_newest(records: list[Record], count: int) -> list[Record]:
    """The ``count`` most recent records (undated ones count as oldest), in their original order."""
    if len(records) <= count:
        return records
    by_date = sorted(range(len(records)), key=lambda i: (records[i].date is not None, records[i].date or _EPOCH, -i))
    kept = set(by_date[-count:])
    return [r for i, r in enumerate(records) if i in kept]


def merge_records(new: list[Record], old: list[Record]) -> list[Record]:
    """New records whose id and canonical link are not already there, then the old ones unchanged.

    New entries go first: a feed lists its latest additions at the top. Old links are grouped
    by path so only the few sharing a new link's path are canonicalised (10,000 urlsplits
    would cost more than the rest of a merge).
    """
    seen_ids = {r.id for r in old}
    by_path: dict[str, list[str]] = {}
    for record in old:
        if record.link:
            by_path.setdefault(_url_path(record.link), []).append(record.link)

    def known(record: Record) -> bool:
        if record.id in seen_ids:
            return True
        candidates = by_path.get(_url_path(record.link)) if record.link else None
        if not candidates:
            return False
        canonical = canonical_url(record.link)  # type: ignore[arg-type]
        return any(canonical_url(link) == canonical for link in candidates)

    return [r for r in new if not known(r)] + old


def _url_path(url: str) -> str:
    """The path of a URL without query or fragment, by string operations (canonical URLs share it)."""
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    path = rest[slash:] if slash >= 0 else "/"
    return path.split("#", 1)[0].split("?", 1)[0]
