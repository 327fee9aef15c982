"""Planning a promise on behalf of a person: creating and changing promises, commitments and updates.

One validated path for the API and the staff pages, as `activities.services` is for logging. Every
function checks the person's rights through the policies, validates with the models' own rules,
names the offending field in a PlanningError, and stores all or nothing.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lofte.accounts.models import Organisation
from lofte.accounts.permissions import Policy
from lofte.core.problems import InputProblem
from lofte.places.duplicates import area_with_outline
from lofte.places.models import Area, Place
from lofte.places.permissions import areas as area_policy
from lofte.places.permissions import places as place_policy
from lofte.places.reach import OutOfReach, within_held_areas
from lofte.surveys.models import Item, Wave

from . import history, invitations
from .models import Commitment, Promise, Revision, Update
from .permissions import commitments as commitment_policy
from .permissions import promises as promise_policy

PROMISE_FIELDS = (
    "title",
    "title_en",
    "problem",
    "problem_en",
    "rationale",
    "rationale_en",
    "next_steps",
    "next_steps_en",
    "period_start",
    "period_end",
    "outcome_incident_types",
    "outcome_observation_categories",
    "buffer_m",
    "min_visit_minutes",
)
COMMITMENT_FIELDS = (
    "position",
    "text",
    "text_en",
    "kind",
    "metric",
    "comparator",
    "target_value",
    "unit",
    "unit_en",
    "filter_category",
    "filter_kind",
    "automatic_only",
    "measure",
    "due_date",
    "done_date",
    "outcome_expected_change",
)


UNCHANGED = object()  # a relation not given: left as it is (an `outcome_item` is an Item id, None or this)


class PlanningError(InputProblem):
    """Planning input that cannot be stored."""


def _validated(record: Model) -> None:
    try:
        record.full_clean(exclude=["created_by", "changed_by"], validate_unique=True)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PlanningError("body" if field == NON_FIELD_ERRORS else field, " ".join(messages)) from exc


def create_promise(
    user: Any,
    *,
    area: str,
    slug: str,
    parties: Iterable[int] = (),
    baseline_wave: int | None = None,
    follow_up_wave: int | None = None,
    **fields: Any,
) -> Promise:
    """A draft promise for the area with `code` = `area`. The parties the user owns promises for
    (default: all of theirs linked to the area; at least one) are parties at once; other organisations
    that share an area with theirs are invited (`invitations`) and become parties when they accept."""
    # A superuser (who may do anything) plans for any organisation.
    owned = promise_policy.organisations_for(user, "add")
    if not owned.exists():
        raise PlanningError("body", _("Only owners of an organisation plan promises."), 403)
    found = Area.objects.filter(code=area, organisations__in=owned).distinct().first()
    if found is None:
        raise PlanningError("area", _("No such area among your organisations' areas."))
    requested = set(parties) or set(owned.filter(areas=found).values_list("pk", flat=True))
    own = requested & set(owned.values_list("pk", flat=True))
    if not own:
        raise PlanningError("parties", _("One of the parties must be an organisation you own promises for."))
    chosen = _parties(found, own)
    invited = list(invitations.invitable(owned.filter(pk__in=own)).filter(pk__in=requested - own))
    if missing := requested - own - {org.pk for org in invited}:
        raise PlanningError(
            "parties", _("Not organisations that share an area with yours: %(ids)s.") % {"ids": sorted(missing)}
        )
    promise = Promise(area=found, slug=slug, status=Promise.Status.DRAFT, **_only(fields, PROMISE_FIELDS))
    promise.baseline_wave = _wave(promise, "baseline_wave", baseline_wave)
    promise.follow_up_wave = _wave(promise, "follow_up_wave", follow_up_wave)
    promise.stamp(user)
    _validated(promise)
    with transaction.atomic():
        promise.save()
        promise.parties.set(chosen)
        invitations.invite(user, promise, invited)
    return promise


def create_area(user: Any, *, name: str, code: str, polygon: dict[str, Any], organisation: Organisation) -> Area:
    """A new area from an uploaded outline (GeoJSON in WGS84, checked by the model), linked to
    `organisation`, one the user owns promises for; cut to the areas that organisation holds
    (`places.reach`)."""
    # New areas are drawn while planning a promise, so by those who may plan one and add areas.
    owned = promise_policy.organisations_for(user, "add") & area_policy.organisations_for(user, "add")
    if organisation not in owned:
        raise PlanningError("area_file", _("Only owners of an organisation add its areas."), 403)
    try:  # never wider than the organisation's areas: the outline opens the incidents inside it
        polygon = within_held_areas(user, polygon, [organisation])
    except OutOfReach as error:
        raise PlanningError(error.field, error.message) from error
    _refuse_a_second(user, code, polygon)
    area = Area(name=name, code=code, polygon=polygon)
    area.stamp(user)
    _validated(area)
    with transaction.atomic():
        area.save()
        organisation.areas.add(area)
    return area


def _refuse_a_second(user: Any, code: str, polygon: dict[str, Any]) -> None:
    """Refuse an area that exists already (the same code or the same outline), pointing to the one
    to choose where it is the user's; another organisation's area is not named."""
    mine = Area.objects.filter(organisations__in=promise_policy.organisations_for(user, "add"))  # the form's choices
    for field, existing in (("code", Area.objects.filter(code=code).first()), ("polygon", area_with_outline(polygon))):
        if existing is None:
            continue
        what = _("code") if field == "code" else _("outline")
        if mine.filter(pk=existing.pk).exists():
            message = _(
                "An area with this %(what)s already exists: %(name)s (%(code)s). Choose it under Area instead of "
                "uploading it again."
            ) % {"what": what, "name": existing.name, "code": existing.code}
        else:
            message = _(
                "An area with this %(what)s already exists for another organisation: ask it to invite yours to "
                "its promise, or give the new area another code."
            ) % {"what": what}
        raise PlanningError(field, message)


def add_place(
    user: Any,
    promise: Promise,
    *,
    name: str,
    lon: float | None = None,
    lat: float | None = None,
    radius_m: float | None = None,
    polygon: dict[str, Any] | None = None,
    is_control: bool = False,
) -> Place:
    """A hot spot in the promise's area, a point with a radius in metres or an outline (GeoJSON in
    WGS84); its officers can log visits there at once. The area's organisations' owners and
    analysts add places."""
    if not place_policy.can(user, "add") or not area_policy.visible(user, "use").filter(pk=promise.area_id).exists():
        raise PlanningError("name", _("Only owners and analysts of the area's organisations add its places."), 403)
    place = Place(area=promise.area, name=name, lon=lon, lat=lat, radius_m=radius_m, polygon=polygon or None,
                  is_control=is_control)  # fmt: skip
    place.stamp(user)
    _validated(place)
    with transaction.atomic():
        place.save()
        for published in _published_in(place.area):
            history.record(user, published, Revision.Subject.PLACE, place, [], action=Revision.Action.ADDED)
    return place


def change_place(user: Any, place: Place, **fields: Any) -> Place:
    """Rename a place, move it (a new point, radius or outline) or mark it a control place. Visits
    logged there stay with it. Only owners and analysts of the area's organisations change places."""
    _may_place(user, "change", place)
    for name in ("name", "lon", "lat", "radius_m", "polygon", "is_control"):
        if name in fields:
            setattr(place, name, fields[name] if name != "polygon" else fields[name] or None)
    place.stamp(user)
    _validated(place)
    before = history.stored(place, history.PLACE_TRACKED)
    with transaction.atomic():
        place.save()
        changes = history.differences(before, history.snapshot(place, history.PLACE_TRACKED))
        for promise in _published_in(place.area):
            history.record(user, promise, Revision.Subject.PLACE, place, changes)
    return place


