"""DRF and django-filter twins of config.date_bounds' bounded fields (one rule for every API input)."""

import django_filters
from rest_framework import serializers

from config.date_bounds import BoundedDateField, BoundedDateTimeField, date_in_range


class BoundedDateTimeSerializerField(serializers.DateTimeField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [date_in_range])
        super().__init__(*args, **kwargs)

    def enforce_timezone(self, value):
        date_in_range(value)  # before the conversion: year 1 at UTC+8 would underflow it
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            date_in_range.fail_range()


class BoundedDateSerializerField(serializers.DateField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [date_in_range])
        super().__init__(*args, **kwargs)


class BoundedDateTimeFilter(django_filters.DateTimeFilter):
    field_class = BoundedDateTimeField


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField
