"""Image assets: every image an article references is read or fetched once, before export.

Local image files are read only for local inputs, and only from below the input's own
folder (or the policy's ``assets_dir``): :func:`confine_local_images` settles that when an
input is read, and :func:`load_asset` then reads nothing but a regular file of bounded size.
"""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote_to_bytes

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from exporters.html.lazy import HtmlBody
from exporters.model import Article, Asset, Block, Image, Quote
from exporters.pipeline.access import current_policy
from exporters.pipeline.fetch import MAX_IMAGE_BYTES, FetchError, fetch
from exporters.pipeline.localfile import FileTooLarge, read_regular_file

__all__ = [
    "collect_assets",
    "load_asset",
    "article_images",
    "body_images",
    "confine_local_images",
    "AssetError",
    "MAX_PIXELS",
]

_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
#: Largest image (width × height) decoded: 40 megapixels take about 160 MB once decoded.
MAX_PIXELS = 40_000_000
_REMOTE = ("http://", "https://", "data:")
Warn = Callable[[str], None]
_log = logging.getLogger(__name__)


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


# -- which local files an input may name ------------------------------------------------------------
def confine_local_images(articles: list[Article], source: str, *, local: bool) -> list[Article]:
    """The articles with every local image either resolved to a regular file below the allowed folders, or dropped.

    ``local`` says the input is a local file whose content may name files beside it (a saved
    page, Markdown, the JSON form); for anything else (a URL, a feed, standard input) no local
    file is ever read. Relative paths resolve against the input's folder. A dropped image keeps
    its caption; the warning is the same whether the file exists or not.
    """
    roots = _allowed_roots(source) if local else ()
    out = []
    for article in articles:
        changes: dict[str, object] = {}
        if article.image and not article.image.src.startswith(_REMOTE) and article.image.src:
            src = _confined(article.image.src, roots, source)
            changes["image"] = (
                Image(src, article.image.alt, article.image.caption, article.image.credit) if src else None
            )
        # Lazy bodies come only from the JSON readers, with an http(s) base: safe_url gives them no local path.
        if not isinstance(article.body, HtmlBody) and any(_is_local(i) for i in body_images(article.body)):
            changes["body"] = _confined_blocks(article.body, roots, source)
        out.append(article.with_changes(**changes) if changes else article)
    return out


def _allowed_roots(source: str) -> tuple[Path, ...]:
    roots = [Path(os.path.realpath(Path(source).parent))]
    assets_dir = current_policy().assets_dir
    if assets_dir is not None:
        roots.append(Path(os.path.realpath(assets_dir)))
    return tuple(roots)


def _is_local(image: Image) -> bool:
    return bool(image.src) and not image.src.startswith(_REMOTE)


def _confined_blocks(blocks: Sequence[Block], roots: tuple[Path, ...], source: str) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Image) and _is_local(block):
            block = Image(_confined(block.src, roots, source) or "", block.alt, block.caption, block.credit)
            if not (block.src or block.caption or block.credit):
                continue
        elif isinstance(block, Quote):
            block = Quote(_confined_blocks(block.blocks, roots, source))
        out.append(block)
    return tuple(out)


def _confined(src: str, roots: tuple[Path, ...], source: str) -> str | None:
    """The real path of a local image below the allowed folders, else None (with a warning).

    Only the path is looked at, never the file: whether a file outside exists is nobody's business.
    """
    if not roots:
        _log.warning(
            f"{source}: image dropped: {src[:300]}: local files are not read for content from the network, a feed or stdin"
        )
        return None
    path = Path(src)
    real = Path(os.path.realpath(path if path.is_absolute() else roots[0] / path))  # symlinks resolved
    if not any(real.is_relative_to(root) for root in roots):
        _log.warning(f"{source}: image dropped: {src[:300]}: outside the input's folder (see --assets-dir)")
        return None
    return str(real)


# -- loading ------------------------------------------------------------------------------------------
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
        data = _read_image_file(src)
    return _decoded(src, data)


def _read_image_file(src: str) -> bytes:
    """A local image's bytes: a regular file of at most ``MAX_IMAGE_BYTES``, opened without following a final symlink."""
    try:
        return read_regular_file(src, MAX_IMAGE_BYTES, follow_symlinks=False)
    except FileTooLarge as exc:
        raise AssetError(f"{src[:300]}: {exc.strerror}") from None
    except OSError:
        raise AssetError(f"{src[:300]}: not a readable image file") from None


def _decoded(src: str, data: bytes) -> Asset:
    """The asset for ``data`` once its header shows a supported image of sensible dimensions, checked before decoding."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(data)) as img:
                media_type = _FORMATS.get(img.format or "")
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise AssetError(
                        f"{_name(src)}: image is {width}×{height} pixels, over the {MAX_PIXELS:,}-pixel limit"
                    )
                img.verify()
    except UnidentifiedImageError:
        raise AssetError(f"{_name(src)}: not a decodable image") from None
    except PILImage.DecompressionBombError:
        raise AssetError(f"{_name(src)}: image is over the {MAX_PIXELS:,}-pixel limit") from None
    except AssetError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders fail in many ways on hostile bytes
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
        # Content from the network or stdin never names a local file (confine_local_images dropped any).
        remote_only = article.source == "-" or article.source.lower().startswith(("http://", "https://"))
        for image in article_images(article):
            if not image.src or image.src in assets or image.src in failed:
                continue
            try:
                if remote_only and not image.src.startswith(_REMOTE):
                    raise AssetError(f"{image.src[:300]}: not a readable image file")
                assets[image.src] = load_asset(image.src)
            except AssetError as exc:
                failed.add(image.src)
                warn(f"{article.source or article.title}: image dropped: {exc}")
    return assets
