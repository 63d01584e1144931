"""The gates of `make test` themselves: the import contracts do catch violations, in every app;
tools/with_postgres.py skips or fails as documented and hands back the command's exit code."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "niryat"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["name"]: contract for contract in config["contracts"]}


def lint_imports(root: Path) -> str:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root / "src")},
        capture_output=True, text=True, timeout=120,
    )
    return result.stdout + result.stderr + f"\n[exit {result.returncode}]"


def add_module(package: Path, module: str, source: str) -> None:
    path = package / module
    path.parent.mkdir(parents=True, exist_ok=True)
    for folder in path.relative_to(package).parents:
        (package / folder / "__init__.py").touch()
    with path.open("a") as handle:
        handle.write(f"\n{source}  # deliberate\n")


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="lint-imports is not installed beside this Python")
def test_the_import_contracts_catch_violations_in_present_and_future_apps(tmp_path: Path) -> None:
    """A copy of the code passes; with one violation per contract, every contract reports it -
    including in apps that do not exist yet (the contracts are written with wildcards)."""
    copy = tmp_path / "src" / "niryat"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    # Allowed: an app's own views, an app's tests using another app, audit using core.
    add_module(copy, "newapp/urls.py", "from niryat.newapp import views")
    add_module(copy, "newapp/views.py", "import niryat.accounts.models")
    add_module(copy, "newapp/tests/test_x.py", "import niryat.accounts.views")
    add_module(copy, "audit/models.py", "import niryat.core.models")
    clean = lint_imports(tmp_path)
    assert "[exit 0]" in clean, clean

    add_module(copy, "core/models.py", "import niryat.accounts.models")
    add_module(copy, "audit/services.py", "import niryat.programmes.models")
    add_module(copy, "ledger/models.py", "import niryat.accounts.models")
    add_module(copy, "newapp/services.py", "import niryat.programmes.views")
    add_module(copy, "india/extra.py", "import niryat.registry.models")
    output = lint_imports(tmp_path)
    assert "[exit 1]" in output, output
    flat = " ".join(output.split())
    broken = sorted(name for name in contracts() if f"{name} BROKEN" in flat)
    assert broken == sorted(contracts()), output
    for chain in [
        "niryat.core.models -> niryat.accounts.models",
        "niryat.audit.services -> niryat.programmes.models",
        "niryat.ledger.models -> niryat.accounts.models",
        "niryat.newapp.services -> niryat.programmes.views",
        "niryat.india.extra -> niryat.registry.models",
    ]:
        assert chain in flat, f"{chain} not reported:\n{output}"


def load_with_postgres() -> ModuleType:
    spec = importlib.util.spec_from_file_location("with_postgres", REPO / "tools" / "with_postgres.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_with_postgres_skips_without_binaries_unless_required(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = load_with_postgres()
    monkeypatch.setattr(tool, "find_bindir", lambda: None)
    monkeypatch.delenv("NIRYAT_REQUIRE_POSTGRES", raising=False)
    assert tool.main(["false"]) == 0
    assert "PostgreSQL binaries not found: skipped the PostgreSQL run" in capsys.readouterr().out
    monkeypatch.setenv("NIRYAT_REQUIRE_POSTGRES", "1")
    assert tool.main(["true"]) == 1
    assert "NIRYAT_REQUIRE_POSTGRES=1" in capsys.readouterr().err


def test_with_postgres_runs_the_command_against_a_throwaway_cluster(tmp_path: Path) -> None:
    tool = load_with_postgres()
    if tool.find_bindir() is None:
        pytest.skip("PostgreSQL binaries not found")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, sys, psycopg\n"
        "url = os.environ['DATABASE_URL']\n"
        "assert url.startswith('postgres://') and '@127.0.0.1:' in url, url\n"
        "with psycopg.connect(url) as db:\n"
        "    row = db.execute(\"select current_database(), current_setting('listen_addresses'),\"\n"
        "                     \" current_setting('data_directory')\").fetchone()\n"
        "print(row[2])\n"
        "assert row[:2] == ('niryat', '127.0.0.1'), row\n"
        "sys.exit(7)\n"
    )
    result = subprocess.run([sys.executable, str(REPO / "tools" / "with_postgres.py"), sys.executable, str(probe)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 7, result.stdout + result.stderr
    data_directory = Path(result.stdout.strip().splitlines()[-1])
    assert data_directory.name == "data"
    assert not data_directory.parent.exists(), "the cluster's folder was not removed"
