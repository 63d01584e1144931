from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces with no domain: base model, request context, background jobs, pagination."""

    name = "niryat.core"
    label = "core"
