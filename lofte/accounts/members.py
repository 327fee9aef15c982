"""Managing an organisation's members on behalf of its administrators (DESIGN.md section 7).

The case-worker role opens support cases: an administrator grants it only when they are a case
worker of that organisation themselves (or a superuser), so that nobody can make themselves one.
Nobody removes their own last administrator role, so that an organisation is never left unmanaged
by mistake.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from lofte.core.problems import InputProblem

from .models import Membership, Organisation, Role
from .permissions import forget_roles, memberships, organisation_ids, organisations


class MemberError(InputProblem):
    """A membership change that cannot be made."""


def grantable_roles(user: Any, organisation: Organisation) -> list[str]:
    """The roles `user` may give in `organisation`."""
    roles = [role for role, _label in Role.choices]
    if not (user.is_superuser or organisation.pk in organisation_ids(user, [Role.CASE_WORKER])):
        roles.remove(Role.CASE_WORKER)
    return roles


def add_member(user: Any, organisation: Organisation, *, username: str, role: str) -> Membership:
    if not organisations.can(user, "change", organisation):
        raise MemberError("organisation", _("Only the organisation's administrators manage its members."), 403)
    if role not in grantable_roles(user, organisation):
        raise MemberError("role", _("You cannot give this role."))
    member = get_user_model().objects.filter(username=username.strip()).first()
    if member is None:
        raise MemberError("username", _("No user %(name)s.") % {"name": username})
    membership = Membership(user=member, organisation=organisation, role=role)
    membership.stamp(user)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise MemberError("role", _("%(name)s has this role already.") % {"name": username}) from None
    forget_roles(member)
    return membership


audit = logging.getLogger("lofte.audit")


def invite(user: Any, organisation: Organisation, *, email: str, role: str, name: str = "") -> Membership:
    """Give the person with `email` the `role` in `organisation` and tell them by e-mail. Someone new
    gets an account without a password and a link to set one (signed, single-use, valid for
    PASSWORD_RESET_TIMEOUT); someone with an account is told they were added."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise MemberError("email", _("Not an e-mail address: %(email)s.") % {"email": email}) from None
    people = get_user_model().objects
    person = people.filter(email__iexact=email).first() or people.filter(username__iexact=email).first()
    with transaction.atomic():
        new = person is None
        if new:
            person = people.create(username=email, email=email, first_name=(name or "").strip()[:150])
            person.set_unusable_password()
            person.save(update_fields=["password"])
        assert person is not None  # found, or made just now
        membership = add_member(user, organisation, username=person.username, role=role)
    _send_invitation(person, organisation, membership, new=new, by=user)
    audit.info("invited: user=%s organisation=%s role=%s new=%s", user.username, organisation.pk, role, new)
    return membership


def set_password_url(person: Any) -> str:
    """The link that lets `person` set a password (Django's reset token: void once used or expired)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(person)}
    )
    return settings.LOFTE_PUBLIC_URL.rstrip("/") + path


def _send_invitation(person: Any, organisation: Organisation, membership: Membership, *, new: bool, by: Any) -> None:
    context = {
        "person": person,
        "organisation": organisation,
        "role": membership.get_role_display(),
        "inviter": by.get_full_name() or by.username,
        "link": set_password_url(person) if new else settings.LOFTE_PUBLIC_URL.rstrip("/") + reverse("login"),
        "new": new,
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    subject = _("You are invited to %(organisation)s in Löfte") % {"organisation": organisation.name}
    send_mail(subject, render_to_string("accounts/invitation_email.txt", context), None, [person.email])


def remove_member(user: Any, membership: Membership) -> None:
    if not memberships.can(user, "delete", membership):
        raise MemberError("membership", _("Only the organisation's administrators manage its members."), 403)
    if membership.user_id == user.pk and membership.role == Role.ADMIN:
        raise MemberError("membership", _("You cannot remove your own administrator role."))
    membership.delete()
    forget_roles(membership.user)
