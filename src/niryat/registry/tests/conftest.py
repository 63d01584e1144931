from __future__ import annotations

import pytest

from niryat.registry.validation import ReferenceIndex


@pytest.fixture
def ref(db: None) -> ReferenceIndex:
    return ReferenceIndex.load()
