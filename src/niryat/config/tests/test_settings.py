"""Settings as the test run sees them, and start-up through the real command in a subprocess."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def niryat(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m niryat …`` with a clean Niryat environment and a temporary data dir."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("NIRYAT_") and k != "DATABASE_URL"}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.update({"NIRYAT_DATA_DIR": str(tmp_path), "COLUMNS": "200"}, **env)
    return subprocess.run(
        [sys.executable, "-m", "niryat", *args],
        env=base, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )


def test_sessions_expire_after_inactivity() -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_passwords_are_hashed_with_argon2_first() -> None:
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_malformed_variable_stops_start_up_naming_it(tmp_path: Path) -> None:
    result = niryat("manage", "check", tmp_path=tmp_path, NIRYAT_DEBUG="maybe")
    assert result.returncode != 0
    assert "NIRYAT_DEBUG" in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    key = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60))
    result = niryat(
        "manage", "check", "--deploy", "--fail-level", "WARNING",
        tmp_path=tmp_path,
        NIRYAT_HTTPS="1",
        NIRYAT_SECRET_KEY=key,
        NIRYAT_ALLOWED_HOSTS="niryat.example.in",
        NIRYAT_DEBUG="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_test_run_uses_a_temporary_data_dir_and_inline_tasks() -> None:
    assert settings.DATA_DIR != (Path.cwd() / "var").resolve()
    assert Path(settings.DATA_DIR).name.startswith("niryat-test-")
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_database_checks_pass_without_warnings_on_sqlite(tmp_path: Path) -> None:
    """`make run` migrates with these checks: a warning there is printed to every newcomer."""
    result = niryat("manage", "check", "--database", "default", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
