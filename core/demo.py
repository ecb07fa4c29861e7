"""Realistic demo clients: valid identifiers by construction, deterministic for a seed.

Client no. 1 is always Giulia Bianchi from Rome (tests and first-time users can rely on her).
"""

from __future__ import annotations

import datetime
import random

from stdnum import luhn
from stdnum.br import cnpj
from stdnum.it import codicefiscale

from core import demo_billing
from core.identifiers.person import name_code, surname_code
from core.models import Client
from core.search import fold
from core.store.repository import add_many
from core.store.uow import UnitOfWork
from core.validation import check_card

# city, province, postal code, Belfiore code, phone area code
IT_CITIES = [
    ("Roma", "RM", "00184", "H501", "06"),
    ("Milano", "MI", "20121", "F205", "02"),
    ("Napoli", "NA", "80133", "F839", "081"),
    ("Torino", "TO", "10121", "L219", "011"),
    ("Bologna", "BO", "40121", "A944", "051"),
    ("Firenze", "FI", "50122", "D612", "055"),
    ("Bari", "BA", "70121", "A662", "080"),
    ("Palermo", "PA", "90133", "G273", "091"),
    ("Genova", "GE", "16121", "D969", "010"),
    ("Venezia", "VE", "30121", "L736", "041"),
    ("Verona", "VR", "37121", "L781", "045"),
    ("Padova", "PD", "35122", "G224", "049"),
    ("Trieste", "TS", "34121", "L424", "040"),
    ("Cagliari", "CA", "09124", "B354", "070"),
    ("Perugia", "PG", "06121", "G478", "075"),
    ("Ancona", "AN", "60121", "A271", "071"),
    ("Trento", "TN", "38122", "L378", "0461"),
    ("Aosta", "AO", "11100", "A326", "0165"),
    ("Pescara", "PE", "65121", "G482", "085"),
    ("Lecce", "LE", "73100", "E506", "0832"),
]
BR_CITIES = [("São Paulo", "01310100"), ("Rio de Janeiro", "20040002"), ("Belo Horizonte", "30130010"),
             ("Porto Alegre", "90010150"), ("Recife", "50010000"), ("Curitiba", "80010000")]  # fmt: skip
FIRST_F = ["Giulia", "Chiara", "Francesca", "Sara", "Martina", "Elena", "Anna", "Valentina", "Zoë", "Noemi",
           "Beatrice", "Alessia", "Federica", "Ilaria", "Paola", "Lucia", "Maria Grazia", "Rebecca"]  # fmt: skip
FIRST_M = ["Marco", "Luca", "Andrea", "Matteo", "Francesco", "Nicolò", "Niccolò", "Giuseppe", "Davide",
           "Stefano", "Alessandro", "Lorenzo", "Gabriele", "Paolo", "Riccardo", "Tommaso", "Gian Luca"]  # fmt: skip
LAST = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
        "D'Angelo", "Fabbri", "Caruso", "Ferrara", "Santoro", "Galli", "Mazza", "Sartori", "Longo", "Pellegrini"]  # fmt: skip
BR_FIRST = ["João", "Ana", "Pedro", "Mariana", "Lucas", "Beatriz", "Gabriel", "Larissa", "Rafael", "Camila"]
BR_LAST = ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento"]
STREETS = ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Viale dei Mille", "Piazza Cavour",
           "Via Dante", "Via XX Settembre", "Via Verdi", "Largo Augusto"]  # fmt: skip
