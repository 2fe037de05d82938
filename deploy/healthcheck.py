"""Container health probe: `python healthcheck.py URL [TIMEOUT]` exits 0 when URL answers below 400."""

from __future__ import annotations

import http.client
import sys
from urllib.parse import urlsplit


def healthy(url: str, timeout: float) -> bool:
    """Whether a GET of `url` (plain http, as inside the compose network) answers with a status < 400."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/")
        return connection.getresponse().status < 400
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: healthcheck.py URL [TIMEOUT_SECONDS]")
    sys.exit(0 if healthy(sys.argv[1], float(sys.argv[2]) if len(sys.argv) == 3 else 5.0) else 1)
