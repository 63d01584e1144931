from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only trail of every change: who, what, which object, which fields, when, from where."""

    name = "niryat.audit"
    label = "audit"
