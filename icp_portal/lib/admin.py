"""The admin shows the portal's own rows but never changes them: every change to a
service-owned model goes through its service (who, when, the event, the field history)."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin: read-only views of service-owned rows."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
