"""The JSON API (django-ninja); its OpenAPI document is at /api/v1/openapi.json."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lofte.core.problems import InputProblem

from . import actions, activities, dialogues, invitations, observations, planning, plans, promises, situation, surveys


class LofteAPI(NinjaAPI):
    """The API with one addition to its document: every operation that takes input says it may answer
    422, as the input checks before any view does (a NUL character anywhere, `core.middleware`) and
    the validation of each operation do; several operations left it out."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        refused = {
            "description": "Unprocessable input",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                takes_input = operation.get("parameters") or operation.get("requestBody")
                responses = operation["responses"]
                if takes_input and 422 not in responses and "422" not in responses:
                    responses[422] = refused
        return schema


api = LofteAPI(
    title="Löfte API",
    version="1",
    description="Citizen promises for local safety: progress, patrols, seizures and survey results.",
    urls_namespace="api",
)
api.add_router("/promises/", promises.router)
api.add_router("/commitments/", planning.commitments_router)
api.add_router("/invitations/", invitations.router)
api.add_router("/", activities.router)
api.add_router("/areas/", situation.router)
api.add_router("/surveys/", surveys.router)
api.add_router("/dialogues/", dialogues.router)
api.add_router("/", observations.router)
api.add_router("/", actions.router)
api.add_router("/municipalities/", plans.router)


def _error(request: HttpRequest, status: int, detail: str, errors: Iterable[tuple[str, str]] = ()) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]},
        status=status,
    )


def _field_name(loc: Iterable[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [(_field_name(e.get("loc", ())), e.get("msg", "invalid")) for e in exc.errors]
    summary = "; ".join(f"{f}: {m}" for f, m in errors)
    return _error(request, 422, f"Invalid input: {summary}", errors)


@api.exception_handler(InputProblem)
def input_problem(request: HttpRequest, exc: InputProblem) -> HttpResponse:
    return _error(request, exc.status, f"{exc.field}: {exc.message}", [(exc.field, exc.message)])


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Authentication required: a bearer token or a logged-in session.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "You may not see this.")
