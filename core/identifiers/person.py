"""What an Italian codice fiscale says about its holder, and whether it agrees with the card.

>>> surname_code('Rossi'), name_code('Mario')
('RSS', 'MRA')
>>> derive('RSSMRA30A01H501I')
(datetime.date(1930, 1, 1), 'M')
"""

from __future__ import annotations

import datetime
import unicodedata

from stdnum.it import codicefiscale

from core.identifiers import tax_code

VOWELS = set("AEIOU")
_OMOCODIA = str.maketrans("LMNPQRSTUV", "0123456789")


def _letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in folded.upper() if "A" <= ch <= "Z")


def surname_code(surname: str) -> str:
    letters = _letters(surname)
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    return "".join(consonants + vowels + ["X"] * 3)[:3]


def name_code(name: str) -> str:
    letters = _letters(name)
    consonants = [c for c in letters if c not in VOWELS]
    if len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    vowels = [c for c in letters if c in VOWELS]
    return "".join(consonants + vowels + ["X"] * 3)[:3]


def sex_of(cf: str) -> str:
    """'F' when the day of birth is over 40 (omocodia letters read as digits), else 'M'."""
    return "F" if int(cf[9:11].translate(_OMOCODIA)) > 40 else "M"


def derive(cf: str) -> tuple[datetime.date | None, str]:
    """(birth date, sex 'M'/'F') from a 16-character codice fiscale; (None, '') otherwise."""
    if tax_code.CF_PERSON.match(cf or ""):
        born = tax_code.person_birth_date(cf)
        return (born, sex_of(cf)) if born else (None, "")
    if len(cf or "") != 16 or not codicefiscale.is_valid(cf):
        return None, ""
    # python-stdnum's get_gender reads the day as digits, which fails on omocodic codes
    day = int(cf[9:11].translate(_OMOCODIA))
    try:
        return codicefiscale.get_birth_date(cf), "F" if day > 40 else "M"
    except (ValueError, codicefiscale.ValidationError):
        return None, ""


def mismatches(cf: str, first_name: str, last_name: str, birth_date: datetime.date | None) -> list[tuple[str, str]]:
    """Fields the codice fiscale disagrees with, as (field, message key). Warnings, not errors."""
    if len(cf or "") != 16 or not codicefiscale.is_valid(cf):
        return []
    found = []
    if last_name and surname_code(last_name) != cf[0:3]:
        found.append(("last_name", "warning.cf_surname"))
    if first_name and name_code(first_name) != cf[3:6]:
        found.append(("first_name", "warning.cf_name"))
    derived, _sex = derive(cf)
    if (
        birth_date
        and derived
        and (birth_date.month, birth_date.day, birth_date.year % 100)
        != (
            derived.month,
            derived.day,
            derived.year % 100,
        )
    ):
        found.append(("birth_date", "warning.cf_birth_date"))
    return found
