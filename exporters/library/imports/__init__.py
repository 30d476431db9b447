"""Importing read-it-later exports into the library; the format is recognised by content, not by name.

Pocket (HTML, CSV, zip of CSV parts), Instapaper CSV, wallabag JSON, Omnivore zip, Readwise
Reader CSV, Netscape bookmarks and newsexport's own JSON/JSONL. Read state, stars, tags and the
time each link was saved carry over; links without text are stored to be fetched later.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exporters.library.add import fetch_articles
from exporters.library.articles import Library
from exporters.library.imports import bookmarks, instapaper, newsexport, omnivore, pocket, readwise, wallabag
from exporters.library.imports.items import MAX_ARCHIVE_BYTES, ArchiveTooLarge, ImportFormatError, ImportItem, Skipped
from exporters.model import ArticleError
from exporters.pipeline.localfile import MAX_IMPORT_BYTES, FileRefused, open_regular_file

__all__ = ["ImportReport", "import_file", "recognise", "read_items", "FORMATS"]

Reader = Callable[[Path, str], Iterator[ImportItem | Skipped]]

#: Formats recognised from a file's first bytes, most specific first: (name, recognise, read).
FORMATS: tuple[tuple[str, Callable[[bytes, Path], bool], Reader], ...] = (
    ("Netscape bookmarks", bookmarks.recognise, bookmarks.read),
    ("Pocket HTML", pocket.recognise_html, pocket.read_html),
    ("Pocket CSV", pocket.recognise_csv, pocket.read_csv),
    ("Instapaper CSV", instapaper.recognise, instapaper.read),
    ("Readwise Reader CSV", readwise.recognise, readwise.read),
    ("wallabag JSON", wallabag.recognise, wallabag.read),
    ("newsexport JSON", newsexport.recognise, newsexport.read),
)
#: Zip archives, recognised from their member names.
ZIP_FORMATS: tuple[tuple[str, Callable[[list[str]], bool], Reader], ...] = (
    ("Pocket CSV zip", pocket.recognise_zip, pocket.read_zip),
    ("Omnivore zip", omnivore.recognise, omnivore.read),
)
_HEAD = 8192


@dataclass
class ImportReport:
    """What an import did: the format, ids added and updated, rows skipped (with why), pages fetched and failed."""

    format: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    #: One message per malformed row, with its line or item number.
    skipped: list[str] = field(default_factory=list)
    #: How many rows were left out by design (Readwise feed items).
    left_out: int = 0
    fetched: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def recognise(path: Path, source: str) -> tuple[str, Reader]:
    """The format of the export at ``path`` and its reader; ArticleError naming ``source`` when none fits."""
    try:
        with open_regular_file(path, MAX_IMPORT_BYTES) as file:
            head = file.read(_HEAD)
    except FileNotFoundError:
        raise ArticleError(f"{source}: no such file") from None
    except FileRefused as exc:
        raise ArticleError(f"{source}: {exc.strerror}") from None
    except OSError as exc:
        raise ArticleError(f"{source}: cannot read ({exc.strerror or exc})") from None
    if not head.strip():
        raise ArticleError(f"{source}: file is empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                total = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArticleError(f"{source}: not a readable zip archive ({exc})") from None
        if total > MAX_ARCHIVE_BYTES:
            raise ArticleError(
                f"{source}: {total:,} bytes uncompressed in all, over the {MAX_ARCHIVE_BYTES:,}-byte limit"
            )
        for name, in_zip, reader in ZIP_FORMATS:
            if in_zip(names):
                return name, reader
        raise ArticleError(f"{source}: a zip, but not a Pocket or Omnivore export")
    for name, recognised, reader in FORMATS:
        if recognised(head, path):
            return name, reader
    raise ArticleError(
        f"{source}: not an export newsexport knows (Pocket, Instapaper, wallabag, Omnivore, Readwise, "
        "bookmarks, newsexport JSON)"
    )


def read_items(path: Path, source: str) -> tuple[str, list[ImportItem | Skipped]]:
    """The format and every item (or skipped row) of an export file, without touching a library."""
    name, reader = recognise(path, source)
    try:
        return name, list(reader(path, source))
    except (ImportFormatError, ArchiveTooLarge) as exc:
        raise ArticleError(f"{source}: {name}: {exc}") from None
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
        raise ArticleError(f"{source}: {name}: cannot read ({type(exc).__name__}: {exc})") from None


def import_file(
    library: Library, path: str | Path, *, fetch: bool = False, jobs: int = 4, images: bool = True, progress=None
) -> ImportReport:
    """Import one export file: each item saved in its own transaction (same canonical URL: updated).

    With ``fetch``, links imported without text are fetched and extracted afterwards.
    """
    source = str(path)
    name, items = read_items(Path(path), source)
    report = ImportReport(name)
    for item in items:
        if isinstance(item, Skipped) and not item.malformed:
            report.left_out += 1
            continue
        if isinstance(item, Skipped):
            report.skipped.append(f"{source}: {item.where}: {item.reason}")
            continue
        saved = library.save(
            item.to_article(source),
            tags=item.tags,
            starred=item.starred,
            archived=item.archived,
            added=item.added,
            origin=source,
            fetched=item.article is not None,
        )
        (report.added if saved.status == "added" else report.updated).append(saved.id)
    if fetch:
        wanted = set(report.added + report.updated)
        stored = [s for s in library.unfetched() if s.id in wanted]
        fetched = fetch_articles(library, stored, jobs=jobs, images=images, progress=progress)
        report.fetched, report.failed = fetched.updated, fetched.failed
    return report