COMPANY_WORDS = ["Termoidraulica", "Clima", "Impianti", "Servizi", "Tecnica", "Manutenzioni", "Edil", "Studio"]
COMPANY_FORMS = ["S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "S.r.l.s."]
PA_NAMES = ["Comune di {city}", "ASL {city}", "Istituto Comprensivo {city} 2", "Università degli Studi di {city}"]
TAGS = ["bonus psicologo", "minore", "coppia", "online", "condominio", "contratto annuale", "urgente", "convenzione"]
MONTHS = "ABCDEHLMPRST"


def _codice_fiscale(first: str, last: str, born: datetime.date, female: bool, belfiore: str) -> str:
    day = born.day + (40 if female else 0)
    base = f"{surname_code(last)}{name_code(first)}{born.year % 100:02d}{MONTHS[born.month - 1]}{day:02d}{belfiore}"
    return base + codicefiscale.calc_check_digit(base)


def _partita_iva(rng: random.Random) -> str:
    base = f"{rng.randint(1, 9999999):07d}{rng.randint(1, 100):03d}"
    return base + luhn.calc_check_digit(base)


def _cpf(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(9)]
    for length in (9, 10):
        total = sum(d * w for d, w in zip(digits, range(length + 1, 1, -1), strict=True))
        digits.append(total * 10 % 11 % 10)
    return "".join(map(str, digits))


def _cnpj(rng: random.Random) -> str:
    base = f"{rng.randint(1, 99999999):08d}0001"
    return base + cnpj.calc_check_digits(base)


def _mobile(rng: random.Random) -> str:
    return f"+393{rng.choice('234689')}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"


def _email(rng: random.Random, *parts: str) -> str:
    local = ".".join(fold(p).replace(" ", "").replace("'", "") for p in parts if p)
    return f"{local}{rng.randint(1, 99) if rng.random() < 0.3 else ''}@{rng.choice(['example.it', 'example.com'])}"


def _private(rng: random.Random, at: datetime.datetime) -> dict:
    female = rng.random() < 0.6
    first = rng.choice(FIRST_F if female else FIRST_M)
    last = rng.choice(LAST)
    born = datetime.date(at.year - rng.randint(8, 85), rng.randint(1, 12), rng.randint(1, 28))
    city, prov, cap, belfiore, _area = rng.choice(IT_CITIES)
    values = {
        "kind": "private", "first_name": first, "last_name": last,
        "tax_code": _codice_fiscale(first, last, born, female, belfiore), "birth_date": born,
        "birth_place": city, "sex": "F" if female else "M", "emails": [_email(rng, first, last)],
        "phones": [_mobile(rng)], "street": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
        "postal_code": cap, "city": city, "province": prov, "country": "IT",
        "psych_bonus": rng.random() < 0.1, "ts_opposition": rng.random() < 0.05,
    }  # fmt: skip
    if born.year > at.year - 18:
        values["tags"] = ["minore"]
    return values


def _company(rng: random.Random) -> dict:
    city, prov, cap, _belfiore, area = rng.choice(IT_CITIES)
    condo = rng.random() < 0.3
    name = (
        f"Condominio {rng.choice(STREETS)} {rng.randint(1, 90)}"
        if condo
        else f"{rng.choice(COMPANY_WORDS)} {rng.choice(LAST)} {rng.choice(COMPANY_FORMS)}"
    )
    vat = _partita_iva(rng)
    slug = fold(name.split()[1]).replace("'", "")
    values = {
        "kind": "company", "company_name": name, "vat_country": "IT", "vat_number": "" if condo else vat,
        "tax_code": vat if condo else "", "sdi_code": "" if condo else f"{rng.choice('ABCKMSTUWX')}{rng.randint(0, 999999):06d}",
        "pec": f"{slug}@pec.{rng.choice(['example.it', 'example.com'])}", "emails": [f"info@{slug}.example.it"],
        "phones": [f"+39{area}{rng.randint(100000, 999999)}"], "street": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
        "postal_code": cap, "city": city, "province": prov, "country": "IT",
        "tags": ["condominio"] if condo else rng.sample(["contratto annuale", "convenzione"], k=rng.randint(0, 1)),
    }  # fmt: skip
    if not condo and rng.random() < 0.5:
        values.update(first_name=rng.choice(FIRST_F + FIRST_M), last_name=rng.choice(LAST))
    return values


def _public(rng: random.Random) -> dict:
    city, prov, cap, _belfiore, area = rng.choice(IT_CITIES)
    code = f"{rng.randint(8000000, 9999999):07d}{rng.randint(1, 100):03d}"
    return {
        "kind": "public_administration", "company_name": rng.choice(PA_NAMES).format(city=city),
        "tax_code": code + luhn.calc_check_digit(code), "sdi_code": "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6)),
        "pec": f"protocollo@pec.{fold(city)}.example.it", "phones": [f"+39{area}{rng.randint(100000, 999999)}"],
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 50)}", "postal_code": cap, "city": city,
        "province": prov, "country": "IT",
    }  # fmt: skip


