"""Questions a lower app asks and a higher app answers, so that imports only go downwards (as
Wagtail's hooks): the situation page in ``incidents`` opens on the period of the area's promise, and
the residents' form in ``dialogues`` belongs to areas that have made one, yet neither imports
``promises``; ``promises`` registers the answers in its ``AppConfig.ready()``.

A question is asked with ``ask(name, *args)``: the first registered answer's value, or ``default`` when
no app answers it (an app that is not installed)."""

from collections.abc import Callable
from typing import Any

_answers: dict[str, list[Callable[..., Any]]] = {}

# The questions, each with the app that answers it; ``register`` refuses any other name.
QUESTIONS = {
    "area_promise_period": "promises",  # (user, area) -> (start, end) of the latest promise user sees
    "area_has_public_promise": "promises",  # (area) -> bool
    # (user, area, start, end, disclosure) -> the partners' observations for the situation page, or None
    "area_observations": "observations",
}


def register(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    if name not in QUESTIONS:
        raise ValueError(f"no hook named {name!r}; the hooks are {sorted(QUESTIONS)}")

    def add(answer: Callable[..., Any]) -> Callable[..., Any]:
        if answer not in _answers.setdefault(name, []):
            _answers[name].append(answer)
        return answer

    return add


def ask(name: str, *args: Any, default: Any = None) -> Any:
    if name not in QUESTIONS:
        raise ValueError(f"no hook named {name!r}")
    answers = _answers.get(name, [])
    return answers[0](*args) if answers else default
