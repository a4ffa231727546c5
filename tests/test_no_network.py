"""The autouse ``network_guard`` (conftest.py): no test reaches the network, local sockets
still work."""

from __future__ import annotations

import re
import socket
import urllib.request

import pytest
from conftest import NetworkBlocked, NetworkGuard

PUBLIC = ("192.0.2.1", 80)
"""TEST-NET-1 (RFC 5737): never routed, so even a broken guard cannot reach anything (the
socket timeout makes such a failure quick rather than a hang)."""


def test_connect_to_a_public_address_is_blocked(network_guard: NetworkGuard) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        with pytest.raises(NetworkBlocked) as info:
            sock.connect(PUBLIC)
    message = str(info.value)
    assert "192.0.2.1" in message and "80" in message
    assert "test_connect_to_a_public_address_is_blocked" in message
    assert network_guard.attempts == [f"socket.connect({PUBLIC!r})"]
    network_guard.attempts.clear()  # blocked on purpose: do not fail this test at teardown


def test_urllib_and_name_lookups_are_blocked(network_guard: NetworkGuard) -> None:
    # Not an OSError, so urllib does not wrap it in URLError ("offline") and go on.
    with pytest.raises(NetworkBlocked, match=re.escape("192.0.2.1")):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1.0)
    with pytest.raises(NetworkBlocked, match=re.escape("geo.vliz.be")):
        socket.create_connection(("geo.vliz.be", 443), timeout=1.0)
    with pytest.raises(NetworkBlocked, match=re.escape("example.org")):
        socket.getaddrinfo("example.org", 443)
    assert len(network_guard.attempts) == 3
    network_guard.attempts.clear()


def test_localhost_and_unix_sockets_still_work() -> None:
    with (
        socket.create_server(("127.0.0.1", 0)) as server,
        socket.create_connection(server.getsockname(), timeout=5.0) as client,
    ):
        peer, _ = server.accept()
        with peer:
            client.sendall(b"ping")
            assert peer.recv(4) == b"ping"
    a, b = socket.socketpair(socket.AF_UNIX)
    with a, b:
        a.sendall(b"pong")
        assert b.recv(4) == b"pong"
