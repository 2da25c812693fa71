"""The audit API, mounted at /api/v1/audit (issue 2 §8).

- `GET /api/v1/audit` — staff search with the same filters as the page. Anyone else gets 403
  `staff_only`: the endpoint is a fixed, documented collection, so refusing by role reveals
  nothing (pages answer 404 instead; see `core/access.py`).
- `GET /api/v1/audit/me` — "who accessed my data" for the caller, any role.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from backrelief.accounts.auth import api_user
from backrelief.core import selectors
from backrelief.core.access import audit_search_allowed
from backrelief.core.errors import PermissionDenied
from backrelief.core.schemas import (
    MAX_PAGE,
    AccessLogEntryOut,
    AccessLogPageOut,
    AuditEventOut,
    AuditFilterQuery,
    AuditPageOut,
    ErrorOut,
)

router = Router(tags=["audit"])

_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.get(
    "",
    response={200: AuditPageOut, **_ERRORS},
    summary="Search the audit log (staff only)",
    description=(
        "Newest first, 50 events a page. Dates are whole UTC days, both inclusive. "
        "Callers without the staff role get 403 `staff_only`."
    ),
)
def search_audit(request: HttpRequest, filters: Query[AuditFilterQuery]) -> AuditPageOut:
    if not audit_search_allowed(user=api_user(request)):
        raise PermissionDenied(_("Only staff can search the audit log."), code="staff_only")
    page = selectors.audit_search(
        subject=filters.subject,
        actor=filters.actor,
        date_from=filters.date_from,
        date_to=filters.date_to,
        action=filters.action,
        page=filters.page,
    )
    return AuditPageOut(
        items=[
            AuditEventOut(
                at=row.at,
                actor=row.actor_public_id,
                subject=row.subject_public_id,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                outcome=row.outcome,
                ip=row.ip,
                request_id=row.request_id,
            )
            for row in page.rows
        ],
        count=page.count,
        page=page.number,
        pages=page.num_pages,
    )


@router.get(
    "/me",
    response={200: AccessLogPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Who accessed my data",
    description="Events about the caller done by someone else, newest first, 50 a page.",
)
def my_access_log(
    request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE)
) -> AccessLogPageOut:
    result = selectors.access_log_for(user=api_user(request), page=page)
    return AccessLogPageOut(
        items=[
            AccessLogEntryOut(
                at=entry.at,
                actor=entry.actor_public_id,
                actor_role=entry.actor_role,
                action=entry.action,
                object_type=entry.object_type,
                outcome=entry.outcome,
            )
            for entry in result.rows
        ],
        count=result.count,
        page=result.number,
        pages=result.num_pages,
    )
