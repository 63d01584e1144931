"""Synthetic enterprise files for benchmarks: valid and invalid rows mixed, no real data.

    python bench/generate.py OUT.csv ROWS [--invalid-every N]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from stdnum import luhn

GST_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# (GST code, Udyam letters, LGD district codes) for a few states
STATES = [
    ("09", "UP", [187, 171, 118, 179, 143, 155, 162]),
    ("24", "GJ", [438, 461, 459, 442, 457]),
    ("27", "MH", [475, 482, 490]),
]
SECTORS = ["textiles-apparel", "handicrafts", "leather", "gems-jewellery", "food-spices"]
WORDS = ["Kashi", "Ganga", "Shree", "Laxmi", "Om", "Sai", "Navrang", "Surya", "Moti", "Hari"]
TRADES = ["Silk Weavers", "Brass Works", "Handicrafts", "Leather Goods", "Spices", "Textiles"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def pan(rng: random.Random, i: int) -> str:
    return ("".join(rng.choice(LETTERS) for _ in range(3)) + rng.choice("CFP")
            + rng.choice(LETTERS) + f"{(i % 9999) + 1:04d}" + rng.choice(LETTERS))


def gstin(state: str, pan_: str) -> str:
    body = state + pan_ + "1Z"
    return body + luhn.calc_check_digit(body, GST_ALPHABET)


def rows(count: int, invalid_every: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(count):
        gst_code, letters, districts = STATES[i % len(STATES)]
        p = pan(rng, i)
        row = {
            "udyam_number": f"UDYAM-{letters}-{rng.randint(1, 75):02d}-{i:07d}",
            "name": f"{rng.choice(WORDS)} {rng.choice(TRADES)} {i}",
            "name_hi": "",
            "gstin": gstin(gst_code, p),
            "pan": p,
            "district_lgd_code": str(rng.choice(districts)),
            "sector": rng.choice(SECTORS),
            "mobile": f"9{rng.randint(100000000, 999999999)}",
            "email": f"unit{i}@example.in",
            "pincode": f"{rng.randint(110001, 855999)}",
        }
        if invalid_every and i % invalid_every == 0:
            row["gstin"] = row["gstin"][:-1] + ("0" if row["gstin"][-1] != "0" else "1")
        yield row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("rows", type=int)
    parser.add_argument("--invalid-every", type=int, default=10)
    args = parser.parse_args()
    path = Path(args.out)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = None
        for row in rows(args.rows, args.invalid_every):
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)


if __name__ == "__main__":
    main()
