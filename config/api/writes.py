"""The write viewsets' one shape: validate the input, call the service in one transaction, answer
with the output serializer. A service's refusal is not caught here: it reaches
`config.api.errors.service_exception_handler`, which answers 400 naming each field.

- `ServiceWriteMixin`: `validated()`, `write()`, `respond()` and `create_or_correct()` (an
  `external_id` sent again corrects the row it created the first time, 200 instead of 201;
  `unchanged_or_refused()` lets a correction refuse a start date it may not rewrite);
- `ServiceWriteViewSet`: list and retrieve through the subclass's `get_queryset()` (visible_to),
  writes added by the subclass;
- `EndActionMixin`: `POST …/<id>/end/` for dated rows, the subclass naming the service in `end_row()`;
- `RemoveActionMixin`: `DELETE …/<id>/` for a row entered by mistake, the subclass naming the service
  in `remove_row()` (documented with `remove_schema()`); `ServiceWriteMixin.removed()` is its answer,
  for a remove routed elsewhere (a member's history row).
"""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.mixin_bases import GenericAPIViewMixinBase
from orgs.models import Region
from orgs.services.external_keys import external_bind, external_find

_T = TypeVar("_T", bound=Callable[..., Any])
_R = TypeVar("_R")
StrOrPromise = str | Promise

STAFF_WRITE = _("Only district or street staff write.")
IN_SCOPE = _("No such record inside your scope.")


def write_responses(forbidden: StrOrPromise = STAFF_WRITE) -> dict:
    """The documented refusals of a write (400, 401, 403)."""
    return {
        400: OpenApiResponse(description=_("A field is wrong: the body names each field and says why.")),
        401: OpenApiResponse(description=_("No credentials, or wrong ones.")),
        403: OpenApiResponse(description=forbidden),
    }


def not_found(description: StrOrPromise = IN_SCOPE) -> dict:
    return {404: OpenApiResponse(description=description)}


ERRORS = write_responses()
NOT_FOUND = not_found()


class EndSerializer(serializers.Serializer):
    until = serializers.DateField(help_text=_("The first day no longer covered (exclusive)."))


def end_schema(
    summary: StrOrPromise,
    description: StrOrPromise,
    response: type[serializers.Serializer],
    request: type[serializers.Serializer] = EndSerializer,
) -> Callable[[_T], _T]:
    """The documentation of an `EndActionMixin` viewset's `end` action, for its `extend_schema_view`."""
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: response, **ERRORS, **NOT_FOUND},
    )


def remove_schema(
    summary: StrOrPromise, description: StrOrPromise, removed: StrOrPromise, errors: dict | None = None
) -> Callable[[_T], _T]:
    """The documentation of a `RemoveActionMixin` viewset's `destroy`, for its `extend_schema_view`:
    204 described by `removed`, the refusals `errors` (a write's by default) and 404."""
    return extend_schema(
        summary=summary,
        description=description,
        responses={204: OpenApiResponse(description=removed), **(errors or ERRORS), **NOT_FOUND},
    )


def unchanged_or_refused(row: Model, field: str, sent: date | None, label: StrOrPromise) -> None:
    """A re-send may not silently rewrite a start date no service corrects: refuse, naming the field."""
    kept = getattr(row, field)
    if sent is not None and sent != kept:
        raise ValidationError(
            {
                field: _(
                    "The record with this external id has %(label)s %(date)s; it cannot be changed here."
                )
                % {"label": label, "date": kept.isoformat()}
            }
        )


class ServiceWriteMixin(GenericAPIViewMixinBase):
    def validated(self, serializer_class: type[serializers.BaseSerializer], partial: bool = False) -> dict:
        """The request's body through `serializer_class` (400 naming each field when it is wrong);
        `partial` for a change of some fields only."""
        serializer = serializer_class(
            data=self.request.data, partial=partial, context={"request": self.request}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def write(self, call: Callable[[], _R]) -> _R:
        """Run `call()` (one or more service calls) in one transaction."""
        with transaction.atomic():
            return call()

    def respond(
        self, row: Any, status_code: int = status.HTTP_200_OK, output: Callable[[Any], Any] | None = None
    ) -> Response:
        """The row through the viewset's serializer, or as `output(row)` when the answer differs."""
        data = output(row) if output is not None else self.get_serializer(row).data
        return Response(data, status=status_code)

    def removed(self, call: Callable[[], object]) -> Response:
        """Run `call()` (the service removing a row) in one transaction and answer 204."""
        self.write(call)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def create_or_correct(
        self,
        *,
        kind: str,
        region: Region | None,
        external_id: str,
        model: type[Model],
        create: Callable[[], Model],
        correct: Callable[[Any], Model],
        output: Callable[[Any], Any] | None = None,
    ) -> Response:
        """`create()` a row and bind `external_id` to it (201); when the id is bound already,
        `correct(existing)` instead (200). Without a `region` (the service will name the missing
        party) nothing is looked up or bound. `output` as in `respond()`."""

        def call() -> tuple[Model, int]:
            existing = external_find(kind, region, external_id, model) if region is not None else None
            if existing is not None:
                return correct(existing), status.HTTP_200_OK
            row = create()
            if region is not None:
                external_bind(kind, region, external_id, row)
            return row, status.HTTP_201_CREATED

        row, status_code = self.write(call)
        return self.respond(row, status_code, output)


class ServiceWriteViewSet(
    ServiceWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reads scoped by the subclass's `get_queryset()`; writes through services."""


if TYPE_CHECKING:
    _EndActionBase = ServiceWriteMixin  # mixed into a ServiceWriteViewSet
else:
    _EndActionBase = object


# `POST …/<id>/end/`: a dated row ends (a row outside the scope answers 404). A comment, not a
# docstring: drf-spectacular would publish a docstring as the description of the viewset's operations.
class EndActionMixin(_EndActionBase):
    end_serializer_class: type[serializers.Serializer] = EndSerializer

    def end_row(self, row: Any, data: dict) -> Model:
        raise NotImplementedError

    @action(detail=True, methods=["post"])
    def end(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:  # format: the router's .json suffix
        row = self.get_object()
        data = self.validated(self.end_serializer_class)
        return self.respond(self.write(lambda: self.end_row(row, data)))


# `DELETE …/<id>/`: a row entered by mistake removed through its service (audited there); a row
# outside the scope answers 404. `removable_row()` may refuse first (a narrower permission).
class RemoveActionMixin(_EndActionBase):
    def remove_row(self, row: Any) -> object:
        raise NotImplementedError

    def removable_row(self) -> Any:
        return self.get_object()

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.removable_row()
        return self.removed(lambda: self.remove_row(row))
