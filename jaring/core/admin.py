from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from jaring.core.models import AuditEvent, UserProfile


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    verbose_name = "Peran di Jaring"
    verbose_name_plural = "Peran di Jaring"


class JaringUserAdmin(UserAdmin):
    inlines = [UserProfileInline]
    list_display = ["username", "is_active", "profile__role", "profile__region_code", "profile__branch_code"]


admin.site.unregister(User)
admin.site.register(User, JaringUserAdmin)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the audit trail is appended to by services, never edited."""

    list_display = ["at", "actor_label", "action", "entity_type", "entity_id", "batch_ref"]
    list_filter = ["action", "entity_type"]
    search_fields = ["entity_id", "batch_ref", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
