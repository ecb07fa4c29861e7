"""The Italian billing rules, applied to an invoice's lines. Pure functions on Decimal, no database.

- Forfettario: no VAT on any line (nature N2.2), no withholding, the law cited on the document.
- Fund surcharge (e.g. ENPAP 2%): on the fees, following each line's VAT treatment (exempt fees give an
  exempt surcharge); it is not subject to withholding.
- Stamp duty: EUR 2.00 when the amounts without VAT exceed EUR 77.47 (charged to the client unless the
  practice pays it).
- Withholding (20%) on the fees when the client is a company or public administration acting as
  withholding agent, in the ordinary regime. The client pays it to the tax office, so the amount due to
  the practice is the document total less the withholding.
- Psychologist bonus: the share the state pays, shown on the document and tracked as a receivable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core.billing import ZERO, DocType, Invoice, InvoiceLine, PracticeSettings, Regime, money

STAMP_DUTY = Decimal("2.00")
STAMP_DUTY_THRESHOLD = Decimal("77.47")
FLAT_RATE_NATURE = "N2.2"
WITHHOLDING_AGENT_KINDS = ("company", "public_administration")


@dataclass(frozen=True)
class VatGroup:
    rate: Decimal
    nature: str
    fees: Decimal
    surcharge: Decimal
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    groups: list[VatGroup]
    net: Decimal
    surcharge: Decimal
    vat: Decimal
    exempt_amount: Decimal
    stamp_duty: Decimal
    withholding_amount: Decimal
    total: Decimal
    amount_due: Decimal
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (translation key, params) for the document


def withholding_default(settings: PracticeSettings, client_kind: str) -> bool:
    """Whether a new invoice to this client carries withholding, before the user says otherwise."""
    return (
        settings.regime == Regime.ORDINARY and settings.withholding_applies and client_kind in WITHHOLDING_AGENT_KINDS
    )


def line_treatment(line: InvoiceLine, regime: str) -> tuple[Decimal, str]:
    """(VAT rate, nature) actually applied: forfettario overrides every line; a 0% rate needs a nature."""
    if regime == Regime.FLAT_RATE:
        return Decimal("0"), FLAT_RATE_NATURE
    if line.vat_nature:
        return Decimal("0"), line.vat_nature
    return Decimal(line.vat_rate), ""


def compute(invoice: Invoice, settings: PracticeSettings) -> Totals:
    regime = invoice.regime
    fees: dict[tuple[Decimal, str], Decimal] = defaultdict(lambda: ZERO)
    for line in invoice.lines:
        fees[line_treatment(line, regime)] += line.net
    rate = Decimal(settings.surcharge_rate)
    groups = []
    for (vat_rate, nature), base in sorted(fees.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        surcharge = money(base * rate / 100) if rate else ZERO
        taxable = base + surcharge
        vat = ZERO if nature else money(taxable * vat_rate / 100)
        groups.append(VatGroup(vat_rate, nature, base, surcharge, taxable, vat))
    net = sum((g.fees for g in groups), ZERO)
    surcharge = sum((g.surcharge for g in groups), ZERO)
    vat = sum((g.vat for g in groups), ZERO)
    exempt = sum((g.taxable for g in groups if g.nature), ZERO)
    stamp = STAMP_DUTY if exempt > STAMP_DUTY_THRESHOLD else ZERO
    charged_stamp = stamp if settings.stamp_duty_to_client else ZERO
    withholding = ZERO
    if invoice.withholding and regime == Regime.ORDINARY:
        withholding = money(net * Decimal(settings.withholding_rate) / 100)
    total = net + surcharge + vat + charged_stamp
    notes = _notes(invoice, settings, groups, stamp, withholding)
    return Totals(groups, net, surcharge, vat, exempt, charged_stamp, withholding, total, total - withholding, notes)


def _notes(invoice: Invoice, settings: PracticeSettings, groups, stamp: Decimal, withholding: Decimal) -> list:
    notes: list[tuple[str, dict]] = []
    if invoice.doc_type == DocType.CREDIT_NOTE:
        notes.append(("legal.credit_note", {"number": invoice.related_number}))
    if invoice.regime == Regime.FLAT_RATE:
        notes.append(("legal.flat_rate", {}))
    else:
        for nature in sorted({g.nature for g in groups if g.nature}):
            notes.append((f"legal.nature.{nature}", {}))
    if any(g.surcharge for g in groups):
        label = settings.surcharge_label or "legal.surcharge_default"
        notes.append(("legal.surcharge", {"label": label, "rate": settings.surcharge_rate}))
    if stamp:
        key = "legal.stamp_duty" if settings.stamp_duty_to_client else "legal.stamp_duty_practice"
        notes.append((key, {"threshold": STAMP_DUTY_THRESHOLD, "amount": STAMP_DUTY}))
    if withholding:
        notes.append(("legal.withholding", {"rate": settings.withholding_rate}))
    if invoice.bonus_amount:
        notes.append(("legal.bonus", {"amount": invoice.bonus_amount}))
    return notes


def with_totals(invoice: Invoice, settings: PracticeSettings) -> Invoice:
    """The invoice with its stored totals recomputed from its lines."""
    totals = compute(invoice, settings)
    return invoice.model_copy(
        update={
            "net": totals.net,
            "surcharge": totals.surcharge,
            "vat": totals.vat,
            "stamp_duty": totals.stamp_duty,
            "withholding_amount": totals.withholding_amount,
            "total": totals.total,
            "amount_due": totals.amount_due,
        }
    )
