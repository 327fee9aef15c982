"""Voting on an opinion exercise's statements, one at a time, and its opinion groups.

A voter is a random id in a signed cookie: no login, nothing about the person. One vote per statement
and voter (the database refuses a second). The groups are computed from all votes by
`lofte.analysis.opinion` and kept in the cache until a vote changes them."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from lofte.analysis.opinion import OpinionGroups, opinion_groups
from lofte.core.kept import kept
from lofte.core.limits import count_in_hour
from lofte.core.problems import InputProblem

from .models import OpinionExercise, OpinionStatement, OpinionVote

COOKIE = "lofte-voter"
MIN_PARTICIPANTS = 10  # fewer voters than this: no groups are shown (too few to be anyone but individuals)


def new_voter() -> str:
    return secrets.token_hex(16)


def next_statement(exercise: OpinionExercise, voter: str) -> OpinionStatement | None:
    """The first statement of `exercise` that `voter` has not voted on (None when all are done)."""
    done = OpinionVote.objects.filter(voter=voter, statement__exercise=exercise).values("statement")
    return exercise.statements.exclude(pk__in=done).first()


def vote(
    exercise: OpinionExercise,
    voter: str,
    statement_id: int | str,
    choice: int,
    *,
    address: str | None = None,
    new_voter: bool = False,
) -> OpinionVote:
    """`voter`'s vote on a statement of `exercise`. From a public page, `address` is the client's and
    `new_voter` says that it came without a voter cookie: one address may bring at most
    LOFTE_OPINION_VOTERS_PER_HOUR new voters and LOFTE_OPINION_VOTES_PER_HOUR votes to one exercise
    an hour (a cookie is easily dropped; many residents may share one address)."""
    if address is not None:
        _within_limits(exercise, address, new_voter)
    if not exercise.is_open:
        raise InputProblem("vote", _("This exercise is closed."))
    statement = OpinionStatement.objects.filter(exercise=exercise, pk=statement_id).first()
    if statement is None:
        raise InputProblem("statement", _("No such statement in this exercise."))
    if choice not in OpinionVote.Choice.values:
        raise InputProblem("vote", _("Choose agree, disagree or pass."))
    try:
        with transaction.atomic():
            return OpinionVote.objects.create(statement=statement, voter=voter, vote=choice)
    except IntegrityError:
        raise InputProblem("vote", _("You have already voted on this statement.")) from None


def _within_limits(exercise: OpinionExercise, address: str | None, new_voter: bool) -> None:
    too_many = _("Many votes have come from your connection in a short time. Try again in an hour.")
    if new_voter and count_in_hour(f"opinion-voters:{exercise.pk}:{address}") > settings.LOFTE_OPINION_VOTERS_PER_HOUR:
        raise InputProblem("vote", too_many, 429)
    if count_in_hour(f"opinion-votes:{exercise.pk}:{address}") > settings.LOFTE_OPINION_VOTES_PER_HOUR:
        raise InputProblem("vote", too_many, 429)


def groups(exercise: OpinionExercise) -> OpinionGroups | None:
    """The exercise's opinion groups (lofte.analysis.opinion), or None with too few voters."""
    votes = OpinionVote.objects.filter(statement__exercise=exercise)
    state = votes.aggregate(n=Count("pk"), last=Max("pk"))
    if votes.values("voter").distinct().count() < MIN_PARTICIPANTS:
        return None

    def compute() -> OpinionGroups | None:
        rows = list(votes.values_list("voter", "statement_id", "vote"))
        # pol.is keeps the number of groups steady until another has been best several times in a
        # row; that state outlives one set of votes, so it is kept apart from the cached result.
        smoother = f"opinion-groups-k:{exercise.pk}"
        try:
            found = opinion_groups(*zip(*rows), seed=0, previous=cache.get(smoother))
        except ValueError:  # too few with enough votes, or everybody alike
            return None
        cache.set(smoother, found.k_choice, None)
        return found

    return kept("opinion-groups", (exercise.pk, state["n"], state["last"]), compute, 3600)
