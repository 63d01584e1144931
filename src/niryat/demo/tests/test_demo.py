"""The demo loader: three programmes, one user per role, all demo accounts, idempotent."""

from __future__ import annotations

import re

import pytest
from django.db.models import Count

from niryat.accounts.models import Membership, Organisation, User
from niryat.audit.models import AuditEvent
from niryat.demo.loader import DEMO_PASSWORD, ORGANISATIONS, PROGRAMMES, USERS, demo_load
from niryat.programmes.models import Participant, Programme
from niryat.registry.models import Enrolment

pytestmark = pytest.mark.django_db

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture(autouse=True)
def fast_hashing(settings: object) -> None:
    """Seven argon2 hashes per load are slow by design; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def totals() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Organisation, User, Membership, Programme, Participant, AuditEvent))


def test_demo_load_creates_the_demo_and_a_second_load_creates_nothing() -> None:
    summary = demo_load()
    assert summary == ("demo: 11 organisations created, 7 users created, 3 programmes created; "
                       "demo registry: 10 enterprises imported, 0 rejected")
    enrolled = dict(Enrolment.objects.values("programme__slug").annotate(n=Count("id"))
                    .values_list("programme__slug", "n"))
    assert enrolled == {"startup-india-alibaba": 10, "gujarat-amazon-clusters": 5}
    after_first = totals()
    assert demo_load() == ("demo: 0 organisations created, 0 users created, 0 programmes created; "
                           "demo registry: already loaded")
    assert totals() == after_first


def test_demo_content() -> None:
    demo_load()
    assert Programme.objects.count() == len(PROGRAMMES) == 3
    assert User.objects.count() == len(USERS) == 7
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert all(User.objects.values_list("is_demo", flat=True))
    assert all(Organisation.objects.values_list("is_demo", flat=True))
    for user in User.objects.all():
        assert DEVANAGARI.search(user.full_name_hi), user.email
        assert user.memberships.count() == 1
        assert not user.is_superuser and not user.is_staff
    for programme in Programme.objects.all():
        assert DEVANAGARI.search(programme.name_hi) and DEVANAGARI.search(programme.summary_hi)
        assert programme.participants.exists()
    for organisation in Organisation.objects.all():
        assert DEVANAGARI.search(organisation.name_hi), organisation.slug
    gujarat = Programme.objects.get(slug="gujarat-amazon-clusters")
    assert gujarat.cluster_cities.count() == 5
    assert set(gujarat.states.values_list("lgd_code", flat=True)) == {24}
    up = Programme.objects.get(slug="up-walmart-flipkart-odop")
    assert up.districts.count() == 6
    assert set(up.districts.values_list("state_id", flat=True)) == {9}


def test_demo_is_audited_like_real_data() -> None:
    demo_load()
    assert AuditEvent.objects.filter(action="accounts.user.created").count() == 7
    assert AuditEvent.objects.filter(action="programmes.programme.created").count() == 3
    assert AuditEvent.objects.filter(action="programmes.participant.added").count() == Participant.objects.count()


def test_demo_users_sign_in_only_in_demo_mode(settings: object) -> None:
    from django.contrib.auth import authenticate

    demo_load()
    email = USERS[0].email
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    assert authenticate(None, username=email, password=DEMO_PASSWORD) is None
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    assert authenticate(None, username=email, password=DEMO_PASSWORD) is not None


def test_demo_load_keeps_what_exists() -> None:
    from niryat.accounts.services import user_update

    demo_load()
    office = User.objects.get(email=USERS[0].email)
    user_update(actor=None, user=office, full_name="Renamed")
    Programme.objects.filter(slug="startup-india-alibaba").update(name="Renamed programme")
    demo_load()
    assert User.objects.get(pk=office.pk).full_name == "Renamed"
    assert Programme.objects.get(slug="startup-india-alibaba").name == "Renamed programme"
