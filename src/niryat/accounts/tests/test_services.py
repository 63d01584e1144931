"""Account services: each write is audited in its own transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from niryat.accounts import services
from niryat.accounts.models import Membership, OrganisationKind, Role, User
from niryat.accounts.tests.factories import PASSWORD, OrganisationFactory, UserFactory
from niryat.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_user_create_lowercases_email_and_hashes_with_argon2() -> None:
    user = services.user_create(
        actor=None, email="Asha.Patel@Example.IN", full_name="Asha Patel", password=PASSWORD
    )
    user.refresh_from_db()
    assert user.email == "asha.patel@example.in"
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
    assert not user.is_demo and not user.is_staff and not user.is_superuser


def test_user_create_writes_one_audit_event() -> None:
    admin = UserFactory()
    user = services.user_create(actor=admin, email="B@example.in", full_name="B", password=None)
    event = AuditEvent.objects.get(action="accounts.user.created", target_id=str(user.pk))
    assert event.actor == admin
    assert event.actor_label == admin.email
    assert event.target_type == "accounts.user"
    assert event.changes == {"email": [None, "b@example.in"], "full_name": [None, "B"]}
    assert not user.has_usable_password()


def test_user_create_and_its_event_roll_back_together() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.user_create(actor=None, email="gone@example.in", full_name="G", password=None)
        1 / 0  # noqa: B018 - the caller's transaction fails after the service returned
    assert not User.objects.filter(email="gone@example.in").exists()
    assert AuditEvent.objects.count() == before


def test_user_is_not_created_when_its_audit_event_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.user_create(actor=None, email="half@example.in", full_name="H", password=None)
    assert not User.objects.filter(email="half@example.in").exists()


def test_duplicate_email_in_another_case_is_refused() -> None:
    UserFactory(email="same@example.in")
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError
        UserFactory(email="SAME@example.in")
    assert User.objects.filter(email__iexact="same@example.in").count() == 1


def test_superuser_is_staff() -> None:
    user = UserFactory(is_superuser=True)
    assert user.is_superuser and user.is_staff


def test_user_update_changes_named_fields_and_audits_the_diff() -> None:
    user = UserFactory(full_name="Old Name")
    services.user_update(actor=None, user=user, full_name="New Name", is_active=True)
    user.refresh_from_db()
    assert user.full_name == "New Name"
    event = AuditEvent.objects.get(action="accounts.user.updated")
    assert event.changes == {"full_name": ["Old Name", "New Name"]}


def test_user_update_refuses_other_fields() -> None:
    user = UserFactory()
    with pytest.raises(ValueError, match="is_superuser"):
        services.user_update(actor=None, user=user, is_superuser=True)
    user.refresh_from_db()
    assert not user.is_superuser
    assert not AuditEvent.objects.filter(action="accounts.user.updated").exists()


def test_organisation_create_audits_for_the_organisation() -> None:
    org = OrganisationFactory(slug="setu", name="Setu", kind=OrganisationKind.FACILITATOR)
    event = AuditEvent.objects.get(action="accounts.organisation.created")
    assert event.organisation_id == org.pk
    assert event.changes == {"name": [None, "Setu"], "kind": [None, "facilitator"]}


def test_membership_add_is_idempotent_and_audits_role_changes_once() -> None:
    user = UserFactory()
    org = OrganisationFactory()
    first = services.membership_add(actor=None, user=user, organisation=org, role=Role.MEMBER)
    again = services.membership_add(actor=None, user=user, organisation=org, role=Role.MEMBER)
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="accounts.membership.added").count() == 1
    services.membership_add(actor=None, user=user, organisation=org, role=Role.ADMIN)
    services.membership_add(actor=None, user=user, organisation=org, role=Role.ADMIN)
    assert Membership.objects.get(pk=first.pk).role == Role.ADMIN
    changed = AuditEvent.objects.filter(action="accounts.membership.changed")
    assert changed.count() == 1
    assert changed.get().changes["role"] == [Role.MEMBER, Role.ADMIN]
    assert changed.get().organisation_id == org.pk
