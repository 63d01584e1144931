"""``niryat validate-id --jsonl``: check identifiers line by line, streaming."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from niryat.india import identifiers


def validate_lines(lines: Iterable[str]) -> Iterator[str]:
    """One JSON answer per input line ``{"kind": …, "value": …}``; bad lines get an answer too."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            yield json.dumps({"kind": None, "value": "", "valid": False,
                              "errors": [f"line {number} is empty"]})
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not an object")
            kind, value = str(item.get("kind", "")), item.get("value")
            if not isinstance(value, str):
                raise ValueError('"value" must be a string')
        except (ValueError, json.JSONDecodeError) as error:
            yield json.dumps({"kind": None, "value": line.strip(), "valid": False,
                              "errors": [f"line {number} is not a JSON object with kind and value: {error}"]},
                             ensure_ascii=False)
            continue
        checked = identifiers.check(kind, value)
        answer = {
            "kind": kind,
            "value": value,
            "valid": checked.valid,
            "errors": [f.message for f in checked.errors],
        }
        if checked.warnings:
            answer["warnings"] = [f.message for f in checked.warnings]
        if checked.valid and checked.value != value:
            answer["normalised"] = checked.value
        yield json.dumps(answer, ensure_ascii=False)
