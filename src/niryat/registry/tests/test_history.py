"""An enterprise's history on its page: what happened in words, labelled values, in Hindi too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from niryat.accounts.models import Organisation
from niryat.registry.duplicates import enterprise_merge
from niryat.registry.history import history_entries
from niryat.registry.selectors import enterprise_history
from niryat.registry.services import enterprise_update
from niryat.registry.tests.helpers import TODAY, VARANASI, register
from niryat.registry.validation import ReferenceIndex, clean_enterprise

pytestmark = pytest.mark.django_db


def page_of(actor: Any, enterprise: Any, language: str = "en") -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(actor)
    return client.get(reverse("registry:enterprise-detail", args=[enterprise.pk])).content.decode()


def changes_of(entry: Any) -> dict[str, tuple[str, str]]:
    return {c.label: (c.before, c.after) for c in entry.changes}


def test_registration_and_edit_read_as_sentences_with_labelled_values(actor: Any, steward: Organisation,
                                                                      ref: ReferenceIndex) -> None:
    enterprise = register(actor, steward, ref, name="Kashi Silk Weavers", district_lgd_code=str(VARANASI),
                          sector="handicrafts", export_experience="direct")
    cleaned = clean_enterprise({"name": "Kashi Silk Weavers", "district_lgd_code": str(VARANASI),
                                "sector": "textiles-apparel", "export_experience": "direct",
                                "pincode": "221001"}, ref, today=TODAY)
    enterprise_update(actor=actor, enterprise=enterprise, cleaned=cleaned)
    registered, changed = history_entries(enterprise_history(enterprise=enterprise))
    assert (registered.what, changed.what) == ("Registered", "Details changed")
    assert registered.action == "registry.enterprise.registered"
    shown = changes_of(registered)
    assert shown["legal name"] == ("", "Kashi Silk Weavers")
    assert shown["District"] == ("", "Varanasi (187)")  # the district's name, not only its code
    assert shown["export experience"] == ("", "Exports directly")  # the choice's label
    assert "name_key" not in shown and "name key" not in shown  # worked out, not typed: not shown
    assert "Udyam number" not in shown  # blank before and after: nothing to say
    assert changes_of(changed) == {"Sector": ("Handicrafts", "Textiles & apparel"), "PIN code": ("", "221001")}


def test_a_merge_names_and_links_the_other_enterprise(actor: Any, steward: Organisation) -> None:
    keep = register(actor, steward, name="Shree Ganesh Handicrafts", district_lgd_code=str(VARANASI))
    merge = register(actor, steward, name="Shri Ganesh Handicraft", district_lgd_code=str(VARANASI))
    enterprise_merge(actor=actor, keep=keep, merge=merge)
    entries = history_entries(enterprise_history(enterprise=keep))
    merged = next(e for e in entries if e.action == "registry.enterprise.merged")
    assert merged.what == "A duplicate was merged into this enterprise"
    (change,) = [c for c in merged.changes if c.label == "duplicate merged in"]
    assert (change.after, change.enterprise_id) == (f"#{merge.pk}", merge.pk)
    html = page_of(actor, keep)
    assert "A duplicate was merged into this enterprise" in html
    # the duplicate's own events, on the kept enterprise's page, say whose they are
    on_keep = history_entries(enterprise_history(enterprise=keep), enterprise_id=keep.pk)
    assert [e.what for e in on_keep] == [
        "Registered", f"Duplicate #{merge.pk}: Registered", "A duplicate was merged into this enterprise",
        f"Duplicate #{merge.pk}: Merged into another enterprise as its duplicate"]
    assert f"Duplicate #{merge.pk}: Registered" in html
    assert f'<a href="{reverse("registry:enterprise-detail", args=[merge.pk])}">#{merge.pk}</a>' in html
    assert "registry.enterprise.merged" not in html.replace('data-action="registry.enterprise.merged', "")


def test_the_history_is_in_hindi_for_a_hindi_reader(actor: Any, steward: Organisation) -> None:
    enterprise = register(actor, steward, name="Kashi Silk Weavers", district_lgd_code=str(VARANASI))
    html = page_of(actor, enterprise, "hi")
    assert "पंजीकृत" in html  # "Registered"
    assert "Registered" not in html


def test_reference_names_cost_one_query_per_kind(actor: Any, steward: Organisation) -> None:
    for n in range(3):
        register(actor, steward, name=f"Weavers {n}", district_lgd_code=str(VARANASI), sector="handicrafts")
    from niryat.audit.models import AuditEvent

    events = list(AuditEvent.objects.filter(action="registry.enterprise.registered"))
    with CaptureQueriesContext(connection) as queries:
        history_entries(events)
    assert len(events) == 3
    assert len(queries) == 3  # districts, sectors, the districts' ODOP products: one each, for all events


def test_every_label_of_a_registration_is_in_hindi(actor: Any, steward: Organisation) -> None:
    enterprise = register(actor, steward, name="Kashi Silk Weavers", district_lgd_code=str(VARANASI),
                          sector="handicrafts", mobile="9876500001")
    from django.utils import translation

    with translation.override("hi"):
        (registered,) = history_entries(enterprise_history(enterprise=enterprise))
        labels = [change.label for change in registered.changes]
    english = [label for label in labels if re.fullmatch(r"[A-Za-z ()']+", label)]
    assert english == [], f"labels left in English: {english}"
