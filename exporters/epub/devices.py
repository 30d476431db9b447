"""Device profiles: EPUB defaults that suit one kind of reader, and a check of what a device would choke on.

A profile only sets defaults; options given explicitly win. The limits come from the devices'
own documentation: Send to Kindle takes EPUBs up to 50 MB with a language set and JPEG, PNG or
GIF images; Kobo's Adobe RMSDK renderer ignores CSS ``min()``, ``clamp()`` and custom properties.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from exporters.pipeline.localfile import EntryTooLarge, ZipEntries

__all__ = ["Device", "DEVICES", "device_defaults", "check_book", "BookRefused", "MAX_ENTRY_BYTES", "MAX_BOOK_BYTES"]

#: Most bytes :func:`check_book` inflates from one entry, and from all it reads of a book: a few
#: hundred kilobytes of zip can hold gigabytes of CSS, and a bomb is refused rather than inflated.
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_BOOK_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Device:
    """One kind of reader: its screen, whether it shows colour, and what its software accepts."""

    name: str
    description: str
    #: Screen size in pixels (width, height): images are scaled to fit it.
    screen: tuple[int, int]
    grayscale: bool
    #: Largest book the device or its delivery service accepts, in bytes (None: no limit).
    max_bytes: int | None = None
    #: Image media types it shows.
    image_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/gif", "image/svg+xml")
    #: Whether its renderer is Adobe RMSDK, which ignores modern CSS functions.
    rmsdk: bool = False

    def defaults(self) -> dict[str, Any]:
        """EPUB option values this device suggests."""
        values: dict[str, Any] = {"max_image_width": self.screen[0], "grayscale": self.grayscale}
        if self.max_bytes is not None:
            values["max_size"] = f"{self.max_bytes // 1_000_000}MB"
        return values


DEVICES: dict[str, Device] = {
    device.name: device
    for device in (
        Device(
            "kindle",
            "Send to Kindle: EPUB up to 50 MB, JPEG/PNG images",
            (1236, 1648),
            False,
            50_000_000,
            ("image/jpeg", "image/png"),
        ),
        Device("kobo", "Kobo e-readers (Adobe RMSDK CSS)", (1264, 1680), False, rmsdk=True),
        Device("remarkable", "reMarkable tablets (greyscale)", (1404, 1872), True),
        Device("ereader", "any e-ink reader (greyscale, 6-inch screen)", (1072, 1448), True),
        Device("tablet", "colour tablets", (2048, 2048), False),
    )
}


def device_defaults(name: str) -> dict[str, Any]:
    """The option defaults of the device called ``name``; an unknown name raises ``ValueError`` listing the known ones."""
    if name not in DEVICES:
        raise ValueError(f"unknown device {name!r}; devices: {', '.join(DEVICES)}")
    return DEVICES[name].defaults()


#: CSS that Adobe RMSDK ignores (a rule using it is dropped): the functions, ``var()`` and custom properties.
_MODERN_CSS = re.compile(r"\b(min|max|clamp)\(|\b(var)\(\s*--|^\s*(--)[\w-]+\s*:|[{;]\s*(--)[\w-]+\s*:", re.M)
_CSS_NAMES = {"min": "min()", "max": "max()", "clamp": "clamp()", "var": "custom properties", "--": "custom properties"}
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"


class BookRefused(Exception):
    """A book :func:`check_book` does not read on: an entry, or all it reads, over the uncompressed limits."""


def check_book(path: Path, device: Device) -> list[str]:
    """What in the EPUB at ``path`` ``device`` would choke on, one line each (empty when nothing).

    Raises :class:`BookRefused` for a book that inflates past the limits (a zip bomb)."""
    problems = []
    size = path.stat().st_size
    if device.max_bytes is not None and size > device.max_bytes:
        problems.append(
            f"the book is {size / 1e6:.1f} MB, over the {device.max_bytes / 1e6:g} MB {device.name} accepts"
        )
    try:
        with zipfile.ZipFile(path) as book:
            entries = ZipEntries(book, MAX_ENTRY_BYTES, MAX_BOOK_BYTES)
            container = etree.fromstring(entries.read("META-INF/container.xml"))
            opf_name = container.find(".//{*}rootfile").get("full-path")
            opf = etree.fromstring(entries.read(opf_name))
            language = opf.findtext(f"{_OPF}metadata/{_DC}language") or ""
            if not language.strip():
                problems.append("the book has no language (dc:language)")
            base = opf_name.rpartition("/")[0]
            names = set(book.namelist())
            for item in opf.iter(f"{_OPF}item"):
                media_type, href = item.get("media-type", ""), item.get("href", "")
                name = posixpath.normpath(posixpath.join(base, unquote(href)))
                if not (media_type.startswith("image/") or media_type == "text/css"):
                    continue
                if name not in names:
                    problems.append(f"{href}: listed in the manifest but not in the book")
                elif media_type.startswith("image/") and media_type not in device.image_types:
                    problems.append(f"{href}: {media_type} images are not shown by {device.name}")
                elif media_type.startswith("image/") and media_type != "image/svg+xml":
                    problems.extend(_image_problem(entries.read(name), href, device))
                elif media_type == "text/css" and device.rmsdk:
                    problems.extend(_css_problem(entries.read(name), href, device))
    except EntryTooLarge as exc:
        raise BookRefused(_refusal(exc)) from None
    except (KeyError, AttributeError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        problems.append(f"not a readable EPUB ({exc.__class__.__name__}: {exc})")
    return problems


def _refusal(exc: EntryTooLarge) -> str:
    """Why ``check`` reads no further: an entry, or the entries read, over the uncompressed limits."""
    if exc.in_all:
        return f"{exc.name}: the entries read are over {exc.limit:,} bytes uncompressed in all"
    if exc.size is not None:
        return f"{exc.name}: {exc.size:,} bytes uncompressed, over the {exc.limit:,}-byte limit"
    return f"{exc.name}: over the {exc.limit:,}-byte limit uncompressed"


def _css_problem(data: bytes, href: str, device: Device) -> list[str]:
    """The modern CSS a stylesheet uses that the device's RMSDK renderer ignores, named once each."""
    text = re.sub(r"/\*.*?\*/", "", data.decode("utf-8", "replace"), flags=re.S)
    found = dict.fromkeys(_CSS_NAMES[next(g for g in m.groups() if g)] for m in _MODERN_CSS.finditer(text))
    if not found:
        return []
    return [f"{href}: uses CSS {', '.join(found)}, which {device.name} ignores"]


def _image_problem(data: bytes, href: str, device: Device) -> list[str]:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (OSError, ValueError):
        return [f"{href}: cannot be decoded"]
    if width > device.screen[0] * 2 or height > device.screen[1] * 2:
        return [f"{href}: {width}x{height} pixels, far larger than the {device.screen[0]}x{device.screen[1]} screen"]
    return []
