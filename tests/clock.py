"""A test module whose dates are constants (`TODAY = ...` at import) runs on the day it was collected.

A session that crosses local midnight would otherwise compare yesterday's constants with the code's
today. `on_collection_day()` returns the moment of import and an autouse fixture that moves each test
of the module back to it (time_machine, ticking)::

    NOW, _on_collection_day = on_collection_day()
    TODAY = timezone.localdate(NOW)
"""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.utils import timezone


def on_collection_day() -> tuple[dt.datetime, Callable[[], Iterator[None]]]:
    now = timezone.now()

    @pytest.fixture(autouse=True, name="on_collection_day_clock")
    def fixture() -> Iterator[None]:
        with time_machine.travel(now, tick=True):
            yield

    return now, fixture
