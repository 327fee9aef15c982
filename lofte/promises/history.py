"""The public record of a published promise: each change after publishing, kept as a `Revision`.

A medborgarlöfte is a promise to residents; once it is public, lowering a target from twice a day to
0.5 must leave a trace. `planning` takes a snapshot of what it is about to change, and after the
change records the fields that differ, with the party that changed them and, for targets, dates
and outcome links (`REASONED`), the reason it was asked for. Drafts change freely and leave none.
"""

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from lofte.accounts.models import Organisation

from .models import Commitment, Promise, Revision

# What the public record follows of each kind of object (the texts, the numbers and the links).
PROMISE_TRACKED = (
    "title", "title_en", "problem", "problem_en", "rationale", "rationale_en", "next_steps", "next_steps_en",
    "period_start", "period_end", "outcome_incident_types", "buffer_m", "control_areas", "donor_areas",
    "baseline_wave", "follow_up_wave", "min_visit_minutes", "outcome_observation_categories",
)  # fmt: skip
COMMITMENT_TRACKED = (
    "text", "text_en", "kind", "metric", "comparator", "target_value", "unit", "unit_en", "filter_category",
    "filter_kind", "automatic_only", "measure", "due_date", "done_date", "outcome_item", "outcome_expected_change",
    "responsible", "places",
)  # fmt: skip
PLACE_TRACKED = ("name", "lon", "lat", "radius_m", "polygon", "is_control")
# Changes to these say whether the promise was kept, or what it is measured against: each needs a reason.
REASONED = frozenset({
    "period_start", "period_end", "outcome_incident_types", "buffer_m", "control_areas", "donor_areas",
    "baseline_wave", "follow_up_wave", "min_visit_minutes", "outcome_observation_categories",
    "kind", "metric", "comparator", "target_value", "filter_category", "filter_kind", "automatic_only", "measure",
    "due_date", "outcome_item", "outcome_expected_change",
})  # fmt: skip


def kept(promise: Promise) -> bool:
    """Whether changes to `promise` go on its public record: from publishing on."""
    return promise.status != Promise.Status.DRAFT


def snapshot(obj: Model, names: tuple[str, ...]) -> dict[str, str]:
    """The fields `names` of `obj` as the record writes them: text, one line each."""
    return {name: _text(obj, name) for name in names}


def stored(obj: Model, names: tuple[str, ...]) -> dict[str, str]:
    """The snapshot of `obj` as the database holds it (a form may already have changed the object)."""
    return snapshot(type(obj)._default_manager.get(pk=obj.pk), names)


def differences(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": name, "old": before[name], "new": after[name]} for name in before if before[name] != after[name]]


def needs_reason(changes: list[dict[str, str]]) -> bool:
    return any(change["field"] in REASONED for change in changes)


def record(
    user: Any,
    promise: Promise,
    subject: str,
    obj: Model | None,
    changes: list[dict[str, str]],
    *,
    reason: str = "",
    action: str = Revision.Action.CHANGED,
) -> Revision | None:
    """Keep the change on the promise's record (nothing for a draft, or a change that changed nothing)."""
    if not kept(promise) or (action == Revision.Action.CHANGED and not changes):
        return None
    return Revision.objects.create(
        promise=promise,
        subject=subject,
        subject_id=getattr(obj, "pk", None),
        subject_label=_label(obj)[:300],
        action=action,
        fields=changes,
        reason=reason.strip(),
        organisation=party_of(user, promise),
        made_by=user if getattr(user, "is_authenticated", False) else None,
    )


def party_of(user: Any, promise: Promise) -> Organisation | None:
    """The party in whose name `user` changed the promise (the first of theirs, by name)."""
    return promise.parties.filter(memberships__user=user).order_by("name").first()


def rows(promise: Promise) -> list[dict[str, Any]]:
    """The record for the public history page and the API: newest first, each field by its label in
    the page's language, values as written (choices by their names)."""
    models: dict[str, type[Model]] = {Revision.Subject.PROMISE: Promise, Revision.Subject.COMMITMENT: Commitment}
    out = []
    for revision in promise.changes.select_related("organisation"):
        model = models.get(revision.subject)
        out.append(
            {
                "when": revision.made_at,
                "subject": revision.subject,
                "subject_label": revision.subject_label,
                "action": revision.action,
                "action_display": revision.get_action_display(),
                "subject_display": revision.get_subject_display(),
                "party": revision.organisation.name if revision.organisation else "",
                "reason": revision.reason,
                "fields": [_shown(model, change) for change in revision.fields],
            }
        )
    return out


def _shown(model: type[Model] | None, change: dict[str, str]) -> dict[str, str]:
    name = change["field"]
    label, choices = name, {}
    if model is not None:
        field = next((f for f in model._meta.get_fields() if f.name == name), None)
        if field is not None:
            label = str(getattr(field, "verbose_name", name))
            choices = {str(k): str(v) for k, v in (getattr(field, "choices", None) or [])}
    elif name in ("name", "lon", "lat", "radius_m", "polygon", "is_control"):
        label = {"name": _("name"), "lon": _("longitude"), "lat": _("latitude"), "radius_m": _("radius (metres)"),
                 "polygon": _("outline"), "is_control": _("control place")}[name]  # fmt: skip
    return {
        "field": name,
        "label": label,
        "old": choices.get(change["old"], change["old"]),
        "new": choices.get(change["new"], change["new"]),
    }


def _label(obj: Model | None) -> str:
    if obj is None:
        return ""
    return str(getattr(obj, "text", None) or getattr(obj, "name", None) or getattr(obj, "title", None) or obj)


def _text(obj: Model, name: str) -> str:
    value = getattr(obj, name)
    if hasattr(value, "all"):  # a many-to-many relation: the names, sorted
        return ", ".join(sorted(str(related) for related in value.all()))
    if name == "polygon" and value:  # an outline as a short fingerprint: that it changed, not its points
        digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:8]
        return f"{_('outline')} {digest}"
    return _plain(value)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
