from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """Countries, currencies, states, districts (LGD codes), clusters, sectors, HS codes."""

    name = "niryat.reference"
    label = "reference"
