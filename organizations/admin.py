from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from organizations.models import AuditEvent, Membership, Organization, ReviewerProfile, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Portal", {"fields": ("name", "language")}))
    list_display = ("username", "name", "email", "is_active", "is_staff")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name_zh", "name_en", "kind", "country", "profit_making", "defence_industry")
    list_filter = ("kind", "profit_making", "defence_industry", "bad_record", "barred")
    search_fields = ("name_zh", "name_en")
    inlines = [MembershipInline]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "kind", "affiliation", "active")
    list_filter = ("kind", "active")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id", "from_status", "to_status")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
