"""The registry pages: list, register, detail with history, edit; 404 for anyone outside."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import OrganisationFactory, member
from niryat.audit.models import AuditEvent
from niryat.programmes.tests.factories import ProgrammeFactory, take_part
from niryat.reference.selectors import forget_choices
from niryat.registry.models import Enterprise
from niryat.registry.tests.helpers import AHMEDABAD, VARANASI, gstin, pan, register
from niryat.registry.validation import ReferenceIndex

pytestmark = pytest.mark.django_db
K = OrganisationKind
LIST = reverse("registry:enterprise-list")
NEW = reverse("registry:enterprise-create")


def detail(enterprise: Enterprise) -> str:
    return reverse("registry:enterprise-detail", args=[enterprise.pk])


def edit(enterprise: Enterprise) -> str:
    return reverse("registry:enterprise-edit", args=[enterprise.pk])


def org_of(user: Any) -> Organisation:
    return Organisation.objects.get(memberships__user=user)


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def facilitator() -> Any:
    return member(kind=K.FACILITATOR)


def contact_rows(*rows: dict[str, Any], initial: int = 0) -> dict[str, str]:
    """The contacts formset's fields: its management form and one set of fields per row."""
    data = {"contacts-TOTAL_FORMS": str(len(rows)), "contacts-INITIAL_FORMS": str(initial),
            "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "20"}
    for n, row in enumerate(rows):
        data.update({f"contacts-{n}-{key}": str(value) for key, value in row.items()})
    return data


SUNITA = {"name": "Sunita", "mobile": "98765 43210", "email": "sunita@example.in"}
FORM = {
    "name": "Banarasi Silk Udyog", "name_hi": "बनारसी सिल्क उद्योग", "udyam_number": "UDYAM-UP-65-0012345",
    "gstin": gstin("ABCPE1234F", "09"), "pan": "", "iec": "", "fssai": "", "district_lgd_code": str(VARANASI),
    "sector": "textiles-apparel", "address": "Lallapura", "pincode": "221001",
    "investment": "25,00,000", "turnover": "1,00,00,000",
    "year_started": "1998", "export_experience": "none", "export_markets": "",
    **contact_rows(SUNITA, {}),
}


def test_register_redirects_to_the_detail_with_its_history(facilitator: Any) -> None:
    client = client_for(facilitator)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, FORM)
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(enterprise)
    assert enterprise.steward == org_of(facilitator)
    assert enterprise.pan == "ABCPE1234F" and enterprise.contacts.get().mobile == "+919876543210"
    page = client.get(detail(enterprise))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Banarasi Silk Udyog" in html and "UDYAM-UP-65-0012345" in html
    assert "registry.enterprise.registered" in html
    assert [e.action for e in page.context["history"]] == ["registry.enterprise.registered"]
    assert "The enterprise is registered." in html


def test_register_with_the_date_of_the_figures(facilitator: Any) -> None:
    client = client_for(facilitator)
    figures = {"investment": "2,00,00,000", "turnover": "8,00,00,000"}
    client.post(NEW, {**FORM, **figures, "size_as_of": "2025-03-31"})
    enterprise = Enterprise.objects.get()
    assert (enterprise.size_class, enterprise.size_as_of) == ("small", date(2025, 3, 31))
    assert client.get(edit(enterprise)).context["form"].initial["size_as_of"] == date(2025, 3, 31)
    future = client.post(edit(enterprise), {**FORM, **figures, "size_as_of": "2999-01-01"})
    assert "The date of the figures cannot be in the future." in future.content.decode()


def test_register_shows_warnings_but_saves(facilitator: Any) -> None:
    client = client_for(facilitator)
    response = client.post(NEW, {**FORM, "district_lgd_code": str(AHMEDABAD)}, follow=True)
    assert response.status_code == 200
    assert Enterprise.objects.count() == 1
    html = response.content.decode()
    assert "The GSTIN is registered in GST state 09" in html
    assert "The Udyam number is from another state" in html


