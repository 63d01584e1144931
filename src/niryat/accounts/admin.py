from django.contrib import admin

from niryat.accounts.models import ApiToken, Membership, Organisation, User
from niryat.core.admin import ReadOnlyModelAdmin


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["organisation", "role"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyModelAdmin):
    """Accounts are created and changed through services (``niryat manage``, pages, the demo)."""

    list_display = ["email", "full_name", "is_active", "is_demo", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_demo", "is_superuser"]
    search_fields = ["email", "full_name", "full_name_hi"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "kind", "slug", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "name_hi", "slug"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]
