"""What the navigation offers a signed-in user: each link is shown when the policy of its page says
the user may use it (each page still checks on the server). It lives with the project's settings and
URLs because it names pages of every app."""

from django.http import HttpRequest

from lofte.accounts.permissions import organisations
from lofte.activities.permissions import patrols
from lofte.dialogues.permissions import dialogues
from lofte.incidents.permissions import jobs
from lofte.observations.permissions import actions, observations
from lofte.plans.permissions import reports
from lofte.surveys.permissions import surveys


def navigation(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_patrol": patrols.can(user, "log"),
        "nav_surveys": surveys.can(user, "view"),
        "nav_organisation": organisations.can(user, "change"),
        "nav_import": jobs.can(user, "add"),
        "nav_dialogues": dialogues.can(user, "add"),
        "nav_report": observations.can(user, "report"),
        "nav_actions": actions.can(user, "add"),
        "nav_plans": reports.can(user, "view"),
    }
