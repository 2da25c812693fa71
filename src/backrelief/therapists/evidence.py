"""Private storage of licence and certification evidence files (issue 5 item 2).

Files live under `settings.PRIVATE_FILES_ROOT/<kind>-evidence/<32 random hex>` — never under
MEDIA_ROOT, so no web server rule can expose them; they are served only by the access-checked,
audited views (`therapists.access.*_evidence_open`). The name is random and carries no part of
the uploaded file name (which can hold personal data) and no extension.

Writes happen only after every rule passed, inside the service's transaction
(`evidence_replaced`): the new file is removed when saving the row fails, and a replaced file
only after the commit (`transaction.on_commit`), so a rollback never leaves a row pointing at a
missing file.
A file whose row was rolled back by an outer caller is swept by `evidence_orphans_remove`
(run by the daily `licence_notices` command).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from backrelief.therapists.credentials import (
    EVIDENCE_TYPES_LABEL,
    MAX_EVIDENCE_BYTES,
    SNIFF_BYTES,
    evidence_content_type,
    evidence_errors,
)

if TYPE_CHECKING:
    from backrelief.therapists.models import Certification, Licence

Kind = Literal["licence", "certification"]
KINDS: tuple[Kind, ...] = ("licence", "certification")
_NAME = re.compile(r"^[0-9a-f]{32}$")
ORPHAN_GRACE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Upload:
    """An uploaded file read into memory (at most 10 MB + 1 byte): enough to check and store."""

    data: bytes
    size: int

    @property
    def head(self) -> bytes:
        return self.data[:SNIFF_BYTES]

    @property
    def content_type(self) -> str | None:
        return evidence_content_type(self.head)


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def upload_read(file: Readable) -> Upload:
    """Read an uploaded file without trusting its declared size or type; stops after the limit.

    Accepts Django's UploadedFile (pages and API) or any binary file object (CLI, tests).
    """
    seek = getattr(file, "seek", None)
    if seek is not None:
        seek(0)
    data = file.read(MAX_EVIDENCE_BYTES + 1)
    if not isinstance(data, bytes):
        raise TypeError("evidence must be read as bytes")
    declared = getattr(file, "size", None)
    size = len(data)
    if size > MAX_EVIDENCE_BYTES and isinstance(declared, int):
        size = max(size, declared)
    return Upload(data=data, size=size)


def upload_check(evidence: Readable | None, *, required: bool) -> tuple[Upload | None, list[str]]:
    """Read an optional upload and check it (`therapists/credentials.py` evidence rules: PDF,
    PNG or JPEG, at most 10 MB). A missing file is an error only where one is `required` (a
    licence, issue 5 item 2). Returns the upload and the messages for the `evidence` field."""
    if evidence is None:
        if required:
            return None, [
                _("Upload a scan or photo of the licence (%(types)s, at most 10 MB).")
                % {"types": EVIDENCE_TYPES_LABEL}
            ]
        return None, []
    upload = upload_read(evidence)
    return upload, evidence_errors(size=upload.size, head=upload.head)


@contextmanager
def evidence_replaced(
    kind: Kind, row: Licence | Certification, upload: Upload | None
) -> Iterator[None]:
    """Write the new evidence file (if any) and point the row at it; if anything in the block
    fails — the row's save, the audit — the new file is removed again, so no orphan stays.
    The replaced file is removed only after the commit: a rollback keeps the file the row
    still names. (A rollback by an outer caller is left to `evidence_orphans_remove`.)"""
    if upload is None:
        yield
        return
    old_name = row.evidence_name
    new_name = evidence_write(kind, upload.data)
    row.evidence_name = new_name
    row.evidence_content_type = upload.content_type or ""
    try:
        yield
    except BaseException:
        evidence_remove(kind, new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: evidence_remove(kind, old_name))


def evidence_dir(kind: Kind) -> Path:
    return Path(settings.PRIVATE_FILES_ROOT) / f"{kind}-evidence"


def evidence_path(kind: Kind, name: str) -> Path:
    """The path of a stored file; refuses anything but a name this module made."""
    if not _NAME.match(name):
        raise ValueError("not an evidence file name")
    return evidence_dir(kind) / name


def evidence_write(kind: Kind, data: bytes) -> str:
    """Store `data` under a new random name (owner read/write only) and return the name."""
    directory = evidence_dir(kind)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16)
    fd = os.open(evidence_path(kind, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return name


def evidence_remove(kind: Kind, name: str) -> None:
    """Delete a stored file; a missing file is fine (already removed)."""
    if name:
        evidence_path(kind, name).unlink(missing_ok=True)


def evidence_open(kind: Kind, name: str) -> IO[bytes]:
    """Open a stored file for reading (FileNotFoundError if it is gone)."""
    return evidence_path(kind, name).open("rb")


def evidence_orphans_remove(*, kind: Kind, referenced: Iterable[str], now: dt.datetime) -> int:
    """Delete files no row refers to that are older than an hour (a younger one may belong to
    a transaction still running). Returns how many went."""
    directory = evidence_dir(kind)
    if not directory.is_dir():
        return 0
    keep = set(referenced)
    cutoff = (now - ORPHAN_GRACE).timestamp()
    removed = 0
    for path in directory.iterdir():
        if not _NAME.match(path.name) or path.name in keep:
            continue
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
