"""Django admin for accounts: identity and role only — no health data, no consent details,
no two-factor secrets (see core/health.py and the admin test)."""

from django.contrib import admin
from django.http import HttpRequest

from backrelief.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("public_id", "email", "role", "is_active", "email_verified_at", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("email", "public_id")
    readonly_fields = ("public_id", "date_joined", "email_verified_at", "last_login")
    fields = (
        "public_id",
        "email",
        "display_name",
        "role",
        "is_active",
        "email_verified_at",
        "date_joined",
        "last_login",
    )
    ordering = ("-date_joined",)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # account deletion goes through the owner's own deletion flow
