"""Test data for accounts, built through the services (so every object has its audit event).

``UserFactory()`` calls ``user_create``; ``OrganisationFactory()`` calls
``organisation_create``; ``member()`` gives a user a role in an organisation of a kind.
Passwords are unusable unless a test asks for one: hashing with argon2 is slow on purpose.
"""

from __future__ import annotations

from typing import Any

import factory

from niryat.accounts import services
from niryat.accounts.models import Organisation, OrganisationKind, Role, User

PASSWORD = "saffron-lotus-4821"


class UserFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.in")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    full_name_hi = ""
    password = None
    is_demo = False
    is_superuser = False

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return services.user_create(actor=None, **kwargs)


class OrganisationFactory(factory.Factory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    name_hi = ""
    kind = OrganisationKind.MSME
    is_demo = False

    @classmethod
    def _create(cls, model_class: type[Organisation], *args: Any, **kwargs: Any) -> Organisation:
        return services.organisation_create(actor=None, **kwargs)


def member(
    organisation: Organisation | None = None,
    *,
    kind: str = OrganisationKind.MSME,
    role: str = Role.ADMIN,
    **user_fields: Any,
) -> User:
    """A new user acting for ``organisation`` (a new one of ``kind`` if not given) with ``role``."""
    organisation = organisation or OrganisationFactory(kind=kind)
    user = UserFactory(**user_fields)
    services.membership_add(actor=None, user=user, organisation=organisation, role=role)
    return user
