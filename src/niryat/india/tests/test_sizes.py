"""Size classes at the exact limits of the 2020 and the 1-April-2025 regimes."""

from __future__ import annotations

from datetime import date

import pytest

from niryat.india.sizes import CRORE_PAISE, crore, limits_on, size_class

OLD = date(2024, 1, 1)
NEW = date(2025, 4, 1)


def test_a_crore_in_paise() -> None:
    assert CRORE_PAISE == 1_000_000_000
    assert crore(2.5) == 2_500_000_000


def test_regime_changes_on_1_april_2025() -> None:
    assert limits_on(date(2025, 3, 31)).in_force_from == date(2020, 7, 1)
    assert limits_on(NEW).in_force_from == NEW
    assert limits_on(date(2019, 1, 1)).in_force_from == date(2020, 7, 1)  # earlier days: 2020 limits


@pytest.mark.parametrize("on, investment, turnover, expected", [
    # 2020 limits: micro 1/5 crore, small 10/50, medium 50/250
    (OLD, crore(1), crore(5), "micro"),
    (OLD, crore(1) + 1, crore(5), "small"),
    (OLD, crore(1), crore(5) + 1, "small"),
    (OLD, crore(10), crore(50), "small"),
    (OLD, crore(10) + 1, crore(50), "medium"),
    (OLD, crore(10), crore(50) + 1, "medium"),
    (OLD, crore(50), crore(250), "medium"),
    (OLD, crore(50) + 1, crore(250), "large"),
    (OLD, crore(50), crore(250) + 1, "large"),
    (OLD, 0, 0, "micro"),
    # 1 April 2025: micro 2.5/10 crore, small 25/100, medium 125/500
    (NEW, crore(2.5), crore(10), "micro"),
    (NEW, crore(2.5) + 1, crore(10), "small"),
    (NEW, crore(2.5), crore(10) + 1, "small"),
    (NEW, crore(25), crore(100), "small"),
    (NEW, crore(25) + 1, crore(100), "medium"),
    (NEW, crore(25), crore(100) + 1, "medium"),
    (NEW, crore(125), crore(500), "medium"),
    (NEW, crore(125) + 1, crore(500), "large"),
    (NEW, crore(125), crore(500) + 1, "large"),
    # the same enterprise the day before and on the day the limits changed
    (date(2025, 3, 31), crore(2), crore(8), "small"),
    (NEW, crore(2), crore(8), "micro"),
])
def test_size_class_at_the_limits(on: date, investment: int, turnover: int, expected: str) -> None:
    assert size_class(investment, turnover, on) == expected


@pytest.mark.parametrize("on, investment, turnover, expected", [
    (OLD, crore(5), crore(100), "medium"),  # small investment, medium turnover
    (OLD, crore(0.5), crore(40), "small"),  # micro investment, small turnover
    (OLD, crore(20), crore(1), "medium"),  # medium investment, micro turnover
    (NEW, crore(1), crore(400), "medium"),
    (NEW, crore(200), crore(1), "large"),
])
def test_composite_rule_takes_the_higher_class(on: date, investment: int, turnover: int, expected: str) -> None:
    assert size_class(investment, turnover, on) == expected


@pytest.mark.parametrize("investment, turnover", [(-1, 0), (0, -1)])
def test_negative_amounts_raise(investment: int, turnover: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        size_class(investment, turnover, NEW)
