"""Duplicate enterprises: found across spellings and scripts, merged with both histories, kept apart."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.api.tests.helpers import token_client
from niryat.audit.models import AuditEvent
from niryat.core.models import Job
from niryat.programmes.tests.factories import ProgrammeFactory, take_part
from niryat.registry import duplicates, selectors
from niryat.registry.duplicates import duplicate_keep_apart, duplicates_find, enterprise_merge
from niryat.registry.enrolments import enrolment_add
from niryat.registry.importing.pipeline import run_import
from niryat.registry.importing.services import import_batch_create
from niryat.registry.models import Contact, DuplicateCandidate, Enrolment, Enterprise
from niryat.registry.services import RegistryError, enterprise_update
from niryat.registry.tests.helpers import AHMEDABAD, VARANASI, gstin, register
from niryat.registry.validation import ReferenceIndex, clean_enterprise

pytestmark = pytest.mark.django_db
K = OrganisationKind
LIST = reverse("registry:duplicate-list")
MOBILE = "9876543210"


@pytest.fixture
def ganesh(actor: Any, steward: Organisation) -> tuple[Enterprise, Enterprise]:
    """The same business twice: English with legal words, and the long form with a Hindi name."""
    first = register(actor, steward, name="M/s Shree Ganesh Handicrafts Pvt Ltd",
                     district_lgd_code=str(VARANASI), mobile=MOBILE, contact_name="Ramesh")
    second = register(actor, steward, name="Shri Ganesh Handicrafts Private Limited",
                      name_hi="श्री गणेश हैंडीक्राफ्ट्स", district_lgd_code=str(VARANASI), mobile=MOBILE,
                      udyam_number="UDYAM-UP-65-0000042", gstin=gstin("ABCPE1234F", "09"),
                      pincode="221001", address="Chowk, Varanasi", email="ganesh@example.in",
                      contact_name="Ramesh Gupta")
    return first, second


def pairs() -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.filter(status="open").values_list("first_id", "second_id"))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- finding ----------------------------------------------------------------------------------


def test_spellings_and_legal_words_meet(ganesh: tuple[Enterprise, Enterprise]) -> None:
    first, second = ganesh
    assert duplicates_find() == 1
    (candidate,) = DuplicateCandidate.objects.all()
    assert (candidate.first_id, candidate.second_id) == (first.pk, second.pk)
    assert candidate.status == "open" and candidate.score >= 90
    assert set(candidate.reasons) == {"same_mobile", "same_district", "similar_name"}


def test_a_hindi_only_name_meets_its_english_twin(actor: Any, steward: Organisation,
                                                  ganesh: tuple[Enterprise, Enterprise]) -> None:
    first, second = ganesh
    hindi = register(actor, steward, name="श्री गणेश हैंडीक्राफ्ट्स", district_lgd_code=str(VARANASI), mobile=MOBILE)
    duplicates_find()
    assert pairs() == {(first.pk, second.pk), (first.pk, hindi.pk), (second.pk, hindi.pk)}


def test_other_district_and_other_mobile_are_not_candidates(actor: Any, steward: Organisation,
                                                            ganesh: tuple[Enterprise, Enterprise]) -> None:
    first, second = ganesh
    register(actor, steward, name="Shree Ganesh Handicrafts", district_lgd_code=str(AHMEDABAD),
             mobile="9123456789")
    register(actor, steward, name="Laxmi Brass Works", district_lgd_code=str(VARANASI), mobile="9123456780")
    # the same mobile and district but another business name (a consultant's number, say)
    register(actor, steward, name="Kashi Leather Goods", district_lgd_code=str(VARANASI), mobile=MOBILE)
    duplicates_find()
    assert pairs() == {(first.pk, second.pk)}


def test_names_with_other_numbers_are_other_businesses(actor: Any, steward: Organisation) -> None:
    """Units 1 and 2 of a firm, in one district: alike in every word but the number, not duplicates."""
    units = [register(actor, steward, name=f"Kashi Silk Weavers Unit {n}", district_lgd_code=str(VARANASI))
             for n in (1, 2)]
    same = register(actor, steward, name="Kashi Silk Weavers Unit 1 Pvt Ltd", district_lgd_code=str(VARANASI))
    without = register(actor, steward, name="Kashi Silk Weavers", district_lgd_code=str(VARANASI))
    duplicates_find()
    assert (units[0].pk, units[1].pk) not in pairs()
    assert (units[0].pk, same.pk) in pairs()  # the same number, and legal words dropped
    assert (units[0].pk, without.pk) in pairs()  # a number on one side only: the rest decides


def test_only_small_blocks_are_read_and_compared(actor: Any, steward: Organisation,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The database counts the blocks; a block over MAX_BLOCK (a common first word) is left out."""
    monkeypatch.setattr(duplicates, "MAX_BLOCK", 2)
    pair = [register(actor, steward, name=name, district_lgd_code=str(AHMEDABAD))
            for name in ("Laxmi Brass Works", "Laxmi Brass Works Pvt Ltd")]
    crowd = [register(actor, steward, name=f"Kashi Silk Weavers {n}", district_lgd_code=str(VARANASI))
             for n in ("One", "Two", "Three")]
    alone = register(actor, steward, name="Ganga", district_lgd_code=str(VARANASI))  # a one-word name key
    twin = register(actor, steward, name="Ganga", district_lgd_code=str(AHMEDABAD))
    blocks = duplicates._small_blocks(Enterprise.objects.filter(merged_into__isnull=True))
    assert {key: sorted(members) for key, members in blocks.items()} == {
        ("n", AHMEDABAD, pair[0].name_key.split()[0]): [pair[0].pk, pair[1].pk]}
    assert not {e.pk for e in (*crowd, alone, twin)} & {pk for members in blocks.values() for pk in members}
    duplicates_find()
    assert pairs() == {(pair[0].pk, pair[1].pk)}


