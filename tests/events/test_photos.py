"""Event photos: a non-image, an oversized and a pixel-bomb file refused; EXIF stripped; thumbnails made."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from events.models import EventPhoto
from events.services.photos import event_photo_add
from tests.actors import SYSTEM
from tests.events.factories import make_event
from tests.image_files import png_bomb

pytestmark = pytest.mark.django_db


def _jpeg_with_exif(size=(2400, 1800)) -> bytes:
    image = Image.new("RGB", size, (180, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS IFD: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_event_photo_add_reencodes_without_exif_and_makes_thumbnail(pos, settings):
    event = make_event(pos.branch_a)
    photo = event_photo_add(event=event, actor=SYSTEM, file=_upload(_jpeg_with_exif()), caption="集体学习")
    with Image.open(photo.image.path) as stored:
        assert max(stored.size) == settings.EVENTS["PHOTO_MAX_SIDE"]
        assert not stored.getexif()
    with open(photo.image.path, "rb") as stored_file:
        assert b"SecretCam" not in stored_file.read()
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) == settings.EVENTS["PHOTO_THUMB_SIDE"]
    assert photo.image.name is not None
    assert not photo.image.name.endswith("photo.jpg")  # the upload's name is not kept


def test_event_photo_add_text_file_refused_on_image(pos):
    event = make_event(pos.branch_a)
    with pytest.raises(ValidationError) as exc:
        event_photo_add(event=event, actor=SYSTEM, file=_upload(b"GIF89a not really" * 50, name="x.jpg"))
    assert "image" in exc.value.error_dict
    assert not EventPhoto.objects.exists()


def test_event_photo_add_oversized_file_refused(pos, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 50_000
    event = make_event(pos.branch_a)
    with pytest.raises(ValidationError) as exc:
        event_photo_add(event=event, actor=SYSTEM, file=_upload(b"\xff\xd8" + b"0" * 60_000))
    assert "image" in exc.value.error_dict
    assert "larger than" in exc.value.messages[0]


def test_event_photo_add_pixel_bomb_refused(pos):
    event = make_event(pos.branch_a)
    with pytest.raises(ValidationError) as exc:
        event_photo_add(
            event=event, actor=SYSTEM, file=_upload(png_bomb(), name="bomb.png", content_type="image/png")
        )
    assert "too large in pixels" in exc.value.messages[0]
    assert not EventPhoto.objects.exists()


def test_event_photo_add_over_limit_refused(pos, settings):
    settings.EVENTS = {**settings.EVENTS, "PHOTOS_PER_EVENT": 1}
    event = make_event(pos.branch_a)
    event_photo_add(event=event, actor=SYSTEM, file=_upload(_jpeg_with_exif((200, 100))))
    with pytest.raises(ValidationError):
        event_photo_add(event=event, actor=SYSTEM, file=_upload(_jpeg_with_exif((200, 100))))


def test_event_photo_add_other_branch_secretary_refused(pos, secretary_b):
    event = make_event(pos.branch_a)
    with pytest.raises(ValidationError):
        event_photo_add(event=event, actor=secretary_b, file=_upload(_jpeg_with_exif((200, 100))))


def test_portal_photo_upload_non_image_shows_field_error(pos, secretary_a):
    event = make_event(pos.branch_a)
    client = Client()
    client.force_login(secretary_a)
    response = client.post(
        reverse("events_portal:photo_add", args=[event.pk]), {"image": _upload(b"hello" * 100, name="a.png")}
    )
    assert response.status_code == 400
    assert 'id="id_image_error"' in response.content.decode()  # the message sits on the photo field
    assert not EventPhoto.objects.exists()
