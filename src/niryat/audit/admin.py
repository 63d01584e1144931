from django.contrib import admin

from niryat.audit.models import AuditEvent
from niryat.core.admin import ReadOnlyModelAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """The trail can be read here; no admin page or action can change or delete an event."""

    list_display = ["at", "actor_label", "action", "target_type", "target_id", "channel", "ip"]
    list_filter = ["action", "channel"]
    search_fields = ["actor_label", "action", "target_id", "target_label"]
    date_hierarchy = "at"
    actions = None
