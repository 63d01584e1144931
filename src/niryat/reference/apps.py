from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ReferenceConfig(AppConfig):
    """Countries, currencies, states, districts (LGD codes), clusters, sectors, HS codes."""

    name = "niryat.reference"
    label = "reference"

    def ready(self) -> None:
        # A state, district or sector saved or deleted one at a time (the loaders write in
        # bulk and count their own version): the form choices built from them are stale.
        for model in ("State", "District", "Sector"):
            sender = self.get_model(model)
            post_save.connect(reference_changed, sender=sender, dispatch_uid=f"reference-{model}-saved")
            post_delete.connect(reference_changed, sender=sender, dispatch_uid=f"reference-{model}-deleted")


def reference_changed(**kwargs: Any) -> None:
    from django.apps import apps

    from niryat.reference.loaders import reference_version_bump
    from niryat.reference.selectors import forget_choices

    reference_version_bump(apps.get_model)
    forget_choices()