def _brazilian(rng: random.Random) -> dict:
    city, cep = rng.choice(BR_CITIES)
    street = f"Rua {rng.choice(BR_LAST)} {rng.randint(10, 2000)}"
    phone = f"+55{rng.choice(['11', '21', '31', '51'])}9{rng.randint(60000000, 99999999)}"
    if rng.random() < 0.8:
        first, last = rng.choice(BR_FIRST), f"{rng.choice(BR_LAST)} {rng.choice(BR_LAST)}"
        return {"kind": "private", "first_name": first, "last_name": last, "tax_code": _cpf(rng),
                "emails": [_email(rng, first, last.split()[0])], "phones": [phone], "street": street,
                "postal_code": cep, "city": city, "country": "BR"}  # fmt: skip
    return {"kind": "company", "company_name": f"{rng.choice(BR_LAST)} Serviços Ltda", "tax_code": _cnpj(rng),
            "vat_country": "BR", "emails": [f"contato{rng.randint(1, 99)}@example.com.br"], "phones": [phone],
            "street": street, "postal_code": cep, "city": city, "country": "BR"}  # fmt: skip


def _giulia(at: datetime.datetime) -> dict:
    born = datetime.date(1987, 4, 12)
    return {
        "kind": "private", "first_name": "Giulia", "last_name": "Bianchi",
        "tax_code": _codice_fiscale("Giulia", "Bianchi", born, True, "H501"), "birth_date": born,
        "birth_place": "Roma", "sex": "F", "emails": ["giulia.bianchi@example.it"], "phones": ["+393471234567"],
        "street": "Via Merulana 120", "postal_code": "00185", "city": "Roma", "province": "RM", "country": "IT",
        "tags": ["bonus psicologo"], "psych_bonus": True,
    }  # fmt: skip


def _card(rng: random.Random, number: int, at: datetime.datetime) -> Client:
    if number == 1:
        values = _giulia(at)
    else:
        roll = rng.random()
        maker = _private if roll < 0.79 else _company if roll < 0.89 else _public if roll < 0.92 else _brazilian
        values = maker(rng, at) if maker is _private else maker(rng)
    quick = number > 1 and rng.random() < 0.04
    if quick:  # a quick registration: only the name was typed
        keep = ("kind", "first_name", "last_name", "company_name", "phones")
        values = {k: v for k, v in values.items() if k in keep}
    if number > 1 and rng.random() < 0.12:
        values["tags"] = sorted({*values.get("tags", []), rng.choice(TAGS)})
    created = at - datetime.timedelta(days=rng.randint(1, 365 * 6), minutes=rng.randint(0, 1440))
    extra = {
        "client_number": number,
        "created_at": created,
        "updated_at": created + datetime.timedelta(days=rng.randint(0, 30)) if rng.random() < 0.3 else created,
        "version": 1,
        "sex": values.pop("sex", ""),
        "attention": number > 1 and rng.random() < 0.03,
        "no_reminders": number > 1 and rng.random() < 0.04,
    }
    if number > 1:
        roll = rng.random()
        if roll < 0.08:
            extra["active"] = False
        elif roll < 0.11:
            extra["deleted_at"] = at - datetime.timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 23))
        elif roll < 0.13:
            extra.update(needs_review=True, review_reason="Imported: the phone number had too few digits")
    extra["updated_at"] = min(max(extra["updated_at"], created), at)
    missing = check_card(values, quick=True).missing_fields
    return Client(**values, missing_fields=missing, **extra)


def generate_clients(n: int, seed: int = 0, at: datetime.datetime | None = None) -> list[Client]:
    """`n` demo cards numbered 1..n; the same seed always gives the same cards."""
    at = (at or datetime.datetime.now()).replace(microsecond=0)
    rng = random.Random(seed)
    return [_card(rng, number, at) for number in range(1, n + 1)]


def load_demo(conn, clients: int, seed: int = 0, at: datetime.datetime | None = None) -> int:
    """Fill an empty database with demo cards in one transaction. Returns how many were created."""
    if clients < 1:
        raise ValueError("clients must be 1 or more")
    cards = generate_clients(clients, seed, at)
    with UnitOfWork(conn) as uow:
        if uow.cursor.execute("SELECT count(*) FROM clients").fetchone()[0]:
            raise ValueError("the database is not empty")
        add_many(uow.cursor, cards)
        uow.cursor.execute("SELECT max(nextval('client_number_seq')) FROM range(?)", [clients])
        uow.cursor.execute(
            """INSERT INTO client_history (client_number, changed_at, user_name, action, changes)
               SELECT client_number, created_at, 'demo', 'created', '{}' FROM clients"""
        )
        demo_billing.write(uow.cursor, cards, seed, (at or datetime.datetime.now()).date())
        uow.commit()
    return len(cards)
