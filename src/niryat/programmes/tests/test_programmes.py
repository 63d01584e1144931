"""Programme services and the scoping that decides who sees which programmes and organisations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from niryat.accounts.models import Organisation, OrganisationKind, Role, User
from niryat.accounts.scoping import visible_organisation_ids
from niryat.accounts.selectors import organisation_get, organisation_list
from niryat.accounts.tests.factories import OrganisationFactory, UserFactory, member
from niryat.audit.models import AuditEvent
from niryat.programmes.models import Participant, ParticipantRole, Programme
from niryat.programmes.selectors import participant_list, programme_get, programme_list
from niryat.programmes.services import ProgrammeError, participant_add, programme_create
from niryat.programmes.tests.factories import ProgrammeFactory, take_part

pytestmark = pytest.mark.django_db

K = OrganisationKind


def org(kind: str, slug: str) -> Organisation:
    return OrganisationFactory(kind=kind, slug=slug, name=slug.replace("-", " ").title())


def person(organisation: Organisation, role: str = Role.ADMIN) -> User:
    return member(organisation, role=role)


@pytest.fixture
def world() -> dict[str, Any]:
    """Two programmes: X (office-x) with facilitators A and B and an MSME; Y (office-y) with C."""
    o = {slug: org(kind, slug) for slug, kind in [
        ("office-x", K.PROGRAMME_OFFICE), ("office-y", K.PROGRAMME_OFFICE),
        ("facilitator-a", K.FACILITATOR), ("facilitator-b", K.FACILITATOR),
        ("facilitator-c", K.FACILITATOR), ("msme-m", K.MSME), ("outsider", K.MSME),
    ]}
    x = ProgrammeFactory(office=o["office-x"], slug="programme-x", name="Programme X",
                         name_hi="कार्यक्रम एक्स")
    y = ProgrammeFactory(office=o["office-y"], slug="programme-y", name="Programme Y")
    for slug in ("facilitator-a", "facilitator-b", "msme-m"):
        take_part(x, o[slug])
    take_part(y, o["facilitator-c"])
    users = {slug: person(organisation) for slug, organisation in o.items()}
    return {"orgs": o, "users": users, "x": x, "y": y}


# services -------------------------------------------------------------------------------------


def test_programme_create_sets_geography_and_sectors_and_audits() -> None:
    office = org(K.PROGRAMME_OFFICE, "gujarat-office")
    programme = programme_create(
        actor=None, office=office, slug="guj", name="Gujarat", starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31), state_codes=[24], district_codes=[438],
        cluster_slugs=["surat", "ahmedabad"], sector_slugs=["handicrafts"],
    )
    assert list(programme.states.values_list("lgd_code", flat=True)) == [24]
    assert set(programme.cluster_cities.values_list("slug", flat=True)) == {"surat", "ahmedabad"}
    assert list(programme.sectors.values_list("slug", flat=True)) == ["handicrafts"]
    event = AuditEvent.objects.get(action="programmes.programme.created")
    assert event.organisation_id == office.pk and event.target_id == str(programme.pk)
    assert event.changes["cluster_cities"] == [None, ["ahmedabad", "surat"]]


@pytest.mark.parametrize("kind", [K.FACILITATOR, K.MSME, K.TRAINER, K.MARKETPLACE])
def test_programme_create_refuses_an_organisation_that_is_not_an_office(kind: str) -> None:
    not_office = org(kind, "not-an-office")
    events = AuditEvent.objects.count()
    with pytest.raises(ProgrammeError):
        programme_create(actor=None, office=not_office, slug="p", name="P")
    assert not Programme.objects.exists()
    assert AuditEvent.objects.count() == events


def test_programme_cannot_end_before_it_starts() -> None:
    office = org(K.PROGRAMME_OFFICE, "office")
    with pytest.raises(ProgrammeError):
        programme_create(actor=None, office=office, slug="p", name="P",
                         starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))
    assert not Programme.objects.exists()


def test_participant_add_is_idempotent_and_audited_once() -> None:
    programme = ProgrammeFactory()
    facilitator = org(K.FACILITATOR, "setu")
    first = participant_add(actor=None, programme=programme, organisation=facilitator,
                            role=ParticipantRole.FACILITATOR)
    again = participant_add(actor=None, programme=programme, organisation=facilitator,
                            role=ParticipantRole.TRAINER)
    assert first.pk == again.pk and again.role == ParticipantRole.FACILITATOR
    assert Participant.objects.count() == 1
    events = AuditEvent.objects.filter(action="programmes.participant.added")
    assert events.count() == 1
    assert events.get().organisation_id == programme.office_id


def test_an_office_cannot_take_part_in_a_programme() -> None:
    programme = ProgrammeFactory()
    with pytest.raises(ProgrammeError):
        participant_add(actor=None, programme=programme,
                        organisation=org(K.PROGRAMME_OFFICE, "another-office"),
                        role=ParticipantRole.FACILITATOR)
    assert not Participant.objects.exists()


# scoping --------------------------------------------------------------------------------------


def slugs(queryset: Any) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def test_office_sees_its_programmes_participants(world: dict[str, Any]) -> None:
    office_user = world["users"]["office-x"]
    assert slugs(organisation_list(actor=office_user)) == {"office-x", "facilitator-a", "facilitator-b", "msme-m"}
    assert slugs(programme_list(actor=office_user)) == {"programme-x"}
    with pytest.raises(Http404):
        programme_get(actor=office_user, slug="programme-y")
    with pytest.raises(Http404):
        organisation_get(actor=office_user, slug="facilitator-c")


def test_facilitator_sees_only_the_programmes_it_takes_part_in(world: dict[str, Any]) -> None:
    a = world["users"]["facilitator-a"]
    assert slugs(programme_list(actor=a)) == {"programme-x"}
    assert programme_get(actor=a, slug="programme-x") == world["x"]
    with pytest.raises(Http404):
        programme_get(actor=a, slug="programme-y")
    with pytest.raises(Http404):
        programme_get(actor=a, slug="no-such-programme")


def test_facilitators_of_one_programme_do_not_see_each_other(world: dict[str, Any]) -> None:
    a = world["users"]["facilitator-a"]
    assert slugs(organisation_list(actor=a)) == {"facilitator-a", "office-x"}
    with pytest.raises(Http404):
        organisation_get(actor=a, slug="facilitator-b")
    with pytest.raises(Http404):
        organisation_get(actor=a, slug="msme-m")
    assert [p.organisation.slug for p in participant_list(actor=a, programme=world["x"])] == ["facilitator-a"]


def test_office_sees_all_participants_of_its_programme(world: dict[str, Any]) -> None:
    office_user = world["users"]["office-x"]
    participants = participant_list(actor=office_user, programme=world["x"])
    assert {p.organisation.slug for p in participants} == {"facilitator-a", "facilitator-b", "msme-m"}


def test_outsiders_and_people_without_membership_see_nothing_else(world: dict[str, Any]) -> None:
    outsider = world["users"]["outsider"]
    assert slugs(organisation_list(actor=outsider)) == {"outsider"}
    assert not programme_list(actor=outsider).exists()
    nobody = UserFactory()
    assert visible_organisation_ids(nobody) == set()
    assert not organisation_list(actor=nobody).exists()
    assert not programme_list(actor=nobody).exists()


def test_inactive_members_see_nothing(world: dict[str, Any]) -> None:
    from niryat.accounts.services import user_update

    office_user = world["users"]["office-x"]
    user_update(actor=None, user=office_user, is_active=False)
    assert not organisation_list(actor=office_user).exists()


def test_platform_administrators_see_everything(world: dict[str, Any]) -> None:
    admin = UserFactory(is_superuser=True)
    assert visible_organisation_ids(admin) is None
    assert slugs(programme_list(actor=admin)) == {"programme-x", "programme-y"}
    assert organisation_list(actor=admin).count() == Organisation.objects.count()


def test_programme_list_search_in_english_and_hindi(world: dict[str, Any]) -> None:
    admin = UserFactory(is_superuser=True)
    assert slugs(programme_list(actor=admin, search="programme x")) == {"programme-x"}
    assert slugs(programme_list(actor=admin, search="एक्स")) == {"programme-x"}
    a = world["users"]["facilitator-a"]
    assert slugs(programme_list(actor=a, search="Programme")) == {"programme-x"}
    assert slugs(programme_list(actor=a, search="Y")) == set()


def test_programme_list_is_two_queries_with_participant_counts(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    office_user = world["users"]["office-x"]
    for n in range(5):
        extra = ProgrammeFactory(office=world["orgs"]["office-x"], slug=f"extra-{n}")
        take_part(extra, world["orgs"]["facilitator-a"])
    with django_assert_num_queries(2):  # the actor's memberships, then the programmes
        rows = list(programme_list(actor=office_user))
        for row in rows:
            _ = (row.office.name, row.participant_count)
    assert len(rows) == 6
    assert {r.slug: r.participant_count for r in rows}["programme-x"] == 3


def test_superuser_programme_list_is_one_query(world: dict[str, Any], django_assert_num_queries: Any) -> None:
    admin = UserFactory(is_superuser=True)
    with django_assert_num_queries(1):
        rows = [(p.office.slug, p.participant_count) for p in programme_list(actor=admin)]
    assert sorted(rows) == [("office-x", 3), ("office-y", 1)]


@pytest.mark.parametrize("who", ["office-x", "facilitator-a", "msme-m", "facilitator-c"])
def test_participant_count_is_the_programme_total_whoever_asks(
    world: dict[str, Any], who: str
) -> None:
    """The count is the programme's total (not who it is): the same for office and facilitator."""
    actor = world["users"][who]
    for programme in programme_list(actor=actor):
        assert programme.participant_count == programme.participants.count()