def _published_in(area: Area) -> QuerySet[Promise]:
    """The area's promises whose public record a change to its places belongs on."""
    return Promise.objects.filter(area=area).exclude(status=Promise.Status.DRAFT)


def remove_place(user: Any, place: Place) -> None:
    """Remove a place nothing is recorded at and no published commitment names: visits, seizures and
    activities keep their place, and a published promise keeps what it promised (rename or move it
    instead)."""
    _may_place(user, "delete", place)
    records = place.patrols.count() + place.seizures.count() + place.activities.count()
    if records:
        raise PlanningError(
            "place",
            ngettext(
                "%(n)s visit, seizure or activity is logged at this place: rename or move it instead.",
                "%(n)s visits, seizures and activities are logged at this place: rename or move it instead.",
                records,
            )
            % {"n": records},
            409,
        )
    if Commitment.objects.filter(places=place).exclude(promise__status=Promise.Status.DRAFT).exists():
        raise PlanningError("place", _("A published commitment names this place: rename or move it instead."), 409)
    place.delete()


def change_promise(
    user: Any,
    promise: Promise,
    *,
    control_areas: Iterable[Area | int] | None = None,
    donor_areas: Iterable[Area | int] | None = None,
    baseline_wave: Any = UNCHANGED,
    follow_up_wave: Any = UNCHANGED,
    reason: str | None = "",
    **fields: Any,
) -> Promise:
    """Change the given fields of a promise (owners of a party); the area and the address stay.
    `control_areas`: areas (ids) to compare the outcomes with; `donor_areas`: more areas for the
    synthetic comparison; among `comparable_areas`. `baseline_wave`, `follow_up_wave`: the survey
    waves (ids, or None for the survey's own choice) its survey questions are compared between. Once
    published, the change goes on the promise's public record (`history`), with `reason`, which
    changes to its dates and outcome links need."""
    _may(user, promise_policy, "change", promise)
    before = history.stored(promise, history.PROMISE_TRACKED) if history.kept(promise) else None
    for name, value in _only(fields, PROMISE_FIELDS).items():
        setattr(promise, name, value)
    for name, wave in (("baseline_wave", baseline_wave), ("follow_up_wave", follow_up_wave)):
        if wave is not UNCHANGED:
            setattr(promise, name, _wave(promise, name, wave))
    promise.stamp(user)
    _validated(promise)
    chosen = {name: _other_areas(promise, name, ids, user) for name, ids in
              [("control_areas", control_areas), ("donor_areas", donor_areas)] if ids is not None}  # fmt: skip
    with transaction.atomic():
        promise.save()
        for name, areas in chosen.items():
            getattr(promise, name).set(areas)
        if before is not None:
            changes = history.differences(before, history.snapshot(promise, history.PROMISE_TRACKED))
            _reasoned(changes, reason)
            history.record(user, promise, Revision.Subject.PROMISE, promise, changes, reason=reason or "")
    return promise


