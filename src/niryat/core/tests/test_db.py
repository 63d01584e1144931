"""core.db helpers on whichever database the suite runs on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from niryat.core.db import column_in

pytestmark = pytest.mark.django_db

AWKWARD = ['say "hi"', "back\\slash", "a,b", "{braces}", "NULL", "हिंदी नाम", " spaced ", "", "it's"]


def test_column_in_finds_awkward_strings_exactly() -> None:
    for name in [*AWKWARD, "other", "back"]:
        Group.objects.create(name=name)
    found = Group.objects.filter(column_in("name", AWKWARD)).values_list("name", flat=True)
    assert sorted(found) == sorted(AWKWARD)


def test_column_in_with_keys_and_with_nothing() -> None:
    groups = [Group.objects.create(name=f"g{n}") for n in range(5)]
    wanted = [groups[1].pk, groups[3].pk]
    assert sorted(Group.objects.filter(column_in("id", wanted)).values_list("pk", flat=True)) == wanted
    assert not Group.objects.filter(column_in("id", [])).exists()
