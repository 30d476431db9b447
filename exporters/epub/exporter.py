"""EPUB 3 exporter: one e-book (with an EPUB 2 NCX) holding one chapter per article.

The steps live beside this module: :mod:`~exporters.epub.images` prepares the images,
:mod:`~exporters.epub.cover` draws the generated cover, :mod:`~exporters.epub.chapters` renders
each article's XHTML and :mod:`~exporters.epub.package` writes the book with ebooklib.

A long book's chapters are rendered by this process and a forked worker together while this
process deflates and writes the ones already rendered; the bytes are the same either way.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporters.epub.chapters import plan_chapters
from exporters.epub.cover import generated_cover
from exporters.epub.devices import DEVICES, device_defaults
from exporters.epub.images import ImagePreparationError, prepare_image
from exporters.epub.package import IMAGE_DIR, BookInfo, PreparedImages, book_info, write_package
from exporters.exporter import Exporter, ExportError, Progress, Rendered, option
from exporters.model import Asset, Collection
from exporters.pipeline.assets import article_images
from exporters.pipeline.fetch import MAX_IMAGE_BYTES
from exporters.pipeline.grouping import GROUPS, Groups, group_articles
from exporters.pipeline.localfile import MAX_STYLESHEET_BYTES, read_regular_file

__all__ = ["EpubExporter", "EpubOptions", "parse_size"]

log = logging.getLogger(__name__)

#: Images are never shrunk below this width to meet ``--max-size``; past it the export fails.
MIN_FIT_WIDTH = 240
_MIN_IMAGE_WIDTH = 100
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 10**3,
    "kb": 10**3,
    "kib": 2**10,
    "m": 10**6,
    "mb": 10**6,
    "mib": 2**20,
    "g": 10**9,
    "gb": 10**9,
    "gib": 2**30,
    "ki": 2**10,
    "mi": 2**20,
    "gi": 2**30,
}


@dataclass(frozen=True)
class EpubOptions:
    """Options of the EPUB exporter (each field is a CLI flag, e.g. ``--max-image-width``)."""

    group_by: str = option("none", "Sections by site, day or tag.", choices=GROUPS)
    cover: Path | None = option(None, "Cover image (JPEG, PNG, GIF, WebP); default: generated.", metavar="IMAGE")
    max_image_width: int = option(1200, "Downscale images wider than PX.", metavar="PX")
    grayscale: bool = option(False, "Greyscale images (smaller files for e-ink readers).")
    max_size: str | None = option(
        None,
        "Largest book size, e.g. 5MB or 800KiB; images shrink to fit.",
        metavar="SIZE",
    )
    css: Path | None = option(None, "Extra stylesheet, applied after the default one.", metavar="FILE")
    device: str | None = option(
        None,
        "Defaults for this reader; explicit options win.",
        choices=tuple(DEVICES),
        metavar="DEVICE",
    )

    def __post_init__(self) -> None:
        """Refuse a bad value when the options are built, with a message naming its flag."""
        if self.group_by not in GROUPS:
            raise ExportError(f"--group-by must be one of {', '.join(GROUPS)}, not {self.group_by!r}")
        if self.max_image_width < _MIN_IMAGE_WIDTH:
            raise ExportError(f"--max-image-width must be at least {_MIN_IMAGE_WIDTH} pixels")
        if self.max_size is not None:
            try:
                parse_size(self.max_size)
            except ValueError as exc:
                raise ExportError(f"--max-size: {exc}") from None

    @property
    def max_size_bytes(self) -> int | None:
        """``--max-size`` in bytes, or None when the book may take any size."""
        return parse_size(self.max_size) if self.max_size is not None else None


def parse_size(text: str) -> int:
    """A size in bytes from ``"5MB"``, ``"800 KB"``, ``"2MiB"`` or ``"123456"``; ValueError otherwise."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"cannot read size {text!r}; use bytes or a number with KB, MB, KiB or MiB, e.g. 5MB")
    number, unit = match.groups()
    size = int(float(number) * _SIZE_UNITS[(unit or "").lower()])
    if size <= 0:
        raise ValueError(f"size {text!r} must be more than zero")
    return size


@dataclass
class _Settings:
    """Options checked and files read, ready for building."""

    max_size: int | None
    css: bytes | None
    cover: Asset | None


