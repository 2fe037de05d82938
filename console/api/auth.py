"""Bearer tokens on the API: who calls, whether the role allows it, and a rate limit per token."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cases.api_tokens import TokenHolder, authenticate
from console.api.problems import Problem
from console.state import state
from models.users import Role

bearer = HTTPBearer(auto_error=False, description="A token from `minerals tokens create NAME --role ROLE`.")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="minerals"'}


class RateLimit:
    """At most `requests` per token in any `window` seconds (one console process, in memory)."""

    def __init__(self, requests: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.requests, self.window, self.clock = requests, window, clock
        self._seen: dict[int, deque[float]] = {}

    def wait(self, token_id: int) -> int:
        """Seconds to wait before the next request; 0 when this one may go (and then it counts)."""
        now = self.clock()
        times = self._seen.setdefault(token_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.requests:
            return max(1, math.ceil(times[0] + self.window - now))
        times.append(now)
        return 0


def holder(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> TokenHolder:
    """The caller's token: 401 without a valid one, 429 over its rate limit."""
    if credentials is None:
        raise Problem(401, "send a token: Authorization: Bearer TOKEN", "token-required", CHALLENGE)
    found = authenticate(state(request).sessions, credentials.credentials)
    if found is None:
        raise Problem(401, "the token is unknown, expired or revoked", "token-invalid", CHALLENGE)
    limit: RateLimit = request.app.state.rate_limit
    wait = limit.wait(found.id)
    if wait:
        detail = f"token {found.name} made more than {limit.requests} requests in {limit.window:g} s"
        raise Problem(429, f"{detail}; retry in {wait} s", "rate-limited", {"Retry-After": str(wait)})
    return found


def require(needed: Role) -> Callable[[TokenHolder], TokenHolder]:
    """A dependency letting through tokens whose role allows `needed`."""

    def dependency(caller: Annotated[TokenHolder, Depends(holder)]) -> TokenHolder:
        if not caller.can(needed):
            raise Problem(
                403, f"this needs the {needed.value} role; token {caller.name} is {caller.role.value}"
            )
        return caller

    return dependency


Viewer = Annotated[TokenHolder, Depends(require(Role.VIEWER))]
Analyst = Annotated[TokenHolder, Depends(require(Role.ANALYST))]
Admin = Annotated[TokenHolder, Depends(require(Role.ADMIN))]
