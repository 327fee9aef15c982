"""The staff's changes to an area's dialogue themes (Swedish and English only: the residents' services
are in `services`)."""

from django.utils.translation import ngettext

from lofte.core.problems import InputProblem

from .models import Theme


def delete_theme(theme: Theme) -> None:
    """Remove a theme no statement is filed under; a theme in use is renamed instead, so that the
    statements residents and dialogues gave keep their filing (candidate problems just lose it)."""
    used = theme.statements.count()
    if used:
        raise InputProblem(
            "theme",
            ngettext(
                "%(n)d statement is filed under this theme: rename it instead.",
                "%(n)d statements are filed under this theme: rename it instead.",
                used,
            )
            % {"n": used},
            status=409,
        )
    theme.delete()
