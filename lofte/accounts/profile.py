"""An organisation's public profile: website, contact and logo, changed by its administrators.

A logo is read with Pillow and stored again as a small PNG: whatever the upload held beyond the
picture (metadata, scripts in an SVG, a decompression bomb) never reaches a visitor."""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from lofte.core.problems import InputProblem

from .models import Organisation
from .permissions import organisations

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
LOGO_BOX = (400, 200)  # the stored logo fits in this box (pixels)


def change_profile(user: Any, organisation: Organisation, *, website: str = "", contact_email: str = "",
                   contact_phone: str = "", logo: Any = None, remove_logo: bool = False) -> Organisation:  # fmt: skip
    """Store the organisation's public contact details and, when given, its logo (an uploaded file)."""
    if not organisations.can(user, "change", organisation):
        raise InputProblem("organisation", _("Only the organisation's administrators change its profile."), 403)
    website, contact_email, contact_phone = website.strip(), contact_email.strip(), contact_phone.strip()
    for field, value, validator in (("website", website, URLValidator(schemes=["https", "http"])),
                                    ("contact_email", contact_email, EmailValidator())):  # fmt: skip
        try:
            if value:
                validator(value)
        except ValidationError:
            raise InputProblem(field, _("Not a valid address: %(value)s") % {"value": value}) from None
    if len(contact_phone) > 40:
        raise InputProblem("contact_phone", _("At most 40 characters."))
    organisation.website, organisation.contact_email, organisation.contact_phone = website, contact_email, contact_phone
    if logo is not None:
        organisation.logo, organisation.logo_changed_at = read_logo(logo), timezone.now()
    elif remove_logo:
        organisation.logo, organisation.logo_changed_at = None, None
    organisation.stamp(user)
    organisation.save()
    return organisation


def read_logo(upload: Any) -> bytes:
    """The uploaded picture as PNG bytes that fit in LOGO_BOX; InputProblem when it is not one."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:
        raise InputProblem("logo", _("The logo may be at most 2 MB."))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG", "WEBP"):
                raise InputProblem("logo", _("The logo must be a PNG, JPEG or WebP picture."))
            if probe.width * probe.height > LOGO_MAX_PIXELS:
                raise InputProblem("logo", _("The logo may be at most 4000 × 4000 pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            picture = opened.convert("RGBA")
            picture.thumbnail(LOGO_BOX)
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise InputProblem("logo", _("The file is not a picture that can be read.")) from None
    return out.getvalue()
