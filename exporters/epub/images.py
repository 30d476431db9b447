"""Article images prepared for an e-reader: resized, optionally grey, in a format every reader shows.

The EPUB exporter embeds every image it keeps (never a remote reference); this module turns an
:class:`~exporters.model.Asset` into the bytes that go into the book.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps

from exporters.model import Asset

__all__ = ["EmbeddedImage", "prepare_image", "ImagePreparationError"]

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif"}
# Modes a JPEG may be written in without conversion.
_JPEG_MODES = {"RGB", "L"}


class ImagePreparationError(Exception):
    """An asset could not be decoded or re-encoded; the image is left out of the book."""


@dataclass(frozen=True)
class EmbeddedImage:
    """An image as stored in the book."""

    media_type: str
    data: bytes
    width: int
    height: int

    @property
    def extension(self) -> str:
        """File extension for the image's media type (no dot)."""
        return _EXTENSIONS[self.media_type]


def prepare_image(asset: Asset, max_width: int, *, grayscale: bool = False, jpeg_quality: int = 85) -> EmbeddedImage:
    """The asset at most ``max_width`` pixels wide; re-encoded only when something must change.

    JPEG, PNG and GIF that are small enough and need no conversion keep their original bytes.
    WebP, CMYK JPEGs and rotated (EXIF) photos are re-encoded, because older readers cannot show
    them correctly. Photos become JPEG; images with transparency or from PNG/GIF become PNG.
    """
    try:
        with PILImage.open(io.BytesIO(asset.data)) as source:
            source_format = source.format or ""
            needs_turn = source.getexif().get(0x0112, 1) not in (1, None)
            fits = source.width <= max_width
            keep = (
                fits
                and not grayscale
                and not needs_turn
                and source_format in ("JPEG", "PNG", "GIF")
                and (source_format != "JPEG" or source.mode in _JPEG_MODES)
            )
            # Decoding fully catches truncated files that Pillow's quick verify lets through.
            source.load()
            if keep:
                media_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}[source_format]
                return EmbeddedImage(media_type, asset.data, source.width, source.height)
            image = ImageOps.exif_transpose(source)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as exc:
        raise ImagePreparationError(f"{_name(asset)}: cannot decode image ({exc})") from None
    return _encode(image, source_format, max_width, grayscale, jpeg_quality)


def _encode(image: PILImage.Image, source_format: str, max_width: int, grayscale: bool, quality: int) -> EmbeddedImage:
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if transparent:
        image = image.convert("LA" if grayscale else "RGBA")
    else:
        image = image.convert("L" if grayscale else "RGB")
    if image.width > max_width:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    # Line art and screenshots (PNG, GIF) stay lossless; photos (JPEG, WebP without alpha) become JPEG.
    if transparent or source_format in ("PNG", "GIF"):
        image.save(out, format="PNG")
        media_type = "image/png"
    else:
        image.save(out, format="JPEG", quality=quality)
        media_type = "image/jpeg"
    return EmbeddedImage(media_type, out.getvalue(), image.width, image.height)


def _name(asset: Asset) -> str:
    return "data URI image" if asset.src.startswith("data:") else asset.src[:200]
