"""Who may read the audit log (issue 2 §8: "staff get an audit search").

Shared by the audit pages and the audit API so the rule exists once. Pages answer 404 to
anyone else (STYLE rule 5: the search does not exist for them); the API answers 403 on the
collection endpoint, because `/api/v1/audit` is a documented, fixed URL whose existence is no
secret — the caller learns only that their role may not use it (stated in the OpenAPI
description of the endpoint).
"""

from __future__ import annotations

from typing import Any

STAFF_ROLE = "staff"  # accounts.Role.STAFF; core does not import accounts (layering)


def audit_search_allowed(*, user: Any) -> bool:
    """Only signed-in, active people with the staff role may search or export the audit log."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) == STAFF_ROLE
    )
