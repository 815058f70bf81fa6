"""Detectors for personal data in public output: resident ID numbers and mainland mobile numbers.

Both look only at digit runs bounded by non-alphanumerics, so a hex file name or a token
that happens to hold eleven digits in a row is not mistaken for a phone, while Chinese text
around a number ("电话13812345678") still is.
"""

import re
from datetime import date

# 6-digit address, birth date YYYYMMDD (1900–2099), 3-digit sequence, check digit or X.
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def id_numbers_in(text: str) -> list[str]:
    """Resident-ID-shaped runs whose birth date exists (20250231 does not)."""
    found = []
    for match in ID_NUMBER.finditer(text):
        try:
            date(int(match.group(2)), int(match.group(3)), int(match.group(4)))
        except ValueError:
            continue
        found.append(match.group(0))
    return found


def mobiles_in(text: str) -> list[str]:
    return MOBILE.findall(text)
