"""Translation and locale formatting, per call (never process-wide: users' languages must not mix).

`t(key, lang, **params)` looks the key up in the chosen language, falls back to English, then to the
key itself, and fills `{placeholders}` from params (a missing one is left visible, never an error).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal

from core.i18n_catalog import MESSAGES

LANGUAGES = {"it": "Italiano", "en": "English"}
DEFAULT_LANGUAGE = "it"
FALLBACK_LANGUAGE = "en"
LOCALES = {"it": "it_IT", "en": "en_GB"}


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def normalise_language(lang: str | None) -> str:
    code = (lang or "").split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = DEFAULT_LANGUAGE, /, **params: object) -> str:
    entry = MESSAGES.get(key)
    entry = entry or {}
    text = entry.get(normalise_language(lang)) or entry.get(FALLBACK_LANGUAGE) or key
    return text.format_map(_Params(params)) if params else text


def locale_of(lang: str | None) -> str:
    return LOCALES[normalise_language(lang)]


def format_date(value: datetime.date | None, lang: str | None, fmt: str = "medium") -> str:
    return "" if value is None else _babel_date(value, fmt, locale=locale_of(lang))


def format_datetime(value: datetime.datetime | None, lang: str | None, fmt: str = "medium") -> str:
    return "" if value is None else _babel_datetime(value, fmt, locale=locale_of(lang))


def format_money(amount: Decimal | int | str, currency: str, lang: str | None) -> str:
    return format_currency(Decimal(str(amount)), currency, locale=locale_of(lang))


def format_number(value: Decimal | int | float, lang: str | None) -> str:
    return format_decimal(value, locale=locale_of(lang))


def country_names(lang: str | None) -> dict[str, str]:
    """ISO 3166 two-letter codes to country names in the user's language, sorted by name."""
    from babel import Locale

    names = Locale.parse(locale_of(lang)).territories
    pairs = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code != "ZZ"]
    return dict(sorted(pairs, key=lambda p: p[1]))
