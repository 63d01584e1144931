"""`niryat validate-id --jsonl` in a real process: one answer per line, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from niryat.registry.tests.helpers import gstin


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NIRYAT_") and k != "DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["NIRYAT_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("validate-id")
    result = subprocess.run([sys.executable, "-m", "niryat", "manage", "migrate", "-v0"],
                            env=environment(folder), capture_output=True, text=True, timeout=120, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def validate(data_dir: Path, text: str) -> tuple[list[dict[str, object]], str]:
    result = subprocess.run([sys.executable, "-m", "niryat", "validate-id", "--jsonl"], input=text,
                            env=environment(data_dir), capture_output=True, text=True, timeout=60, cwd=data_dir)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_one_answer_per_line_in_order(data_dir: Path) -> None:
    good_gstin = gstin("ABCPE1234F", "38")
    bad_gstin = good_gstin[:-1] + ("0" if good_gstin[-1] != "0" else "1")
    items = [
        {"kind": "gstin", "value": good_gstin},
        {"kind": "gstin", "value": bad_gstin},
        {"kind": "pan", "value": "abcpe1234f"},
        {"kind": "pan", "value": "ABCXE1234F"},
        {"kind": "iec", "value": "0512345678"},
        {"kind": "udyam", "value": "UDYAM-KR-03-0012345"},
        {"kind": "udyam", "value": "UDYAM-XX-03-0012345"},
        {"kind": "fssai", "value": "30012345678901"},
        {"kind": "xyz", "value": "1"},
        {"kind": "gstin", "value": gstin("ABCPE1234F", "45")},
    ]
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    lines.insert(3, "this is not json")
    answers, stderr = validate(data_dir, "\n".join(lines) + "\n")
    assert len(answers) == len(lines)
    for answer in answers:
        assert {"kind", "value", "valid", "errors"} <= set(answer)
        assert isinstance(answer["errors"], list)
        assert answer["valid"] is (answer["errors"] == [])
    assert [a["value"] for a in answers] == [json.loads(line)["value"] if line.startswith("{") else line
                                             for line in lines]
    assert [a["valid"] for a in answers] == [True, False, True, False, False, True, True, False, False,
                                             False, False]
    assert [a["kind"] for a in answers][:3] == ["gstin", "gstin", "pan"]
    assert f"should be {good_gstin[-1]}" in answers[1]["errors"][0]  # type: ignore[index]
    assert answers[2]["normalised"] == "ABCPE1234F"
    assert answers[3]["kind"] is None and "not a JSON object" in answers[3]["errors"][0]  # type: ignore[index]
    assert answers[5]["warnings"] and answers[5]["errors"] == []
    assert "Traceback" not in stderr


NOT_IDENTIFIER_OBJECTS = ['[1, 2]', '{"kind": "pan"}', '{"kind": "pan", "value": 12}', '"ABCPE1234F"', "{"]


def test_lines_that_are_not_identifier_objects_are_answered_invalid(data_dir: Path) -> None:
    """One process for all the odd lines (each start of Python and Django costs about a second)."""
    valid_pan = '{"kind": "pan", "value": "ABCPE1234F"}'
    lines = [*NOT_IDENTIFIER_OBJECTS, valid_pan, '{"kind": "pan", "value": "पैन१२३"}']
    answers, stderr = validate(data_dir, "\n".join(lines) + "\n")
    assert [a["valid"] for a in answers] == [False] * len(NOT_IDENTIFIER_OBJECTS) + [True, False]
    assert all(a["errors"] for a in answers if not a["valid"])
    assert answers[-1]["value"] == "पैन१२३"  # non-ASCII values come back as they were
    assert "Traceback" not in stderr
