from django.contrib import admin

from niryat.core.admin import ReadOnlyModelAdmin
from niryat.programmes.models import Participant, Programme


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "office", "starts_on", "ends_on"]
    search_fields = ["name", "name_hi", "slug"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyModelAdmin):
    list_display = ["programme", "organisation", "role"]
    list_filter = ["role"]
