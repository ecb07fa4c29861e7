"""Phone numbers: parsed with phonenumbers against a default region, stored in E.164.

>>> validate('333 123 4567', 'IT')
'+393331234567'
>>> format('+393331234567', 'IT')
'333 123 4567'
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

from core.errors import InvalidIdentifier
from core.identifiers._util import make_is_valid


def compact(value: str | None) -> str:
    return (value or "").strip()


_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
          "fixed_line", "mobile")  # fmt: skip
_SEPARATORS = str.maketrans("", "", " .-()/\u00a0\t")


@cache
def _type_patterns(region: str):
    """(general lengths, general pattern, {length: any-type pattern}) from phonenumbers' own metadata."""
    meta = PhoneMetadata.metadata_for_region(region)
    general = meta.general_desc
    by_length: dict[int, list[str]] = {}
    for name in _TYPES:
        desc = getattr(meta, name)
        if desc is None or desc.national_number_pattern is None:
            continue
        for length in desc.possible_length or general.possible_length:
            by_length.setdefault(length, []).append(desc.national_number_pattern)
    combined = {n: re.compile("|".join(f"(?:{p})" for p in patterns)) for n, patterns in by_length.items()}
    return set(general.possible_length), re.compile(general.national_number_pattern), combined, meta


def _is_valid_for(national: str, region: str) -> bool:
    lengths, general, combined, _meta = _type_patterns(region)
    pattern = combined.get(len(national))
    return (
        len(national) in lengths and bool(general.fullmatch(national)) and bool(pattern and pattern.fullmatch(national))
    )


@cache
def _fast_regions(country_code: int) -> tuple[str, ...] | None:
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    if not regions or "001" in regions:
        return None
    if any(PhoneMetadata.metadata_for_region(r).national_prefix_for_parsing for r in regions):
        return None  # national prefixes and carrier codes: the library strips those
    return tuple(regions)


@cache
def _region_meta(region: str):
    return PhoneMetadata.metadata_for_region(region)


def fast_e164(text: str, region: str) -> str | None:
    """phonenumbers' E.164 answer for plain digit strings (None: invalid), or ... when it must decide.

    Handles '+CC…', '00CC…' and national numbers of regions without a national prefix (Italy, Spain...);
    everything else (letters, extensions, prefixes to strip) goes to the library. Tests compare the two.
    """
    compacted = text.translate(_SEPARATORS)
    meta = _region_meta((region or "IT").upper())
    if compacted.startswith("+"):
        digits = compacted[1:]
    elif compacted.startswith("00") and meta is not None and meta.international_prefix == "00":
        digits = compacted[2:]
    else:
        if meta is None or not compacted.isdigit() or meta.national_prefix_for_parsing:
            return ...
        code = str(meta.country_code)
        if compacted.startswith(code):  # '393331234567' typed without '+': as the library decides it
            lengths, general, _combined, _meta = _type_patterns((region or "IT").upper())
            rest = compacted[len(code) :]
            too_long = len(compacted) > max(lengths)
            if too_long or (not general.fullmatch(compacted) and general.fullmatch(rest)):
                compacted = rest
        digits = f"{code}{compacted}"
    if not digits.isdigit() or not 2 <= len(digits) <= 17 or digits[0] == "0":
        return ...
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return ...
    regions = _fast_regions(code)
    national = digits[size:]
    if regions is None or not national or national.strip("0") == "" or len(national) > 17:
        return ...
    for candidate in regions:  # as phonenumbers' region_code_for_number: leading digits first, then the type
        meta = _type_patterns(candidate)[3]
        if meta.leading_digits:
            if re.match(meta.leading_digits, national):
                return f"+{code}{national}" if _is_valid_for(national, candidate) else None
        elif _is_valid_for(national, candidate):
            return f"+{code}{national}"
    return None


def _fullmatch(column, pattern: str):
    import pyarrow.compute as pc

    return pc.match_substring_regex(column, f"^(?:{pattern})$")