def test_one_request_reads_memberships_and_programme_links_once(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """However often a page asks what the actor may do and see, it is read once per request;
    a change within the request (any audited service) makes the next read fresh."""
    from niryat.accounts.permissions import capabilities, capability_organisation_ids
    from niryat.accounts.scoping import own_organisation_ids
    from niryat.core.tests.helpers import in_a_request
    from niryat.registry.selectors import steward_ids

    office_user = world["users"]["office-x"]
    orgs = world["orgs"]

    def asks() -> tuple[set[int] | None, set[int] | None]:
        for _ in range(3):
            capabilities(office_user)
            capability_organisation_ids(office_user, "registry.view")
            own_organisation_ids(office_user)
        return visible_organisation_ids(office_user), steward_ids(office_user)

    with django_assert_num_queries(2):  # the memberships, then the programmes' participants
        visible, stewards = in_a_request(asks)
    expected = {orgs[s].pk for s in ("office-x", "facilitator-a", "facilitator-b", "msme-m")}
    assert visible == stewards == expected

    def changes() -> set[int] | None:
        visible_organisation_ids(office_user)
        participant_add(actor=None, programme=world["x"], organisation=orgs["facilitator-c"],
                        role=ParticipantRole.FACILITATOR)
        return visible_organisation_ids(office_user)

    assert orgs["facilitator-c"].pk in in_a_request(changes)
