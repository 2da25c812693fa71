"""Profile photos (issue 5 item 1): checked by content, re-encoded without EXIF/GPS, size and
pixel limits, stored atomically under MEDIA_ROOT, old file removed after commit."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from backrelief.core.errors import Invalid
from backrelief.therapists import photos
from backrelief.therapists.services.profile import profile_photo_remove, profile_photo_set
from backrelief.therapists.tests.factories import make_profile

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(size=(1200, 900), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    gps = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 18.0)}
    exif[0x8825] = gps  # GPSInfo
    if orientation is not None:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), icc_profile=b"\0" * 128)
    return out.getvalue()


def encoded(fmt: str, size=(300, 200), mode="RGB") -> bytes:
    colour: int | tuple[int, ...] = (10, 200, 30)
    if mode == "RGBA":
        colour = (10, 200, 30, 128)
    elif mode == "L":
        colour = 90
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt)
    return out.getvalue()


def test_a_jpeg_with_gps_exif_is_stored_without_any_metadata():
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)  # the input really has GPS
    clean = photos.photo_reencode(io.BytesIO(data))
    image = Image.open(io.BytesIO(clean))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert b"SecretPhone" not in clean
    assert b"CameraMaker" not in clean
    assert max(image.size) == 800
    assert image.size == (800, 600)


def test_exif_orientation_is_applied_before_it_is_dropped():
    clean = photos.photo_reencode(io.BytesIO(jpeg_with_gps(size=(400, 200), orientation=6)))
    assert Image.open(io.BytesIO(clean)).size == (200, 400)


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "RGBA"), ("PNG", "P"), ("WEBP", "RGB")])
def test_png_and_webp_become_rgb_jpeg(fmt, mode):
    data = encoded(fmt, mode=mode) if mode != "P" else _palette_png()
    image = Image.open(io.BytesIO(photos.photo_reencode(io.BytesIO(data))))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (300, 200))


def _palette_png() -> bytes:
    out = io.BytesIO()
    Image.new("P", (300, 200), 3).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n", "not an image"),
        (b"just some text, named photo.jpg", "not an image"),
        (b"", "empty"),
        (None, "not supported"),  # a GIF: a real image of a refused type
        (b"\xff\xd8\xff\xe0" + b"\0" * 50, "not an image"),  # JPEG magic, garbage after
    ],
)
def test_non_images_and_refused_types_get_specific_errors(data, fragment):
    data = encoded("GIF") if data is None else data
    with pytest.raises(Invalid) as exc:
        photos.photo_reencode(io.BytesIO(data))
    assert fragment in exc.value.fields["photo"][0]


def test_more_than_5_mb_is_refused_before_decoding():
    with pytest.raises(Invalid) as exc:
        photos.photo_reencode(io.BytesIO(b"\0" * (photos.MAX_BYTES + 1)))
    assert "larger than 5 MB" in exc.value.fields["photo"][0]


def test_a_declared_size_over_the_limit_is_refused():
    with pytest.raises(Invalid) as exc:
        photos.photo_reencode(io.BytesIO(encoded("PNG")), size=photos.MAX_BYTES + 1)
    assert "larger than 5 MB" in exc.value.fields["photo"][0]


@pytest.mark.parametrize("size", [(8000, 5001), (20000, 20000)])
def test_more_than_40_megapixels_is_refused_as_a_decompression_bomb(size):
    # A one-colour PNG compresses to a few kilobytes whatever its pixel count.
    data = encoded("PNG", size=size, mode="L") if size[0] < 10000 else _bomb_png(size)
    assert len(data) < photos.MAX_BYTES
    with pytest.raises(Invalid) as exc:
        photos.photo_reencode(io.BytesIO(data))
    assert "too many pixels" in exc.value.fields["photo"][0]


def _bomb_png(size) -> bytes:
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        out = io.BytesIO()
        Image.new("1", size).save(out, format="PNG")
        return out.getvalue()
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def test_photo_path_accepts_only_names_the_service_makes(settings):
    name = photos.photo_write(b"x")
    assert photos.photo_path(name) == photos.photo_dir() / name
    for bad in ("", "../secret.jpg", "abc.jpg", f"{name[:-4]}.png", "/etc/passwd"):
        assert photos.photo_path(bad) is None
    assert not list(photos.photo_dir().glob(".upload-*"))  # no temporary file left


@pytest.mark.django_db
def test_setting_a_photo_stores_a_clean_jpeg_and_removes_the_old_after_commit(
    therapist, django_capture_on_commit_callbacks
):
    profile = make_profile(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_set(user=therapist, upload=io.BytesIO(jpeg_with_gps()), now=NOW)
    profile.refresh_from_db()
    first = photos.photo_path(profile.photo_name)
    assert first is not None
    assert first.is_file()
    stored = Image.open(first)
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_set(user=therapist, upload=io.BytesIO(encoded("PNG")), now=NOW)
    profile.refresh_from_db()
    assert not first.exists()
    second = photos.photo_path(profile.photo_name)
    assert second is not None
    assert second.is_file()
    assert str(photos.photo_url(profile)).endswith(f"?v={profile.photo_name[:-4]}")
    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_remove(user=therapist, now=NOW)
    profile.refresh_from_db()
    assert profile.photo_name == ""
    assert not second.exists()
    assert photos.photo_url(profile) is None


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(therapist):
    profile = make_profile(therapist)
    with pytest.raises(Invalid):
        profile_photo_set(user=therapist, upload=io.BytesIO(b"%PDF-1.4"), now=NOW)
    profile.refresh_from_db()
    assert profile.photo_name == ""
    assert not photos.photo_dir().exists() or not any(photos.photo_dir().iterdir())
