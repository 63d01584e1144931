"""enterprise_register and enterprise_update: what they write, what they audit, what they refuse."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.audit.models import AuditEvent
from niryat.registry import services
from niryat.registry.contacts import clean_contacts
from niryat.registry.licences import clean_other_licences
from niryat.registry.models import Contact, Enterprise
from niryat.registry.services import RegistryError, enterprise_register, enterprise_update
from niryat.registry.tests.helpers import TODAY, VARANASI, gstin
from niryat.registry.validation import ReferenceIndex, clean_enterprise

pytestmark = pytest.mark.django_db

PAN = "ABCPE1234F"
RAW = {
    "name": "Banarasi Silk Udyog", "name_hi": "बनारसी सिल्क उद्योग",
    "udyam_number": "UDYAM-UP-65-0012345", "gstin": gstin(PAN, "09"), "district_lgd_code": str(VARANASI),
    "sector": "textiles-apparel", "contact_name": "Sunita Yadav", "mobile": "9876543210",
    "email": "sunita@example.in", "investment": "25,00,000", "turnover": "1,00,00,000",
}


def cleaned(ref: ReferenceIndex, today: date = TODAY, **changes: Any) -> Any:
    return clean_enterprise({**RAW, **changes}, ref, today=today)


def events(enterprise: Enterprise) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="registry.enterprise", target_id=str(enterprise.pk))
                .order_by("id"))


def test_register_writes_enterprise_contact_and_one_event(ref: ReferenceIndex, actor: Any,
                                                          steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    enterprise.refresh_from_db()
    assert enterprise.steward == steward
    assert enterprise.gstin == gstin(PAN, "09") and enterprise.pan == PAN
    assert enterprise.size_class == "micro" and enterprise.investment_paise == 250_000_000
    assert enterprise.name_key == "banarasi silk udyog"
    assert "बनारसी" in enterprise.search_text and PAN.lower() in enterprise.search_text
    assert "+919876543210" in enterprise.search_text
    assert enterprise.search_words.split() == ["banarasi", "silk", "udyog"]  # both scripts, once each
    (contact,) = Contact.objects.filter(enterprise=enterprise)
    assert (contact.name, contact.mobile, contact.email, contact.is_primary) == (
        "Sunita Yadav", "+919876543210", "sunita@example.in", True)
    (event,) = events(enterprise)
    assert event.action == "registry.enterprise.registered"
    assert event.actor == actor and event.organisation_id == steward.pk
    assert event.changes["name"] == [None, "Banarasi Silk Udyog"]
    assert event.changes["gstin"] == [None, gstin(PAN, "09")]


def test_register_without_contact_details_writes_no_contact(ref: ReferenceIndex, actor: Any,
                                                            steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=cleaned(ref, contact_name="", mobile="", email=""))
    assert not enterprise.contacts.exists()


def test_register_is_one_transaction_with_its_audit_event(ref: ReferenceIndex, actor: Any, steward: Organisation,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_record(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken_record)
    with pytest.raises(RuntimeError, match="audit down"):
        enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    assert not Enterprise.objects.exists()
    assert not Contact.objects.exists()


def test_register_refuses_a_record_with_errors(ref: ReferenceIndex, actor: Any, steward: Organisation) -> None:
    with pytest.raises(RegistryError) as error:
        enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref, pincode="0123"))
    assert error.value.field == "pincode"
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("field, other", [
    ("udyam_number", {"gstin": gstin("AAACB1234C", "09"), "pan": ""}),
    ("gstin", {"udyam_number": "UDYAM-UP-65-0099999"}),
])
def test_duplicate_udyam_or_gstin_names_the_field(ref: ReferenceIndex, actor: Any, steward: Organisation,
                                                  field: str, other: dict[str, str]) -> None:
    enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    before = AuditEvent.objects.count()
    with pytest.raises(RegistryError) as error:
        enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref, name="Second", **other))
    assert error.value.field == field
    assert "already registered for Banarasi Silk Udyog" in str(error.value)
    assert Enterprise.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_duplicate_across_stewards_is_refused_too(ref: ReferenceIndex, actor: Any, steward: Organisation) -> None:
    enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    other = member(kind=OrganisationKind.FACILITATOR)
    with pytest.raises(RegistryError):
        enterprise_register(actor=other, steward=Organisation.objects.get(memberships__user=other),
                            cleaned=cleaned(ref, gstin=""))


def test_update_audits_only_the_changed_fields(ref: ReferenceIndex, actor: Any, steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    enterprise_update(actor=actor, enterprise=enterprise,
                      cleaned=cleaned(ref, trade_name="Kashi Silks", mobile="98765 00000"))
    enterprise.refresh_from_db()
    assert enterprise.trade_name == "Kashi Silks"
    assert "kashi silks" in enterprise.search_text and "+919876500000" in enterprise.search_text
    assert set(enterprise.search_words.split()) == {"banarasi", "silk", "udyog", "kasi", "silks"}
    assert enterprise.contacts.get().mobile == "+919876500000"
    registered, updated = events(enterprise)
    assert registered.action == "registry.enterprise.registered"
    assert updated.action == "registry.enterprise.updated"
    assert updated.organisation_id == steward.pk
    assert updated.changes == {
        "trade_name": ["", "Kashi Silks"],
        "contact.mobile": ["+919876543210", "+919876500000"],
    }


def test_update_with_nothing_changed_writes_nothing(ref: ReferenceIndex, actor: Any, steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    stamp = Enterprise.objects.get().updated_at
    same = cleaned(ref)
    with CaptureQueriesContext(connection) as queries:
        enterprise_update(actor=actor, enterprise=enterprise, cleaned=same)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert len(events(enterprise)) == 1
    assert Enterprise.objects.get().updated_at == stamp


def test_unchanged_form_saved_on_a_later_day_writes_nothing(ref: ReferenceIndex, actor: Any,
                                                            steward: Organisation) -> None:
    """Regression: size_as_of moved to the day of every save, so an unchanged form was audited."""
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned(ref, today=date(2025, 6, 2)))
    assert len(events(enterprise)) == 1


def test_same_figures_under_new_limits_is_a_change_of_size(ref: ReferenceIndex, actor: Any,
                                                           steward: Organisation) -> None:
    figures = {"investment": "2,00,00,000", "turnover": "8,00,00,000"}
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=cleaned(ref, today=date(2025, 3, 31), **figures))
    assert enterprise.size_class == "small"
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned(ref, today=date(2025, 4, 1), **figures))
    enterprise.refresh_from_db()
    assert enterprise.size_class == "micro" and enterprise.size_as_of == date(2025, 4, 1)
    assert events(enterprise)[-1].changes == {
        "size_class": ["small", "micro"], "size_as_of": ["2025-03-31", "2025-04-01"]}


def test_a_new_figures_date_for_the_same_figures_is_a_change(ref: ReferenceIndex, actor: Any,
                                                              steward: Organisation) -> None:
    figures = {"investment": "2,00,00,000", "turnover": "8,00,00,000"}
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=cleaned(ref, size_as_of="2025-03-31", **figures))
    assert (enterprise.size_class, enterprise.size_as_of) == ("small", date(2025, 3, 31))
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned(ref, size_as_of="2025-04-30", **figures))
    enterprise.refresh_from_db()
    assert events(enterprise)[-1].changes == {
        "size_class": ["small", "micro"], "size_as_of": ["2025-03-31", "2025-04-30"]}


def test_update_adds_a_contact_when_there_was_none(ref: ReferenceIndex, actor: Any, steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=cleaned(ref, contact_name="", mobile="", email=""))
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned(ref))
    assert enterprise.contacts.get().email == "sunita@example.in"
    assert events(enterprise)[-1].changes["contact.email"] == ["", "sunita@example.in"]


def test_update_keeping_its_own_identifiers_is_not_a_duplicate(ref: ReferenceIndex, actor: Any,
                                                               steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned(ref, name="Banarasi Silk Udyog (Unit 2)"))
    assert Enterprise.objects.get().name == "Banarasi Silk Udyog (Unit 2)"


def test_update_to_another_enterprises_gstin_is_refused(ref: ReferenceIndex, actor: Any,
                                                        steward: Organisation) -> None:
    first = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    second = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(
        ref, name="Second", udyam_number="", gstin=gstin("AAACB1234C", "09")))
    with pytest.raises(RegistryError) as error:
        enterprise_update(actor=actor, enterprise=second,
                          cleaned=cleaned(ref, name="Second", udyam_number="", gstin=first.gstin))
    assert error.value.field == "gstin"
    second.refresh_from_db()
    assert second.gstin == gstin("AAACB1234C", "09")
    assert len(events(second)) == 1


# --- several contacts, other licences ---------------------------------------------------------------


def with_contacts(ref: ReferenceIndex, *rows: dict[str, Any], licences: dict[str, str] | None = None,
                  **changes: Any) -> Any:
    """Values as the form and the API give them: the whole list of contacts, other licences."""
    result = cleaned(ref, contact_name="", mobile="", email="", **changes)
    clean_contacts(list(rows), result)
    if licences is not None:
        clean_other_licences(licences, result)
    assert result.ok, result.errors
    return result


SUNITA = {"name": "Sunita Yadav", "mobile": "9876543210", "email": "sunita@example.in"}
RAMESH = {"name": "Ramesh", "mobile": "9988776655"}


def contacts_of(enterprise: Enterprise) -> list[tuple[str, str, bool]]:
    return [(c.name, c.mobile, c.is_primary) for c in enterprise.contacts.all()]


def test_register_with_several_contacts_and_licences(ref: ReferenceIndex, actor: Any,
                                                     steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=with_contacts(
        ref, SUNITA, {**RAMESH, "is_primary": True}, licences={"bis": "cm/l 1234567", "huid": ""}))
    enterprise.refresh_from_db()
    assert contacts_of(enterprise) == [("Ramesh", "+919988776655", True),
                                       ("Sunita Yadav", "+919876543210", False)]
    assert enterprise.other_licences == {"bis": "CM/L 1234567"}
    assert "+919988776655" in enterprise.search_text and "+919876543210" in enterprise.search_text
    (event,) = events(enterprise)
    assert event.changes["contact.name"] == [None, "Ramesh"]
    assert event.changes["other_contacts"] == [None, "Sunita Yadav · +919876543210 · sunita@example.in"]
    assert event.changes["other_licences.bis"] == [None, "CM/L 1234567"]


def test_update_changes_adds_and_removes_contacts_in_one_audited_step(ref: ReferenceIndex, actor: Any,
                                                                      steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=with_contacts(ref, SUNITA, RAMESH, licences={"bis": "CM/L 1"}))
    sunita, ramesh = enterprise.contacts.all()
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=with_contacts(
        ref, {"id": sunita.pk, **SUNITA, "mobile": "9876500000", "is_primary": True},
        {"name": "Kavita", "email": "kavita@example.in"},
        licences={"bis": "CM/L 1", "apeda_rcmc": "RCMC/99"}))
    assert contacts_of(enterprise) == [("Sunita Yadav", "+919876500000", True), ("Kavita", "", False)]
    assert enterprise.contacts.get(is_primary=True).pk == sunita.pk  # the same contact, changed
    assert not Contact.objects.filter(pk=ramesh.pk).exists()
    enterprise.refresh_from_db()
    assert enterprise.other_licences == {"apeda_rcmc": "RCMC/99", "bis": "CM/L 1"}
    assert "+919876500000" in enterprise.search_text and "+919988776655" not in enterprise.search_text
    assert events(enterprise)[-1].changes == {
        "contact.mobile": ["+919876543210", "+919876500000"],
        "other_contacts": ["Ramesh · +919988776655", "Kavita · kavita@example.in"],
        "other_licences.apeda_rcmc": [None, "RCMC/99"],
    }


def test_update_with_the_same_contacts_and_licences_writes_nothing(ref: ReferenceIndex, actor: Any,
                                                                   steward: Organisation) -> None:
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=with_contacts(ref, SUNITA, RAMESH, licences={"bis": "CM/L 1"}))
    sunita, ramesh = enterprise.contacts.all()
    same = with_contacts(ref, {"id": ramesh.pk, **RAMESH}, {"id": sunita.pk, **SUNITA, "is_primary": True},
                         licences={"bis": "CM/L 1"})
    with CaptureQueriesContext(connection) as queries:
        enterprise_update(actor=actor, enterprise=enterprise, cleaned=same)
    assert not [q for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(events(enterprise)) == 1


def test_update_without_a_list_of_contacts_keeps_the_others_and_the_licences(
    ref: ReferenceIndex, actor: Any, steward: Organisation
) -> None:
    """The importer's columns (and older API callers) give only the main contact."""
    enterprise = enterprise_register(actor=actor, steward=steward,
                                     cleaned=with_contacts(ref, SUNITA, RAMESH, licences={"bis": "CM/L 1"}))
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned(ref, mobile="9876500000"))
    assert contacts_of(enterprise) == [("Sunita Yadav", "+919876500000", True), ("Ramesh", "+919988776655", False)]
    enterprise.refresh_from_db()
    assert enterprise.other_licences == {"bis": "CM/L 1"}
    assert events(enterprise)[-1].changes == {"contact.mobile": ["+919876543210", "+919876500000"]}


