from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Programmes run by a programme office with partners, and who takes part in them."""

    name = "niryat.programmes"
    label = "programmes"

    def ready(self) -> None:
        from niryat.accounts.scoping import register_scope_provider
        from niryat.programmes.scoping import programme_organisation_ids

        register_scope_provider(programme_organisation_ids)
