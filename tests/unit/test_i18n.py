import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.i18n import LANGUAGES, country_names, format_date, format_money, normalise_language, t
from core.i18n_catalog import MESSAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_message_exists_in_every_language(lang):
    missing = [key for key, texts in MESSAGES.items() if not texts.get(lang)]
    assert missing == []


def test_placeholders_agree_between_languages():
    for key, texts in MESSAGES.items():
        found = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert found["it"] == found["en"], key


@pytest.mark.parametrize(
    ("key", "lang", "params", "expected"),
    [
        ("nav.trash", "it", {}, "Cestino"),
        ("nav.trash", "en", {}, "Trash"),
        ("nav.trash", "pt", {}, "Cestino"),  # unknown language: the default (Italian)
        ("nav.trash", None, {}, "Cestino"),
        ("nav.trash", "en_GB", {}, "Trash"),
        ("nav.trash", "it-IT", {}, "Cestino"),
        ("no.such.key", "it", {}, "no.such.key"),  # unknown key: the key itself, never a crash
        ("error.client_not_found", "en", {"number": 7}, "There is no client number 7."),
        ("error.client_not_found", "en", {}, "There is no client number {number}."),  # missing param stays visible
    ],
)
def test_translation_and_fallbacks(key, lang, params, expected):
    assert t(key, lang, **params) == expected


def test_english_fallback_when_a_language_lacks_an_entry(monkeypatch):
    monkeypatch.setitem(MESSAGES, "only.english", {"en": "Only English"})
    assert t("only.english", "it") == "Only English"


def test_normalise_language():
    assert normalise_language("EN") == "en"
    assert normalise_language("") == "it"


def test_babel_formats_follow_the_language():
    day = datetime.date(2026, 3, 5)
    assert format_date(day, "it") == "5 mar 2026"
    assert format_date(day, "en") == "5 Mar 2026"
    assert format_money(Decimal("1234.5"), "EUR", "it") == "1.234,50\xa0€"
    assert format_money(Decimal("1234.5"), "EUR", "en") == "€1,234.50"
    assert format_money("10", "BRL", "it").startswith("10,00")


def test_country_names_are_translated():
    assert country_names("it")["DE"] == "Germania"
    assert country_names("en")["DE"] == "Germany"


def _used_keys() -> set[str]:
    pattern = re.compile(r"""\btr?\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    keys = set()
    for folder in ("pages", "core"):
        for path in (ROOT / folder).rglob("*.py"):
            keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    keys |= set(pattern.findall((ROOT / "cli.py").read_text(encoding="utf-8")))
    keys |= set(pattern.findall((ROOT / "app.py").read_text(encoding="utf-8")))
    return keys


def test_every_literal_key_used_in_the_code_has_a_message():
    assert sorted(k for k in _used_keys() if k not in MESSAGES) == []


def test_every_error_code_raised_in_core_has_a_message():
    codes = set()
    for path in (ROOT / "core").rglob("*.py"):
        codes |= set(re.findall(r"""["']((?:error|warning)\.[a-z_]+(?:\.[a-z_]+)*)["']""", path.read_text()))
    reasons = ("checksum", "length", "component", "format")
    codes |= {f"error.{f}.{r}" for f in ("tax_code", "vat_number") for r in reasons}
    codes |= {"error.email.invalid", "error.pec.invalid"}
    codes |= {f"error.cannot_{a}" for a in ("deactivated", "reactivated", "deleted", "restored")}
    assert sorted(c for c in codes if c not in MESSAGES) == []


def test_every_dynamic_key_family_is_complete():
    from importers import fields
    from importers.mapping import ColumnMap  # noqa: F401  - the reasons below are the ones mapping.py sets

    families = {
        "import.kind": ["csv", "xlsx", "xls", "ods", "html", "fatturapa", "json", "xml", "unreadable"],
        "import.reason": ["header", "values", "profile", "saved", "user", "unmapped", "empty", "duplicate"],
        "import.count": ["rows_read", "created", "updated", "skipped", "rejected", "flagged"],
        "import.dup": ["update", "skip", "create"],
        "status": ["active", "inactive", "all", "needs_review", "incomplete"],
        "kind": ["private", "company", "public_administration", "all"],
        "history": ["created", "changed", "deactivated", "reactivated", "deleted", "restored"],
    }
    missing = [f"{family}.{name}" for family, names in families.items() for name in names
               if f"{family}.{name}" not in MESSAGES]  # fmt: skip
    targets = [t for t in fields.ALL_TARGETS if t not in fields.CARD_TARGETS or t == fields.KIND]
    missing += [f"target.{t}" for t in targets if f"target.{t}" not in MESSAGES]
    missing += [f"field.{t}" for t in fields.CARD_TARGETS if t != fields.KIND and f"field.{t}" not in MESSAGES]
    assert missing == []