def _wave(promise: Promise, field: str, wave: Wave | int | None) -> Wave | None:
    """The wave `wave` (or its id) of a survey in the promise's area: another area's survey is not the
    promise's to be measured by, nor to read the existence of."""
    if wave is None:
        return None
    found = Wave.objects.filter(pk=getattr(wave, "pk", wave), survey__area=promise.area_id).first()
    if found is None:
        raise PlanningError(field, _("No such wave in a survey of the promise's area."))
    return found


def _reasoned(changes: list[dict[str, str]], reason: str | None) -> None:
    """Refuse a change to a published promise's targets, dates or outcome links without a reason."""
    if history.needs_reason(changes) and not (reason or "").strip():
        raise PlanningError(
            "reason",
            _(
                "The promise is published: say why its targets, dates or outcome links change. The reason is "
                "shown with the change on its public history."
            ),
        )


def comparable_areas(promise: Promise, user: Any | None = None) -> QuerySet[Area]:
    """The areas `promise` may compare its outcomes with: other areas held by one of its parties, or by
    no organisation (reference areas the site's administrators set up). Another organisation's area
    is a source of counts only when that organisation is a party, by its own acceptance; a superuser
    may choose any area."""
    others = Area.objects.exclude(pk=promise.area_id)
    if user is not None and user.is_superuser:
        return others
    return others.filter(Q(organisations__in=promise.parties.all()) | Q(organisations=None)).distinct()


def _other_areas(promise: Promise, field: str, ids: Iterable[Area | int], user: Any) -> list[Area]:
    wanted: set[Any] = {getattr(a, "pk", a) for a in ids}
    areas = list(comparable_areas(promise, user).filter(pk__in=wanted))
    if len(areas) != len(wanted):
        raise PlanningError(
            field,
            _("Comparison areas must be other areas held by a party of the promise, or by no organisation: "
              "another organisation's counts are compared only when it is a party."),
        )  # fmt: skip
    return areas


