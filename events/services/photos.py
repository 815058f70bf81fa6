"""Event photos: content-checked, size-capped, re-encoded without EXIF (orgs.images), with thumbnails."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actors import Actor, as_user, require_actor
from events.conf import events_setting
from events.models import Event, EventPhoto
from events.services.scope import require_event_organizer
from orgs.images import clean_uploaded_image


@transaction.atomic
def event_photo_add(*, event: Event, actor: Actor, file: File, caption: str = "") -> EventPhoto:
    """Store a re-encoded copy of an uploaded picture and a thumbnail made from that copy.

    The original upload is never written to storage. Refusals (not an image, too large in bytes
    or in pixels) are ValidationErrors on the `image` field.
    """
    require_actor(actor)
    require_event_organizer(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError({"image": _("The event is cancelled.")})
    limit = events_setting("PHOTOS_PER_EVENT")
    if event.photos.count() >= limit:
        raise ValidationError({"image": _("An event keeps at most %(n)d photos.") % {"n": limit}})
    try:
        image = clean_uploaded_image(file, max_side=events_setting("PHOTO_MAX_SIDE"))
        thumb = clean_uploaded_image(
            ContentFile(image.read(), name=image.name), max_side=events_setting("PHOTO_THUMB_SIDE")
        )
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}, code=exc.code) from None
    assert image.name is not None  # clean_uploaded_image names its copy
    image.seek(0)
    photo = EventPhoto(event=event, caption=(caption or "").strip()[:200], uploaded_by=as_user(actor))
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(f"t-{thumb.name}", thumb, save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def event_photo_delete(*, photo: EventPhoto, actor: Actor) -> None:
    require_actor(actor)
    event = photo.event
    require_event_organizer(actor, event)
    image, thumbnail = photo.image, photo.thumbnail
    photo.delete()
    # Files go once the row is surely gone.
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))
