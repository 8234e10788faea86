"""The core of one running sandbox, reachable from every request: what the vendors may use."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import cached_property

from starlette.requests import Request

from booking_sandbox.core.fixtures import FixtureSet
from booking_sandbox.core.namespaces import Namespaces
from booking_sandbox.core.readcache import ReadCache
from booking_sandbox.core.settings import Settings
from booking_sandbox.core.signing import SigningKey


@dataclass
class Sandbox:
    settings: Settings
    fixtures: FixtureSet
    namespaces: Namespaces
    # `--signing-key`, read (and refused, ValueError) when the app is made, not at first use.
    configured: SigningKey | None = field(init=False, repr=False)
    # Encoded answers of the vendors' cached read routes, every namespace's (core/readcache.py).
    reads: ReadCache = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.reads = ReadCache(self.settings.read_cache_bytes)
        path = self.settings.signing_key
        self.configured = SigningKey.from_pem(path.read_bytes()) if path else None

    @cached_property
    def signer(self) -> SigningKey:
        """The RSA key of the JWTs this server signs: `--signing-key`'s, else made at first use
        (once per app: a 2048-bit key takes tens of milliseconds to make)."""
        return self.configured or SigningKey.generate()

    @cached_property
    def secret(self) -> bytes:
        """This server's own secret, for what must not be derivable from a state export or the
        seed (the seeded generators' states are exported): derived from a configured signing
        key, so signed URLs and tokens outlive a restart with it; else made at each start."""
        if self.configured is not None:
            return self.configured.derive(b"booking-sandbox:secret")
        return secrets.token_bytes(32)


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox
