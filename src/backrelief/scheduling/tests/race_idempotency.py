"""Race driver for test_race_idempotency.py (issue 6 item 5): N OS processes released together
by a barrier send the same booking request with the same `Idempotency-Key` for one client, as
`POST /api/v1/bookings` does (`idempotent_run` around `booking_create`). Exactly one booking is
made; every process answers 201 with that booking, all but one as a replay.

Run as a script against its own database (BACKRELIEF_VAR_DIR / DATABASE_URL set by the test);
prints one JSON line: each process's (status, booking id or error code, replayed) or the
unexpected exception, and the number of bookings afterwards.

    python -m backrelief.scheduling.tests.race_idempotency 8
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from typing import Any

CLIENT = "race-idem-client@example.test"


def _send(index: int, service_id: str, barrier: Any, results: Any) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's connection
    from backrelief.accounts.models import User
    from backrelief.core.errors import DomainError
    from backrelief.scheduling.idempotency import idempotent_run
    from backrelief.scheduling.schemas import error_body
    from backrelief.scheduling.services_booking import booking_create
    from backrelief.scheduling.tests.booking_helpers import NOW, SLOT

    client = User.objects.get(email=CLIENT)

    def run() -> tuple[int, dict[str, Any]]:
        try:
            booking = booking_create(client=client, service_id=service_id, start=SLOT, now=NOW)
        except DomainError as exc:
            return exc.status, error_body(exc)
        return 201, {"booking_id": str(booking.public_id)}

    payload = {"service_id": service_id, "start": SLOT.isoformat()}
    barrier.wait(timeout=30)
    try:
        outcome = idempotent_run(user=client, key="same-key", payload=payload, now=NOW, run=run)
        result: Any = [
            outcome.status,
            outcome.body.get("booking_id") or outcome.body.get("code"),
            outcome.replayed,
        ]
    except Exception as exc:  # the test reports it: it must never happen
        result = f"error: {exc!r}"
    finally:
        connections.close_all()
    results.put((index, result))


def main(processes: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from backrelief.accounts.models import User
    from backrelief.scheduling.models import Booking
    from backrelief.scheduling.tests.booking_helpers import bookable

    call_command("migrate", verbosity=0)
    therapist = User.objects.create_user("race-idem-therapist@example.test", role="therapist")
    _, service = bookable(therapist)
    User.objects.create_user(CLIENT, role="client")
    connections.close_all()  # committed (autocommit); children open their own connections

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=_send, args=(i, str(service.public_id), barrier, results))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    print(
        json.dumps(
            {
                "outcomes": [outcomes[i] for i in range(processes)],
                "bookings": Booking.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
