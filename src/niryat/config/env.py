"""Every setting that comes from the environment is read here, and only here.

A malformed value stops start-up with a message that names the variable, so an
operator never has to guess which of twenty settings is wrong. The variables are
documented in docs/operations.md; keep the two in step.
"""

from __future__ import annotations

import builtins
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """A variable of the environment has a value we cannot use."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(f"{name}={value!r} is not valid: expected {expected}.")
        self.name = name


@dataclass(frozen=True)
class Env:
    """Typed reads of one environment mapping (os.environ unless a test gives another)."""

    values: Mapping[str, str]

    def str(self, name: str, default: str = "") -> str:
        return self.values.get(name, default).strip()

    def bool(self, name: builtins.str, default: bool = False) -> bool:
        raw = self.values.get(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise EnvError(name, raw, "one of 1/0, true/false, yes/no, on/off")

    def int(self, name: builtins.str, default: int, minimum: int = 0) -> int:
        raw = self.values.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            number = int(raw.strip())
        except ValueError:
            raise EnvError(name, raw, f"a whole number ≥ {minimum}") from None
        if number < minimum:
            raise EnvError(name, raw, f"a whole number ≥ {minimum}")
        return number

    def list(self, name: builtins.str, default: list[builtins.str]) -> list[builtins.str]:
        raw = self.values.get(name)
        if raw is None:
            return default
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items:
            raise EnvError(name, raw, "a comma-separated list with at least one item")
        return items

    def choice(
        self, name: builtins.str, default: builtins.str, choices: Mapping[builtins.str, builtins.str]
    ) -> builtins.str:
        """Map a short word (``database``) to the value behind it (a dotted path)."""
        word = self.str(name, default).lower()
        if word not in choices:
            raise EnvError(name, self.values.get(name, ""), "one of " + ", ".join(sorted(choices)))
        return choices[word]


def data_dir(env: Env) -> Path:
    """The working folder of the embedded default: SQLite file, secret key, media."""
    path = Path(env.str("NIRYAT_DATA_DIR") or Path.cwd() / "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(env: Env, folder: Path) -> str:
    """NIRYAT_SECRET_KEY, or a key generated once and kept in <data dir>/secret_key."""
    key = env.str("NIRYAT_SECRET_KEY")
    if key:
        if len(key) < 50:
            raise EnvError("NIRYAT_SECRET_KEY", "…", "at least 50 characters")
        return key
    path = folder / "secret_key"
    try:
        # Created readable by the owner only from the first byte (no window for others).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def database(env: Env, folder: Path) -> dict[str, object]:
    """DATABASE_URL (postgres://… or sqlite:///…); default: <data dir>/niryat.sqlite3 in WAL mode."""
    import dj_database_url

    url = env.str("DATABASE_URL") or f"sqlite:///{folder / 'niryat.sqlite3'}"
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise EnvError("DATABASE_URL", url, "a sqlite:/// or postgres:// URL")
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise EnvError("DATABASE_URL", url, f"a database URL ({error})") from None
    from niryat.core.db import connection_options

    config["CONN_HEALTH_CHECKS"] = True
    config.update(connection_options(str(config["ENGINE"])))
    if scheme == "sqlite":
        config["CONN_MAX_AGE"] = 0
    return config


TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}

EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}


def from_os() -> Env:
    return Env(os.environ)
