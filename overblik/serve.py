"""Start a Streamlit server with Nagle's algorithm off on its connections:

    python -m overblik.serve run dashboard.py [streamlit run options]     # = streamlit run ..., plus TCP_NODELAY

Streamlit 1.67's server binds its listening socket itself, as `socket.socket(family)` (protocol 0), and
asyncio sets TCP_NODELAY only on accepted sockets whose protocol is IPPROTO_TCP; so every connection kept
Nagle's algorithm on. A page run ends with a few small websocket frames written back to back: the last
ones waited in the kernel for the ACK of the one before, which the receiver delays (40 ms on Linux, up
to 200 ms on Windows). Every page run, filter change and click took that much longer than its work: a
warm rerun of the trivial three-widget app took 44 ms on this machine, 6 ms with TCP_NODELAY
(docs/performance.md, sixth pass).

TCP_NODELAY set on the listening socket is inherited by every connection it accepts (Linux). This wraps
Streamlit's private `_bind_socket` to set it; if a Streamlit upgrade renames that function, the server
starts as before (Nagle on) and tests/test_serve.py fails, so the upgrade is noticed.
"""

from __future__ import annotations

import socket
import sys


def nodelay(sock: socket.socket) -> socket.socket:
    """The listening socket with TCP_NODELAY, for the connections it accepts (returns it)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def install() -> bool:
    """Wrap Streamlit's socket binding so the server's socket gets TCP_NODELAY; False if the hook is gone."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        return False
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        return False
    if getattr(bind, "_overblik_nodelay", False):  # installed already
        return True

    def _bind_socket(address: str, port: int, backlog: int) -> socket.socket:
        return nodelay(bind(address, port, backlog))

    _bind_socket._overblik_nodelay = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = _bind_socket
    return True


def main(argv: list[str] | None = None) -> None:
    install()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *(sys.argv[1:] if argv is None else argv)]
    streamlit_main()


if __name__ == "__main__":
    main()
