from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from niryat.accounts.models import Organisation, OrganisationKind
from niryat.accounts.tests.factories import member
from niryat.registry.validation import ReferenceIndex


@pytest.fixture
def ref(db: None) -> ReferenceIndex:
    return ReferenceIndex.load()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files (imports) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def actor() -> Any:
    """A member of a facilitator: the usual steward of enterprises."""
    return member(kind=OrganisationKind.FACILITATOR)


@pytest.fixture
def steward(actor: Any) -> Organisation:
    return Organisation.objects.get(memberships__user=actor)


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    """A request in Hindi leaves Hindi active in the test's thread (LocaleMiddleware activates
    the language and nothing resets it): later tests would read Hindi messages."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
