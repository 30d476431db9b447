"""Image assets are loaded once from files, data URIs and HTTP, and bad ones are dropped with a warning."""

from __future__ import annotations

import base64
import io

from conftest import SAMPLES
from PIL import Image as PILImage

from exporters.model import Article, Image, Quote
from exporters.pipeline.access import AccessPolicy, access_policy
from exporters.pipeline.assets import collect_assets


def _png(width: int = 4, height: int = 3) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 10, 10)).save(buf, "PNG")
    return buf.getvalue()


def test_images_from_every_source_are_loaded_once(local_server, tmp_path):
    calls = []

    def counted(out):
        calls.append(1)
        out.write(_png(5, 5))

    local_server.routes["/p.png"] = (
        200,
        {"Content-Type": "image/png", "Content-Length": str(len(_png(5, 5)))},
        counted,
    )
    data_uri = "data:image/png;base64," + base64.b64encode(_png(2, 2)).decode()
    local = str(SAMPLES / "images" / "cafe-terrace.jpg")
    remote = local_server.url("/p.png")
    broken_file = tmp_path / "broken.jpg"
    broken_file.write_bytes(b"\xff\xd8 not really a jpeg")
    articles = [
        Article(id="a", title="A", image=Image(remote), body=(Image(local), Image(data_uri), Image(""))),
        Article(
            id="b",
            title="B",
            source="b.md",
            body=(Quote((Image(remote),)), Image(str(broken_file)), Image(local_server.url("/missing.png"))),
        ),
    ]
    warnings: list[str] = []
    with access_policy(AccessPolicy(allow_private_network=True)):  # the test server is on 127.0.0.1
        assets = collect_assets(articles, warnings.append)
    assert list(assets) == [remote, local, data_uri]
    assert (assets[remote].media_type, assets[remote].width) == ("image/png", 5)
    assert (assets[local].media_type, assets[local].width, assets[local].height) == ("image/jpeg", 640, 420)
    assert assets[data_uri].width == 2
    assert len(calls) == 1
    assert warnings == [
        f"b.md: image dropped: {broken_file}: not a decodable image",
        f"b.md: image dropped: {local_server.url('/missing.png')}: HTTP 404 Not Found",
    ]
