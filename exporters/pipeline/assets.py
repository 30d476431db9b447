"""Image assets: every image an article references is read or fetched once, before export."""

from __future__ import annotations

import base64
import io
import mimetypes
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote_to_bytes

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from exporters.html.lazy import HtmlBody
from exporters.model import Article, Asset, Block, Image, Quote
from exporters.pipeline.fetch import MAX_IMAGE_BYTES, FetchError, fetch

__all__ = ["collect_assets", "load_asset", "article_images", "body_images", "AssetError"]

_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
Warn = Callable[[str], None]


class AssetError(Exception):
    """An image could not be read, fetched or decoded."""


def article_images(article: Article) -> Iterator[Image]:
    """Every image of an article: its lead image, then body images in order (quotes included)."""
    if article.image:
        yield article.image
    body = article.body
    if not isinstance(body, HtmlBody) or body.may_hold_images:  # not converted just to learn it has no image
        yield from body_images(body)


def body_images(blocks: Iterable[Block]) -> Iterator[Image]:
    """The images among ``blocks``, in order, quotes included."""
    for block in blocks:
        if isinstance(block, Image):
            yield block
        elif isinstance(block, Quote):
            yield from body_images(block.blocks)


def load_asset(src: str) -> Asset:
    """Read, fetch or decode one image source and check that Pillow can decode it."""
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        try:
            data = (
                base64.b64decode(payload, validate=False) if header.endswith(";base64") else unquote_to_bytes(payload)
            )
        except ValueError as exc:
            raise AssetError(f"data URI image: {exc}") from None
    elif src.startswith(("http://", "https://")):
        try:
            data = fetch(src, max_bytes=MAX_IMAGE_BYTES, accept=("image/",)).data
        except FetchError as exc:
            raise AssetError(str(exc)) from None
    else:
        try:
            data = Path(src).read_bytes()
        except OSError as exc:
            raise AssetError(f"{src}: {exc.strerror or exc}") from None
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            img.verify()
        with PILImage.open(io.BytesIO(data)) as img:
            media_type = _FORMATS.get(img.format or "")
            width, height = img.size
    except UnidentifiedImageError:
        raise AssetError(f"{_name(src)}: not a decodable image") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise AssetError(f"{_name(src)}: not a decodable image ({exc})") from None
    if media_type is None:
        raise AssetError(f"{_name(src)}: unsupported image type {mimetypes.guess_type(src)[0] or 'unknown'}")
    return Asset(src=src, media_type=media_type, data=data, width=width, height=height)


def _name(src: str) -> str:
    return "data URI image" if src.startswith("data:") else src[:300]


def collect_assets(articles: Iterable[Article], warn: Warn) -> dict[str, Asset]:
    """Load every distinct image once; one that fails is reported through ``warn`` and left out."""
    assets: dict[str, Asset] = {}
    failed: set[str] = set()
    for article in articles:
        for image in article_images(article):
            if not image.src or image.src in assets or image.src in failed:
                continue
            try:
                assets[image.src] = load_asset(image.src)
            except AssetError as exc:
                failed.add(image.src)
                warn(f"{article.source or article.title}: image dropped: {exc}")
    return assets