def test_under_a_common_first_word_the_first_two_words_make_the_block(
        actor: Any, steward: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Ganesh" is too common in the district to compare all its names; "Ganesh Handicrafts" is not."""
    monkeypatch.setattr(duplicates, "MAX_BLOCK", 2)
    twins = [register(actor, steward, name=name, district_lgd_code=str(VARANASI))
             for name in ("Ganesh Handicrafts", "Shree Ganesh Handicrafts Pvt Ltd")]
    others = [register(actor, steward, name=name, district_lgd_code=str(VARANASI))
              for name in ("Ganesh Brass Works", "Ganesh Silk House", "Ganesh")]
    blocks = duplicates._small_blocks(Enterprise.objects.filter(merged_into__isnull=True))
    two_words = " ".join(twins[0].name_key.split()[:2])
    assert {key: sorted(members) for key, members in blocks.items()} == {
        ("n2", VARANASI, two_words): [twins[0].pk, twins[1].pk]}
    duplicates_find()
    assert pairs() == {(twins[0].pk, twins[1].pk)}
    assert not {e.pk for e in others} & {pk for pair in pairs() for pk in pair}


def test_finding_again_keeps_one_row_per_pair(ganesh: tuple[Enterprise, Enterprise]) -> None:
    duplicates_find()
    duplicates_find()
    assert DuplicateCandidate.objects.count() == 1


def test_a_partial_refresh_keeps_the_other_candidates(actor: Any, steward: Organisation,
                                                      ganesh: tuple[Enterprise, Enterprise]) -> None:
    first, second = ganesh
    third = register(actor, steward, name="Laxmi Brass Works", district_lgd_code=str(AHMEDABAD), mobile="9123456789")
    fourth = register(actor, steward, name="Lakshmi Brass Works Pvt Ltd", district_lgd_code=str(AHMEDABAD),
                      mobile="9123456789")
    duplicates_find()
    assert pairs() == {(first.pk, second.pk), (third.pk, fourth.pk)}
    duplicates_find([third.pk])
    assert pairs() == {(first.pk, second.pk), (third.pk, fourth.pk)}


# --- merging ----------------------------------------------------------------------------------


def test_merge_keeps_both_histories_moves_contacts_and_fills_blanks(
        actor: Any, ganesh: tuple[Enterprise, Enterprise]) -> None:
    keep, merge = ganesh
    duplicates_find()
    udyam, gst = merge.udyam_number, merge.gstin
    kept = enterprise_merge(actor=actor, keep=keep, merge=merge)
    keep.refresh_from_db()
    merge.refresh_from_db()
    assert kept == keep
    # the blanks are filled, the identifiers move without breaking uniqueness
    assert (keep.udyam_number, keep.gstin, keep.pincode, keep.name_hi) == (udyam, gst, "221001",
                                                                            "श्री गणेश हैंडीक्राफ्ट्स")
    assert keep.name == "M/s Shree Ganesh Handicrafts Pvt Ltd"  # what was there stays
    assert (merge.udyam_number, merge.gstin, merge.merged_into_id) == (None, None, keep.pk)
    # contacts move, the kept one's stays primary
    contacts = list(Contact.objects.filter(enterprise=keep).order_by("id").values_list("name", "is_primary"))
    assert contacts == [("Ramesh", True), ("Ramesh Gupta", False)]
    assert not Contact.objects.filter(enterprise=merge).exists()
    # found by the merged one's identifiers, gone from the list
    assert list(selectors.enterprise_list(actor=actor)) == [keep]
    assert list(selectors.enterprise_list(actor=actor, filters=selectors.EnterpriseFilter(q=udyam))) == [keep]
    assert list(selectors.enterprise_list(actor=actor, filters=selectors.EnterpriseFilter(q="गणेश"))) == [keep]
    assert {"ganes", "handicrafts"} <= set(keep.search_words.split())
    assert selectors.enterprise_get(actor=actor, enterprise_id=merge.pk) == merge  # still reachable
    # both histories, oldest first
    history = [(e.target_id, e.action) for e in selectors.enterprise_history(enterprise=keep)]
    assert history == [
        (str(keep.pk), "registry.enterprise.registered"),
        (str(merge.pk), "registry.enterprise.registered"),
        (str(keep.pk), "registry.enterprise.merged"),
        (str(merge.pk), "registry.enterprise.merged_into"),
    ]
    merged_event = AuditEvent.objects.get(action="registry.enterprise.merged")
    assert merged_event.actor == actor and merged_event.changes["merged"] == [None, merge.pk]
    assert merged_event.changes["udyam_number"] == [None, udyam]
    into = AuditEvent.objects.get(action="registry.enterprise.merged_into")
    assert into.changes["udyam_number"] == [udyam, None] and into.changes["gstin"] == [gst, None]
    assert DuplicateCandidate.objects.get().status == "merged"
    assert DuplicateCandidate.objects.get().decided_at is not None


def test_merge_drops_a_contact_the_kept_enterprise_already_has(actor: Any, steward: Organisation) -> None:
    keep = register(actor, steward, name="Kashi Silk Weavers", district_lgd_code=str(VARANASI), mobile=MOBILE)
    merge = register(actor, steward, name="Kashi Silk Weaver", district_lgd_code=str(VARANASI), mobile=MOBILE,
                     contact_name="Sita Devi")
    Contact.objects.create(enterprise=merge, name="", mobile="+919876500099", email="", is_primary=False)
    enterprise_merge(actor=actor, keep=keep, merge=merge)
    contacts = Contact.objects.filter(enterprise=keep).order_by("id").values_list("name", "mobile", "is_primary")
    # the repeated mobile is kept once, named from the duplicate; the other contact moves
    assert list(contacts) == [("Sita Devi", "+919876543210", True), ("", "+919876500099", False)]
    assert not Contact.objects.filter(enterprise=merge).exists()
    event = AuditEvent.objects.get(action="registry.enterprise.merged")
    assert event.changes["contacts_repeated"] == [None, ["+919876543210"]]


def test_merge_when_both_have_identifiers(actor: Any, steward: Organisation) -> None:
    keep = register(actor, steward, name="Ganesh Handicrafts", udyam_number="UDYAM-UP-65-0000001",
                    district_lgd_code=str(VARANASI))
    merge = register(actor, steward, name="Ganesh Handicraft", udyam_number="UDYAM-UP-65-0000002",
                     district_lgd_code=str(VARANASI))
    enterprise_merge(actor=actor, keep=keep, merge=merge)
    keep.refresh_from_db()
    assert keep.udyam_number == "UDYAM-UP-65-0000001"
    merged = Enterprise.objects.get(pk=merge.pk)
    # The merged row keeps its own number as an alias that leads imports to the kept one.
    assert merged.udyam_number == "UDYAM-UP-65-0000002" and merged.merged_into_id == keep.pk


def test_reimporting_after_a_merge_does_not_bring_the_duplicate_back(
        actor: Any, steward: Organisation, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    keep = register(actor, steward, name="Ganesh Handicrafts", udyam_number="UDYAM-UP-65-0000001",
                    district_lgd_code=str(VARANASI))
    merge = register(actor, steward, name="Ganesh Handicraft", udyam_number="UDYAM-UP-65-0000002",
                     district_lgd_code=str(VARANASI))
    enterprise_merge(actor=actor, keep=keep, merge=merge)
    data = b"udyam_number,name,district_lgd_code\nUDYAM-UP-65-0000002,Ganesh Handicraft,187\n"
    batch = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(data), original_name="again.csv")
    batch = run_import(batch.pk, dry_run=False, actor=actor)
    assert batch.new == 0
    assert selectors.enterprise_list(actor=actor).count() == 1


def test_a_merged_duplicates_number_still_finds_the_kept_one_after_edits_and_imports(
        actor: Any, steward: Organisation, ref: ReferenceIndex) -> None:
    keep = register(actor, steward, name="Ganesh Handicrafts", udyam_number="UDYAM-UP-65-0000001",
                    district_lgd_code=str(VARANASI))
    first = register(actor, steward, name="Ganesh Handicraft", udyam_number="UDYAM-UP-65-0000002")
    second = register(actor, steward, name="Ganesh Hastshilp", udyam_number="UDYAM-UP-65-0000003")
    enterprise_merge(actor=actor, keep=keep, merge=first)
    enterprise_merge(actor=actor, keep=keep, merge=second)  # the first merge's alias stays too

    def found(q: str) -> list[int]:
        return [e.pk for e in selectors.enterprise_list(actor=actor, filters=selectors.EnterpriseFilter(q=q))]
    assert found("UDYAM-UP-65-0000002") == found("UDYAM-UP-65-0000003") == found("hastshilp") == [keep.pk]
    keep.refresh_from_db()
    cleaned = clean_enterprise({"name": "Ganesh Handicrafts Pvt Ltd", "udyam_number": "UDYAM-UP-65-0000001",
                                "district_lgd_code": str(VARANASI)}, ref)
    enterprise_update(actor=actor, enterprise=keep, cleaned=cleaned)
    assert found("UDYAM-UP-65-0000002") == found("UDYAM-UP-65-0000003") == [keep.pk]
    data = b"udyam_number,name,district_lgd_code,pincode\nUDYAM-UP-65-0000001,Ganesh Handicrafts,187,221001\n"
    batch = import_batch_create(actor=actor, steward=steward, source=io.BytesIO(data), original_name="pin.csv")
    assert run_import(batch.pk, dry_run=False, actor=actor).updated == 1
    assert found("UDYAM-UP-65-0000002") == found("UDYAM-UP-65-0000003") == [keep.pk]


def test_merge_keeps_the_programmes_of_both(actor: Any, steward: Organisation,
                                           ganesh: tuple[Enterprise, Enterprise]) -> None:
    keep, merge = ganesh
    for slug in ("up-odop", "gujarat-amazon"):
        take_part(ProgrammeFactory(slug=slug), steward)
    enrolment_add(actor=actor, enterprise=keep, programme_slug="up-odop")
    enrolment_add(actor=actor, enterprise=merge, programme_slug="up-odop")
    enrolment_add(actor=actor, enterprise=merge, programme_slug="gujarat-amazon")
    enterprise_merge(actor=actor, keep=keep, merge=merge)
    assert set(Enrolment.objects.filter(enterprise=keep).values_list("programme__slug", flat=True)) == {
        "up-odop", "gujarat-amazon"}
    merged = AuditEvent.objects.get(action="registry.enterprise.merged")
    assert merged.changes["programmes"] == [None, ["gujarat-amazon"]]


def test_merge_refuses_what_cannot_be_merged(actor: Any, ganesh: tuple[Enterprise, Enterprise]) -> None:
    keep, merge = ganesh
    with pytest.raises(RegistryError):
        enterprise_merge(actor=actor, keep=keep, merge=keep)
    enterprise_merge(actor=actor, keep=keep, merge=merge)
    merge.refresh_from_db()
    events = AuditEvent.objects.count()
    with pytest.raises(RegistryError, match="already merged"):
        enterprise_merge(actor=actor, keep=keep, merge=merge)
    with pytest.raises(RegistryError):
        enterprise_merge(actor=actor, keep=merge, merge=keep)
    assert AuditEvent.objects.count() == events


def test_merged_enterprises_are_not_proposed_again(actor: Any, ganesh: tuple[Enterprise, Enterprise]) -> None:
    duplicates_find()
    enterprise_merge(actor=actor, keep=ganesh[0], merge=ganesh[1])
    duplicates_find()
    assert pairs() == set()


# --- keeping apart ----------------------------------------------------------------------------


def test_kept_apart_is_not_proposed_again(actor: Any, ganesh: tuple[Enterprise, Enterprise]) -> None:
    duplicates_find()
    candidate = DuplicateCandidate.objects.get()
    duplicate_keep_apart(actor=actor, candidate=candidate)
    duplicates_find()
    assert pairs() == set()
    candidate.refresh_from_db()
    assert candidate.status == "apart" and candidate.decided_at is not None
    assert list(selectors.duplicate_list(actor=actor)) == []
    event = AuditEvent.objects.get(action="registry.duplicate.kept_apart")
    assert event.actor == actor and event.target_id == str(ganesh[0].pk)
    assert event.changes == {"other": [None, ganesh[1].pk]}
    assert Enterprise.objects.filter(merged_into__isnull=True).count() == 2


def test_the_count_leaves_out_decided_pairs(actor: Any, ganesh: tuple[Enterprise, Enterprise]) -> None:
    duplicates_find()
    duplicate_keep_apart(actor=actor, candidate=DuplicateCandidate.objects.get())
    assert duplicates_find() == 0


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def candidate(ganesh: tuple[Enterprise, Enterprise]) -> DuplicateCandidate:
    duplicates_find()
    return DuplicateCandidate.objects.get()


def detail(candidate: DuplicateCandidate) -> str:
    return reverse("registry:duplicate-detail", args=[candidate.pk])


def decide(candidate: DuplicateCandidate) -> str:
    return reverse("registry:duplicate-decide", args=[candidate.pk])


def test_the_list_and_the_comparison(actor: Any, candidate: DuplicateCandidate) -> None:
    client = client_for(actor)
    html = client.get(LIST).content.decode()
    assert "M/s Shree Ganesh Handicrafts Pvt Ltd" in html and detail(candidate) in html
    assert f"{candidate.score}%" in html
    page = client.get(detail(candidate))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Shri Ganesh Handicrafts Private Limited" in html and "UDYAM-UP-65-0000042" in html
    assert decide(candidate) in html and 'value="apart"' in html


def test_looking_again_from_the_page_runs_in_the_background(
        actor: Any, ganesh: tuple[Enterprise, Enterprise], django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, follow=True)
    assert response.status_code == 200
    assert "Looking for duplicates; the list below fills in when the search is done." in response.content.decode()
    assert DuplicateCandidate.objects.count() == 1
    job = Job.objects.get(kind="registry.duplicates")
    assert job.status == Job.Status.SUCCEEDED and job.message == "Possible duplicates found: 1"
    page = client.get(LIST)
    assert "Last searched" in page.content.decode() and not page.context["running"]


def test_a_search_waiting_or_running_is_not_started_twice(actor: Any) -> None:
    first = duplicates.duplicates_search_start(actor=actor)
    assert duplicates.duplicates_search_start(actor=actor) == first
    page = client_for(actor).get(LIST, headers={"HX-Request": "true"})
    assert page.context["running"] and 'hx-trigger="every 2s"' in page.content.decode()
    assert "<html" not in page.content.decode()  # htmx gets only the results


@pytest.mark.parametrize("decision", ["keep_first", "keep_second"])
def test_merge_from_the_page(actor: Any, candidate: DuplicateCandidate, decision: str) -> None:
    keep, merge = candidate.first, candidate.second
    if decision == "keep_second":
        keep, merge = merge, keep
    response = client_for(actor).post(decide(candidate), {"decision": decision})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:enterprise-detail", args=[keep.pk])
    merge.refresh_from_db()
    assert merge.merged_into_id == keep.pk
    candidate.refresh_from_db()
    assert candidate.status == "merged"
    page = client_for(actor).get(response["Location"])
    actions = [e.action for e in page.context["history"]]
    assert actions.count("registry.enterprise.registered") == 2 and "registry.enterprise.merged" in actions
    # the kept enterprise names the duplicate merged into it, with a link, on the page and in the API
    assert list(page.context["merged"]) == [merge]
    assert reverse("registry:enterprise-detail", args=[merge.pk]) in page.content.decode()
    assert token_client(actor).get(f"/api/v1/enterprises/{keep.pk}").json()["merged"] == [merge.pk]
    assert token_client(actor).get(f"/api/v1/enterprises/{merge.pk}").json()["merged"] == []


def test_keep_apart_from_the_page(actor: Any, candidate: DuplicateCandidate) -> None:
    client = client_for(actor)
    response = client.post(decide(candidate), {"decision": "apart"})
    assert response.status_code == 302 and response["Location"] == LIST
    candidate.refresh_from_db()
    assert candidate.status == "apart"
    assert "No possible duplicates to decide." in client.get(LIST).content.decode()
    assert client.get(detail(candidate)).status_code == 404  # decided: no longer a candidate to open


def test_an_unknown_decision_changes_nothing(actor: Any, candidate: DuplicateCandidate) -> None:
    response = client_for(actor).post(decide(candidate), {"decision": "both"})
    assert response.status_code == 302 and response["Location"] == detail(candidate)
    candidate.refresh_from_db()
    assert candidate.status == "open" and not Enterprise.objects.filter(merged_into__isnull=False).exists()
    assert client_for(actor).get(decide(candidate)).status_code == 405


def test_another_facilitator_cannot_see_the_candidate(candidate: DuplicateCandidate) -> None:
    other = client_for(member(kind=K.FACILITATOR))
    assert other.get(detail(candidate)).status_code == 404
    assert other.post(decide(candidate), {"decision": "keep_first"}).status_code == 404
    assert other.post(decide(candidate), {"decision": "apart"}).status_code == 404
    assert "Ganesh" not in other.get(LIST).content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_a_trainer_gets_404(candidate: DuplicateCandidate) -> None:
    client = client_for(member(kind=K.TRAINER))
    assert client.get(LIST).status_code == 404
    assert client.post(LIST).status_code == 404
    assert client.get(detail(candidate)).status_code == 404


def test_the_migration_recomputes_name_keys_that_folded_doubled_digits(actor: Any, steward: Organisation) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("niryat.registry.migrations.0006_name_keys_keep_numbers")
    eleven = register(actor, steward, name="Kashi Weavers Unit 11", district_lgd_code=str(VARANASI))
    plain = register(actor, steward, name="Laxmi Brass Works", district_lgd_code=str(VARANASI))
    Enterprise.objects.filter(pk=eleven.pk).update(name_key="kasi veavers unit 1")  # as the old rule made it
    migration.recompute(apps, None)
    assert Enterprise.objects.get(pk=eleven.pk).name_key == "kasi veavers unit 11"
    assert Enterprise.objects.get(pk=plain.pk).name_key == plain.name_key