@pytest.mark.parametrize("field, value, fragment", [
    ("gstin", gstin("ABCPE1234F", "09")[:-1] + "0", "The last character of this GSTIN should be"),
    ("gstin", gstin("AAACB1234C", "09"), "The PAN inside the GSTIN"),
    ("pincode", "012345", "A PIN code has six digits"),
    ("udyam_number", "UDYAM-XX-01-0012345", "XX is not the code"),
    ("district_lgd_code", "", None),
    ("contacts-0-mobile", "12345", "is not a valid phone number"),
    ("contacts-0-email", "sunita@", "is not a valid email address"),
    ("licence_bis", "CM/L " + "1" * 60, "at most 50 characters"),
    ("investment", "twenty lakh", "Write an amount in rupees"),
    ("export_markets", "US, XX", "Not two-letter country codes: XX"),
])
def test_errors_are_shown_on_their_field(facilitator: Any, field: str, value: str, fragment: str | None) -> None:
    data = {**FORM, field: value}
    if field == "gstin" and fragment and "PAN inside" in fragment:
        data["pan"] = "ABCPE1234F"
    response = client_for(facilitator).post(NEW, data)
    if fragment is None:  # leaving an optional field empty is fine
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    errors, name = response.context["form"].errors, field
    if field.startswith("contacts-"):  # a contact's problem is on its row of the formset
        assert not errors
        _prefix, n, name = field.split("-")
        errors = response.context["contacts"].forms[int(n)].errors
    assert list(errors) == [name], errors
    assert fragment in errors[name][0]
    assert fragment.split(":")[0] in response.content.decode()


