"""The test factories' base: `MemberFactory()` is a `Member` to mypy, as it is at run time.

factory_boy types `create()`/`build()` by the model (`DjangoModelFactory[Member]`) but leaves the
class call `MemberFactory()` untyped, so mypy would take it for a `MemberFactory` instance.
"""

from typing import TYPE_CHECKING, Any

from factory.django import DjangoModelFactory


class ModelFactory[ModelT](DjangoModelFactory[ModelT]):
    if TYPE_CHECKING:
        # The factory's metaclass answers the call with a model instance, not a factory.
        def __new__(cls, *args: Any, **kwargs: Any) -> ModelT: ...  # type: ignore[misc]
