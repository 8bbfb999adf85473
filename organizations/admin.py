from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from icp_portal.lib.admin import ReadOnlyAdminMixin, ReadOnlyInline
from organizations.models import AuditEvent, Membership, Organization, ReviewerProfile, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Portal", {"fields": ("name", "language")}))
    list_display = ("username", "name", "email", "is_active", "is_staff")


class MembershipInline(ReadOnlyInline):
    model = Membership
    raw_id_fields = ("user",)


# Parties, memberships and reviewers are changed by organizations.services (the pages and
# the API), never in the admin: bad record, barred and the fee block leave events there.
@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name_zh", "name_en", "kind", "country", "profit_making", "defence_industry")
    list_filter = ("kind", "profit_making", "defence_industry", "bad_record", "barred")
    search_fields = ("name_zh", "name_en")
    inlines = [MembershipInline]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("user", "kind", "affiliation", "active")
    list_filter = ("kind", "active")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_id", "from_status", "to_status")
    list_filter = ("action",)
