"""Many fetches, politely: several at once, at most two per host, retried when a server asks to wait.

``add``, ``library fetch`` and recipes fetch lists of pages and feeds. They share this one
:class:`Fetcher`: each request goes through :func:`~exporters.pipeline.fetch.fetch` (limits,
deadline, address checks), optionally through an HTTP cache, and threads carry the command's
access policy with them.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from exporters.pipeline.fetch import MAX_PAGE_BYTES, Fetched, FetchError, fetch

__all__ = ["Fetcher", "PER_HOST", "RETRIES"]

#: Requests at once to one host, whatever the number of jobs.
PER_HOST = 2
#: Attempts after the first when a server answers 429 (too many requests) or 503 (unavailable).
RETRIES = 2
#: The longest wait a server's ``Retry-After`` may impose, in seconds.
MAX_WAIT = 30.0
T = TypeVar("T")
R = TypeVar("R")


class Fetcher:
    """``jobs`` fetches at once, :data:`PER_HOST` per host, through the HTTP cache file ``cache`` if given."""

    def __init__(
        self,
        *,
        jobs: int = 4,
        cache: Path | None = None,
        per_host: int = PER_HOST,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.jobs, self.cache, self._per_host, self._sleep = max(1, jobs), cache, per_host, sleep
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        #: Every URL requested, in the order the requests were made.
        self.requested: list[str] = []

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the places of ``url``'s host for the ``with`` block."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(self._per_host))
        with gate:
            yield

    def get(
        self, url: str, *, typed: bool = False, accept: tuple[str, ...] = (), max_bytes: int = MAX_PAGE_BYTES
    ) -> Fetched:
        """One GET in a place of its host; 429 and 503 are tried again after ``Retry-After`` (or 1 s, then 2 s)."""
        for attempt in range(RETRIES + 1):
            with self._lock:
                self.requested.append(url)
            with self.slot(url):
                try:
                    return fetch(url, accept=accept, typed=typed, max_bytes=max_bytes, cache=self.cache)
                except FetchError as exc:
                    if exc.status not in (429, 503) or attempt == RETRIES:
                        raise
                    wait = min(MAX_WAIT, exc.retry_after if exc.retry_after is not None else 2.0**attempt)
            self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """``function`` of each item, ``jobs`` at once, results in order; each thread runs in this command's context."""
        if self.jobs == 1 or len(items) < 2:
            yield from map(function, items)
            return
        context = contextvars.copy_context()
        with ThreadPoolExecutor(self.jobs, thread_name_prefix="newsexport-fetch") as pool:
            yield from pool.map(lambda item: context.copy().run(function, item), items)
