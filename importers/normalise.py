"""Normalising legacy values: each function takes text and returns text (or a date/Decimal), never raising.

Decisions that need the whole column (day-first or month-first dates) are made by `date_order`.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale

from core.dates import dates_of
from core.identifiers.person import name_code, surname_code
from core.search import fold

# "NA" and "ND" are not null tokens here: NA is the province of Napoli.
NULL_TOKENS = {"", "null", "none", "nil", "nan", "-", "--", "n/a", "n.a.", "n.d.", "#n/d", "#n/a", "?"}
COMPANY_MARKERS = re.compile(
    r"\b(s\.?r\.?l\.?s?|s\.?p\.?a\.?|s\.?n\.?c\.?|s\.?a\.?s\.?|s\.?c\.?a\.?r\.?l|soc\.?|societa|ltda|ltd|inc|llc|gmbh|"
    r"sarl|s\.?l\.?u?|s\.?a\.?|coop|cooperativa|studio|condominio|comune|asl|azienda|associazione|fondazione|"
    r"consorzio|ente|universita|istituto|ministero|regione|provincia di|scuola|hotel|ristorante|"
    r"services|servizi|group|gruppo|corporation|corp|limited|plc|eireli|comercio|holding|&)\b",
    re.IGNORECASE,
)
_UPPER_WORDS = {"SRL", "SPA", "SNC", "SAS", "SRLS", "SCARL", "LTDA", "LTD", "INC", "LLC", "GMBH", "ASL", "ASP", "IT"}
_PARTICLES = {"de", "di", "del", "della", "dello", "dei", "da", "dal", "dalla", "lo", "la", "le", "van", "von",
              "dos", "das", "do", "san", "santa", "mc", "d'"}  # fmt: skip
KIND_WORDS = {
    "private": ["privato", "privati", "persona fisica", "persona", "paziente", "cliente privato", "individual", "person",
                "private", "individuo", "pessoa fisica", "particular", "consumer", "b2c", "individual"],
    "company": ["azienda", "societa", "ditta", "impresa", "professionista", "company", "business", "organization",
                "empresa", "pessoa juridica", "b2b", "condominio", "ente privato", "associazione"],
    "public_administration": ["pa", "p a", "pubblica amministrazione", "ente pubblico", "public administration",
                              "government", "b2g", "administracion publica", "orgao publico"],
}  # fmt: skip
_KIND_LOOKUP = {re.sub(r"[^a-z0-9]+", " ", w).strip(): k for k, words in KIND_WORDS.items() for w in words}


@lru_cache(maxsize=1 << 17)  # a column repeats its values (cities, categories, blanks): clean each once
def clean(value: object) -> str:
    """Trim, collapse inner white space, strip a spreadsheet's protective apostrophe, blank the NULL tokens."""
    if value is None:
        return ""
    text = " ".join(str(value).replace("\u00a0", " ").split())
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@0123456789":
        text = text[1:]
    return "" if text.lower() in NULL_TOKENS else text


def proper_case(text: str) -> str:
    """'ROSSI MARIO' -> 'Rossi Mario', "D'ANGELO" -> "D'Angelo"; text with any lower case is left alone."""
    if not text or text != text.upper() or not any(ch.isalpha() for ch in text):
        return text
    words = []
    for word in text.split(" "):
        bare = re.sub(r"[^A-Z]", "", word)
        if bare in _UPPER_WORDS:
            words.append(word)
        else:
            words.append(word.title())
    return " ".join(words)


