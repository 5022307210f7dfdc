"""overblik.serve: the server's listening socket gets TCP_NODELAY, which the connections it accepts inherit,
so a page run's last small websocket frames are not held back until the browser's delayed ACK arrives."""

from __future__ import annotations

import socket

import pytest

from overblik import serve


def test_streamlit_still_binds_its_socket_where_serve_hooks_in():
    """If a Streamlit upgrade renames the hook, the server would quietly keep Nagle on: fail here instead."""
    from streamlit.web.server.starlette import starlette_server

    assert callable(getattr(starlette_server, "_bind_socket", None))
    assert serve.install() is True
    assert serve.install() is True  # twice is harmless: wrapped once
    assert starlette_server._bind_socket._overblik_nodelay


def test_the_bound_socket_and_the_connections_it_accepts_have_nodelay():
    from streamlit.web.server.starlette import starlette_server

    serve.install()
    listener = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        listener.setblocking(True)
        client = socket.create_connection(listener.getsockname()[:2], timeout=5)
        accepted, _ = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listener.close()


def test_without_serve_streamlit_leaves_nagle_on():
    """Why overblik.serve exists: Streamlit's own socket (protocol 0) gets no TCP_NODELAY from asyncio."""
    plain = socket.socket(socket.AF_INET)
    with plain:
        assert plain.proto == 0
        assert plain.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert serve.nodelay(plain).getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


@pytest.mark.parametrize("family", [socket.AF_UNIX])
def test_a_unix_socket_is_left_alone(family):
    s = socket.socket(family)
    with s:
        assert serve.nodelay(s) is s
