"""Profile photos (issue 5 item 1): validated, re-encoded without metadata, served by a view.

The upload is read by Pillow, whatever its name or declared type says:

- at most `MAX_BYTES` (5 MB) as uploaded;
- JPEG, PNG or WebP by content (`Image.format`), anything else refused;
- at most `MAX_PIXELS` (40 megapixels): a small file can decode to a huge image (a
  "decompression bomb"); Pillow's own guard is set to the same limit and its warning and
  error are both turned into the same refusal;
- EXIF orientation applied, converted to RGB, shrunk to fit 800 x 800, and saved as a fresh
  JPEG (quality 85) with no EXIF, ICC profile, GPS or comment: only the pixels survive.

Stored under `settings.MEDIA_ROOT/therapist-photos/<random uuid hex>.jpg`, written to a
temporary file and renamed (atomic), so a reader never sees half a photo. A new name per
upload means an old URL stops working when the photo changes. The files are not served by the
web server: `views.profile.photo` serves them only while the therapist is listed (or to the
owner and staff), see `photo_url`.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from backrelief.core.errors import Invalid

if TYPE_CHECKING:
    from backrelief.therapists.models import TherapistProfile

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 800
JPEG_QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
PHOTO_DIR = "therapist-photos"

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; both are refused below.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _refuse(message: str) -> Invalid:
    return Invalid(message, fields={"photo": [message]}, code="photo_invalid")


def photo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / PHOTO_DIR


def photo_path(name: str) -> Path | None:
    """The stored file for a `photo_name`, None for an empty or malformed name."""
    stem, dot, ext = name.partition(".")
    if not name or dot != "." or ext != "jpg":
        return None
    try:
        if uuid.UUID(hex=stem).hex != stem:
            return None
    except ValueError:
        return None
    return photo_dir() / name


def photo_reencode(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The upload as a fresh metadata-free JPEG (see module docstring), or Invalid on "photo"."""
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    if size > MAX_BYTES:
        raise _refuse(_("The photo is larger than 5 MB. Choose a smaller photo."))
    if size == 0:
        raise _refuse(_("The file is empty. Choose a JPEG, PNG or WebP photo."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_("The photo is larger than 5 MB. Choose a smaller photo."))
    too_many = _refuse(
        _("The photo has too many pixels (more than 40 megapixels). Use a smaller image.")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            image_format = opened.format
            if image_format not in ACCEPTED_FORMATS:
                raise _refuse(
                    _("This image type is not supported. Upload a JPEG, PNG or WebP photo.")
                )
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise too_many
            opened.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except UnidentifiedImageError:
        raise _refuse(
            _("This file is not an image. Upload a photo as JPEG, PNG or WebP.")
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse(
            _("The image could not be read; it may be damaged. Try another photo.")
        ) from None
    image: Image.Image = ImageOps.exif_transpose(opened) or opened
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas become white rather than black.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image holds only the pixels: no exif, icc_profile, comment or other info survives.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def photo_write(data: bytes) -> str:
    """Write re-encoded JPEG bytes under a fresh random name, atomically; returns the name."""
    directory = photo_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.jpg"
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def photo_delete(name: str) -> None:
    """Remove a stored photo file (missing is fine)."""
    path = photo_path(name)
    if path is not None:
        path.unlink(missing_ok=True)


def photo_url(profile: TherapistProfile) -> str | None:
    """The URL of the therapist's photo with a cache-busting `?v=`, or None without a photo.

    The view answers 404 unless the therapist is listed (or the viewer is the owner or
    staff), so a page must only show it where the profile itself may be shown.
    """
    if not profile.photo_name:
        return None
    stem = profile.photo_name.partition(".")[0]
    return f"{reverse('therapists:photo', args=[profile.public_id])}?v={stem}"