def proper_case_many(values: list[str]) -> list[str]:
    """`proper_case` of a column: ASCII text with any lower-case letter is left alone as Arrow finds it; the rest
    (names in capitals, other scripts) goes through `proper_case`, each distinct value once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        column = pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return [proper_case(v) for v in values]
    kept = pc.fill_null(pc.and_(pc.string_is_ascii(column), pc.not_equal(pc.ascii_upper(column), column)), True)
    return fill_each(list(values), values, pc.indices_nonzero(pc.invert(kept)).to_pylist(), proper_case)


def looks_like_company(name: str) -> bool:
    return bool(COMPANY_MARKERS.search(fold(name or "")))


def split_full_name(text: str, last_first: bool, tax_code: str = "") -> tuple[str, str]:
    """(first, last). Particles stay with the surname: 'De Luca Marco' -> ('Marco', 'De Luca'). A person's codice
    fiscale codes the surname and the name in its first six letters: when they fit the name read the other way
    round and not this way ('Mario Rossi' in a "Cognome Nome" column, with RSSMRA...), that way is taken."""
    first, last = _split_name(text, last_first)
    code = (tax_code or "").replace(" ", "").upper()
    if len(code) == 16 and code[:6].isalpha() and (surname_code(last), name_code(first)) != (code[:3], code[3:6]):
        other_first, other_last = _split_name(text, not last_first)
        if (surname_code(other_last), name_code(other_first)) == (code[:3], code[3:6]):
            return other_first, other_last
    return first, last


def _split_name(text: str, last_first: bool) -> tuple[str, str]:
    tokens = text.split()
    if len(tokens) < 2:
        return ("", text) if last_first else (text, "")
    if last_first:
        cut = 1
        while cut < len(tokens) - 1 and tokens[cut - 1].lower().rstrip("'") in _PARTICLES:
            cut += 1
        return " ".join(tokens[cut:]), " ".join(tokens[:cut])
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1].lower().rstrip("'") in _PARTICLES:
        cut -= 1
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


_ADDRESS = re.compile(
    r"^(?P<street>.*?)[,\s-]+(?P<cap>\d{5})\s+(?P<city>[^,(]+?)\s*(?:\(?(?P<prov>[A-Za-z]{2})\)?)?\s*(?:,\s*(?P<country>[^,]+))?$"
)


def split_address(text: str) -> dict[str, str]:
    """'Via Roma 1, 00184 Roma (RM)' -> street, postal_code, city, province; unparsed text stays the street."""
    match = _ADDRESS.match(text.strip())
    if not match:
        return {"street": text}
    parts = {"street": match["street"].strip(" ,"), "postal_code": match["cap"], "city": match["city"].strip()}
    if match["prov"]:
        parts["province"] = match["prov"].upper()
    if match["country"]:
        parts["country"] = match["country"].strip()
    return parts


def kind_of(text: str) -> str | None:
    key = re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()
    return _KIND_LOOKUP.get(key)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in ("en", "it", "pt", "es", "fr", "de"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), code)
    names.update({"italy": "IT", "italia": "IT", "usa": "US", "uk": "GB", "england": "GB", "brasil": "BR"})
    return names


def country_code(text: str) -> str:
    """'Italia', 'Italy', 'it', 'ITA' -> 'IT'; unknown text is returned as it was."""
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        return text.upper()
    if len(text) == 3 and text.upper() in {"ITA": "IT", "BRA": "BR", "ESP": "ES"}:
        return {"ITA": "IT", "BRA": "BR", "ESP": "ES"}[text.upper()]
    return _country_names().get(fold(text).strip(), text)


def postal_code(text: str, country: str) -> str:
    """Italian CAP that lost its leading zero in a spreadsheet: '184' / '184.0' -> '00184'."""
    code = text.strip()
    if code.endswith(".0") and code[:-2].isdigit():
        code = code[:-2]
    if (country or "IT") == "IT" and code.isdigit() and 3 <= len(code) < 5:
        return code.zfill(5)
    return code


def vat_number(text: str, country: str) -> str:
    """A partita IVA that lost its leading zeros as a number: '1114601006' -> '01114601006'."""
    code = text.strip()
    if code.endswith(".0") and code[:-2].isdigit():
        code = code[:-2]
    if (country or "IT") == "IT" and code.isdigit() and 8 <= len(code) < 11:
        return code.zfill(11)
    return code


# The first three letters of the month names in English, Italian, Portuguese and Spanish (CLDR, as Babel gives
# them: `month_prefixes`; written out so that starting an import does not load four locales)
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
           "nov": 11, "dec": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12,
           "fev": 2, "abr": 4, "mai": 5, "out": 10, "dez": 12, "ene": 1}  # fmt: skip


def month_prefixes() -> dict[str, int]:
    """The month prefixes from Babel's locale data (what `_MONTHS` holds; a test holds the two together)."""
    return {fold(name)[:3]: i for lang in ("en", "it", "pt", "es") for i, name in
            enumerate(Locale.parse(lang).months["format"]["wide"].values(), start=1)}  # fmt: skip


_NUMERIC_DATE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})(?:[ T].*)?$")
_TEXT_DATE = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-zÀ-ÿ]{3,})\.?\s+(\d{1,2})?,?\s*(\d{4})$")


