"""Pages for library tests: news articles served by the local HTTP server, and a tiny PNG."""

from __future__ import annotations

import io
import time

from PIL import Image as PILImage

WORDS = (
    "The harbour authority approved the plan after a long public meeting on Tuesday evening, "
    "and residents said the new ferry timetable would change how they travel to the mainland. "
)


def png_bytes(colour: str = "red") -> bytes:
    """A 4x4 PNG."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), colour).save(buffer, "PNG")
    return buffer.getvalue()


def article_page(n: int, *, image: str | None = None) -> bytes:
    """A news page trafilatura extracts: title, date, site, a few paragraphs and optionally an image."""
    figure = f'<figure><img src="{image}" alt="photo {n}"><figcaption>Photo {n}</figcaption></figure>' if image else ""
    paragraphs = "".join(f"<p>Paragraph {k} of story {n}. {WORDS * 2}</p>" for k in range(4))
    return (
        "<!doctype html><html lang='en'><head>"
        f"<title>Story number {n} | Harbour Notes</title>"
        f"<meta property='og:title' content='Story number {n}'>"
        "<meta property='og:site_name' content='Harbour Notes'>"
        f"<meta property='article:published_time' content='2024-04-{1 + n % 28:02d}T08:00:00Z'>"
        "</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<article><h1>Story number {n}</h1>{figure}{paragraphs}</article>"
        "<footer>Copyright Harbour Notes</footer></body></html>"
    ).encode()


def serve_pages(
    server, count: int, *, fail: set[int] = frozenset(), delay: float = 0.0, image: bool = False
) -> list[str]:
    """Routes /story/N on ``server`` (a 500 for those in ``fail``), each answered after ``delay`` seconds."""
    urls = []
    if image:
        server.routes["/photo.png"] = (200, {"Content-Type": "image/png"}, png_bytes())
    for n in range(count):
        body = article_page(n, image=server.url("/photo.png") if image else None)
        if n in fail:
            server.routes[f"/story/{n}"] = (500, {"Content-Type": "text/plain"}, b"broken")
        elif delay:
            server.routes[f"/story/{n}"] = (
                200,
                {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))},
                _slow(body, delay),
            )
        else:
            server.routes[f"/story/{n}"] = (200, {"Content-Type": "text/html; charset=utf-8"}, body)
        urls.append(server.url(f"/story/{n}"))
    return urls


def _slow(body: bytes, delay: float):
    def write(out):
        time.sleep(delay)
        out.write(body)

    return write
