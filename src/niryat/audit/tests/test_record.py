"""record(), diff(), the append-only guards, the origin of a change, and the event selectors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from niryat.accounts.tests.factories import OrganisationFactory, UserFactory
from niryat.audit.models import AuditEvent
from niryat.audit.selectors import EventFilter, audit_event_list, audit_history
from niryat.audit.services import diff, record
from niryat.core.context import Origin, current_origin, reset_origin, set_origin
from niryat.core.middleware import RequestContextMiddleware

TABLE = AuditEvent._meta.db_table


def event(action: str = "test.thing.done", **kwargs: Any) -> AuditEvent:
    with transaction.atomic():
        return record(kwargs.pop("actor", None), action=action, **kwargs)


# record ---------------------------------------------------------------------------------------


def test_record_outside_a_transaction_raises() -> None:
    # No database access here: record() refuses before it writes anything.
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match=r"test\.outside"):
        record(None, action="test.outside")


@pytest.mark.django_db
def test_record_describes_actor_target_and_changes() -> None:
    actor = UserFactory(email="office@example.in")
    org = OrganisationFactory(name="Setu")
    made = event("test.org.touched", actor=actor, target=org, organisation=org,
                 changes={"when": date(2026, 4, 1), "amount": Decimal("12.50"), "org": org})
    saved = AuditEvent.objects.get(pk=made.pk)
    assert saved.actor == actor and saved.actor_label == "office@example.in"
    assert saved.organisation_id == org.pk
    assert (saved.target_type, saved.target_id, saved.target_label) == ("accounts.organisation", str(org.pk), "Setu")
    assert saved.changes == {"when": "2026-04-01", "amount": "12.50", "org": org.pk}
    assert saved.channel == "system" and saved.ip is None


@pytest.mark.django_db
def test_record_with_an_anonymous_actor_keeps_the_label() -> None:
    from django.contrib.auth.models import AnonymousUser

    made = event("test.anon", actor=AnonymousUser(), actor_label="someone@example.in")
    assert made.actor_id is None and made.actor_label == "someone@example.in"


# append-only ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_an_event_twice_is_refused() -> None:
    made = event()
    made.action = "test.rewritten"
    with pytest.raises(PermissionError):
        made.save()
    assert AuditEvent.objects.get(pk=made.pk).action == "test.thing.done"


@pytest.mark.django_db
def test_deleting_an_event_is_refused() -> None:
    made = event()
    with pytest.raises(PermissionError):
        made.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=made.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=made.pk).exists()


@pytest.mark.django_db
def test_queryset_update_and_bulk_update_are_refused() -> None:
    made = event()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=made.pk).update(action="test.rewritten")
    made.action = "test.rewritten"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEvent.objects.bulk_update([made], ["action"])
    assert AuditEvent.objects.get(pk=made.pk).action == "test.thing.done"


@pytest.mark.django_db
def test_deleting_an_actor_or_organisation_with_events_is_refused() -> None:
    from django.db.models import ProtectedError

    user = UserFactory()
    org = OrganisationFactory()
    event(actor=user, organisation=org)
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        org.delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [f"UPDATE {TABLE} SET action = 'test.rewritten' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"],
    ids=["update", "delete"],
)
def test_the_database_refuses_raw_update_and_delete(sql: str) -> None:
    made = event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [made.pk])
    assert AuditEvent.objects.get(pk=made.pk).action == "test.thing.done"


@pytest.mark.django_db
def test_the_database_still_accepts_new_events_by_raw_insert() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (at, actor_label, action, target_type, target_id, target_label, "
            "changes, channel, user_agent, request_id) VALUES (%s, '', 'test.raw', '', '', '', '{}', 'system', '', '')",
            [datetime.now(UTC)],
        )
    assert AuditEvent.objects.filter(action="test.raw").count() == 1


# diff -----------------------------------------------------------------------------------------


def test_diff_lists_only_changed_fields_as_before_after_pairs() -> None:
    before = {"name": "Old", "size": 3, "starts_on": date(2026, 1, 1), "same": "x"}
    after = {"name": "New", "size": 3, "starts_on": date(2026, 2, 1), "same": "x", "fee": Decimal("1.50")}
    assert diff(before, after) == {
        "fee": [None, "1.50"],
        "name": ["Old", "New"],
        "starts_on": ["2026-01-01", "2026-02-01"],
    }
    assert list(diff(before, after)) == ["fee", "name", "starts_on"]


def test_diff_of_equal_values_is_empty_and_handles_removed_fields() -> None:
    assert diff({"a": 1}, {"a": 1}) == {}
    assert diff({"a": 1}, {}) == {"a": [1, None]}
    assert diff({"tags": ("x", "y")}, {"tags": ["x", "y"]}) == {}
    assert diff({"when": datetime(2026, 1, 1, tzinfo=UTC)}, {"when": None}) == {
        "when": ["2026-01-01T00:00:00+00:00", None]
    }


# origin ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_origin_of_a_web_request_is_captured_by_the_middleware(client: Client) -> None:
    client.post(
        "/accounts/login/",
        {"email": "nobody@example.in", "password": "wrong-password-1"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="NiryatTest/1.0 (Android)",
    )
    made = AuditEvent.objects.get(action="accounts.login.failed")
    assert made.channel == "web"
    assert made.ip == "203.0.113.7"
    assert made.user_agent == "NiryatTest/1.0 (Android)"
    assert re.fullmatch(r"[0-9a-f]{32}", made.request_id)
    assert current_origin() == Origin()  # reset after the request


@pytest.mark.django_db
def test_api_paths_are_the_api_channel_and_long_user_agents_are_cut() -> None:
    seen: list[Origin] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_origin())
        with transaction.atomic():
            record(None, action="test.api.call")
        return HttpResponse()

    request = RequestFactory().get("/api/v1/anything", REMOTE_ADDR="2001:db8::1", HTTP_USER_AGENT="u" * 1000)
    RequestContextMiddleware(view)(request)
    assert seen[0].channel == "api" and seen[0].ip == "2001:db8::1"
    made = AuditEvent.objects.get(action="test.api.call")
    assert made.channel == "api" and made.ip == "2001:db8::1" and len(made.user_agent) == 300
    assert current_origin() == Origin()


def test_origin_is_reset_even_when_the_view_fails() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        RequestContextMiddleware(view)(RequestFactory().get("/x"))
    assert current_origin() == Origin()


@pytest.mark.django_db
def test_origin_set_by_a_command_or_task() -> None:
    token = set_origin(Origin(channel="cli"))
    try:
        assert event().channel == "cli"
    finally:
        reset_origin(token)
    assert event().channel == "system"


# selectors ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_event_list_is_limited_to_the_given_organisations_and_filters() -> None:
    mine, other = OrganisationFactory(), OrganisationFactory()
    a = event("test.alpha.one", organisation=mine, actor_label="meera@example.in")
    b = event("test.beta.two", organisation=mine, actor_label="rohan@example.in", target=mine)
    event("test.alpha.one", organisation=other)
    event("test.alpha.one")  # no organisation: platform administrators only

    def ids(**filters: Any) -> set[int]:
        return set(audit_event_list(organisation_ids=[mine.pk], filters=EventFilter(**filters))
                   .filter(action__startswith="test.").values_list("pk", flat=True))

    assert ids() == {a.pk, b.pk}
    assert ids(action="test.alpha") == {a.pk}
    assert ids(actor="ROHAN") == {b.pk}
    assert ids(target_type="accounts.organisation", target_id=str(mine.pk)) == {b.pk}
    today = timezone.localtime(a.at).date()
    assert ids(since=today, until=today) == {a.pk, b.pk}
    assert ids(since=today + timedelta(days=1)) == set()
    assert ids(until=today - timedelta(days=1)) == set()
    assert audit_event_list(organisation_ids=[], filters=None).count() == 0
    assert audit_event_list(organisation_ids=None).filter(action="test.alpha.one").count() == 3


@pytest.mark.django_db
def test_event_list_is_one_query(django_assert_num_queries: Any) -> None:
    org = OrganisationFactory()
    for n in range(20):
        event(f"test.bulk.{n}", organisation=org, actor=None)
    with django_assert_num_queries(1):
        rows = list(audit_event_list(organisation_ids=[org.pk], filters=EventFilter(action="test.")))
    assert len(rows) == 20
    assert rows == sorted(rows, key=lambda e: (e.at, e.pk), reverse=True)


@pytest.mark.django_db
def test_history_of_one_object_is_oldest_first() -> None:
    org = OrganisationFactory()
    later = event("test.changed", target=org)
    history = list(audit_history(target_type="accounts.organisation", target_id=str(org.pk)))
    assert [e.action for e in history] == ["accounts.organisation.created", "test.changed"]
    assert history[-1] == later
