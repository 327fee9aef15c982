"""The admin base classes that ask the model's permission policy instead of Django's per-model permission
table, so that the admin shows and allows exactly what the pages and the API do; and audit stamping. They live
beside the permission base they ask; every app's ``admin.py`` builds on them.
"""

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .permissions import Policy, policy_for

AUDIT_FIELDS = ("created_at", "created_by", "changed_at", "changed_by")


def _staff(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff


class PolicyAdmin(admin.ModelAdmin):
    """A model admin whose every permission is the model's policy (``<app>/permissions.py``).

    ``choice_actions`` limits the choices of foreign keys to the related objects on which the user may
    do an action, e.g. ``{"area": "change"}``; other foreign keys offer what the user may view. A
    many-to-many field is limited only when it is named there (a promise's parties may be any
    organisation).
    """

    readonly_fields: ClassVar[tuple[str, ...]] = AUDIT_FIELDS
    choice_actions: dict[str, str] = {}

    @property
    def policy(self) -> Policy:
        policy = policy_for(self.model)
        if policy is None:
            raise TypeError(f"{self.model.__name__} has no permission policy")
        return policy

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = self.policy.visible(request.user, "view").values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _staff(request) and self.policy.can(request.user, "view")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _staff(request) and self.policy.can(request.user, "view", obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _staff(request) and self.policy.can(request.user, "add")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _staff(request) and self.policy.can(request.user, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _staff(request) and self.policy.can(request.user, "delete", obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = policy_for(db_field.related_model)
        if related is not None and "queryset" not in kwargs:
            kwargs["queryset"] = related.visible(request.user, self.choice_actions.get(db_field.name, "view"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = policy_for(db_field.related_model)
        if related is not None and db_field.name in self.choice_actions and "queryset" not in kwargs:
            kwargs["queryset"] = related.visible(request.user, self.choice_actions[db_field.name])
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AuditedAdmin(PolicyAdmin):
    """A policy admin for ``Audited`` models: stamps who created and changed each row."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.stamp(request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for obj in formset.save(commit=False):
            if hasattr(obj, "stamp"):
                obj.stamp(request.user)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class PolicyInline:
    """An inline whose rows are changed with their parent: it asks the parent's policy."""

    parent_model: type[Any]  # the admin class's parent model (InlineModelAdmin sets it)

    def _parent_may(self, request: HttpRequest, obj: Model | None, action: str) -> bool:
        policy = policy_for(self.parent_model)
        if policy is None or not _staff(request):
            return False
        if action == "view":
            return policy.can(request.user, "view", obj)
        # Rows of a new parent come with adding it; rows of an existing one are a change of it.
        return policy.can(request.user, "add") if obj is None else policy.can(request.user, "change", obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_may(request, obj, "view")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_may(request, obj, "add")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_may(request, obj, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_may(request, obj, "change")