def add_commitment(
    user: Any,
    promise: Promise,
    *,
    responsible: Iterable[int] = (),
    places: Iterable[int] = (),
    outcome_item: Any = UNCHANGED,
    **fields: Any,
) -> Commitment:
    _may(user, promise_policy, "change", promise)
    fields.pop("reason", None)  # nothing to give a reason for: the whole commitment is new
    position = fields.pop("position", None) or promise.commitments.count() + 1
    commitment = Commitment(promise=promise, position=position)
    with transaction.atomic():
        _save_commitment(user, commitment, fields, responsible, places, outcome_item)
        history.record(user, promise, Revision.Subject.COMMITMENT, commitment, [], action=Revision.Action.ADDED)
    return commitment


def change_commitment(
    user: Any,
    commitment: Commitment,
    *,
    responsible: Iterable[int] | None = None,
    places: Iterable[int] | None = None,
    outcome_item: Any = UNCHANGED,
    reason: str | None = "",
    **fields: Any,
) -> Commitment:
    """Change the given fields of a commitment; once its promise is published, on its public record
    with `reason`, which changes to targets, dates and outcome links need."""
    _may(user, commitment_policy, "change", commitment)
    before = history.stored(commitment, history.COMMITMENT_TRACKED) if history.kept(commitment.promise) else None
    with transaction.atomic():
        _save_commitment(user, commitment, fields, responsible, places, outcome_item)
        if before is not None:
            changes = history.differences(before, history.snapshot(commitment, history.COMMITMENT_TRACKED))
            _reasoned(changes, reason)
            history.record(
                user, commitment.promise, Revision.Subject.COMMITMENT, commitment, changes, reason=reason or ""
            )
    return commitment


def delete_draft(user: Any, promise: Promise) -> None:
    """Delete a promise that was never published (owners of a party). A published promise is never
    deleted: residents were told of it, so it stays on record."""
    _may(user, promise_policy, "change", promise)
    if promise.status != Promise.Status.DRAFT:
        raise PlanningError("body", _("A published promise is never deleted: it stays on its public record."), 409)
    promise.delete()


def withdraw(user: Any, promise: Promise, *, reason: str) -> Promise:
    """Give up a published promise before its end (owners of a party). It stays readable, marked
    withdrawn with `reason` and the day, on its public page and record; a draft is deleted instead."""
    _may(user, promise_policy, "change", promise)
    if promise.status != Promise.Status.PUBLISHED:
        raise PlanningError("reason", _("Only a published promise that is still running can be withdrawn."), 409)
    reason = (reason or "").strip()
    if not reason:
        raise PlanningError("reason", _("Say why the promise is withdrawn: residents read it on its page."))
    with transaction.atomic():
        promise.status = Promise.Status.WITHDRAWN
        promise.withdrawn_on = timezone.localdate()
        promise.withdraw_reason = reason
        promise.stamp(user)
        promise.save()
        history.record(user, promise, Revision.Subject.PROMISE, promise, [], reason=reason,
                       action=Revision.Action.WITHDRAWN)  # fmt: skip
    return promise


def remove_commitment(user: Any, commitment: Commitment) -> None:
    """Remove a commitment of a draft (owners of a party). A published commitment stays: change it,
    with a reason where its target or date changes."""
    _may(user, commitment_policy, "change", commitment)
    if commitment.promise.status != Promise.Status.DRAFT:
        raise PlanningError(
            "body", _("The promise is published: its commitments stay on record. Change this one instead."), 409
        )
    commitment.delete()


def add_update(user: Any, commitment: Commitment, **fields: Any) -> Update:
    """A dated note for residents on a commitment (owners of a party)."""
    _may(user, commitment_policy, "change", commitment)
    update = Update(commitment=commitment, **_only(fields, ("published_on", "text", "text_en")))
    update.stamp(user)
    _validated(update)
    update.save()
    return update


