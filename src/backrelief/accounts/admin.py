"""Django admin for accounts: identity and role only — no health data, no consent details,
no two-factor secrets (see core/health.py and core/tests/test_admin_health.py).

Role changes go through `services.roles.user_role_change`, so they are audited.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backrelief.accounts.models import User
from backrelief.accounts.services.roles import user_role_change


def _is_staff_role(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and getattr(user, "role", "") == "staff")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("public_id", "email", "role", "is_active", "email_verified_at", "date_joined")
    list_filter = ("role", "is_active")
    search_fields = ("email", "public_id")
    readonly_fields = ("public_id", "email", "date_joined", "email_verified_at", "last_login")
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

    # Staff (the role) administer accounts; Django's per-model permission rows are not used.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff_role(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_role(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_role(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people sign up themselves; staff are created with createsuperuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # account deletion goes through the owner's own deletion flow

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        new_role = obj.role
        if change and "role" in form.changed_data:
            previous = User.objects.get(pk=obj.pk)
            obj.role = previous.role
            obj.save(update_fields=["display_name", "is_active"])
            user_role_change(actor=request.user, user=obj, role=new_role)  # type: ignore[arg-type]
            return
        super().save_model(request, obj, form, change)
