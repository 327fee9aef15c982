"""Voting on an opinion exercise's statements, one at a time, and its opinion groups.

A voter is a random id in a signed cookie: no login, nothing about the person. One vote per statement
and voter (the database refuses a second). The groups are computed from all votes by
`lofte.analysis.opinion` and kept in the cache until a vote changes them."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from lofte.analysis.opinion import opinion_groups
from lofte.core.kept import kept
from lofte.core.problems import InputProblem

from .models import OpinionStatement, OpinionVote

COOKIE = "lofte-voter"
MIN_PARTICIPANTS = 10  # fewer voters than this: no groups are shown (too few to be anyone but individuals)


def new_voter():
    return secrets.token_hex(16)


def next_statement(exercise, voter):
    """The first statement of `exercise` that `voter` has not voted on (None when all are done)."""
    done = OpinionVote.objects.filter(voter=voter, statement__exercise=exercise).values("statement")
    return exercise.statements.exclude(pk__in=done).first()


def vote(exercise, voter, statement_id, choice):
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


def groups(exercise):
    """The exercise's opinion groups (lofte.analysis.opinion), or None with too few voters."""
    votes = OpinionVote.objects.filter(statement__exercise=exercise)
    state = votes.aggregate(n=Count("pk"), last=Max("pk"))
    if votes.values("voter").distinct().count() < MIN_PARTICIPANTS:
        return None

    def compute():
        rows = list(votes.values_list("voter", "statement_id", "vote"))
        try:
            return opinion_groups(*zip(*rows), seed=0)
        except ValueError:  # too few with enough votes, or everybody alike
            return None

    return kept("opinion-groups", (exercise.pk, state["n"], state["last"]), compute, 3600)
