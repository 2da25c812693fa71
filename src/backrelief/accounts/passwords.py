"""Password rules beyond Django's built-ins (OWASP ASVS 4.0 §2.1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PASSWORD_LENGTH = 128  # ASVS 2.1.2: at least 64 accepted; 128 bounds argon2 input


class MaximumLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                _("Use at most %(max)d characters.") % {"max": MAX_PASSWORD_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Up to %(max)d characters; spaces and any characters are fine.") % {
            "max": MAX_PASSWORD_LENGTH
        }
