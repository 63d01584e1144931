from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, organisations, memberships and roles, and the predicates that scope reads."""

    name = "niryat.accounts"
    label = "accounts"
