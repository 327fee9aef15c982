"""Who may see support cases: only case workers, and only their own organisation's cases."""

from lofte.accounts.models import Role
from lofte.accounts.policies import organisations_where

from .models import SupportCase


def visible(user):
    """Cases `user` may read; admins and superusers see none unless they are case workers too."""
    return SupportCase.objects.filter(organisation__in=organisations_where(user, Role.CASE_WORKER))


def workplaces(user):
    return organisations_where(user, Role.CASE_WORKER)


def get_case_for(user, pk):
    from django.http import Http404

    case = visible(user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case
