"""The `niryat` command: its sub-commands, their help, and pass-through to Django."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from niryat.cli import build_parser, main

COMMANDS = ["run", "demo", "worker", "manage", "reference", "validate-id", "import"]


def niryat(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NIRYAT_") and k != "DATABASE_URL"}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.update({"NIRYAT_DATA_DIR": str(tmp_path), "COLUMNS": "200"}, **env)
    return subprocess.run([sys.executable, "-m", "niryat", *args], env=base, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)


def test_help_lists_every_command_with_a_one_line_help(tmp_path: Path) -> None:
    result = niryat("--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for command in COMMANDS:
        # argparse puts a long name's help on the next line; either way it is one line of text
        match = re.search(rf"^ {{4}}{command}(?: +|\n +)(\S[^\n]*)$", text, re.MULTILINE)
        assert match, f"{command} is missing from:\n{text}"
        assert len(match.group(1)) > 10
    assert "Niryat" in text


def test_each_command_has_help_text() -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert sorted(sub.choices) == sorted(COMMANDS)
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    assert all(helps[c] and "\n" not in helps[c] for c in COMMANDS)


def test_manage_passes_through_to_django(tmp_path: Path) -> None:
    result = niryat("manage", "help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Available subcommands" in result.stdout
    for name in ("migrate", "db_worker", "reference_load", "check"):
        assert name in result.stdout


def test_manage_passes_options_through(tmp_path: Path) -> None:
    result = niryat("manage", "check", "--fail-level", "ERROR", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_demo_refuses_when_demo_mode_is_explicitly_off(tmp_path: Path) -> None:
    result = niryat("demo", tmp_path=tmp_path, NIRYAT_DEMO="0")
    assert result.returncode == 2
    assert "NIRYAT_DEMO" in result.stderr


def test_a_configuration_error_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = niryat("reference", "load", tmp_path=tmp_path, NIRYAT_TASK_BACKEND="redis")
    assert result.returncode == 2
    assert "NIRYAT_TASK_BACKEND" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("argv", [[], ["reference"], ["nonsense"]])
def test_missing_or_unknown_commands_exit_with_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: niryat" in capsys.readouterr().err


def test_demo_on_a_fresh_data_dir_does_not_end_in_a_traceback(tmp_path: Path) -> None:
    result = niryat("demo", tmp_path=tmp_path, NIRYAT_DEMO="1")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 or "migrate" in result.stderr
