"""API of the registry: enterprises, identifier checks, imports and duplicates.

Mounted by ``niryat.api.api`` at ``/api/v1``. The same selectors, validation and
services as the pages: an enterprise outside the caller's scope answers 404, and a
record that fails its checks answers 422 with one entry per field.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from niryat.accounts.permissions import MANAGE_REGISTRY, VIEW_REGISTRY, has_capability
from niryat.core.apitools import PageNumberPages, api_upload_limit, request_actor
from niryat.india import identifiers
from niryat.registry import duplicates, selectors, services
from niryat.registry.contacts import clean_contacts
from niryat.registry.enrolments import enrolment_add, enrolment_remove, enterprise_programmes
from niryat.registry.importing.pipeline import import_limit
from niryat.registry.importing.reading import FileRefused
from niryat.registry.importing.services import (
    import_batch_create,
    import_batch_start,
    too_large_message,
)
from niryat.registry.licences import LICENCE_KINDS, clean_other_licences
from niryat.registry.models import Contact, DuplicateCandidate, Enterprise, ImportBatch
from niryat.registry.selectors import steward_for
from niryat.registry.validation import Cleaned, ReferenceIndex, clean_enterprise

router = Router(tags=["registry"])


def allowed(request: HttpRequest, capability: str) -> Any:
    actor = request_actor(request)
    if not has_capability(actor, capability):
        raise Http404
    return actor


class ContactIn(Schema):
    """A person to contact; ``id`` names an existing contact to keep (on update), none for a new one."""

    id: int | None = None
    name: str = ""
    mobile: str = ""
    email: str = ""
    is_primary: bool = Field(False, description="The main contact (at most one; else the first).")


class EnterpriseIn(Schema):
    """An enterprise as typed: every value a string, checked by the registry's validation.

    ``contacts`` is the whole list of contact people (on update, those left out are removed);
    ``contact_name``, ``mobile`` and ``email`` give only the main contact and keep the others.
    ``other_licences`` maps a licence kind to its number (on update, it replaces the mapping).
    Left out (null) on update, each stays as it is.
    """

    name: str = Field(..., max_length=200)
    name_hi: str = ""
    trade_name: str = ""
    trade_name_hi: str = ""
    udyam_number: str = ""
    gstin: str = ""
    pan: str = ""
    iec: str = ""
    fssai: str = ""
    district_lgd_code: str = ""
    sector: str = ""
    address: str = ""
    pincode: str = ""
    contact_name: str = ""
    mobile: str = ""
    email: str = ""
    investment: str = Field("", description="Rupees, e.g. 2500000 or 25,00,000.")
    turnover: str = Field("", description="Rupees.")
    size_as_of: str = Field("", description="The date of the investment and turnover figures "
                                            "(YYYY-MM-DD or DD/MM/YYYY); today if left out. The size "
                                            "class follows the limits in force on that date.")
    year_started: str = ""
    export_experience: str = "none"
    export_markets: str = Field("", description="Two-letter country codes, comma-separated.")
    contacts: list[ContactIn] | None = None
    other_licences: dict[str, str] | None = Field(
        None, description="Licence kind → number; kinds: " + ", ".join(LICENCE_KINDS) + ".")


class ContactOut(Schema):
    id: int
    name: str
    mobile: str
    email: str
    is_primary: bool


class EnterpriseOut(Schema):
    id: int
    name: str
    name_hi: str
    trade_name: str
    trade_name_hi: str
    udyam_number: str | None
    gstin: str | None
    pan: str
    iec: str
    fssai: str
    district_lgd_code: int | None = Field(None, alias="district_id")
    sector: str | None = Field(None, alias="sector_id")
    odop_product_id: int | None
    size_class: str
    size_as_of: date | None
    investment_paise: int | None
    turnover_paise: int | None
    pincode: str
    address: str
    year_started: int | None
    export_experience: str
    export_markets: list[str]
    other_licences: dict[str, str]
    steward: str
    merged_into: int | None = Field(None, alias="merged_into_id")
    updated_at: datetime

    @staticmethod
    def resolve_steward(obj: Enterprise) -> str:
        return obj.steward.slug


class EnterpriseDetailOut(EnterpriseOut):
    contacts: list[ContactOut]
    programmes: list[str] = Field(..., description="Slugs of the programmes it is enrolled in.")
    merged: list[int] = Field(..., description="Ids of the duplicates merged into it (those the caller may see).")

    @staticmethod
    def resolve_contacts(obj: Enterprise) -> list[Contact]:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_merged(obj: Enterprise, context: dict[str, Any]) -> list[int]:
        actor = request_actor(context["request"])
        return list(selectors.enterprise_merged_list(actor=actor, enterprise=obj).values_list("pk", flat=True))

    @staticmethod
    def resolve_programmes(obj: Enterprise) -> list[str]:
        return [p.slug for p in enterprise_programmes(obj)]


class EnrolmentIn(Schema):
    programme: str = Field(..., description="Slug of a programme the enterprise's steward runs or takes part in.")


class Warning(Schema):
    field: str
    message: str


class EnterpriseSaved(Schema):
    enterprise: EnterpriseDetailOut
    warnings: list[Warning]


class EnterpriseFilterIn(Schema):
    q: str = Field("", description=(
        "Words of a name, each the start of a word of one of the enterprise's names, in either "
        "script and any order (\"ganesh handi\"); or an identifier or mobile number, whole or a part."))
    district: int | None = None
    sector: str = ""
    size: str = ""
    steward: str = ""
    programme: str = ""


class HistoryOut(Schema):
    at: datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    changes: dict[str, Any]


class IdentifierIn(Schema):
    kind: str
    value: str


class IdentifierOut(Schema):
    kind: str
    value: str
    valid: bool
    errors: list[str]
    warnings: list[str]
    info: dict[str, str]


def checked_or_422(payload: EnterpriseIn) -> Cleaned:
    cleaned = clean_enterprise(payload.dict(exclude={"contacts", "other_licences"}), ReferenceIndex.load())
    if payload.contacts is not None:
        for name in ("contact_name", "mobile", "email"):
            if getattr(payload, name).strip():
                cleaned.add(name, "contacts_twice",
                            _("Give the contact people either in contacts or in contact_name, mobile and "
                              "email, not in both."))
        clean_contacts([contact.dict() for contact in payload.contacts], cleaned)
    if payload.other_licences is not None:
        clean_other_licences(payload.other_licences, cleaned)
    if cleaned.errors:
        fields: dict[str, list[str]] = {}
        for problem in cleaned.errors:
            fields.setdefault(problem.field, []).append(problem.message)
        raise ValidationError(fields)
    return cleaned


def saved(enterprise: Enterprise, cleaned: Cleaned) -> dict[str, Any]:
    return {"enterprise": enterprise,
            "warnings": [{"field": w.field, "message": w.message} for w in cleaned.warnings]}


T = TypeVar("T")


def save_or_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except services.RegistryError as error:
        raise ValidationError({error.field or "request": [str(error)]}) from None


@router.get("/enterprises", response=list[EnterpriseOut])
@paginate(PageNumberPages)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilterIn]) -> QuerySet[Enterprise]:
    actor = allowed(request, VIEW_REGISTRY)
    return selectors.enterprise_list(actor=actor, filters=selectors.EnterpriseFilter(**filters.dict()))


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseDetailOut)
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return selectors.enterprise_get(actor=allowed(request, VIEW_REGISTRY), enterprise_id=enterprise_id)


@router.post("/enterprises", response={201: EnterpriseSaved})
def enterprise_create(request: HttpRequest, payload: EnterpriseIn) -> Status[Any]:
    actor = allowed(request, MANAGE_REGISTRY)
    cleaned = checked_or_422(payload)
    enterprise = save_or_422(lambda: services.enterprise_register(
        actor=actor, steward=steward_for(actor), cleaned=cleaned))
    return Status(201, saved(enterprise, cleaned))


@router.put("/enterprises/{int:enterprise_id}", response=EnterpriseSaved)
def enterprise_update(request: HttpRequest, enterprise_id: int, payload: EnterpriseIn) -> dict[str, Any]:
    actor = allowed(request, MANAGE_REGISTRY)
    enterprise = selectors.enterprise_get(actor=actor, enterprise_id=enterprise_id)
    cleaned = checked_or_422(payload)
    save_or_422(lambda: services.enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned))
    enterprise.refresh_from_db()
    return saved(enterprise, cleaned)


@router.post("/enterprises/{int:enterprise_id}/programmes", response=EnterpriseDetailOut)
def enterprise_enrol(request: HttpRequest, enterprise_id: int, payload: EnrolmentIn) -> Enterprise:
    """Enrol the enterprise in a programme (enrolling it again changes nothing)."""
    actor = allowed(request, MANAGE_REGISTRY)
    enterprise = selectors.enterprise_get(actor=actor, enterprise_id=enterprise_id)
    save_or_422(lambda: enrolment_add(actor=actor, enterprise=enterprise, programme_slug=payload.programme))
    return enterprise


@router.delete("/enterprises/{int:enterprise_id}/programmes/{slug}", response={204: None})
def enterprise_unenrol(request: HttpRequest, enterprise_id: int, slug: str) -> Status[None]:
    """Take the enterprise out of a programme; 404 if it was not enrolled in it."""
    actor = allowed(request, MANAGE_REGISTRY)
    enterprise = selectors.enterprise_get(actor=actor, enterprise_id=enterprise_id)
    if not enrolment_remove(actor=actor, enterprise=enterprise, programme_slug=slug):
        raise Http404
    return Status(204, None)


@router.get("/enterprises/{int:enterprise_id}/history", response=list[HistoryOut])
@paginate(PageNumberPages)
def enterprise_history(request: HttpRequest, enterprise_id: int) -> Any:
    enterprise = selectors.enterprise_get(actor=allowed(request, VIEW_REGISTRY), enterprise_id=enterprise_id)
    return selectors.enterprise_history(enterprise=enterprise)


@router.post("/identifiers/check", response=IdentifierOut)
def identifier_check(request: HttpRequest, payload: IdentifierIn) -> dict[str, Any]:
    """Check one GSTIN, PAN, IEC, Udyam or FSSAI number, as ``niryat validate-id`` does."""
    result = identifiers.check(payload.kind, payload.value)
    return {"kind": payload.kind, "value": result.value, "valid": result.valid,
            "errors": [f.message for f in result.errors],
            "warnings": [f.message for f in result.warnings], "info": result.info}


class ImportOut(Schema):
    id: int
    original_name: str
    status: str
    rows_read: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    unknown_columns: list[str]
    message: str = Field(description="Why the run failed, in the caller's language (Accept-Language).")
    job_id: str | None = None

    @staticmethod
    def resolve_message(obj: ImportBatch) -> str:
        return obj.shown_message()


def batch_get(actor: Any, batch_id: int) -> ImportBatch:
    return selectors.import_batch_get(actor=actor, batch_id=batch_id)


@router.post("/enterprises/imports", response={202: ImportOut})
@decorate_view(api_upload_limit(import_limit, too_large_message))
def import_create(request: HttpRequest, file: File[UploadedFile], programme: Form[str] = "") -> Status[Any]:
    """Upload a CSV or XLSX file; its dry run starts at once (follow ``job_id`` at /jobs).

    With ``programme`` (a programme slug) the import enrols every enterprise of the file in it.

    A file over the import limit (NIRYAT_IMPORT_MAX_MB) is refused with 422 on ``file`` as soon
    as it passes the limit, before any of it is kept."""
    actor = allowed(request, MANAGE_REGISTRY)
    try:
        batch = import_batch_create(actor=actor, steward=steward_for(actor), source=file,
                                    original_name=file.name or "upload", programme_slug=programme)
    except FileRefused as error:
        raise ValidationError({"file": [str(error)]}) from None
    except services.RegistryError as error:
        raise ValidationError({"programme": [str(error)]}) from None
    job = import_batch_start(actor=actor, batch=batch, dry_run=True)
    batch.refresh_from_db()
    batch.job_id = str(job.id)  # type: ignore[attr-defined]  # read by ImportOut
    return Status(202, batch)


@router.get("/enterprises/imports/{batch_id}", response=ImportOut)
def import_detail(request: HttpRequest, batch_id: int) -> ImportBatch:
    return batch_get(allowed(request, MANAGE_REGISTRY), batch_id)


@router.post("/enterprises/imports/{batch_id}/commit", response={202: ImportOut})
def import_commit(request: HttpRequest, batch_id: int) -> Status[Any]:
    """Import the checked file (idempotent: an imported file is not imported again)."""
    actor = allowed(request, MANAGE_REGISTRY)
    batch = batch_get(actor, batch_id)
    job_id = None
    if batch.status != ImportBatch.Status.DONE:
        job_id = str(import_batch_start(actor=actor, batch=batch, dry_run=False).id)
    batch.refresh_from_db()
    batch.job_id = job_id  # type: ignore[attr-defined]  # read by ImportOut
    return Status(202, batch)


class DuplicateOut(Schema):
    id: int
    first: int = Field(..., alias="first_id")
    second: int = Field(..., alias="second_id")
    score: int
    reasons: list[str]
    status: str


class DecisionIn(Schema):
    decision: str = Field(..., description="keep_first, keep_second or apart")


@router.get("/enterprises/duplicates", response=list[DuplicateOut])
@paginate(PageNumberPages)
def duplicate_list(request: HttpRequest) -> QuerySet[DuplicateCandidate]:
    return selectors.duplicate_list(actor=allowed(request, MANAGE_REGISTRY))


@router.post("/enterprises/duplicates/{candidate_id}/decide", response=DuplicateOut)
def duplicate_decide(request: HttpRequest, candidate_id: int, payload: DecisionIn) -> DuplicateCandidate:
    actor = allowed(request, MANAGE_REGISTRY)
    candidate = selectors.duplicate_get(actor=actor, candidate_id=candidate_id)
    if payload.decision == "apart":
        return duplicates.duplicate_keep_apart(actor=actor, candidate=candidate)
    if payload.decision not in {"keep_first", "keep_second"}:
        raise ValidationError({"decision": ["Use keep_first, keep_second or apart."]})
    keep, merge = candidate.first, candidate.second
    if payload.decision == "keep_second":
        keep, merge = merge, keep
    save_or_422(lambda: duplicates.enterprise_merge(actor=actor, keep=keep, merge=merge))
    candidate.refresh_from_db()
    return candidate
