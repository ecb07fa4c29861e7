"""VALIDATE by column: the checks of `core.validation.check_card` and the messages of `rows.finish`, applied
to a whole client table (`importers.columns`), each distinct value checked once.

Codici fiscali and e-mail addresses are first read for the whole column at once (numpy, Arrow); whatever
those fast paths do not answer goes to the same identifier modules the forms use. Rows with any problem are
picked out and given their messages one by one, in `check_card`'s order.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from core.errors import InvalidIdentifier
from core.i18n import t
from core.identifiers import address, email, person, phone, sdi, tax_code, vat
from core.models import ClientKind
from core.validation import missing_fields
from importers.rows import Message, source_column

if TYPE_CHECKING:
    from importers.columns import Columns

PRIVATE, PA = ClientKind.PRIVATE.value, ClientKind.PUBLIC_ADMINISTRATION.value


def each(fn: Callable, values: Sequence) -> list:
    """`fn` of every value, computed once per distinct value."""
    table = {v: fn(v) for v in set(values)}
    return list(map(table.__getitem__, values))


def each_pair(fn: Callable, first: Sequence, second: Sequence, known: dict | None = None) -> list:
    """`fn(a, b)` of every pair, once per distinct pair; `known` ({b: {a: answer}}) holds answers already computed
    in bulk."""
    known = known or {}
    contexts = set(second)
    if len(contexts) == 1:  # one context for the whole column (the usual case): the values alone are looked up
        (context,) = contexts
        alone = dict(known.get(context, {}))
        alone.update((a, fn(a, context)) for a in set(first) - alone.keys())
        return list(map(alone.__getitem__, first))
    pairs = list(zip(first, second, strict=True))
    table = {(a, b): answer for b, answers in known.items() for a, answer in answers.items()}
    table.update((p, fn(*p)) for p in set(pairs) - table.keys())
    return list(map(table.__getitem__, pairs))


def _known_codes(codes: Sequence[str], countries: Sequence[str]) -> dict[str, tuple[datetime.date, str]]:
    """Italian personal codes that are right, with their birth dates and sexes, read all at once (numpy)."""
    candidates = list({v for v, k in zip(codes, countries, strict=True) if k == "IT" and len(v) == 16})
    dates, sexes = tax_code.person_birth_dates(candidates, sexes=True)
    return {v: (born, sex) for v, born, sex in zip(candidates, dates, sexes, strict=True) if born}


def _known_addresses(addresses) -> dict[str, str]:
    """Everyday e-mail addresses normalised all at once (Arrow); the rest are left to `email.validate`."""
    return email.fast_normalised_found([a for a in set(addresses) if a])


def _known_vat_numbers(numbers: Sequence[str], countries: Sequence[str]) -> dict[str, str]:
    """Right Italian partite IVA, found all at once (numpy): what `vat.validate` answers for them."""
    candidates = list({v for v, k in zip(numbers, countries, strict=True) if k == "IT" and len(v) == 11})
    return {v: v for v, ok in zip(candidates, vat.italian_valid_many(candidates), strict=True) if ok}


def _known_phones(lists: Sequence[Sequence[str]], regions: Sequence[str]) -> dict[str, dict[str, str]]:
    """Everyday phone numbers in E.164, found all at once per region (Arrow): what `phone.validate` answers
    ({region: {number: E.164}})."""
    by_region: dict[str, set[str]] = {}
    if len(set(regions)) == 1:  # one home region for the whole table (the usual case): no per-row loop
        by_region[regions[0]] = set(itertools.chain.from_iterable(lists))
    else:
        for items, region in zip(lists, regions, strict=True):
            if items:
                by_region.setdefault(region, set()).update(items)
    known = {}
    for region, items in by_region.items():
        distinct = list(items)
        known[region] = phone.fast_e164_found(distinct, region)
    return known


def _checked(fn: Callable, *args) -> tuple[Any, tuple | None]:
    """(clean value, None) or (None, (message key, params)): what `check_card` records for a field."""
    try:
        return fn(*args), None
    except InvalidIdentifier as exc:
        return None, (exc.code, {"value": args[0], **exc.params})


def check_each(fn: Callable, values: Sequence[str], contexts: Sequence | None = None, known: dict | None = None, *,
               empty: bool = False) -> tuple[list, dict[int, tuple]]:  # fmt: skip
    """`fn(value, context)` (`fn(value)` without contexts) of every value, once per distinct value (or pair), as
    `check_card` records it: (the clean values, the original kept where the check failed; {row: (message key,
    params)} for the rows where it failed). Empty values pass as they are unless `empty`; `known` ({context:
    {value: clean value}}) holds what was found in bulk."""
    call = (lambda v, _k: fn(v)) if contexts is None else fn
    contexts = [None] * len(values) if contexts is None else contexts
    known = known or {}
    distinct_contexts = set(contexts)
    if len(distinct_contexts) > 1 and not empty:  # an empty value passes in any context: only the others count
        distinct_contexts = {k for v, k in zip(values, contexts, strict=True) if v} or {None}
    if len(distinct_contexts) == 1:  # one context for the whole column (the usual case): values alone are keys
        (context,) = distinct_contexts
        keys, clean = values, dict(known.get(context, {}))
        rest = [(v, context) for v in set(values) - clean.keys()]
    else:
        keys = list(zip(values, contexts, strict=True))
        clean = {(v, k): ok for k, answers in known.items() for v, ok in answers.items()}
        rest = list(set(keys) - clean.keys())
    bad = {}
    for v, context in rest:
        ok, err = _checked(call, v, context) if v or empty else (v, None)
        key = v if keys is values else (v, context)
        if err is None:
            clean[key] = ok
        else:
            bad[key] = err
    if not bad:
        return list(map(clean.__getitem__, keys)), {}
    original = values if keys is values else [v for v, _k in keys]
    cleaned = [clean.get(key, v) for key, v in zip(keys, original, strict=True)]
    return cleaned, {r: bad[key] for r, key in enumerate(keys) if key in bad}


def _unique(items) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def check_columns(c: Columns, kinds: list[str], notes: list[str], *, strict: bool, lang: str, region: str) -> dict:
    n, text = c.n, c.text
    country = text["country"]
    given = [v or k for v, k in zip(text["vat_country"], country, strict=True)]
    checks = {"country": check_each(address.validate_country, country, empty=True)}
    checks["vat_country"] = check_each(address.validate_country, given, empty=True)
    given = checks["vat_country"][0]
    vat_country = each_pair(lambda number, k: vat.split(number, k)[0] if number else k, text["vat_number"], given)
    codes = _known_codes(text["tax_code"], country)
    checks |= {
        "tax_code": check_each(tax_code.validate, text["tax_code"], country, {"IT": {v: v for v in codes}}),
        "vat_number": check_each(vat.validate, text["vat_number"], vat_country,
                                 {"IT": _known_vat_numbers(text["vat_number"], vat_country)}),
        "sdi_code": check_each(sdi.validate, text["sdi_code"], kinds),
        "pec": check_each(lambda v: email.validate(v, "pec"), text["pec"], None,
                          {None: _known_addresses(text["pec"])}),
        "postal_code": check_each(address.validate_postal_code, text["postal_code"], country),
        "province": check_each(address.validate_province, text["province"], country),
    }  # fmt: skip
    homes = [region if k == "IT" else k for k in country]
    lists = {  # tuples as collected (never changed in place); items are never empty strings: only repeats go
        name: [items if len(items) < 2 else _unique(items) for items in c.lists.get(name) or [()] * n]
        for name in ("emails", "phones", "tags")
    }
    item_checks = {
        "emails": _check_items(
            lists["emails"],
            [None] * n,
            lambda v, _k: _checked(email.validate, v),
            {None: _known_addresses(itertools.chain.from_iterable(lists["emails"]))},
        ),
        "phones": _check_items(
            lists["phones"], homes, lambda v, k: _checked(phone.validate, v, k), _known_phones(lists["phones"], homes)
        ),
    }
    today = datetime.date.today()
    tax_codes = checks["tax_code"][0]
    if checks["tax_code"][1]:
        tax_codes = list(tax_codes)
        for r in checks["tax_code"][1]:
            tax_codes[r] = ""
    derived = each_pair(
        lambda v, k: person.derive(v) if k == "IT" and v and len(v) == 16 else (None, ""),
        tax_codes,
        country,
        {"IT": codes},
    )
    out = {"kind": kinds, "notes": notes, "country": country, "vat_country": vat_country, "rejected": [False] * n,
           "flagged": [False] * n}  # fmt: skip
    for name in ("tax_code", "vat_number", "sdi_code", "pec", "postal_code", "province"):
        out[name] = checks[name][0]
    for name in ("emails", "phones"):
        out[name] = item_checks[name][0]
    out["tags"] = lists["tags"]
    for name in ("first_name", "last_name", "company_name", "street", "city", "birth_place"):
        out[name] = text[name]
    first, last, company = text["first_name"], text["last_name"], text["company_name"]
    nameless = [not (f or la or co) for f, la, co in zip(first, last, company, strict=True)]  # display_name is ""
    suspects: set[int] = {r for r, messages in enumerate(c.messages) if messages}
    for name in CHECKED:
        suspects.update(checks[name][1])
    for name in ("emails", "phones"):
        suspects.update(item_checks[name][1])
    rules = {
        "out_of_range": [bool(born) and (born > today or born.year < 1900) for born in c.birth],
        "pa_numeric": [
            kind == PA and k == "IT" and len(tax) == 16
            for kind, k, tax in zip(kinds, country, out["tax_code"], strict=True)
        ],
        "nameless": nameless,
    }
    for flags in rules.values():
        suspects.update(itertools.compress(range(n), flags))
    out["sex"] = [sex for _born, sex in derived]
    out["birth_date"] = [
        from_code if born is None and kind == PRIVATE and from_code else born
        for born, kind, (from_code, _sex) in zip(c.birth, kinds, derived, strict=True)
    ]
    for r in sorted(suspects):
        _suspect(c, r, checks, item_checks, derived, out, {name: flags[r] for name, flags in rules.items()},
                 strict=strict, lang=lang)  # fmt: skip
    present = (map(bool, out[name]) for name in MISSING_INPUTS)
    keys = list(zip(kinds, [k == "IT" for k in country], *present, map(sdi.is_real_code, out["sdi_code"]),
                    strict=True))  # fmt: skip
    first_row: dict[tuple, int] = {}
    for r, key in enumerate(keys):
        first_row.setdefault(key, r)
    missing = {key: missing_fields({"kind": kinds[r], "country": country[r], **{f: out[f][r] for f in MISSING_INPUTS}})
               for key, r in first_row.items()}  # fmt: skip
    out["missing_fields"] = [list(missing[key]) for key in keys]
    return out


CHECKED = ("country", "vat_country", "tax_code", "vat_number", "sdi_code", "pec", "postal_code", "province")
MISSING_INPUTS = ("first_name", "last_name", "company_name", "tax_code", "vat_number", "sdi_code", "pec", "street",
                  "postal_code", "city", "province")  # fmt: skip


def _suspect(c: Columns, r: int, checks: dict, item_checks: dict, derived: list, out: dict, rules: dict[str, bool],
             *, strict: bool, lang: str) -> None:  # fmt: skip
    """A row with any problem: its errors in `check_card`'s order, then what `rows.finish` says of them."""
    kind, born = out["kind"][r], c.birth[r]
    errors: dict[str, list[tuple]] = {}
    for name in CHECKED:
        problem = checks[name][1].get(r)
        if problem is not None:
            errors[name] = [problem]
    for name in ("emails", "phones"):
        if r in item_checks[name][1]:
            errors[name] = item_checks[name][1][r]
    if rules["out_of_range"]:
        errors.setdefault("birth_date", []).append(("error.birth_date.range", {}))
    if rules["pa_numeric"] and "tax_code" not in errors:
        errors["tax_code"] = [("error.tax_code.pa_numeric", {})]
    if rules["nameless"]:
        errors.setdefault("last_name" if kind == PRIVATE else "company_name", []).append(("error.name_required", {}))
    from_code, sex = derived[r] if "tax_code" not in errors else (None, "")
    out["sex"][r] = sex
    out["birth_date"][r] = from_code if born is None and kind == PRIVATE and from_code else born
    if errors or c.messages[r]:
        _row_messages(c, r, errors, out, strict=strict, lang=lang)


