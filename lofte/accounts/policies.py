"""Permission policies: one object per model answers "may this user do X to this object"
and "which objects may this user see". Views, the API and the admin all ask them.
"""

from django.db.models import Q

from .models import Membership, Organisation, Role

LOGGING_ROLES = (Role.OFFICER,)
ACTIVITY_READERS = (Role.OWNER, Role.ANALYST, Role.ADMIN)


def organisations_where(user, *roles):
    """Organisations in which `user` holds one of `roles` (any role when none given)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


class PromisePolicy:
    def visible(self, user):
        """Public promises for everyone; drafts too for members of a party."""
        from lofte.promises.models import Promise

        promises = Promise.objects.all()
        if user.is_authenticated and user.is_superuser:
            return promises
        if not user.is_authenticated:
            return promises.public()
        party = Q(parties__in=organisations_where(user))
        return promises.filter(Q(status__in=["published", "closed"]) | party).distinct()

    def of_parties(self, user):
        """Promises `user` works on: those of an organisation they belong to (all for superusers)."""
        from lofte.promises.models import Promise

        if user.is_authenticated and user.is_superuser:
            return Promise.objects.all()
        return Promise.objects.filter(parties__in=organisations_where(user)).distinct()

    def editable(self, user):
        from lofte.promises.models import Promise

        if user.is_authenticated and user.is_superuser:
            return Promise.objects.all()
        owners = organisations_where(user, Role.OWNER)
        return Promise.objects.filter(parties__in=owners).distinct()

    def can_view(self, user, promise):
        return self.visible(user).filter(pk=promise.pk).exists()

    def can_edit(self, user, promise):
        return self.editable(user).filter(pk=promise.pk).exists()


class PlacePolicy:
    def visible(self, user):
        from lofte.places.models import Place

        return Place.objects.all() if user.is_authenticated else Place.objects.none()

    def loggable(self, user):
        """Places where `user` may log patrols: in the areas of their police organisations."""
        from lofte.places.models import Place

        orgs = organisations_where(user, *LOGGING_ROLES)
        return Place.objects.filter(area__organisations__in=orgs).distinct()


class ActivityPolicy:
    """Patrols, seizures and other activity records share one rule set."""

    def logging_organisations(self, user):
        return organisations_where(user, *LOGGING_ROLES)

    def may_log_at(self, user, organisation, area):
        """May `user` log an activity for `organisation` in `area`?"""
        return (
            self.logging_organisations(user).filter(pk=organisation.pk).exists()
            and organisation.areas.filter(pk=area.pk).exists()
        )

    def visible(self, user, model):
        """Owners, analysts and admins see their organisations' records; officers their own."""
        rows = model.objects.all()
        if user.is_authenticated and user.is_superuser:
            return rows
        if not user.is_authenticated:
            return rows.none()
        orgs = organisations_where(user, *ACTIVITY_READERS)
        return rows.filter(Q(organisation__in=orgs) | Q(created_by=user)) if hasattr(
            model, "organisation"
        ) else rows.filter(Q(organisations__in=orgs) | Q(created_by=user)).distinct()


class IncidentPolicy:
    """Members see the situation picture in aggregate; analysts also see incident points."""

    def may_view_situation(self, user):
        return user.is_authenticated and (user.is_superuser or organisations_where(user).exists())

    def may_see_points(self, user):
        return user.is_authenticated and (user.is_superuser or organisations_where(user, Role.ANALYST).exists())


class OrganisationPolicy:
    def managed(self, user):
        """Organisations whose memberships `user` may manage."""
        if user.is_authenticated and user.is_superuser:
            return Organisation.objects.all()
        return organisations_where(user, Role.ADMIN)


class SurveyPolicy:
    """Members of a survey's organisations see it; owners and analysts run it (samples, letters,
    imports); results are public once the survey is marked published."""

    RUNNERS = (Role.OWNER, Role.ANALYST)

    def visible(self, user):
        from lofte.surveys.models import Survey

        if user.is_authenticated and user.is_superuser:
            return Survey.objects.all()
        return Survey.objects.filter(organisations__in=organisations_where(user)).distinct()

    def runnable(self, user):
        from lofte.surveys.models import Survey

        if user.is_authenticated and user.is_superuser:
            return Survey.objects.all()
        return Survey.objects.filter(organisations__in=organisations_where(user, *self.RUNNERS)).distinct()

    def can_run(self, user, survey):
        return self.runnable(user).filter(pk=survey.pk).exists()

    def can_see_results(self, user, survey):
        return survey.published or self.visible(user).filter(pk=survey.pk).exists()


promises = PromisePolicy()
surveys = SurveyPolicy()
places = PlacePolicy()
activities = ActivityPolicy()
organisations = OrganisationPolicy()
incidents = IncidentPolicy()
