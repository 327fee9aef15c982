"""Schemathesis against the API's own OpenAPI document: for generated requests, anonymous and with an
officer's token, no server error and no answer outside the document."""

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a test extra (pip install -e '.[test]')")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from lofte.config.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Rules the schema cannot state (a visit ends after it starts, a place in one's own areas) rightly
# refuse some schema-valid bodies, so "valid data is accepted" is not among the checks.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def one_connection():
    """Requests go straight to the WSGI application here, not through Django's test client: like the
    client, keep the test's database connection open across them (it holds the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(db, one_connection):
    from lofte.accounts.models import ApiToken

    from .base import BaseTestCase

    BaseTestCase.setUpTestData()
    return ApiToken.issue(BaseTestCase.officer, "fuzz")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_document(case, officer_token):
    for headers in ({}, {"Authorization": f"Bearer {officer_token}"}):
        case.call_and_validate(headers=headers, checks=CHECKS)
