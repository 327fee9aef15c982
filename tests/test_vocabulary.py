"""The vocabulary of lofte/analysis/vocabulary.py is the one the models, the API and the templates use."""

import pytest
from django.utils import translation

from lofte.analysis import vocabulary as words
from lofte.core.templatetags.lofte import STATUS_LABELS, VERDICT_LABELS, verdict_label
from lofte.promises.models import Commitment
from lofte.surveys.models import Wave


@pytest.mark.parametrize(
    ("choices", "enum"),
    [
        (Commitment.Metric, words.Metric),
        (Commitment.Comparator, words.Comparator),
        (Commitment.Measure, words.Measure),
        (Wave.Kind, words.WaveKind),
    ],
)
def test_the_models_choices_are_the_vocabulary(choices, enum):
    assert list(choices.values) == [member.value for member in enum]


def test_every_status_and_verdict_has_a_label_in_both_languages():
    assert set(STATUS_LABELS) == set(words.Status)
    assert set(VERDICT_LABELS) == set(words.Verdict)
    with translation.override("sv"):
        assert verdict_label(words.Verdict.BETTER) == "förbättring"
        assert verdict_label(None) == verdict_label(words.Verdict.NONE)


def test_the_api_declares_the_statuses_of_the_vocabulary(client):
    document = client.get("/api/v1/openapi.json").json()
    status = document["components"]["schemas"]["Status"]
    assert status["enum"] == [member.value for member in words.Status]
