from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The MSME registry: enterprises, their identifiers and contacts, bulk import, duplicates."""

    name = "niryat.registry"
    label = "registry"
