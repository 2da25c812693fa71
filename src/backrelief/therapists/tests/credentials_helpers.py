"""Shared test helpers for the credentials area (issue 5 item 2)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def pdf(name: str = "licence.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def gif() -> SimpleUploadedFile:
    # Declared as a PDF: the declared type is not trusted.
    return SimpleUploadedFile("licence.pdf", b"GIF89a" + b"\x00" * 20, "application/pdf")


def oversized() -> io.BytesIO:
    return io.BytesIO(b"%PDF-" + b"0" * (10 * 1024 * 1024))


def licence_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "country": "DE",
        "region": "Berlin",
        "registry": "Landesamt für Gesundheit",
        "number": "HP-12345",
        "issued_on": dt.date(2020, 1, 1),
        "expires_on": dt.date(2028, 12, 31),
    }
    fields.update(overrides)
    return fields


def certification_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "technique": "swedish",
        "provider": "Berlin School of Massage",
        "hours": 200,
        "completed_on": dt.date(2019, 6, 30),
    }
    fields.update(overrides)
    return fields


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
