"""env.py: every reader accepts good values and names the variable when a value is malformed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from niryat.config.env import (
    EMAIL_BACKENDS,
    TASK_BACKENDS,
    Env,
    EnvError,
    data_dir,
    database,
    secret_key,
)


def env(**values: str) -> Env:
    return Env(values)


def assert_names(error: pytest.ExceptionInfo[EnvError], name: str) -> None:
    assert error.value.name == name
    assert name in str(error.value)
    assert isinstance(error.value, ImproperlyConfigured)


# bool -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("YES", True), (" on ", True), ("True", True),
     ("0", False), ("false", False), ("No", False), ("off", False), ("", False)],
)
def test_bool_accepts_the_usual_words(raw: str, expected: bool) -> None:
    assert env(NIRYAT_DEBUG=raw).bool("NIRYAT_DEBUG", default=not expected) is expected


def test_bool_missing_gives_the_default() -> None:
    assert env().bool("NIRYAT_DEBUG", True) is True
    assert env().bool("NIRYAT_DEBUG", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled", "-1"])
def test_bool_malformed_names_the_variable(raw: str) -> None:
    with pytest.raises(EnvError) as error:
        env(NIRYAT_DEBUG=raw).bool("NIRYAT_DEBUG")
    assert_names(error, "NIRYAT_DEBUG")
    assert repr(raw) in str(error.value)


# int ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [("5", 5), (" 7 ", 7), ("0", 0), ("", 25)])
def test_int_accepts_whole_numbers(raw: str, expected: int) -> None:
    assert env(NIRYAT_EMAIL_PORT=raw).int("NIRYAT_EMAIL_PORT", 25) == expected


def test_int_missing_gives_the_default() -> None:
    assert env().int("NIRYAT_EMAIL_PORT", 25) == 25


@pytest.mark.parametrize("raw", ["five", "1.5", "0x10", "-1"])
def test_int_malformed_names_the_variable(raw: str) -> None:
    with pytest.raises(EnvError) as error:
        env(NIRYAT_EMAIL_PORT=raw).int("NIRYAT_EMAIL_PORT", 25)
    assert_names(error, "NIRYAT_EMAIL_PORT")


def test_int_below_minimum_names_the_variable() -> None:
    with pytest.raises(EnvError) as error:
        env(NIRYAT_SESSION_SECONDS="59").int("NIRYAT_SESSION_SECONDS", 3600, minimum=60)
    assert_names(error, "NIRYAT_SESSION_SECONDS")
    assert "60" in str(error.value)
    assert env(NIRYAT_SESSION_SECONDS="60").int("NIRYAT_SESSION_SECONDS", 3600, minimum=60) == 60


# list -----------------------------------------------------------------------------------------


def test_list_splits_on_commas_and_drops_blanks() -> None:
    hosts = env(NIRYAT_ALLOWED_HOSTS=" a.example.in, b.example.in,,c ").list("NIRYAT_ALLOWED_HOSTS", [])
    assert hosts == ["a.example.in", "b.example.in", "c"]


def test_list_missing_gives_the_default() -> None:
    assert env().list("NIRYAT_ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


@pytest.mark.parametrize("raw", ["", " , ,", ","])
def test_list_without_items_names_the_variable(raw: str) -> None:
    with pytest.raises(EnvError) as error:
        env(NIRYAT_ALLOWED_HOSTS=raw).list("NIRYAT_ALLOWED_HOSTS", ["localhost"])
    assert_names(error, "NIRYAT_ALLOWED_HOSTS")


# choice ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", sorted(TASK_BACKENDS))
def test_choice_maps_each_word(word: str) -> None:
    result = env(NIRYAT_TASK_BACKEND=word.upper()).choice("NIRYAT_TASK_BACKEND", "database", TASK_BACKENDS)
    assert result == TASK_BACKENDS[word]


def test_choice_missing_gives_the_default() -> None:
    assert env().choice("NIRYAT_EMAIL_BACKEND", "console", EMAIL_BACKENDS) == EMAIL_BACKENDS["console"]


@pytest.mark.parametrize("raw", ["redis", "django_tasks_db.DatabaseBackend", "data base"])
def test_choice_unknown_word_names_the_variable_and_the_choices(raw: str) -> None:
    with pytest.raises(EnvError) as error:
        env(NIRYAT_TASK_BACKEND=raw).choice("NIRYAT_TASK_BACKEND", "database", TASK_BACKENDS)
    assert_names(error, "NIRYAT_TASK_BACKEND")
    for word in TASK_BACKENDS:
        assert word in str(error.value)


# database -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["mysql://user:pw@db/niryat", "redis://localhost/0", "not a url", "oracle://x/y"]
)
def test_database_url_with_a_bad_scheme_names_the_variable(url: str, tmp_path: Path) -> None:
    with pytest.raises(EnvError) as error:
        database(env(DATABASE_URL=url), tmp_path)
    assert_names(error, "DATABASE_URL")


def test_database_default_is_sqlite_in_the_data_dir_with_wal_and_immediate(tmp_path: Path) -> None:
    config = database(env(), tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(str(config["NAME"])) == tmp_path / "niryat.sqlite3"
    assert config["CONN_MAX_AGE"] == 0
    options = config["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_database_postgres_url(scheme: str, tmp_path: Path) -> None:
    config = database(env(DATABASE_URL=f"{scheme}://niryat:pw@db.internal:5432/niryat"), tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "niryat"
    assert config["HOST"] == "db.internal"
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


# secret key and data dir ----------------------------------------------------------------------


def test_secret_key_is_generated_once_kept_0600_and_reused(tmp_path: Path) -> None:
    first = secret_key(env(), tmp_path)
    path = tmp_path / "secret_key"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 50
    assert path.read_text().strip() == first
    assert secret_key(env(), tmp_path) == first
    other = tmp_path / "other"
    other.mkdir()
    assert secret_key(env(), other) != first


def test_secret_key_from_the_environment_wins(tmp_path: Path) -> None:
    key = "k" * 60
    assert secret_key(env(NIRYAT_SECRET_KEY=key), tmp_path) == key
    assert not (tmp_path / "secret_key").exists()


def test_short_secret_key_names_the_variable_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(EnvError) as error:
        secret_key(env(NIRYAT_SECRET_KEY="short-secret"), tmp_path)
    assert_names(error, "NIRYAT_SECRET_KEY")
    assert "short-secret" not in str(error.value)


def test_data_dir_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    assert data_dir(env(NIRYAT_DATA_DIR=str(folder))) == folder.resolve()
    assert folder.is_dir()
