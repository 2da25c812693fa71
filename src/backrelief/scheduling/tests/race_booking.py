"""Race driver for test_race_booking.py (issue 6 "Done when": at least 8 OS processes released
together by a barrier book the same slot; exactly one booking).

Run as a script against its own database (BACKRELIEF_VAR_DIR / DATABASE_URL set by the test):
migrates it, commits a bookable therapist and N clients, forks N processes that wait on a
barrier and then call `booking_create` for the same slot at once, and prints one JSON line:
each process's outcome ("booked", "slot_taken" or the unexpected exception) and the number of
active bookings of the therapist afterwards.

    python -m backrelief.scheduling.tests.race_booking 8
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from typing import Any


def _setup() -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from backrelief.accounts.models import User
    from backrelief.scheduling.tests.booking_helpers import bookable

    therapist = User.objects.create_user("race-therapist@example.test", role="therapist")
    _, service = bookable(therapist)
    return {"service_id": str(service.public_id), "therapist_id": service.therapist_id}


def _book(index: int, service_id: str, barrier: Any, results: Any) -> None:
    from django.db import connections

    connections.close_all()  # never share the parent's connection
    from backrelief.accounts.models import User
    from backrelief.core.errors import DomainError
    from backrelief.scheduling.services_booking import booking_create
    from backrelief.scheduling.tests.booking_helpers import NOW, SLOT

    client = User.objects.get(email=f"race-client-{index}@example.test")
    barrier.wait(timeout=30)
    try:
        booking_create(client=client, service_id=service_id, start=SLOT, now=NOW)
        outcome = "booked"
    except DomainError as exc:
        outcome = exc.code
    except Exception as exc:  # the test reports it: it must never happen
        outcome = f"error: {exc!r}"
    finally:
        connections.close_all()
    results.put((index, outcome))


def main(processes: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings")
    django.setup()
    from django.db import connections

    from backrelief.accounts.models import User
    from backrelief.scheduling.models import ACTIVE_STATUSES, Booking

    ids = _setup()
    for index in range(processes):
        User.objects.create_user(f"race-client-{index}@example.test", role="client")
    connections.close_all()  # committed (autocommit); children open their own connections

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=_book, args=(i, ids["service_id"], barrier, results))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    active = Booking.objects.filter(
        therapist_id=ids["therapist_id"], status__in=ACTIVE_STATUSES
    ).count()
    print(json.dumps({"outcomes": [outcomes[i] for i in range(processes)], "active": active}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
