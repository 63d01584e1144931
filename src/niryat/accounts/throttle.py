"""Login throttling that slows a guesser without locking out the real user.

Failures are counted per (email, client address) and per address. Past the free
failures, each further attempt from that pair must wait twice as long as the last
(1 s, 2 s, 4 s … up to the window). A person on their own device is slowed only by
their own mistakes; an attacker guessing one account from another address is
slowed, and one spraying many accounts from one address hits the address limit.
A success clears the pair's failures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from niryat.accounts.models import LoginFailure


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Keys:
    pair: str
    address: str

    @classmethod
    def of(cls, email: str, address: str | None) -> Keys:
        addr = address or "-"
        return cls(pair=_digest(email.strip().lower(), addr), address=_digest(addr))


def wait_seconds(keys: Keys) -> int:
    """How long the caller must wait before the next attempt; 0 means go ahead."""
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    since = timezone.now() - window
    LoginFailure.objects.filter(at__lt=since).delete()
    address_failures = LoginFailure.objects.filter(address=keys.address, at__gte=since)
    if address_failures.count() >= settings.LOGIN_THROTTLE_ADDRESS_FAILURES:
        oldest = address_failures.order_by("at").values_list("at", flat=True).first()
        return _remaining(oldest + window if oldest else None)
    pair_failures = LoginFailure.objects.filter(pair=keys.pair, at__gte=since)
    count = pair_failures.count()
    free = settings.LOGIN_THROTTLE_FREE_FAILURES
    if count < free:
        return 0
    delay = min(2 ** (count - free), settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    last = pair_failures.order_by("-at").values_list("at", flat=True).first()
    return _remaining(last + timedelta(seconds=delay) if last else None)


def _remaining(until: object) -> int:
    if until is None:
        return 0
    seconds = (until - timezone.now()).total_seconds()  # type: ignore[operator]
    return max(0, int(seconds + 0.999))


def failure_record(keys: Keys) -> None:
    LoginFailure.objects.create(pair=keys.pair, address=keys.address)


def failures_clear(keys: Keys) -> None:
    LoginFailure.objects.filter(pair=keys.pair).delete()
