"""orgs.images.clean_uploaded_image: content checks, caps, re-encoding (DESIGN.md: bad input)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orgs.images import clean_uploaded_image
from tests.image_files import png_bomb


def _image_bytes(fmt: str, size=(800, 600), mode="RGB", **save_kwargs) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(
        buf, format=fmt, **save_kwargs
    )
    return buf.getvalue()


def _upload(data: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_clean_uploaded_image_text_file_named_png_refused():
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(b"<?php echo 'hi'; ?>" * 20), max_side=512)
    assert exc.value.code == "image_invalid"
    assert "JPEG" in exc.value.messages[0] and "PNG" in exc.value.messages[0]


def test_clean_uploaded_image_gif_refused_as_other_format():
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(_image_bytes("GIF", mode="RGB"), name="a.png"), max_side=512)
    assert exc.value.code == "image_invalid"


def test_clean_uploaded_image_truncated_png_refused():
    data = _image_bytes("PNG", size=(300, 300))
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(data[: len(data) // 2]), max_side=512)
    assert exc.value.code == "image_invalid"


def test_clean_uploaded_image_over_size_cap_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 5 * 1024 * 1024
    data = _image_bytes("PNG", size=(10, 10)) + b"\x00" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(data), max_side=512)
    assert exc.value.code == "image_too_large"
    assert "5" in exc.value.messages[0]


def test_clean_uploaded_image_empty_file_refused():
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(b""), max_side=512)
    assert exc.value.code == "image_empty"


def test_clean_uploaded_image_png_bomb_refused_without_decoding():
    bomb = png_bomb()
    assert len(bomb) < 200 * 1024  # small on disk, well under the byte cap
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(bomb), max_side=512)
    assert exc.value.code == "image_too_many_pixels"


def test_clean_uploaded_image_over_own_pixel_cap_below_pillow_limit_refused(settings):
    # given a canvas under Pillow's default bomb limit but over the platform's cap
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000
    data = png_bomb(width=1500, height=1500)
    # when / then
    with pytest.raises(ValidationError) as exc:
        clean_uploaded_image(_upload(data), max_side=512)
    assert exc.value.code == "image_too_many_pixels"


def test_clean_uploaded_image_jpeg_with_exif_comes_back_without_exif():
    # given a JPEG carrying camera and GPS EXIF
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 1  # Orientation
    exif.get_ifd(0x8825)[2] = (31.0, 14.0, 0.0)  # GPSLatitude
    data = _image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()  # the fixture really has EXIF
    # when
    cleaned = clean_uploaded_image(_upload(data, name="p.jpg", content_type="image/jpeg"), max_side=512)
    # then
    raw = cleaned.read()
    out = Image.open(io.BytesIO(raw))
    assert out.format == "JPEG"
    assert not out.getexif()
    assert "exif" not in out.info
    assert b"SpyCam" not in raw and b"Exif\x00\x00" not in raw
    assert cleaned.name is not None and cleaned.name.endswith(".jpg")


def test_clean_uploaded_image_large_logo_resized_to_max_side():
    data = _image_bytes("PNG", size=(2000, 1000))
    cleaned = clean_uploaded_image(_upload(data), max_side=512)
    out = Image.open(io.BytesIO(cleaned.read()))
    assert out.size == (512, 256)
    assert out.format == "PNG"


def test_clean_uploaded_image_exif_orientation_applied_before_stripping():
    # given a 400×200 JPEG whose EXIF says "rotate 90°" (orientation 6)
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())
    # when
    cleaned = clean_uploaded_image(_upload(data, name="p.jpg"), max_side=512)
    # then the pixels are turned upright (portrait) and no orientation tag remains
    out = Image.open(io.BytesIO(cleaned.read()))
    assert out.size == (200, 400)
    assert 0x0112 not in out.getexif()


def test_clean_uploaded_image_webp_with_alpha_kept_as_webp_with_alpha():
    data = _image_bytes("WEBP", size=(100, 100), mode="RGBA")
    cleaned = clean_uploaded_image(_upload(data, name="x.webp"), max_side=512)
    out = Image.open(io.BytesIO(cleaned.read()))
    assert out.format == "WEBP"
    assert out.mode == "RGBA"
    assert cleaned.name is not None and cleaned.name.endswith(".webp")
