"""Who may do what, as data.

1. Capabilities: (organisation kind, role) × capability → allowed, checked against
   ``has_capability``. A new capability needs a new column here.
2. Pages: each demo role × URL → expected status (200 or 404; never 403).
3. Denied writes change nothing: no new audit event, no new job, no changed row.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from niryat.accounts import permissions
from niryat.accounts.models import ApiToken, OrganisationKind, Role, User
from niryat.accounts.permissions import (
    ALL_CAPABILITIES,
    EXPORT_AUDIT,
    MANAGE_PROGRAMMES,
    MANAGE_REGISTRY,
    VIEW_AUDIT,
    VIEW_PROGRAMMES,
    VIEW_REGISTRY,
    capabilities,
    capability_organisation_ids,
    has_capability,
)
from niryat.accounts.services import api_token_create, membership_add, user_update
from niryat.accounts.tests.factories import OrganisationFactory, UserFactory, member
from niryat.audit.models import AuditEvent
from niryat.core.models import Job
from niryat.demo.loader import USERS, demo_load

pytestmark = pytest.mark.django_db

K, R = OrganisationKind, Role

# --- 1. capabilities ---------------------------------------------------------------------------

COLUMNS = (VIEW_AUDIT, EXPORT_AUDIT, VIEW_PROGRAMMES, MANAGE_PROGRAMMES, VIEW_REGISTRY,
           MANAGE_REGISTRY)
CAPABILITY_MATRIX: dict[tuple[str, str], tuple[bool, bool, bool, bool, bool, bool]] = {
    #                                view audit  export audit  view progr.  manage progr. view reg. manage reg.
    (K.PROGRAMME_OFFICE, R.ADMIN):   (True,      True,         True,        True,         True,     True),
    (K.PROGRAMME_OFFICE, R.MEMBER):  (False,     False,        True,        False,        True,     True),
    (K.FACILITATOR, R.ADMIN):        (False,     False,        True,        False,        True,     True),
    (K.FACILITATOR, R.MEMBER):       (False,     False,        True,        False,        True,     True),
    (K.TRAINER, R.ADMIN):            (False,     False,        True,        False,        False,    False),
    (K.TRAINER, R.MEMBER):           (False,     False,        True,        False,        False,    False),
    (K.MARKETPLACE, R.ADMIN):        (False,     False,        True,        False,        False,    False),
    (K.MARKETPLACE, R.MEMBER):       (False,     False,        True,        False,        False,    False),
    (K.MSME, R.ADMIN):               (False,     False,        True,        False,        False,    False),
    (K.MSME, R.MEMBER):              (False,     False,        True,        False,        False,    False),
}


def test_the_matrix_covers_every_kind_role_and_capability() -> None:
    assert set(CAPABILITY_MATRIX) == {(k, r) for k in K.values for r in R.values}
    assert set(COLUMNS) == ALL_CAPABILITIES
    assert set(permissions.GRANTS) == set(CAPABILITY_MATRIX)


@pytest.mark.parametrize(("kind", "role"), list(CAPABILITY_MATRIX), ids=lambda v: str(v))
def test_capabilities_of_each_kind_and_role(kind: str, role: str) -> None:
    user = member(kind=kind, role=role)
    expected = dict(zip(COLUMNS, CAPABILITY_MATRIX[(kind, role)], strict=True))
    actual = {capability: has_capability(user, capability) for capability in COLUMNS}
    assert actual == expected


def test_no_membership_inactive_and_anonymous_have_nothing() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert capabilities(UserFactory()) == frozenset()
    assert capabilities(AnonymousUser()) == frozenset()
    assert capabilities(None) == frozenset()
    office_admin = member(kind=K.PROGRAMME_OFFICE, role=R.ADMIN)
    user_update(actor=None, user=office_admin, is_active=False)
    assert capabilities(office_admin) == frozenset()


def test_platform_administrators_have_every_capability() -> None:
    assert capabilities(UserFactory(is_superuser=True)) == ALL_CAPABILITIES


def test_capabilities_are_the_union_over_memberships() -> None:
    user = member(kind=K.FACILITATOR, role=R.ADMIN)
    office = OrganisationFactory(kind=K.PROGRAMME_OFFICE)
    membership_add(actor=None, user=user, organisation=office, role=R.ADMIN)
    assert capabilities(user) == ALL_CAPABILITIES
    assert capability_organisation_ids(user, EXPORT_AUDIT) == [office.pk]
    assert len(capability_organisation_ids(user, VIEW_PROGRAMMES)) == 2


# --- 2. pages ----------------------------------------------------------------------------------

GUJ, UP, STARTUP = "gujarat-amazon-clusters", "up-walmart-flipkart-odop", "startup-india-alibaba"
PAGES = ["/audit/", f"/programmes/{GUJ}/", f"/programmes/{UP}/", f"/programmes/{STARTUP}/",
         "/programmes/no-such-programme/"]
ROLE_EMAIL = {u.title: u.email for u in USERS}

PAGE_MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    #                          /audit/  gujarat  up    startup  unknown
    "programme office":         (200,    200,    404,  404,     404),
    "programme office (UP)":    (200,    404,    200,  404,     404),
    "programme office (Startup India)": (200, 404, 404, 200,    404),
    "facilitator":              (404,    200,    404,  200,     404),
    "MSME owner":               (404,    404,    200,  404,     404),
    "trainer":                  (404,    200,    200,  404,     404),
    "marketplace partner":      (404,    200,    404,  404,     404),
}

# Pages are being written; until they exist these stand-ins let the views answer.
# The real templates come first, so once they exist they are the ones rendered.
STAND_INS = {
    "audit/event_list.html": "{% for e in page %}{{ e.action }}{% endfor %}",
    "programmes/programme_detail.html": "{{ programme.name }}{% for p in participants %}{{ p }}{% endfor %}",
}


@pytest.fixture
def demo(settings: Any) -> None:
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["OPTIONS"]["loaders"] = [("template_partials.loader.Loader", [
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
        ("django.template.loaders.locmem.Loader", STAND_INS),
    ])]
    settings.TEMPLATES = [engine]
    demo_load()


def client_for(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_page_matrix_covers_every_demo_role() -> None:
    assert set(PAGE_MATRIX) == set(ROLE_EMAIL)


@pytest.mark.parametrize("role", list(PAGE_MATRIX))
def test_page_access_by_role(demo: None, role: str) -> None:
    client = client_for(ROLE_EMAIL[role])
    actual = tuple(client.get(url).status_code for url in PAGES)
    assert dict(zip(PAGES, actual, strict=True)) == dict(zip(PAGES, PAGE_MATRIX[role], strict=True))


def test_anonymous_visitors_are_sent_to_sign_in(demo: None) -> None:
    client = Client()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_platform_administrator_sees_every_page(demo: None) -> None:
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    assert [client.get(url).status_code for url in PAGES] == [200, 200, 200, 200, 404]


# --- 3. denied writes change nothing -----------------------------------------------------------


def snapshot() -> tuple[int, int, list[Any]]:
    return (AuditEvent.objects.count(), Job.objects.count(),
            list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")))


@pytest.mark.parametrize("role", [r for r, row in PAGE_MATRIX.items() if row[0] == 404])
def test_audit_export_denied_changes_nothing(demo: None, role: str) -> None:
    client = client_for(ROLE_EMAIL[role])
    before = snapshot()
    response = client.post("/audit/export/", {"action": "accounts."})
    assert response.status_code == 404
    assert snapshot() == before


def test_audit_export_by_an_anonymous_visitor_changes_nothing(demo: None) -> None:
    before = snapshot()
    response = Client().post("/audit/export/", {"action": "accounts."})
    assert response.status_code == 302
    assert snapshot() == before


def test_audit_export_by_an_office_admin_starts_one_job(demo: None) -> None:
    client = client_for(ROLE_EMAIL["programme office"])
    assert client.get("/audit/export/").status_code == 405
    events, jobs, _ = snapshot()
    response = client.post("/audit/export/", {"action": "programmes.", "since": "2020-01-01"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.id}/"
    assert job.parameters["filters"]["since"] == "2020-01-01"
    office = User.objects.get(email=ROLE_EMAIL["programme office"]).memberships.get().organisation
    assert office.pk in job.parameters["organisation_ids"]
    assert snapshot()[:2] == (events + 1, jobs + 1)


def test_revoking_someone_elses_token_is_404_and_changes_nothing(demo: None) -> None:
    owner = User.objects.get(email=ROLE_EMAIL["facilitator"])
    issued = api_token_create(actor=owner, name="feeds")
    client = client_for(ROLE_EMAIL["programme office"])
    before = snapshot()
    response = client.post(f"/accounts/tokens/{issued.token.pk}/revoke/")
    assert response.status_code == 404
    assert snapshot() == before
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
