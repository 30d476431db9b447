"""The fetcher's address check: which addresses content may reach, on the address a name resolves to."""

from __future__ import annotations

import socket

import pytest

from exporters.pipeline import fetch as fetch_module
from exporters.pipeline.access import AccessPolicy, access_policy
from exporters.pipeline.fetch import FetchError, fetch, refused_address


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::",
    ],
)
def test_private_reserved_and_multicast_addresses_are_refused(address):
    assert refused_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not refused_address(address)


def test_a_public_looking_name_resolving_to_loopback_is_refused(local_server, monkeypatch):
    port = int(local_server.url("/").rsplit(":", 1)[1].strip("/"))
    real = socket.getaddrinfo
    monkeypatch.setattr(
        fetch_module.socket,
        "getaddrinfo",
        lambda host, *a, **k: real("127.0.0.1", *a, **k) if host == "news.example" else real(host, *a, **k),
    )
    local_server.routes["/x"] = (200, {"Content-Type": "text/plain"}, b"secret")
    with pytest.raises(FetchError) as refused:
        fetch(f"http://news.example:{port}/x")
    assert str(refused.value) == (
        f"http://news.example:{port}/x: refused: news.example is at the private address 127.0.0.1"
        " (--allow-private-network allows it)"
    )
    assert local_server.requests == []
    with access_policy(AccessPolicy(allow_private_network=True)):
        assert fetch(f"http://news.example:{port}/x").data == b"secret"
    assert local_server.requests == ["/x"]