def _check_items(lists: list[list[str]], contexts: list, check: Callable,
                 known: dict | None = None) -> tuple[list[Sequence[str]], dict[int, list[tuple]]]:  # fmt: skip
    """Each list's items checked (once per distinct item): (the clean items of every row, a list or a tuple never
    changed in place; {row: problems} for the rows with any). `known` ({context: {item: clean item}}) holds what was found in bulk."""
    known = known or {}
    single = len(set(contexts)) == 1  # one context for the whole column (the usual case): items alone are keys
    if single:
        context = contexts[0]
        clean = dict(known.get(context, {}))
        bad = {}
        for item in set(itertools.chain.from_iterable(lists)) - clean.keys():
            ok, problem = check(item, context)
            if problem:
                bad[item] = problem
            else:
                clean[item] = ok
        if max(map(len, lists), default=0) < 2:  # the usual column: at most one item a cell
            problems = {r: [bad[items[0]]] for r, items in enumerate(lists) if items and items[0] in bad} if bad else {}
            clean.update((item, item) for item in bad)  # a bad item is kept as it was
            ones = {item: (ok,) for item, ok in clean.items()}  # one tuple per distinct item, shared by its rows
            return [ones[items[0]] if items else () for items in lists], problems
        memo = {item: (ok, None) for item, ok in clean.items()} | {item: (None, p) for item, p in bad.items()}
    else:
        memo = {(item, k): (ok, None) for k, answers in known.items() for item, ok in answers.items()}
    cleaned_lists, problems_of = [], {}
    for r, items in enumerate(lists):
        here = context if single else contexts[r]
        cleaned, problems = [], []
        for item in items:
            key = item if single else (item, here)
            if key not in memo:
                memo[key] = check(item, here)
            ok, problem = memo[key]
            cleaned.append(item if problem else ok)
            if problem:
                problems.append(problem)
        cleaned_lists.append(cleaned if len(cleaned) < 2 else list(dict.fromkeys(cleaned)))
        if problems:
            problems_of[r] = problems
    return cleaned_lists, problems_of


def _row_messages(c: Columns, r: int, errors: dict, out: dict, *, strict: bool, lang: str) -> None:
    """What `rows.finish` says of a row with problems: rejected when nameless, flagged (or, strict, rejected)."""
    messages = c.messages[r] or []
    c.messages[r] = messages
    if any(code == "error.name_required" for problems in errors.values() for code, _p in problems):
        messages.append(Message("", "", t("import.msg.no_name", lang)))
        out["rejected"][r] = True
    else:
        row_values = {**{name: column[r] for name, column in c.text.items()}, "country": out["country"][r]}
        for name, problems in errors.items():
            shown = ", ".join(c.lists[name][r]) if name in ("emails", "phones") else str(row_values.get(name, ""))
            if name == "birth_date":
                shown = str(c.birth[r] or "")
            for code, params in problems:
                messages.append(Message(source_column(c.header, c.targets, name), shown, t(code, lang, **params)))
        if errors:
            out["rejected"][r], out["flagged"][r] = strict, not strict
        if any(m.message == "import.msg.bad_date" for m in messages):
            out["flagged"][r] = True
    for message in messages:
        if message.message.startswith("import.msg."):
            message.message = t(message.message, lang, value=message.value)
