"""Signing in: email backend, demo accounts, equal answers, throttling, sessions, password reset."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.core import mail
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from niryat.accounts import services, throttle
from niryat.accounts.models import LoginFailure, User
from niryat.accounts.tests.factories import PASSWORD, UserFactory
from niryat.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "not-the-password-1"
NOT_CORRECT = "Email or password is not correct."


def request_from(address: str | None = "198.51.100.1") -> HttpRequest:
    meta = {"REMOTE_ADDR": address} if address else {"REMOTE_ADDR": ""}
    return RequestFactory().post(LOGIN, **meta)


def attempt(email: str, password: str, address: str = "198.51.100.1") -> services.LoginResult:
    return services.login_attempt(request=request_from(address), email=email, password=password)


@pytest.fixture
def asha() -> User:
    return UserFactory(email="asha@example.in", password=PASSWORD)


@pytest.fixture
def throttle_settings(settings: Any) -> Any:
    settings.LOGIN_THROTTLE_FREE_FAILURES = 3
    settings.LOGIN_THROTTLE_ADDRESS_FAILURES = 50
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
    return settings


# backend --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["asha@example.in", "ASHA@Example.IN", "  Asha@example.in "])
def test_backend_signs_in_by_email_ignoring_case(asha: User, typed: str) -> None:
    assert authenticate(None, username=typed, password=PASSWORD) == asha


def test_backend_refuses_wrong_password_and_inactive(asha: User) -> None:
    assert authenticate(None, username="asha@example.in", password=WRONG) is None
    services.user_update(actor=None, user=asha, is_active=False)
    assert authenticate(None, username="asha@example.in", password=PASSWORD) is None


def test_demo_users_sign_in_only_in_demo_mode(settings: Any) -> None:
    demo = UserFactory(email="office@demo.niryat.test", password=PASSWORD, is_demo=True)
    settings.DEMO_MODE = False
    assert authenticate(None, username=demo.email, password=PASSWORD) is None
    assert attempt(demo.email, PASSWORD).user is None
    settings.DEMO_MODE = True
    assert authenticate(None, username=demo.email, password=PASSWORD) == demo
    assert attempt(demo.email, PASSWORD).user == demo


def test_demo_session_ends_when_demo_mode_is_off(client: Client, settings: Any) -> None:
    demo = UserFactory(is_demo=True)
    settings.DEMO_MODE = True
    client.force_login(demo)
    assert client.get(reverse("accounts:tokens")).status_code == 200
    settings.DEMO_MODE = False
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# equal answers ----------------------------------------------------------------------------------


def test_unknown_email_and_wrong_password_give_the_same_result(asha: User) -> None:
    unknown = attempt("nobody@example.in", WRONG)
    wrong = attempt("asha@example.in", WRONG)
    assert unknown == wrong == services.LoginResult(user=None, wait_seconds=0)


def test_unknown_email_and_wrong_password_get_the_same_page(client: Client, asha: User) -> None:
    unknown = client.post(LOGIN, {"email": "nobody@example.in", "password": WRONG})
    wrong = client.post(LOGIN, {"email": "asha@example.in", "password": WRONG})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert list(wrong.context["form"].non_field_errors()) == [NOT_CORRECT]
    for response in (unknown, wrong):
        assert NOT_CORRECT in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_login_attempts_are_audited_without_the_password(asha: User) -> None:
    attempt("ASHA@example.in", WRONG)
    attempt("nobody@example.in", WRONG)
    attempt("asha@example.in", PASSWORD)
    failed = AuditEvent.objects.filter(action="accounts.login.failed").order_by("id")
    assert [e.actor_label for e in failed] == ["asha@example.in", "nobody@example.in"]
    assert all(e.actor_id is None for e in failed)
    succeeded = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert succeeded.actor == asha
    assert not AuditEvent.objects.filter(changes__icontains=WRONG).exists()


def test_successful_login_through_the_page_redirects_home(client: Client, asha: User) -> None:
    response = client.post(LOGIN, {"email": "Asha@Example.in", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(asha.pk)


def test_login_ignores_an_offsite_next(client: Client, asha: User) -> None:
    response = client.post(
        LOGIN + "?next=https://evil.example.com/", {"email": asha.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")
    client.logout()
    response = client.post(LOGIN, {"email": asha.email, "password": PASSWORD, "next": "/audit/"})
    assert response["Location"] == "/audit/"


# throttling -----------------------------------------------------------------------------------


def test_after_the_free_failures_the_pair_must_wait(asha: User, throttle_settings: Any) -> None:
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES):
        assert attempt(asha.email, WRONG, "198.51.100.1").wait_seconds == 0
    blocked = attempt(asha.email, PASSWORD, "198.51.100.1")
    assert blocked.user is None and blocked.wait_seconds > 0


def test_the_real_user_from_another_address_is_not_locked_out(asha: User, throttle_settings: Any) -> None:
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 2):
        attempt(asha.email, WRONG, "203.0.113.66")
    assert attempt(asha.email, PASSWORD, "203.0.113.66").wait_seconds > 0
    mine = attempt(asha.email, PASSWORD, "198.51.100.7")
    assert mine.user == asha and mine.wait_seconds == 0


def test_the_page_answers_429_while_throttled_and_200_from_elsewhere(
    client: Client, asha: User, throttle_settings: Any
) -> None:
    keys = throttle.Keys.of(asha.email, "203.0.113.66")
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 4):  # next wait ≈ 16 s
        throttle.failure_record(keys)
    response = client.post(LOGIN, {"email": asha.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.66")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(LOGIN, {"email": asha.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(asha.pk)


def test_the_wait_doubles_with_each_further_failure(throttle_settings: Any) -> None:
    keys = throttle.Keys.of("x@example.in", "198.51.100.1")
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 3):
        throttle.failure_record(keys)
    assert 7 <= throttle.wait_seconds(keys) <= 8  # 2 ** 3 after the last failure


def test_the_wait_never_exceeds_the_window(throttle_settings: Any) -> None:
    throttle_settings.LOGIN_THROTTLE_WINDOW_SECONDS = 10
    keys = throttle.Keys.of("x@example.in", "198.51.100.1")
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 10):
        throttle.failure_record(keys)
    assert 0 < throttle.wait_seconds(keys) <= 10


def test_pair_keys_ignore_email_case_and_are_digests() -> None:
    keys = throttle.Keys.of(" Asha@Example.in ", "198.51.100.1")
    assert keys == throttle.Keys.of("asha@example.in", "198.51.100.1")
    assert keys != throttle.Keys.of("asha@example.in", "198.51.100.2")
    assert "asha" not in keys.pair and "198.51" not in keys.address
    assert throttle.Keys.of("a@b.in", None).address == throttle.Keys.of("c@d.in", None).address


def test_per_address_limit_stops_spraying_many_accounts(asha: User, settings: Any) -> None:
    settings.LOGIN_THROTTLE_FREE_FAILURES = 10
    settings.LOGIN_THROTTLE_ADDRESS_FAILURES = 4
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    for n in range(4):
        assert attempt(f"victim{n}@example.in", WRONG, "192.0.2.9").wait_seconds == 0
    sprayed = attempt(asha.email, PASSWORD, "192.0.2.9")
    assert sprayed.user is None and sprayed.wait_seconds > 800
    assert attempt(asha.email, PASSWORD, "192.0.2.10").user == asha


def test_success_clears_the_pairs_failures(asha: User, throttle_settings: Any) -> None:
    free = throttle_settings.LOGIN_THROTTLE_FREE_FAILURES
    for _ in range(free - 1):
        attempt(asha.email, WRONG)
    assert attempt(asha.email, PASSWORD).user == asha
    assert not LoginFailure.objects.filter(pair=throttle.Keys.of(asha.email, "198.51.100.1").pair).exists()
    for _ in range(free - 1):
        attempt(asha.email, WRONG)
    assert attempt(asha.email, PASSWORD) == services.LoginResult(user=asha, wait_seconds=0)


def test_failures_older_than_the_window_are_ignored_and_removed(throttle_settings: Any) -> None:
    keys = throttle.Keys.of("x@example.in", "198.51.100.1")
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 5):
        throttle.failure_record(keys)
    window = timedelta(seconds=throttle_settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    LoginFailure.objects.update(at=timezone.now() - window - timedelta(seconds=1))
    assert throttle.wait_seconds(keys) == 0
    assert not LoginFailure.objects.exists()


def test_failures_inside_the_window_still_count(throttle_settings: Any) -> None:
    keys = throttle.Keys.of("x@example.in", "198.51.100.1")
    for _ in range(throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 5):
        throttle.failure_record(keys)
    window = timedelta(seconds=throttle_settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    LoginFailure.objects.update(at=timezone.now() - window + timedelta(seconds=30))
    assert LoginFailure.objects.count() == throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 5
    throttle.wait_seconds(keys)
    assert LoginFailure.objects.count() == throttle_settings.LOGIN_THROTTLE_FREE_FAILURES + 5


# sessions -------------------------------------------------------------------------------------


def test_session_cookie_slides_with_each_request(client: Client) -> None:
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(UserFactory())
    first = client.get(reverse("accounts:tokens"))
    cookie = first.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == django_settings.SESSION_COOKIE_AGE
    assert cookie["httponly"]
    second = client.get(reverse("accounts:tokens"))
    assert django_settings.SESSION_COOKIE_NAME in second.cookies  # saved again: expiry restarts


def test_logout_is_post_only(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# password reset -------------------------------------------------------------------------------


def test_password_reset_mails_a_known_address_once(client: Client, asha: User) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "Asha@example.in"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [asha.email]


def test_password_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client: Client, asha: User
) -> None:
    known = client.post(reverse("accounts:password-reset"), {"email": asha.email})
    mail.outbox.clear()
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.in"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password(client: Client, asha: User) -> None:
    import re

    client.post(reverse("accounts:password-reset"), {"email": asha.email})
    link = re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.get(link.group(0), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new = "kesar-mango-9173"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert authenticate(None, username=asha.email, password=new) == asha
