"""HTTP(S) fetching with the limits a tool reading untrusted URLs needs.

Every fetch has one total deadline, checked on every read of the connection (headers and
body), so a server sending a byte a second cannot hold a run. Fetches that content triggers
(images, linked pages) go only to public addresses: the address each connection actually
reaches is checked, on every redirect hop, unless the policy allows private networks. A URL
the user names (``typed``) may go anywhere on its own host.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from exporters import __version__
from exporters.pipeline.access import current_policy

if TYPE_CHECKING:
    import httpcore

__all__ = ["FetchError", "Fetched", "fetch", "refused_address", "MAX_PAGE_BYTES", "MAX_IMAGE_BYTES"]

MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_REDIRECTS = 5
#: Seconds to connect, for any one read, and for the whole fetch (connecting, redirects, headers and body).
CONNECT_TIMEOUT, TIMEOUT, DEADLINE = 10.0, 15.0, 30.0
USER_AGENT = f"newsexport/{__version__} (+https://pypi.org/project/newsexport/)"


class FetchError(Exception):
    """A URL could not be fetched; the message names the URL and the reason.

    ``status`` is the HTTP status when the server answered with an error, and ``retry_after``
    the seconds its ``Retry-After`` header asked to wait (None when absent or a date).
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class _Refused(Exception):
    """A connection would reach an address content may not make us fetch from."""


@dataclass(frozen=True)
class Fetched:
    """A fetched response: the final URL after redirects, its media type and body."""

    url: str
    media_type: str
    data: bytes
    charset: str | None = None


def refused_address(address: str) -> bool:
    """Whether an IP address is one content may not make newsexport fetch from.

    Loopback, private, link-local (169.254.169.254, the cloud metadata service), shared,
    multicast, reserved and unspecified addresses, IPv4 mapped into IPv6 included.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_link_local


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_PAGE_BYTES,
    accept: tuple[str, ...] = (),
    typed: bool = False,
    cache: Path | None = None,
) -> Fetched:
    """GET ``url`` within one deadline, at most five redirects and a size cap; ``accept`` lists allowed type prefixes.

    ``typed`` marks a URL the user named: its own host may be a private address. Any other
    host (content's URLs, redirect targets) must be public unless the access policy allows private networks.
    ``cache`` is an HTTP cache file (RFC 9111, through hishel): a fresh response is served from it
    and a stale one revalidated with ``If-None-Match`` / ``If-Modified-Since``.
    """
    import httpx  # only runs that fetch something pay for importing it

    deadline = time.monotonic() + DEADLINE
    open_hosts = {(urlsplit(url).hostname or "").lower()} if typed else set()
    if current_policy().allow_private_network:
        open_hosts = {"*"}
    transport = _guarded_transport(deadline, open_hosts)
    if cache is not None:
        transport = _cached(transport, cache)
    try:
        with (
            httpx.Client(
                transport=transport,
                trust_env=False,  # a proxy from the environment would bypass the address check
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT),
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}",
                    status=response.status_code,
                    retry_after=_seconds(response.headers.get("retry-after")),
                )
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
    except _Refused as exc:
        raise FetchError(f"{url}: {exc}") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects (limit {MAX_REDIRECTS})") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: invalid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: cannot fetch ({exc.__class__.__name__}: {exc})") from None
    except (OSError, UnicodeError, ValueError) as exc:  # e.g. a host name IDNA cannot encode
        raise FetchError(f"{url}: cannot fetch ({exc.__class__.__name__}: {exc})") from None


def _seconds(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value.isdigit() else None


def _cached(transport: Any, path: Path) -> Any:
    """``transport`` behind a private RFC 9111 cache stored in the SQLite file ``path``."""
    import sqlite3

    import hishel
    import hishel.httpx

    # One connection per fetch; threads fetching at once wait for each other's writes.
    storage = hishel.SqliteStorage(connection=sqlite3.connect(path, timeout=30, check_same_thread=False))
    return hishel.httpx.CacheTransport(transport, storage=storage, rfc=hishel.CacheOptions(shared=False))


@functools.cache
def _ssl_context() -> Any:
    """The TLS context every fetch shares: loading the CA bundle cost ~45 ms and ~0.3 MB each time."""
    import httpx

    return httpx.create_ssl_context(trust_env=False)


def _guarded_transport(deadline: float, open_hosts: set[str]) -> Any:
    """An httpx transport whose connections are checked by :class:`_GuardedBackend` and bound by ``deadline``."""
    import httpcore
    import httpx

    context = _ssl_context()
    transport = httpx.HTTPTransport(verify=context, trust_env=False)
    # httpx 0.28 cannot take a network backend (encode/httpx#3749): give its pool one.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context,
        max_connections=4,
        network_backend=_GuardedBackend(deadline, open_hosts),  # type: ignore[arg-type]  # duck-typed NetworkBackend
    )
    return transport


def _remaining(deadline: float) -> float:
    import httpcore

    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout(f"no response within {DEADLINE:g} seconds")
    return left


def _within(timeout: float | None, deadline: float) -> float:
    left = _remaining(deadline)
    return left if timeout is None else min(timeout, left)


class _GuardedBackend:
    """httpcore's network backend, connecting only to allowed addresses, with every operation bound by the deadline."""

    def __init__(self, deadline: float, open_hosts: set[str]):
        import httpcore

        self._backend = httpcore.SyncBackend()
        self._deadline = deadline
        self._open_hosts = open_hosts

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        import httpcore

        timeout = _within(timeout, self._deadline)
        checked = not ({"*", host.lower()} & self._open_hosts)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if checked:
            refused = [a for a in addresses if refused_address(a)]
            if refused:
                raise _Refused(_refusal(host, refused[0]))
        # Connect to an address checked above, never to the name: a second lookup could answer differently.
        stream = self._backend.connect_tcp(addresses[0], port, timeout, local_address, socket_options)
        if checked:
            peer = stream.get_extra_info("socket").getpeername()[0]
            if refused_address(peer):
                stream.close()
                raise _Refused(_refusal(host, peer))
        return _DeadlineStream(stream, self._deadline)  # type: ignore[return-value]

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise _Refused("refused: Unix sockets are never fetched from")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, _remaining(self._deadline)))


def _refusal(host: str, address: str) -> str:
    what = "is a private or reserved address" if host.strip("[]") == address else f"is at the private address {address}"
    return f"refused: {host} {what} (--allow-private-network allows it)"


class _DeadlineStream:
    """A network stream whose reads, writes and TLS handshake all end by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, self._deadline))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, self._deadline))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        self._stream = self._stream.start_tls(ssl_context, server_hostname, _within(timeout, self._deadline))
        return self

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)