def fast_e164_found(values: list[str], region: str) -> dict[str, str]:
    """The E.164 form of the everyday numbers of `region` among `values`, found at once (Arrow, RE2): {value: E.164};
    a value left out is for `validate` to decide.

    Answered here: national numbers typed as digits (not starting with the country code nor with "00"), and
    "+CC…" / "00CC…" with the region's own code, once separators are dropped, that are valid for the region as
    `fast_e164` tests it. Only valid numbers are answered; the tests hold the answers to `fast_e164`'s.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    region = (region or "IT").upper()
    result: dict[str, str] = {}
    meta = _region_meta(region)
    if not values or meta is None or meta.national_prefix_for_parsing or meta.international_prefix != "00":
        return result
    regions = _fast_regions(meta.country_code)
    lengths, general, combined, meta = _type_patterns(region)
    if regions is None or regions[0] != region or meta.leading_digits:
        return result
    code = str(meta.country_code)
    try:
        given = pa.array(values, pa.string())
        column = pc.replace_substring_regex(given, r"[ .\-()/\x{00a0}\t]", "")
        international = pc.extract_regex(column, rf"^(?:\+|00){code}(?P<n>[0-9]+)$")
        national = pc.if_else(pc.match_substring_regex(column, r"^(?:[1-9]|0[1-9])[0-9]*$"), column, None)
        # typed without '+' but starting like the country code: the code is dropped as `fast_e164` decides
        rest = pc.utf8_slice_codeunits(national, len(code))
        drop = pc.or_(
            pc.greater(pc.utf8_length(national), max(lengths)),
            pc.and_(pc.invert(_fullmatch(national, general.pattern)), _fullmatch(rest, general.pattern)),
        )
        national = pc.if_else(pc.and_(pc.starts_with(national, code), drop), rest, national)
        national = pc.coalesce(pc.struct_field(international, "n"), national)
        national = pc.if_else(pc.match_substring_regex(national, "[1-9]"), national, None)
        size = pc.utf8_length(national)
        valid = _fullmatch(national, general.pattern)
        fits = pa.nulls(len(values), pa.bool_())
        for length, pattern in combined.items():
            if length in lengths:
                here = pc.and_(pc.equal(size, length), _fullmatch(national, pattern.pattern))
                fits = pc.if_else(pc.equal(size, length), here, fits)
        valid = pc.fill_null(pc.and_(valid, fits), False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return result  # a pattern RE2 cannot take, or cells that are not text: one by one
    e164 = pc.binary_join_element_wise(pa.scalar(f"+{code}"), national.filter(valid), "")
    return dict(zip(given.filter(valid).to_pylist(), e164.to_pylist(), strict=True))


def validate(value: str | None, region: str = "IT") -> str:
    text = compact(value)
    if not text:
        raise InvalidIdentifier("error.required")
    fast = fast_e164(text, region)
    if fast is None:
        raise InvalidIdentifier("error.phone.invalid", value=text)
    if fast is not ...:
        return fast
    try:
        number = phonenumbers.parse(text, (region or "IT").upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier("error.phone.invalid", value=text) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("error.phone.invalid", value=text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


is_valid = make_is_valid(validate)


def format(value: str, region: str = "IT") -> str:
    """National format for numbers of the default region, international for the others."""
    try:
        number = phonenumbers.parse(value, (region or "IT").upper())
    except phonenumbers.NumberParseException:
        return value
    home = phonenumbers.region_code_for_number(number) == (region or "IT").upper()
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def digits(value: str) -> str:
    """Every digit of the number, national and international forms (for search)."""
    if value.startswith("+") and value[1:].isdigit():  # E.164 as stored: split off the country code directly
        for size in (1, 2, 3):
            if int(value[1 : 1 + size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                return f"{value[1:]} {value[1 + size :]}"
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in value if ch.isdigit())
    national = str(number.national_number)
    if number.italian_leading_zero:
        national = "0" * (number.number_of_leading_zeros or 1) + national
    return f"{number.country_code}{national} {national}"


def digits_array(values):
    """`digits` of many numbers (a list or an Arrow array of text), as an Arrow array: those stored in E.164 split
    by Arrow, the others one by one (same answers)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    e164 = pc.fill_null(pc.match_substring_regex(column, r"^\+[0-9]+$"), False)
    result = pa.nulls(len(values), pa.string())
    for size in (3, 2, 1):  # the shortest country code that is one wins, as in `digits`
        codes = pa.array(sorted(str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE if len(str(c)) == size))
        known = pc.and_(e164, pc.is_in(pc.utf8_slice_codeunits(column, 1, 1 + size), value_set=codes))
        split = pc.binary_join_element_wise(pc.utf8_slice_codeunits(column, 1), pc.utf8_slice_codeunits(column, 1 + size),
                                            " ")  # fmt: skip
        result = pc.if_else(known, split, result)
    missing = pc.is_null(result)
    if not pc.any(missing).as_py():
        return result
    rest = [digits(v) for v in column.filter(missing).to_pylist()]
    return pc.replace_with_mask(result, missing, pa.array(rest, pa.string()))