def _save_commitment(
    user: Any,
    commitment: Commitment,
    fields: dict[str, Any],
    responsible: Iterable[int] | None,
    places: Iterable[int] | None,
    outcome_item: Any,
) -> Commitment:
    promise = commitment.promise
    for name, value in _only(fields, COMMITMENT_FIELDS).items():
        setattr(commitment, name, value)
    if outcome_item is None:
        commitment.outcome_item = None
    elif outcome_item is not UNCHANGED:
        item = Item.objects.filter(pk=outcome_item, survey__area=promise.area).first()
        if item is None:
            raise PlanningError("outcome_item", _("No such question in a survey of the promise's area."))
        commitment.outcome_item = item
    chosen_places = None if places is None else _places(promise, places)
    chosen_responsible = None if responsible is None else _responsible(promise, responsible)
    commitment.stamp(user)
    _validated(commitment)
    with transaction.atomic():
        commitment.save()
        if chosen_places is not None:
            commitment.places.set(chosen_places)
        if chosen_responsible is not None:
            commitment.responsible.set(chosen_responsible)
    return commitment


def _parties(area: Area, ids: Iterable[int]) -> set[int]:
    ids = set(ids)
    found = set(Organisation.objects.filter(pk__in=ids, areas=area).values_list("pk", flat=True))
    if missing := ids - found:
        raise PlanningError("parties", _("Not organisations of this area: %(ids)s.") % {"ids": sorted(missing)})
    return found


def _places(promise: Promise, ids: Iterable[int]) -> set[int]:
    ids = set(ids)
    found = set(Place.objects.filter(pk__in=ids, area=promise.area).values_list("pk", flat=True))
    if missing := ids - found:
        raise PlanningError("places", _("Not places of the promise's area: %(ids)s.") % {"ids": sorted(missing)})
    return found


def _responsible(promise: Promise, ids: Iterable[int]) -> set[int]:
    ids = set(ids)
    found = set(promise.parties.filter(pk__in=ids).values_list("pk", flat=True))
    if missing := ids - found:
        raise PlanningError("responsible", _("Not parties to the promise: %(ids)s.") % {"ids": sorted(missing)})
    return found


def _may_place(user: Any, action: str, place: Place) -> None:
    if not place_policy.can(user, action, place):
        raise PlanningError("name", _("Only owners and analysts of the area's organisations change its places."), 403)


def _may(user: Any, policy: Policy, action: str, obj: Model) -> None:
    if not policy.can(user, action, obj):
        raise PlanningError("body", _("Only owners of a party change this promise."), 403)


def _only(fields: dict[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name in allowed}


def follow_on(user: Any, previous: Promise, promise: Promise) -> Promise:
    """Start `promise` from `previous`'s follow-up: the same outcome links (incident types, ring, control
    and donor areas), its problem triangle, and the causes its kept commitments did not settle (a cause
    is settled when a commitment addressing it was kept), in the same tree."""
    from lofte.analysis.vocabulary import Status

    from .follow_up import follow_up
    from .models import Cause

    _may(user, promise_policy, "change", promise)
    if previous.area_id != promise.area_id or not promise_policy.can(user, "work", previous):
        raise PlanningError("previous", _("A promise follows on from an earlier promise of the same area."))
    progress = follow_up(previous, previous.period_end).progress
    kept = {pk for pk, found in progress.items() if found.status == Status.KEPT}
    with transaction.atomic():
        promise.previous = previous
        promise.outcome_incident_types, promise.buffer_m = previous.outcome_incident_types, previous.buffer_m
        promise.triangle = previous.triangle
        promise.save()
        comparable = comparable_areas(promise, user)
        promise.control_areas.set(comparable.filter(pk__in=previous.control_areas.all()))
        promise.donor_areas.set(comparable.filter(pk__in=previous.donor_areas.all()))
        copies: dict[int, Cause] = {}
        for cause in previous.causes.order_by("pk").prefetch_related("commitments"):
            settled = any(c.pk in kept for c in cause.commitments.all())
            parent = copies.get(cause.parent_id) if cause.parent_id else None
            if not settled:
                copies[cause.pk] = Cause.objects.create(promise=promise, parent=parent, text=cause.text,
                                                        text_en=cause.text_en, evidence=cause.evidence)  # fmt: skip
            elif parent is not None:
                copies[cause.pk] = parent  # a settled cause's open children hang on its copied parent
    return promise
