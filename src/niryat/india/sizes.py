"""MSME size classes from investment and turnover, with the limits in force on a date.

Both limits of a class must hold (the composite criterion); an enterprise over the
medium limits is not an MSME ("large"). Limits are integer paise.

- From 1 July 2020 (notification S.O. 2119(E), 26 June 2020): micro ≤ ₹1 crore
  investment and ≤ ₹5 crore turnover; small ≤ ₹10 / ₹50 crore; medium ≤ ₹50 / ₹250 crore.
- From 1 April 2025 (notification S.O. 1364(E), 21 March 2025): micro ≤ ₹2.5 / ₹10 crore;
  small ≤ ₹25 / ₹100 crore; medium ≤ ₹125 / ₹500 crore.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CRORE_PAISE = 10_000_000 * 100


@dataclass(frozen=True)
class Limits:
    """The upper limits (inclusive) of each class, in paise: (investment, turnover)."""

    in_force_from: date
    micro: tuple[int, int]
    small: tuple[int, int]
    medium: tuple[int, int]


def crore(amount: float) -> int:
    return round(amount * CRORE_PAISE)


LIMITS = [
    Limits(date(2020, 7, 1), (crore(1), crore(5)), (crore(10), crore(50)), (crore(50), crore(250))),
    Limits(date(2025, 4, 1), (crore(2.5), crore(10)), (crore(25), crore(100)),
           (crore(125), crore(500))),
]


def limits_on(day: date) -> Limits:
    """The limits in force on ``day`` (the 2020 limits for any earlier day as well)."""
    current = LIMITS[0]
    for limits in LIMITS:
        if limits.in_force_from <= day:
            current = limits
    return current


def size_class(investment_paise: int, turnover_paise: int, on: date) -> str:
    """``micro``, ``small``, ``medium`` or ``large`` under the limits in force ``on``."""
    if investment_paise < 0 or turnover_paise < 0:
        raise ValueError("investment and turnover cannot be negative")
    limits = limits_on(on)
    for name, (max_investment, max_turnover) in (
        ("micro", limits.micro), ("small", limits.small), ("medium", limits.medium)
    ):
        if investment_paise <= max_investment and turnover_paise <= max_turnover:
            return name
    return "large"