def test_update_refuses_a_contact_of_another_enterprise(ref: ReferenceIndex, actor: Any,
                                                        steward: Organisation) -> None:
    mine = enterprise_register(actor=actor, steward=steward, cleaned=with_contacts(ref, SUNITA))
    other = enterprise_register(actor=actor, steward=steward, cleaned=with_contacts(
        ref, RAMESH, name="Other", udyam_number="", gstin=""))
    theirs = other.contacts.get()
    with pytest.raises(RegistryError) as error:
        enterprise_update(actor=actor, enterprise=mine, cleaned=with_contacts(
            ref, {"id": theirs.pk, "name": "Taken over"}, trade_name="Changed"))
    assert error.value.field == "contacts"
    assert contacts_of(other) == [("Ramesh", "+919988776655", True)]
    mine.refresh_from_db()
    assert mine.trade_name == "" and contacts_of(mine) == [("Sunita Yadav", "+919876543210", True)]
    assert len(events(mine)) == 1


def test_referenced_steward_and_reference_rows_cannot_be_deleted(ref: ReferenceIndex, actor: Any,
                                                                  steward: Organisation) -> None:
    """No database constraint guards these keys (ADR 0006): Django's PROTECT still does."""
    enterprise = enterprise_register(actor=actor, steward=steward, cleaned=cleaned(ref))
    for referenced in (enterprise.steward, enterprise.sector, enterprise.district, enterprise.odop_product):
        assert referenced is not None
        with pytest.raises(ProtectedError) as refused:
            referenced.delete()
        assert enterprise in refused.value.protected_objects
    assert Enterprise.objects.filter(pk=enterprise.pk, district__isnull=False, sector__isnull=False).exists()
