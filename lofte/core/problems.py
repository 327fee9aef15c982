"""The one shape of a refusal by a service (logging, planning, members, surveys): it names the input
field at fault and the HTTP answer it deserves, so that the API answers it and a page shows it on
its field the same way wherever it comes from."""

from django.core.exceptions import PermissionDenied


class InputProblem(Exception):
    """Input a service will not store: `field` names the offending input, `status` is 422, or 403 when
    the person may not do it at all."""

    def __init__(self, field: str, message: str, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.status = field, message, status

    def forbid(self) -> None:
        """Raise PermissionDenied when this is a refusal of the person rather than of the input."""
        if self.status == 403:
            raise PermissionDenied(self.message) from self
