"""Messages kept as codes with parameters, worded when read (ADR 0010)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from niryat.core.messages import Message, as_message, text, word, wording

PLAIN = wording("core.test_plain", _("Background jobs"))
WITH_PARAMS = wording("core.test_params", _("%(count)s of %(total)s"))
NESTED = wording("core.test_nested", _("%(what)s: %(count)s"))


def test_a_message_is_worded_in_the_language_active_when_it_is_read() -> None:
    message = PLAIN()
    with translation.override("en"):
        assert str(message) == "Background jobs"
    with translation.override("hi"):
        assert word(message) != "Background jobs"  # the catalogue's Hindi


def test_parameters_and_nested_messages_are_worded_and_survive_json() -> None:
    message = NESTED(what=PLAIN(), count=3)
    again = Message.from_json(message.as_json())
    assert again == message
    with translation.override("en"):
        assert word(again) == "Background jobs: 3"
    assert WITH_PARAMS(count=1, total=2).as_json() == {"code": "core.test_params",
                                                         "params": {"count": 1, "total": 2}}


def test_a_plain_text_is_kept_as_it_is_and_an_unknown_code_does_not_fail() -> None:
    assert word(text("100%")) == "100%"
    assert as_message("as stored") == text("as stored")
    assert word(Message("nowhere.gone", {"text": "kept words"})) == "kept words"
    assert word(Message("nowhere.gone")) == "nowhere.gone"


def test_a_code_cannot_be_worded_two_ways() -> None:
    wording("core.test_plain", _("Background jobs"))  # the same wording again: fine
    with pytest.raises(ValueError, match="already worded"):
        wording("core.test_plain", _("Something else"))