def date_order(values) -> str:
    """'dmy' or 'mdy' for a column of numeric dates, decided from the values that can only be one."""
    return date_order_counted(Counter(values))


def date_order_counted(counts: dict[str, int]) -> str:
    """`date_order` of a column given as its distinct values and how often each occurs."""
    day_first = month_first = 0
    for value, count in counts.items():
        match = _NUMERIC_DATE.match(value or "")
        if not match or len(match[1]) == 4:
            continue
        a, b = int(match[1]), int(match[2])
        day_first += count * (a > 12 >= b)
        month_first += count * (b > 12 >= a)
    return "mdy" if month_first > day_first else "dmy"


def parse_date(text: str, order: str = "dmy") -> datetime.date | None:
    """ISO, day- or month-first with / . -, two-digit years, 'Jan 28 2021', '28 gennaio 2021', Excel serials."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if text.replace(".", "", 1).isdigit() and 20000 <= float(text) <= 80000:  # Excel serial day
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(text)))
        match = _NUMERIC_DATE.match(text)
        if match:
            a, b, c = match.groups()
            if len(a) == 4:
                return datetime.date(int(a), int(b), int(c))
            day, month = (int(a), int(b)) if order == "dmy" else (int(b), int(a))
            year = int(c)
            if len(c) == 2:
                year += 2000 if year <= datetime.date.today().year % 100 else 1900
            return datetime.date(year, month, day)
        match = _TEXT_DATE.match(text)
        if match:
            day = match[1] or match[3]
            month = _MONTHS.get(fold(match[2])[:3])
            if day and month:
                return datetime.date(int(match[4]), month, int(day))
    except ValueError:
        return None
    return None


_PLAIN_DATE = r"^(?P<a>[0-9]{1,2})[./-](?P<b>[0-9]{1,2})[./-](?P<c>[0-9]{4})$"


def parse_dates(values: list[str], order: str = "dmy") -> list[datetime.date | None]:
    """`parse_date` of a column: day- or month-first dates with a four-digit year read at once (Arrow, numpy),
    the others one distinct value at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found: list[datetime.date | None] = [None] * len(values)
    try:
        parts = pc.extract_regex(pa.array(values, pa.string()), _PLAIN_DATE)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return fill_each(found, values, range(len(values)), lambda v: parse_date(v, order))
    plain = pc.is_valid(parts)
    shaped = parts.filter(plain)
    a, b, c = (pc.cast(pc.struct_field(shaped, name), pa.int64()).to_numpy() for name in "abc")
    day, month = (a, b) if order == "dmy" else (b, a)
    for index, born in zip(pc.indices_nonzero(plain).to_pylist(), dates_of(c, month, day), strict=True):
        found[index] = born
    return fill_each(found, values, pc.indices_nonzero(pc.invert(plain)).to_pylist(), lambda v: parse_date(v, order))


def fill_each(result: list, values: list, rows, fn) -> list:
    """`result` with `fn` of the values at `rows` put in place, each distinct value computed once."""
    table = {v: fn(v) for v in {values[i] for i in rows}}
    for i in rows:
        result[i] = table[values[i]]
    return result


def _decimal_separator(raw: str) -> str:
    """Which of ',' and '.' is the decimal separator ('' when neither is)."""
    if "," in raw and "." in raw:
        return "," if raw.rfind(",") > raw.rfind(".") else "."
    for sep in (",", "."):
        if sep in raw:
            integer, _, decimals = raw.rpartition(sep)
            # one separator followed by exactly three digits is a thousands mark ("1.000", "1,020"),
            # unless the integer part is zero ("0.500")
            if raw.count(sep) == 1 and (len(decimals) != 3 or integer.strip("0") == ""):
                return sep
    return ""


def parse_amount(text: str) -> Decimal | None:
    """'1.234,50', '1,234.50', '€ 1234', '$-142.85', '(12.00)' -> Decimal; None when it is not an amount."""
    raw = re.sub(r"[^\d,.\-()]", "", text or "")
    if not any(ch.isdigit() for ch in raw):
        return None
    negative = (raw.startswith("(") and raw.endswith(")")) or "-" in raw
    raw = raw.strip("()").replace("-", "")
    decimal_sep = _decimal_separator(raw)
    for sep in {",", "."} - {decimal_sep}:
        raw = raw.replace(sep, "")
    if decimal_sep:
        raw = raw.replace(decimal_sep, ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    return -amount if negative else amount
