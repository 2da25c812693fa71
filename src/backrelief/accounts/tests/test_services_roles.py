"""Role changes are staff-only, keep admin access in step with the role, and are audited."""

from __future__ import annotations

import pytest

from backrelief.accounts.services.roles import user_role_change
from backrelief.core.errors import Invalid, PermissionDenied
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_changes_a_role_and_it_is_audited_without_pii(staff_user, client_user):
    user_role_change(actor=staff_user, user=client_user, role="therapist")
    client_user.refresh_from_db()
    assert client_user.role == "therapist"
    assert client_user.is_staff is False
    row = AuditEvent.objects.get(action="role.changed")
    assert row.actor_public_id == staff_user.public_id
    assert row.subject_public_id == client_user.public_id
    assert client_user.email not in str(row.__dict__)


def test_promotion_to_staff_grants_admin_access(staff_user, client_user):
    user_role_change(actor=staff_user, user=client_user, role="staff")
    client_user.refresh_from_db()
    assert client_user.is_staff is True


def test_non_staff_cannot_change_roles(therapist, client_user):
    with pytest.raises(PermissionDenied):
        user_role_change(actor=therapist, user=client_user, role="staff")
    client_user.refresh_from_db()
    assert client_user.role == "client"
    assert not AuditEvent.objects.filter(action="role.changed").exists()


def test_unknown_role_is_invalid_and_changes_nothing(staff_user, client_user):
    with pytest.raises(Invalid):
        user_role_change(actor=staff_user, user=client_user, role="admin")
    client_user.refresh_from_db()
    assert client_user.role == "client"


def test_staff_cannot_demote_themselves(staff_user):
    with pytest.raises(Invalid):
        user_role_change(actor=staff_user, user=staff_user, role="client")


def test_admin_change_form_routes_role_change_through_the_service(staff_user, client_user):
    from django.test import Client

    from backrelief.accounts.tests.mfa_helpers import enable_mfa, sign_in

    enable_mfa(staff_user)
    web = Client()
    sign_in(web, staff_user, mfa_verified=True)
    url = f"/admin/accounts/user/{client_user.pk}/change/"
    assert web.get(url).status_code == 200
    response = web.post(url, {"display_name": "Cleo", "role": "therapist", "is_active": "on"})
    assert response.status_code == 302, response.content[:500]
    client_user.refresh_from_db()
    assert client_user.role == "therapist"
    assert AuditEvent.objects.filter(action="role.changed").count() == 1
