"""Users, roles, sessions, two-factor devices, consent and personal access tokens.

Integer keys stay inside; every URL, API payload and audit row uses `public_id` (UUID).
"""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    THERAPIST = "therapist", _("Therapist")
    STAFF = "staff", _("Staff")


SIGNUP_ROLES = (Role.CLIENT, Role.THERAPIST)  # staff are appointed, never self-registered


def valid_time_zones() -> set[str]:
    return zoneinfo.available_timezones()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.STAFF)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CLIENT)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    locale = models.CharField(_("language"), max_length=8, default="en")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access (staff role only)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["client", "therapist", "staff"]),
                name="user_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role="staff"),
                name="user_admin_only_staff",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_staff_role(self) -> bool:
        return self.role == Role.STAFF

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def label(self) -> str:
        """What the UI shows for the person (never used in logs or audit rows)."""
        return self.display_name or self.email.split("@")[0]


class LoginFailure(models.Model):
    """One failed password attempt, kept in the database so every process sees it (§6)."""

    email = models.CharField(max_length=254, db_index=True)  # lower-cased as typed
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["email", "ip", "at"], name="loginfailure_email_ip_at")]


class UserSession(models.Model):
    """A signed-in browser session, listed on the sessions page ("sign out everywhere")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    mfa_verified = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_seen_at"]


class TOTPDevice(models.Model):
    """A user's authenticator app. `last_step` prevents replaying a code (RFC 6238 §5.2)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use recovery code, stored only as a SHA-256 hash (codes are high-entropy)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recoverycode_unique")
        ]


class ConsentPurpose(models.TextChoices):
    """Purposes of processing. Later capabilities add sharing purposes here."""

    HEALTH_DATA = "health_data", _("Processing my own health data")
    SHARE_INTAKE = "share_intake", _("Sharing my intake with a therapist")
    SHARE_PROGRESS = "share_progress", _("Sharing my progress with a therapist")


SHARING_PURPOSES = (ConsentPurpose.SHARE_INTAKE, ConsentPurpose.SHARE_PROGRESS)


class Consent(models.Model):
    """One consent: (purpose, grantee or none, object or none, notice version, given, withdrawn).

    Rows are never deleted while the account exists; withdrawal sets `withdrawn_at`, so the
    history stays visible to the person. At most one live row per (user, purpose, grantee,
    object) — enforced by the database.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    grantee = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="consents_received"
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    notice_version = models.CharField(max_length=16)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "purpose",
                models.functions.Coalesce("grantee", models.Value(0)),
                "object_type",
                "object_id",
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_live_per_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class ApiToken(models.Model):
    """A personal access token: shown once, stored as SHA-256, revocable, optional expiry."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)  # shown in lists to recognise a token
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
