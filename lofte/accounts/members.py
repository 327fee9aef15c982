"""Managing an organisation's members on behalf of its administrators (DESIGN.md section 7).

The case-worker role opens support cases: an administrator grants it only when they are a case
worker of that organisation themselves (or a superuser), so that nobody can make themselves one.
Nobody removes their own last administrator role, so that an organisation is never left unmanaged
by mistake.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
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


def remove_member(user: Any, membership: Membership) -> None:
    if not memberships.can(user, "delete", membership):
        raise MemberError("membership", _("Only the organisation's administrators manage its members."), 403)
    if membership.user_id == user.pk and membership.role == Role.ADMIN:
        raise MemberError("membership", _("You cannot remove your own administrator role."))
    membership.delete()
    forget_roles(membership.user)
