"""What the content of an input may make newsexport read: private network addresses and local folders.

Content is written by strangers: an image or a linked page it names must not reach the
machine's own network or files. The CLI sets the policy for one command with
:func:`access_policy`; the fetcher and the image loader consult :func:`current_policy`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AccessPolicy", "access_policy", "current_policy"]


@dataclass(frozen=True)
class AccessPolicy:
    """The limits on reads that content triggers (not on the inputs the user names)."""

    #: Let content make newsexport fetch from loopback, private, link-local and other non-public addresses.
    allow_private_network: bool = False
    #: A folder local images may come from, besides the folder of the input that names them.
    assets_dir: Path | None = None


_STRICT = AccessPolicy()
_POLICY: ContextVar[AccessPolicy | None] = ContextVar("newsexport_access_policy", default=None)


def current_policy() -> AccessPolicy:
    """The policy in force: the one :func:`access_policy` set, else the strict default."""
    return _POLICY.get() or _STRICT


@contextmanager
def access_policy(policy: AccessPolicy) -> Iterator[AccessPolicy]:
    """Apply ``policy`` inside the ``with`` block, then restore the previous one."""
    token = _POLICY.set(policy)
    try:
        yield policy
    finally:
        _POLICY.reset(token)
