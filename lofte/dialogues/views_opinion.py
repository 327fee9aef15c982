"""The public opinion pages: vote on one statement at a time, and see the groups the votes form."""

from django.http import HttpRequest
from django.http.response import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lofte.analysis.opinion import OpinionGroups
from lofte.core.client import client_address
from lofte.core.problems import InputProblem
from lofte.core.translations import localized

from . import opinions
from .models import OpinionExercise, OpinionStatement

GROUP_COLOURS = ("#a1262b", "#1f4e8c", "#2e7d32", "#7a2e8e", "#b26a00")


def _voter(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(opinions.COOKIE, default=None, salt=opinions.COOKIE)


def vote(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(OpinionExercise, pk=pk)
    known = _voter(request)
    voter = known or opinions.new_voter()
    error, status = None, 200
    if request.method == "POST":
        try:
            opinions.vote(exercise, voter, request.POST.get("statement", "0"), _vote_value(request.POST.get("vote")),
                          address=client_address(request), new_voter=known is None)  # fmt: skip
        except (InputProblem, ValueError) as problem:
            error = getattr(problem, "message", _("Choose agree, disagree or pass."))
            status = 429 if getattr(problem, "status", None) == 429 else 400
        else:
            response = redirect("opinion", pk=pk)
            response.set_signed_cookie(opinions.COOKIE, voter, salt=opinions.COOKIE, max_age=365 * 86400,
                                       httponly=True, samesite="Lax")  # fmt: skip
            return response
    statement = opinions.next_statement(exercise, voter) if exercise.is_open else None
    total = exercise.statements.count()
    done = total - (exercise.statements.filter(pk__gte=statement.pk).count() if statement else 0)
    ctx = {"exercise": exercise, "statement": statement, "text": localized(statement, "text") if statement else "",
           "done": done, "total": total, "error": error}  # fmt: skip
    return render(request, "dialogues/vote.html", ctx, status=status)


def groups_page(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_object_or_404(OpinionExercise, pk=pk)
    found = opinions.groups(exercise)
    if found is None:
        return render(request, "dialogues/groups.html", {"exercise": exercise, "found": None})
    texts = {s.pk: localized(s, "text") for s in OpinionStatement.objects.filter(exercise=exercise)}
    groups = [
        {"number": g + 1, "size": len(members), "colour": GROUP_COLOURS[g % len(GROUP_COLOURS)],
         "representative": [(texts[r.statement], r.direction, r.share) for r in found.representative[g]]}
        for g, members in enumerate(found.groups)
    ]  # fmt: skip
    ctx = {"exercise": exercise, "found": found, "groups": groups, "chart": _chart(found),
           "consensus": [texts[s] for s in found.consensus]}  # fmt: skip
    return render(request, "dialogues/groups.html", ctx)


def _chart(found: OpinionGroups) -> str:
    from lofte.core.svg import figure_svg, new_axes

    figure, axes = new_axes((6.0, 4.0), _("Participants on the two main axes of their votes, by group"))
    xs, ys = zip(*found.coordinates)
    for g in range(found.k):
        chosen = [i for i, label in enumerate(found.labels) if label == g]
        axes.scatter([xs[i] for i in chosen], [ys[i] for i in chosen], s=12, alpha=0.7,
                     color=GROUP_COLOURS[g % len(GROUP_COLOURS)], label=_("group %(n)s") % {"n": g + 1})  # fmt: skip
    axes.set_xticks([]), axes.set_yticks([])
    axes.legend(frameon=False, fontsize=8)
    return figure_svg(figure)


def _vote_value(posted: object) -> int:
    """1, -1 or 0 as posted; anything else is 9, which `opinions.vote` refuses in words."""
    return {"1": 1, "-1": -1, "0": 0}.get(str(posted).strip(), 9)
