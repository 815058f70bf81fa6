"""Unified social credit code (统一社会信用代码, GB 32100-2015) for civil-affairs organizations.

python-stdnum's `cn.uscc` computes the 18th check character; it knows nothing of
the authority/type characters or of the organization code's own check (GB 11714),
so those rules live here. Each failure raises one ValidationError whose message
says what is wrong and, where it can, what the character should be.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from orgs.models import Organization

USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 0-9 A-Z without I O Z S V
CIVIL_AFFAIRS_AUTHORITY = "5"
# Char 2 under authority 5 (民政): the kind of organization.
KIND_TYPE_CHAR = {
    "social_group": "1",
    "private_non_enterprise": "2",
    "foundation": "3",
    "community": "9",
}
# GB 11714-1997: 8 body characters, weights 3 7 9 10 5 8 4 2, check = 11 − Σ mod 11 (10 → X, 11 → 0).
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _kind_label(kind: str) -> str:
    try:
        return str(Organization.Kind(kind).label)
    except ValueError:
        return kind


def normalize_uscc(raw: str) -> str:
    """Strip every space (full-width ones too) and invisible format character, fold
    full-width letters and digits to ASCII, upper-case. Codes pasted from Word or
    Excel arrive like "９１ ３３０４..." or with a zero-width space."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf").upper()


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character of an 8-character organization-code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_check_char(first17: str) -> str:
    """The 18th character of a code whose first 17 characters are `first17`."""
    return stdnum_uscc.calc_check_digit(first17)


def _fail(message: str, code: str, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def validate_uscc(raw: str, *, kind: str | None = None) -> str:
    """Return the normalised code, or raise ValidationError naming the first thing wrong.

    With `kind` (an Organization.Kind value) the code must also be a civil-affairs
    code (authority 5) whose type character agrees with the kind.
    """
    code = normalize_uscc(raw)
    if not code:
        raise _fail(_("Enter the unified social credit code."), "uscc_empty")
    if len(code) != USCC_LENGTH:
        raise _fail(
            _("A unified social credit code has 18 characters; this one has %(length)d."),
            "uscc_length",
            length=len(code),
        )
    for position, char in enumerate(code, 1):
        if char not in USCC_ALPHABET:
            raise _fail(
                _(
                    "Character %(position)d (“%(char)s”) is not allowed: a unified social credit "
                    "code uses only the digits 0–9 and the capital letters A–Z except I, O, S, V and Z."
                ),
                "uscc_alphabet",
                position=position,
                char=char,
            )
    if kind is not None:
        if code[0] != CIVIL_AFFAIRS_AUTHORITY:
            raise _fail(
                _(
                    "The first character (registering authority) is “%(char)s”; a social "
                    "organization registered with civil affairs has “5”."
                ),
                "uscc_authority",
                char=code[0],
            )
        expected = KIND_TYPE_CHAR.get(kind)
        if expected is not None and code[1] != expected:
            raise _fail(
                _(
                    "The second character (organization type) is “%(char)s”, which does not "
                    "agree with the kind “%(kind)s”: it should be “%(expected)s”."
                ),
                "uscc_type",
                char=code[1],
                kind=_kind_label(kind),
                expected=expected,
            )
    if not code[2:8].isdigit():
        raise _fail(
            _(
                "Characters 3–8 (“%(part)s”) must be the registering authority's 6-digit "
                "administrative division code."
            ),
            "uscc_division",
            part=code[2:8],
        )
    expected_org_check = org_code_check_char(code[8:16])
    if code[16] != expected_org_check:
        raise _fail(
            _(
                "The organization code (characters 9–17, “%(part)s”) fails its own check: "
                "character 17 should be “%(expected)s”, not “%(char)s”."
            ),
            "uscc_org_code",
            part=code[8:17],
            expected=expected_org_check,
            char=code[16],
        )
    expected_check = uscc_check_char(code[:17])
    if code[17] != expected_check:
        raise _fail(
            _("The check character (the 18th) is “%(char)s”; the check character should be “%(expected)s”."),
            "uscc_check",
            char=code[17],
            expected=expected_check,
        )
    return code


def make_uscc(kind: str, division_code: str, serial: int) -> str:
    """A valid civil-affairs code for demo data and tests.

    The organization-code body is "MJ" and a 6-digit serial, the pattern of codes
    civil affairs assigns since 2015; both check characters are computed.
    """
    if not (len(division_code) == 6 and division_code.isdigit()):
        raise ValueError(f"division_code must be 6 digits, got {division_code!r}")
    if not 0 <= serial < 1_000_000:
        raise ValueError(f"serial must be in 0..999999, got {serial}")
    body = f"MJ{serial:06d}"
    first17 = (
        f"{CIVIL_AFFAIRS_AUTHORITY}{KIND_TYPE_CHAR[kind]}{division_code}{body}{org_code_check_char(body)}"
    )
    return first17 + uscc_check_char(first17)
