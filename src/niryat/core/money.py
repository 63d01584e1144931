"""Money is an integer count of the currency's minor unit (paise for INR), never a float."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision


def minor_units(currency: str) -> int:
    """How many decimal places the currency's minor unit has (INR: 2, JPY: 0)."""
    return int(get_currency_precision(currency))


def to_minor(amount: Decimal | str | int, currency: str = "INR") -> int:
    """Convert a decimal amount ("1234.50") to minor units (123450); refuses fractions of a paisa."""
    value = Decimal(str(amount)) * (10 ** minor_units(currency))
    if value != value.to_integral_value():
        raise ValueError(f"{amount} has more decimal places than {currency} allows")
    return int(value)


def format_money(minor: int, currency: str = "INR", locale: str = "en_IN") -> str:
    """Format minor units for people, with Indian digit grouping: ₹1,23,45,678.00."""
    amount = Decimal(minor) / (10 ** minor_units(currency))
    return str(format_currency(amount, currency, locale=locale))
