"""The permission base every app's policy builds on, in the style of Wagtail's permission policies.

A policy answers two questions about one model, and views, the API, the admin and templates all ask it:

- ``can(user, action, obj=None)``: may ``user`` do ``action`` to ``obj``? Without ``obj``: do the user's
  roles grant ``action`` at all (for ``add``: may they create one)?
- ``visible(user, action="view")``: the queryset of objects ``user`` may do ``action`` to.
- ``organisations_for(user, action)``: the organisations in whose name ``user`` may do ``action``.

A policy declares its actions in ``roles``: for each action, the roles (DESIGN.md section 7) that grant
it, within the organisations that ``scope()`` ties an object to. Anonymous and inactive users get what
``anonymous()`` allows (nothing unless a policy says so); superusers may do everything unless the policy
sets ``superuser_bypass = False`` (support cases); ``forbidden`` actions are refused to everyone. A user's
memberships are read once per user object, which is once per request. Nothing here imports a domain app:
each app owns ``<app>/permissions.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any, ClassVar

from django.db.models import Model, QuerySet

from .models import Membership, Organisation, Role

# Every role that sees its organisations' pages. Not a reporter: partners' reporters (EST) see their own
# observations and the feedback on them, nothing else (DESIGN.md section 7); policies name them.
ANY_ROLE: tuple[str, ...] = tuple(role for role in Role.values if role != Role.REPORTER)
_CACHE = "_lofte_roles"


def roles_by_organisation(user: Any) -> dict[int, frozenset[str]]:
    """{organisation id: the user's roles there}; read once and kept on the user object."""
    if not (user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        found: dict[int, set[str]] = {}
        for org_id, role in Membership.objects.filter(user=user).values_list("organisation_id", "role"):
            found.setdefault(org_id, set()).add(role)
        cached = {org: frozenset(roles) for org, roles in found.items()}
        setattr(user, _CACHE, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached memberships (after changing them for a user object that is still in use)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def organisation_ids(user: Any, roles: Iterable[str] = ANY_ROLE) -> set[int]:
    """Ids of the organisations in which ``user`` holds one of ``roles``."""
    wanted = set(roles)
    return {org for org, held in roles_by_organisation(user).items() if held & wanted}


class Policy:
    """Base of every model's policy; subclasses set ``model``, ``roles`` and ``scope()``."""

    model: ClassVar[type[Model]]
    roles: ClassVar[dict[str, tuple[str, ...]]] = {}
    superuser_bypass: ClassVar[bool] = True
    forbidden: ClassVar[frozenset[str]] = frozenset()  # actions nobody may do, superusers included
    membership_only: ClassVar[frozenset[str]] = frozenset()  # actions superusers too need a role for

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        """The rows that belong to the organisations ``org_ids`` (repeats are folded by the caller)."""
        raise NotImplementedError

    def anonymous(self, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        """What a visitor without an active login may do ``action`` to: nothing by default."""
        return rows.none()

    def extra(self, user: Any, action: str, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Rows ``user`` may also do ``action`` to beyond their organisations' (e.g. their own records)."""
        return rows.none()

    # The two questions. Subclasses rarely need to override these.

    def visible(self, user: Any, action: str = "view") -> QuerySet[Any]:
        rows = self.model._default_manager.all()
        granting = self._granting(action)
        if action in self.forbidden:
            return rows.none()
        if not (user.is_authenticated and user.is_active):
            return self.anonymous(action, rows)
        if self._bypass(user, action):
            return rows
        mine = self.scope(rows, organisation_ids(user, granting))
        also = self.extra(user, action, rows) | self.anonymous(action, rows)
        # Joins through many-to-many links repeat rows; distinct() folds them.
        return (mine | also).distinct() if not also.query.is_empty() else mine.distinct()

    def can(self, user: Any, action: str, obj: Model | None = None) -> bool:
        granting = self._granting(action)
        if action in self.forbidden:
            return False
        if obj is not None:
            return self.visible(user, action).filter(pk=obj.pk).exists()
        if (
            user.is_authenticated
            and user.is_active
            and (self._bypass(user, action) or organisation_ids(user, granting))
        ):
            return True
        return action != "add" and self.visible(user, action).exists()

    def organisations_for(self, user: Any, action: str) -> QuerySet[Organisation]:
        """The organisations in whose name ``user`` may do ``action`` to this model (as Wagtail's
        ``collections_user_has_permission_for``): whose records an officer logs for, whose areas an
        owner plans in. Views, forms and the navigation ask this rather than reading roles."""
        granting = self._granting(action)
        if action in self.forbidden or not (user.is_authenticated and user.is_active):
            return Organisation.objects.none()
        if self._bypass(user, action):
            return Organisation.objects.all()
        return Organisation.objects.filter(pk__in=organisation_ids(user, granting))

    def _bypass(self, user: Any, action: str) -> bool:
        return bool(user.is_superuser and self.superuser_bypass and action not in self.membership_only)

    def _granting(self, action: str) -> tuple[str, ...]:
        try:
            return self.roles[action]
        except KeyError:
            raise ValueError(f"{type(self).__name__} has no action {action!r}") from None


class OrganisationPolicy(Policy):
    """Organisations: members see theirs; their administrators manage members and linked areas."""

    model = Organisation
    roles = {"view": ANY_ROLE, "change": (Role.ADMIN,), "add": (), "delete": ()}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(pk__in=org_ids)


class MembershipPolicy(Policy):
    model = Membership
    roles = {"view": (Role.ADMIN,), "change": (Role.ADMIN,), "add": (Role.ADMIN,), "delete": (Role.ADMIN,)}

    def scope(self, rows: QuerySet[Any], org_ids: set[int]) -> QuerySet[Any]:
        return rows.filter(organisation__in=org_ids)


organisations = OrganisationPolicy()
memberships = MembershipPolicy()


def policy_for(model: type[Model]) -> Policy | None:
    """The policy of ``model``, from its app's ``permissions`` module (None when it has none)."""
    try:
        module = import_module(f"{model._meta.app_config.name}.permissions")
    except ModuleNotFoundError:
        return None
    for value in vars(module).values():
        if isinstance(value, Policy) and value.model is model:
            return value
    return None
