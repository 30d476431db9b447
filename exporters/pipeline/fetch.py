"""HTTP(S) fetching with the limits a tool reading untrusted URLs needs."""

from __future__ import annotations

from dataclasses import dataclass

from exporters import __version__

__all__ = ["FetchError", "Fetched", "fetch", "MAX_PAGE_BYTES", "MAX_IMAGE_BYTES"]

MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_REDIRECTS = 5
#: Seconds to connect, and for the whole response otherwise.
CONNECT_TIMEOUT, TIMEOUT = 10.0, 15.0
USER_AGENT = f"newsexport/{__version__} (+https://pypi.org/project/newsexport/)"


class FetchError(Exception):
    """A URL could not be fetched; the message names the URL and the reason."""


@dataclass(frozen=True)
class Fetched:
    """A fetched response: the final URL after redirects, its media type and body."""

    url: str
    media_type: str
    data: bytes
    charset: str | None = None


def fetch(url: str, *, max_bytes: int = MAX_PAGE_BYTES, accept: tuple[str, ...] = ()) -> Fetched:
    """GET ``url`` with timeouts, at most five redirects and a size cap; ``accept`` lists allowed type prefixes."""
    import httpx  # only runs that fetch something pay for importing it

    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT),
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if accept and media_type and not media_type.startswith(accept):
                raise FetchError(f"{url}: unexpected content type {media_type!r}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: response is over the {max_bytes:,}-byte limit")
                chunks.append(chunk)
            return Fetched(str(response.url), media_type, b"".join(chunks), response.charset_encoding)
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects (limit {MAX_REDIRECTS})") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: invalid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: cannot fetch ({exc.__class__.__name__}: {exc})") from None
