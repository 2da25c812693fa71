"""Role changes (issue 2 §6 roles, §8 audit "role change").

Only staff change roles, through Django admin. Admin access (`is_staff`) follows the role: a
person has it exactly when their role is staff (also a database constraint on the user table).
"""

from __future__ import annotations

from django.db import transaction

from backrelief.accounts.models import Role, User
from backrelief.core.audit import audit_record
from backrelief.core.errors import Invalid, PermissionDenied


@transaction.atomic
def user_role_change(*, actor: User, user: User, role: str) -> User:
    """Set `user`'s role; audit `role.changed` with the new role as object type (no PII)."""
    if actor.role != Role.STAFF:
        raise PermissionDenied("Only staff can change roles.")
    if role not in Role.values:
        raise Invalid("Unknown role.", fields={"role": ["Choose client, therapist or staff."]})
    if actor.pk == user.pk and role != Role.STAFF:
        raise Invalid(
            "You cannot remove your own staff role; ask another staff member.",
            fields={"role": ["Ask another staff member to change your role."]},
        )
    if user.role == role:
        return user
    user.role = role
    user.is_staff = role == Role.STAFF
    if role != Role.STAFF:
        user.is_superuser = False
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    audit_record(
        action="role.changed", actor=actor, subject=user, object_type="role", object_id=role
    )
    return user
