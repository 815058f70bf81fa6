"""Resident ID numbers (公民身份号码, GB 11643-1999): normalise, check, derive birth date and gender.

Hard rules (a number failing them is refused): 18 characters, 17 digits then a
digit or X, the ISO 7064 MOD 11-2 check character, and a real birth date that is
not in the future. The 6-digit address code is only a warning: python-stdnum's
table (stdnum.cn.ric) rejects real numbers issued before a district was created
or renamed, and raises KeyError on some codes it half knows.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # (12 − Σ mod 11) mod 11 → character, i.e. index Σ mod 11
_SHAPE = re.compile(r"^\d{17}[\dX]$")
_SEPARATORS = re.compile(r"[\s\-]+")


def normalize_id_number(raw: str | None) -> str:
    """Strip spaces and hyphens, upper-case a trailing x."""
    if raw is None:
        return ""
    return _SEPARATORS.sub("", str(raw)).upper()


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits (10 is written X)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def make_id_number(address_code: str, birth_date: date, sequence: int) -> str:
    """A well-formed number (for demo data and tests): odd sequence male, even female."""
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


@dataclass
class IdNumberInfo:
    number: str
    birth_date: date
    gender: str  # "male" / "female", as Member.Gender
    warnings: list[str] = field(default_factory=list)


def _birth_date(number: str, today: date) -> date:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("Characters 7–14 (%(digits)s) are not a real date of birth (YYYYMMDD).")
            % {"digits": number[6:14]},
            code="id_birth_date",
        ) from None
    if born > today:
        raise ValidationError(
            _("The date of birth in the number (%(date)s) is in the future.") % {"date": born.isoformat()},
            code="id_birth_future",
        )
    return born


def address_warning(number: str) -> str:
    """Empty when stdnum knows the address code for the birth year, else a message (never an error)."""
    try:
        ric.get_birth_place(number)
    except Exception:  # noqa: BLE001  (stdnum raises InvalidComponent, KeyError, …: all mean "unknown")
        return _(
            "The address code %(code)s (first six digits) is not in the division table for the year of "
            "birth; check it (districts created or renamed later are not listed)."
        ) % {"code": number[:6]}
    return ""


def parse_id_number(raw: str | None, *, today: date | None = None) -> IdNumberInfo:
    """Check the hard rules and derive birth date and gender; address problems become warnings.

    Raises ValidationError with a message saying what is wrong (and, for the check
    character, what it should be).
    """
    number = normalize_id_number(raw)
    if not number:
        raise ValidationError(_("Enter the resident ID number."), code="required")
    if len(number) != LENGTH:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="id_length",
        )
    if not _SHAPE.match(number):
        raise ValidationError(
            _("The first 17 characters must be digits and the last a digit or X."), code="id_format"
        )
    expected = check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check character (the 18th) is %(given)s but should be %(expected)s: a digit is mistyped.")
            % {"given": number[17], "expected": expected},
            code="id_check_char",
        )
    born = _birth_date(number, today or timezone.localdate())
    gender = "male" if int(number[16]) % 2 else "female"
    warning = address_warning(number)
    return IdNumberInfo(number=number, birth_date=born, gender=gender, warnings=[warning] if warning else [])
