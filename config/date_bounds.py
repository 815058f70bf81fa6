"""Dates bounded to their real range: one validator for every date and date-time the platform stores.

Python and PostgreSQL both accept year 1 or 9999, but a time zone conversion, a calendar grid
or `date + timedelta` then overflows and the page answers 500 (an event dated 0001-01-01 broke
three pages). Every stored DateField/DateTimeField carries `date_in_range` (model layer: full_clean;
forms and DRF ModelSerializers pick model validators up); form and API fields that are not model
fields use `BoundedDateField` / `BoundedDateTimeField` (django.forms) or the DRF twins in
config.api.fields.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# The widest offset PostgreSQL accepts in a time stamp literal is ±15:59.
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)


@deconstructible(path="config.date_bounds.DateInRange")
class DateInRange:
    """Refuse a date (or date-time) outside [DATE_MIN, DATE_MAX], or a date-time whose UTC offset
    is beyond ±15:59."""

    message = _("Enter a date between %(min)s and %(max)s.")
    offset_message = _("Enter a time zone offset between -15:59 and +15:59.")
    code = "date_out_of_range"

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, dt.datetime):
            offset = value.utcoffset()
            if offset is not None and abs(offset) > MAX_UTC_OFFSET:
                raise ValidationError(self.offset_message, code="offset_out_of_range")
            day = value.date()
        else:
            day = value
        if not DATE_MIN <= day <= DATE_MAX:
            self.fail_range()

    def fail_range(self):
        raise ValidationError(
            self.message, code=self.code, params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}
        )

    def __eq__(self, other):
        return isinstance(other, DateInRange)

    def __hash__(self):
        return hash(DateInRange)


date_in_range = DateInRange()


class BoundedDateField(forms.DateField):
    default_validators = [date_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    default_validators = [date_in_range]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:  # year 1 or 9999 moved across a time zone
            date_in_range.fail_range()