class EpubExporter(Exporter):
    """One EPUB 3 book: cover, table of contents, one chapter per article, images embedded."""

    #: Format name used with ``-t``.
    name = "epub"
    #: Output extensions.
    extensions = (".epub",)
    #: Media type of an EPUB.
    media_type = "application/epub+zip"
    #: Shown by ``newsexport formats``.
    description = "EPUB 3 e-book, one chapter per article, images embedded"
    #: Option dataclass.
    options_class = EpubOptions
    #: Tells the CLI to fetch article images before export.
    uses_images = True

    @classmethod
    def with_options(cls, values: dict[str, Any]) -> Exporter:
        """Options from ``values``, over the defaults of the ``device`` they name, if any."""
        device = values.get("device")
        if device is not None and device not in DEVICES:
            raise ExportError(f"--device must be one of {', '.join(DEVICES)}, not {device!r}")
        return super().with_options({**(device_defaults(device) if device else {}), **values})

    def render(self, collection: Collection, output_name: str, progress: Progress) -> Rendered:
        """Build the book; with ``--max-size``, shrink images until it fits or raise ExportError."""
        settings = self._settings()
        info = book_info(collection)
        groups = group_articles(collection.articles, self.options.group_by)
        sources = self._usable_images(collection, groups)
        width = self.options.max_image_width
        cover = settings.cover or generated_cover(collection, info.date_range)
        images = self._prepare_images(sources, cover, width)
        # An image that failed to decode is warned about once, not again at each --max-size step.
        sources = {src: asset for src, asset in sources.items() if src in images}
        data = self._book(info, groups, images, settings, progress)
        if settings.max_size is not None and len(data) > settings.max_size:
            data = self._fit(data, settings, info, groups, images, sources, cover)
        return Rendered([data])

    # -- steps ------------------------------------------------------------------------------------
    def _settings(self) -> _Settings:
        """Read the files the options name (their values were checked when the options were built)."""
        opts = self.options
        css = None
        if opts.css is not None:
            try:
                css = read_regular_file(opts.css, MAX_STYLESHEET_BYTES)
                css.decode("utf-8")
            except OSError as exc:
                raise ExportError(f"--css {opts.css}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise ExportError(f"--css {opts.css}: not UTF-8 text") from None
        cover = None
        if opts.cover is not None:
            try:
                data = read_regular_file(opts.cover, MAX_IMAGE_BYTES)
            except OSError as exc:
                raise ExportError(f"--cover {opts.cover}: {exc.strerror or exc}") from None
            cover = Asset(src=str(opts.cover), media_type="", data=data)
            try:
                prepare_image(cover, opts.max_image_width)
            except ImagePreparationError:
                raise ExportError(
                    f"--cover {opts.cover}: not an image Pillow can read (use JPEG, PNG, GIF or WebP)"
                ) from None
        return _Settings(opts.max_size_bytes, css, cover)

    def _usable_images(self, collection: Collection, groups: Groups) -> dict[str, Asset]:
        """Assets of the images the book shows, in order of first appearance; unknown sources are dropped."""
        sources: dict[str, Asset] = {}
        for _, articles in groups:
            for article in articles:
                for image in article_images(article):
                    asset = collection.assets.get(image.src) if image.src else None
                    if asset is not None:
                        sources.setdefault(image.src, asset)
        return sources

    def _prepare_images(self, sources: dict[str, Asset], cover: Asset, width: int, quality: int = 85) -> PreparedImages:
        """Each usable image and the cover, at most ``width`` wide; undecodable ones are warned about and left out."""
        prepared: PreparedImages = {}
        cover_image = prepare_image(cover, width, grayscale=self.options.grayscale, jpeg_quality=quality)
        prepared[""] = (f"{IMAGE_DIR}/cover.{cover_image.extension}", cover_image)
        for n, (src, asset) in enumerate(sources.items(), start=1):
            try:
                image = prepare_image(asset, width, grayscale=self.options.grayscale, jpeg_quality=quality)
            except ImagePreparationError as exc:
                log.warning("image dropped: %s", exc)
                continue
            prepared[src] = (f"{IMAGE_DIR}/i{n:04d}.{image.extension}", image)
        return prepared

    def _book(
        self, info: BookInfo, groups: Groups, images: PreparedImages, settings: _Settings, progress: Progress
    ) -> bytes:
        """The book's bytes with these images; chapters are rendered as the zip is written."""
        paths = {src: name for src, (name, _) in images.items() if src}
        chapters = plan_chapters(groups, info.language, paths, bool(settings.css), progress)
        return write_package(info, groups, chapters, images, settings.css)

    def _fit(
        self,
        data: bytes,
        settings: _Settings,
        info: BookInfo,
        groups: Groups,
        images: PreparedImages,
        sources: dict[str, Asset],
        cover: Asset,
    ) -> bytes:
        """Downscale images step by step until the book fits ``--max-size``; ExportError when it cannot."""
        limit = settings.max_size
        assert limit is not None
        text_size = len(data) - sum(len(image.data) for _, image in images.values())
        if text_size > limit:
            raise ExportError(
                f"the book is {_megabytes(len(data))} and its text alone takes {_megabytes(text_size)}, "
                f"over --max-size {_megabytes(limit)}: export fewer articles or raise --max-size"
            )
        width = max(image.width for _, image in images.values())
        quality = 85
        while len(data) > limit:
            width = int(width * 0.8)
            quality = max(50, quality - 8)
            if width < MIN_FIT_WIDTH:
                raise ExportError(
                    f"the book is still over --max-size {_megabytes(limit)} with images {MIN_FIT_WIDTH} pixels wide "
                    f"(text {_megabytes(text_size)}): export fewer articles, use --grayscale or raise --max-size"
                )
            images = self._prepare_images(sources, cover, width, quality)
            # Images are stored, not deflated, so the book's size is known before writing it.
            if text_size + sum(len(image.data) for _, image in images.values()) <= limit:
                # Re-rendered because a re-encoded image may change its file name (GIF becomes PNG).
                data = self._book(info, groups, images, settings, lambda done, total: None)
        return data


def _megabytes(size: int) -> str:
    return f"{size / 10**6:.1f} MB" if size >= 10**6 else f"{round(size / 1000)} KB"
