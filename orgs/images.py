"""Uploaded images (logos now; event and news pictures later): checked by content, capped, re-encoded.

`clean_uploaded_image` never trusts the file name or the browser's content type. It
reads at most `UPLOAD_IMAGE_MAX_BYTES` + 1 bytes, reads the header only to check the
format and the pixel count (a small file may declare a huge canvas: a decompression
bomb), then decodes, applies the EXIF orientation, shrinks to `max_side` and writes a
fresh image of the same format without any metadata (EXIF, GPS, XMP, ICC, text chunks).
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def _allowed_formats() -> list[str]:
    return [f for f in settings.UPLOAD_IMAGE_FORMATS if f in EXTENSIONS]


def _format_list() -> str:
    return "、".join(FORMAT_LABELS[f] for f in _allowed_formats())


def _read_capped(file: File) -> bytes:
    max_bytes = settings.UPLOAD_IMAGE_MAX_BYTES
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The image is larger than %(limit)s MB; upload a smaller file.")
            % {"limit": f"{max_bytes / (1024 * 1024):g}"},
            code="image_too_large",
        )
    if not data:
        raise ValidationError(_("The uploaded file is empty."), code="image_empty")
    return data


def _open_checked(data: bytes) -> Image.Image:
    """Open (header only), refusing non-images, other formats and oversized canvases."""
    not_an_image = ValidationError(
        _("The file is not an image we accept; upload a %(formats)s picture.") % {"formats": _format_list()},
        code="image_invalid",
    )
    too_many_pixels = ValidationError(
        _("The image is too large in pixels (at most %(limit)s million pixels).")
        % {"limit": f"{settings.UPLOAD_IMAGE_MAX_PIXELS / 1_000_000:g}"},
        code="image_too_many_pixels",
    )
    with warnings.catch_warnings():
        # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that: both are refusals here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise not_an_image from None
    if image.format not in _allowed_formats():
        raise not_an_image
    width, height = image.size
    if width < 1 or height < 1 or width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
        raise too_many_pixels
    # verify() checks the structure (CRCs, truncation) without decoding pixels; it uses
    # the image up, so the caller reopens.
    try:
        image.verify()
    except Exception:  # noqa: BLE001 - any failure means the file is broken
        raise not_an_image from None
    return image


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                _("The image is too large in pixels (at most %(limit)s million pixels).")
                % {"limit": f"{settings.UPLOAD_IMAGE_MAX_PIXELS / 1_000_000:g}"},
                code="image_too_many_pixels",
            ) from None
        except Exception:  # noqa: BLE001 - truncated or corrupt data
            raise ValidationError(
                _("The image could not be read; it may be damaged. Upload a %(formats)s picture.")
                % {"formats": _format_list()},
                code="image_invalid",
            ) from None
    return image


def _fresh_copy(image: Image.Image, fmt: str) -> Image.Image:
    """Pixels only, in a mode the format stores; nothing of the original's metadata."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha and fmt != "JPEG" else "RGB"
    converted = image.convert(mode)
    fresh = Image.new(mode, converted.size)
    fresh.paste(converted)
    return fresh


def clean_uploaded_image(file: File, *, max_side: int) -> ContentFile:
    """Return a re-encoded copy of an uploaded JPEG/PNG/WebP, at most `max_side` px on its longer side.

    Raises ValidationError (codes image_too_large, image_empty, image_invalid,
    image_too_many_pixels) with a message saying what is wrong; a form attaches it to
    its field, so the user sees which field and why.
    """
    data = _read_capped(file)
    fmt = _open_checked(data).format
    assert fmt is not None  # _open_checked refused anything but the allowed formats
    image = _decode(data)
    image = ImageOps.exif_transpose(image)  # keep the picture upright once EXIF is gone
    image = _fresh_copy(image, fmt)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[fmt]}")
