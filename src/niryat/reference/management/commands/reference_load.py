from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from niryat.reference.loaders import load_all


class Command(BaseCommand):
    help = "Load or refresh the reference tables from their data files (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_all(apps.get_model)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