def test_required_name(facilitator: Any) -> None:
    response = client_for(facilitator).post(NEW, {**FORM, "name": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]


def test_duplicate_shown_on_the_field(facilitator: Any) -> None:
    client = client_for(facilitator)
    client.post(NEW, FORM)
    response = client.post(NEW, {**FORM, "name": "Again", "gstin": ""})
    assert response.status_code == 200
    assert "already registered for Banarasi Silk Udyog" in response.context["form"].errors["udyam_number"][0]
    assert Enterprise.objects.count() == 1


def test_errors_in_hindi(facilitator: Any) -> None:
    message = "A PIN code has six digits and does not start with 0."
    with translation.override("hi"):
        hindi = translation.gettext(message)
    if hindi == message:
        pytest.skip("the Hindi catalogue does not translate the registry's messages yet")
    response = client_for(facilitator, "hi").post(NEW, {**FORM, "pincode": "012345"})
    assert response.status_code == 200
    assert response.context["form"].errors["pincode"] == [hindi]
    assert hindi in response.content.decode()


def test_edit(facilitator: Any) -> None:
    client = client_for(facilitator)
    client.post(NEW, FORM)
    enterprise = Enterprise.objects.get()
    page = client.get(edit(enterprise))
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["name"] == "Banarasi Silk Udyog" and initial["district_lgd_code"] == VARANASI
    (contact,) = page.context["contacts"].initial
    assert contact["mobile"] == "+919876543210" and contact["is_primary"] is True
    resubmitted = {**FORM, **{k: v for k, v in initial.items() if v is not None},
                   **contact_rows({**contact, "is_primary": "on"}, {}, initial=1)}
    response = client.post(edit(enterprise), {**resubmitted, "trade_name": "Kashi Silks"})
    assert response.status_code == 302 and response["Location"] == detail(enterprise)
    enterprise.refresh_from_db()
    assert enterprise.trade_name == "Kashi Silks"
    history = client.get(detail(enterprise)).context["history"]
    actions = sorted(e.action for e in history)
    assert actions == ["registry.enterprise.registered", "registry.enterprise.updated"]
    updated = AuditEvent.objects.get(action="registry.enterprise.updated")
    assert updated.changes == {"trade_name": ["", "Kashi Silks"]}


def test_edit_with_an_error_keeps_the_record(facilitator: Any) -> None:
    client = client_for(facilitator)
    client.post(NEW, FORM)
    enterprise = Enterprise.objects.get()
    response = client.post(edit(enterprise), {**FORM, "contacts-0-email": "nope"})
    assert response.status_code == 200 and "email" in response.context["contacts"].forms[0].errors
    assert Enterprise.objects.get().contacts.get().email == "sunita@example.in"


RAMESH = {"name": "Ramesh", "mobile": "99887 76655"}


def test_register_with_several_contacts_and_other_licences(facilitator: Any) -> None:
    client = client_for(facilitator)
    response = client.post(NEW, {**FORM, **contact_rows(SUNITA, {**RAMESH, "is_primary": "on"}, {}),
                                 "licence_bis": "cm/l 1234567", "licence_apeda_rcmc": "RCMC/APEDA/99"})
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert [(c.name, c.is_primary) for c in enterprise.contacts.all()] == [("Ramesh", True), ("Sunita", False)]
    assert enterprise.other_licences == {"apeda_rcmc": "RCMC/APEDA/99", "bis": "CM/L 1234567"}
    html = client.get(detail(enterprise)).content.decode()
    assert "BIS licence (ISI mark)" in html and "CM/L 1234567" in html and "Main contact" in html
    assert "+919988776655" in html


def test_edit_removes_changes_and_adds_contacts(facilitator: Any) -> None:
    client = client_for(facilitator)
    client.post(NEW, {**FORM, **contact_rows(SUNITA, RAMESH, {})})
    enterprise = Enterprise.objects.get()
    sunita, ramesh = enterprise.contacts.all()
    page = client.get(edit(enterprise))
    assert len(page.context["contacts"].forms) == 3  # the two contacts and an empty row
    response = client.post(edit(enterprise), {**FORM, **contact_rows(
        {"id": sunita.pk, **SUNITA, "email": "sunita@kashi.in"},
        {"id": ramesh.pk, **RAMESH, "DELETE": "on"},
        {"name": "Kavita", "mobile": "9123456789", "is_primary": "on"}, initial=2)})
    assert response.status_code == 302
    assert [(c.name, c.email, c.is_primary) for c in enterprise.contacts.all()] == [
        ("Kavita", "", True), ("Sunita", "sunita@kashi.in", False)]
    changes = AuditEvent.objects.get(action="registry.enterprise.updated").changes
    assert changes["contact.name"] == ["Sunita", "Kavita"]
    assert changes["other_contacts"] == ["Ramesh · +919988776655", "Sunita · +919876543210 · sunita@kashi.in"]


def test_a_contact_of_another_enterprise_cannot_be_edited(facilitator: Any, ref: ReferenceIndex) -> None:
    client = client_for(facilitator)
    other = register(facilitator, org_of(facilitator), ref, name="Other", contact_name="Ramesh")
    client.post(NEW, FORM)
    enterprise = Enterprise.objects.exclude(pk=other.pk).get()
    theirs = other.contacts.get()
    response = client.post(edit(enterprise), {**FORM, **contact_rows({"id": theirs.pk, "name": "Mine now"})})
    assert response.status_code == 200
    assert "not one of this enterprise" in " ".join(response.context["form"].non_field_errors())
    assert other.contacts.get().name == "Ramesh"


def test_add_another_contact_keeps_what_was_typed_and_saves_nothing(facilitator: Any) -> None:
    client = client_for(facilitator)
    response = client.post(NEW, {**FORM, "name": "", **contact_rows(SUNITA, {"name": "Ramesh"}),
                                 "licence_bis": "CM/L 1", "add_contact": "1"})
    assert response.status_code == 200 and not Enterprise.objects.exists()
    form, contacts = response.context["form"], response.context["contacts"]
    assert not form.is_bound and not form.errors  # as typed, not checked yet
    assert form.initial["pincode"] == "221001" and form.initial["licence_bis"] == "CM/L 1"
    assert [f.initial.get("name") for f in contacts.forms] == ["Sunita", "Ramesh", None]
    html = response.content.decode()
    assert 'value="Ramesh"' in html and "contacts-2-name" in html and "errorlist" not in html


def test_the_form_in_hindi_on_a_phone(facilitator: Any) -> None:
    english = ["Contact person", "Main contact", "Add another contact", "Other licences",
               "BIS licence (ISI mark)"]
    with translation.override("hi"):
        labels = [translation.gettext(text) for text in english]
    html = client_for(facilitator, "hi").get(NEW).content.decode()
    for label, text in zip(labels, english, strict=True):
        assert label != text and label in html
    assert 'name="viewport" content="width=device-width' in html
    assert 'inputmode="tel"' in html and 'autocomplete="tel"' in html


def test_another_facilitator_gets_404(facilitator: Any, ref: ReferenceIndex) -> None:
    enterprise = register(facilitator, org_of(facilitator), ref, name="Mine")
    other = client_for(member(kind=K.FACILITATOR))
    assert other.get(detail(enterprise)).status_code == 404
    assert other.get(edit(enterprise)).status_code == 404
    assert other.post(edit(enterprise), {**FORM, "name": "Stolen"}).status_code == 404
    assert "Mine" not in other.get(LIST).content.decode()
    assert Enterprise.objects.get().name == "Mine"


def test_programme_office_sees_its_facilitators_enterprise(facilitator: Any, ref: ReferenceIndex) -> None:
    office_org = OrganisationFactory(kind=K.PROGRAMME_OFFICE)
    take_part(ProgrammeFactory(office=office_org), org_of(facilitator))
    enterprise = register(facilitator, org_of(facilitator), ref, name="Mine")
    office = client_for(member(office_org))
    assert office.get(detail(enterprise)).status_code == 200
    assert "Mine" in office.get(LIST).content.decode()


def test_facilitator_cannot_open_or_edit_its_programme_offices_enterprise(facilitator: Any,
                                                                          ref: ReferenceIndex) -> None:
    office_org = OrganisationFactory(kind=K.PROGRAMME_OFFICE)
    take_part(ProgrammeFactory(office=office_org), org_of(facilitator))
    enterprise = register(member(office_org), office_org, ref, name="Office own")
    client = client_for(facilitator)
    assert client.get(detail(enterprise)).status_code == 404
    assert client.post(edit(enterprise), {**FORM, "name": "Changed"}).status_code == 404
    assert Enterprise.objects.get().name == "Office own"


@pytest.mark.parametrize("kind", [K.TRAINER, K.MSME, K.MARKETPLACE])
def test_other_kinds_get_404(kind: str, facilitator: Any, ref: ReferenceIndex) -> None:
    enterprise = register(facilitator, org_of(facilitator), ref, name="Mine")
    client = client_for(member(kind=kind))
    for url in (LIST, NEW, detail(enterprise), edit(enterprise)):
        assert client.get(url).status_code == 404, url
    assert client.post(NEW, FORM).status_code == 404
    assert not Enterprise.objects.filter(name="Banarasi Silk Udyog").exists()


def test_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_list_search_and_filters(facilitator: Any, ref: ReferenceIndex) -> None:
    register(facilitator, org_of(facilitator), ref, name="Banarasi Silk Udyog", name_hi="बनारसी सिल्क उद्योग",
             district_lgd_code=str(VARANASI))
    register(facilitator, org_of(facilitator), ref, name="Ganesh Handicrafts", district_lgd_code=str(AHMEDABAD))
    client = client_for(facilitator)
    assert [e.name for e in client.get(LIST, {"q": "बनारसी"}).context["page"]] == ["Banarasi Silk Udyog"]
    assert [e.name for e in client.get(LIST, {"district": AHMEDABAD}).context["page"]] == ["Ganesh Handicrafts"]
    partial = client.get(LIST, {"q": "ganesh"}, headers={"HX-Request": "true"})
    assert "Ganesh Handicrafts" in partial.content.decode() and "<html" not in partial.content.decode()


def test_list_filters_in_hindi_keep_the_choice(facilitator: Any) -> None:
    page = client_for(facilitator, "hi").get(LIST, {"district": VARANASI, "sector": "handicrafts"})
    html = page.content.decode()
    assert f'<option value="{VARANASI}" selected>वाराणसी, उत्तर प्रदेश ({VARANASI})</option>' in html
    assert '<option value="handicrafts" selected>' in html
    english = client_for(facilitator).get(LIST, {"district": "not a district"})
    assert f'<option value="{VARANASI}">Varanasi, Uttar Pradesh ({VARANASI})</option>' in english.content.decode()
    assert "district" in english.context["form"].errors  # the choice is still checked


def list_queries(client: Client, path: str = LIST, **headers: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"sector": "handicrafts", "q": "enterprise"}, headers=headers)
    assert response.status_code == 200
    return len(queries.captured_queries)


# Queries of one list request: session, user, the actor's memberships, the reference version
# (form choices are cached per process), the programmes and facilitators to choose from, the
# programmes' participants (scope), the count, the page, and the session's save
# (savepoint, update, release). The htmx answer needs the same (the form still checks its
# choices); the API no version, programmes or facilitators.
PAGE_QUERIES = 12
API_QUERIES = 9


def test_list_query_count_is_fixed_and_does_not_grow(facilitator: Any, ref: ReferenceIndex) -> None:
    steward = org_of(facilitator)
    office_org = OrganisationFactory(kind=K.PROGRAMME_OFFICE)
    take_part(ProgrammeFactory(office=office_org), steward)
    districts = [VARANASI, AHMEDABAD]
    office = client_for(member(office_org))

    def counts() -> tuple[int, int, int]:
        return (list_queries(office), list_queries(office, HX_Request="true"),
                list_queries(office, "/api/v1/enterprises"))

    office.get(LIST)  # the process's form choices, if not built yet
    assert list_queries(office) == PAGE_QUERIES - 1  # nothing matches: no page to read
    for n in range(3):
        register(facilitator, steward, ref, name=f"Enterprise {n:02d}", sector="handicrafts",
                 district_lgd_code=str(districts[n % 2]), gstin=gstin(pan(n), "09"),
                 investment="1000", turnover="1000")
    forget_choices()
    assert list_queries(office) == PAGE_QUERIES + 2  # the process's first: districts, sectors
    assert counts() == (PAGE_QUERIES, PAGE_QUERIES, API_QUERIES)
    for n in range(3, 30):
        register(facilitator, steward, ref, name=f"Enterprise {n:02d}", sector="handicrafts",
                 district_lgd_code=str(districts[n % 2]), gstin=gstin(pan(n), "09"),
                 investment="1000", turnover="1000")
    assert counts() == (PAGE_QUERIES, PAGE_QUERIES, API_QUERIES)
    assert len(office.get(LIST).context["page"]) == 25
    facilitator_client = client_for(facilitator)
    assert list_queries(facilitator_client) == PAGE_QUERIES
    assert list_queries(facilitator_client, "/api/v1/enterprises") == API_QUERIES


def test_demo_facilitator_registers_through_the_pages(settings: Any) -> None:
    from niryat.demo.loader import demo_load

    settings.DEMO_MODE = True
    demo_load()
    client = Client()
    assert client.login(username="facilitator@demo.niryat.test", password="niryat-demo")
    response = client.post(NEW, FORM)
    assert response.status_code == 302
    assert Enterprise.objects.get(name=FORM["name"]).steward.slug == "setu-exports"
    # the programme office of Startup India (a programme setu-exports takes part in) sees it;
    # another demo facilitator and the trainer do not
    office = client_for(org_user("office.startup@demo.niryat.test"))
    assert office.get(response["Location"]).status_code == 200
    other = client_for(member(Organisation.objects.get(slug="pragati-trade")))
    assert other.get(response["Location"]).status_code == 404
    trainer = client_for(org_user("trainer@demo.niryat.test"))
    assert trainer.get(response["Location"]).status_code == 404
    assert trainer.get(LIST).status_code == 404


def org_user(email: str) -> Any:
    from niryat.accounts.models import User

    return User.objects.get(email=email)
