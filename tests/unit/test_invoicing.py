"""The Italian billing rules on invoice lines: Decimal only, every threshold at its edge."""

from decimal import Decimal as D

import pytest

from core.billing import Invoice, InvoiceLine, PracticeSettings, money, payment_status
from core.invoicing import STAMP_DUTY, compute, withholding_default

TODAY = __import__("datetime").date(2026, 6, 1)


def _invoice(*lines: InvoiceLine, **values) -> Invoice:
    return Invoice(client_number=1, issue_date=TODAY, lines=list(lines), **values)


def exempt(price: str, qty: str = "1", discount: str = "0") -> InvoiceLine:
    return InvoiceLine(
        description="Colloquio", unit_price=D(price), quantity=D(qty), discount_pct=D(discount), vat_nature="N4"
    )


def taxed(price: str, rate: str = "22") -> InvoiceLine:
    return InvoiceLine(description="Consulenza", unit_price=D(price), vat_rate=D(rate))


def test_money_rounds_half_up_and_refuses_floats():
    assert money("2.345") == D("2.35")
    assert money("2.344") == D("2.34")
    with pytest.raises(TypeError):
        money(2.345)


@pytest.mark.parametrize(
    ("price", "stamp"),
    [("77.47", "0.00"), ("77.48", "2.00"), ("77.46", "0.00"), ("80.00", "2.00"), ("0.01", "0.00")],
)
def test_stamp_duty_only_above_77_47_of_exempt_amounts(price, stamp):
    totals = compute(_invoice(exempt(price)), PracticeSettings())
    assert totals.stamp_duty == D(stamp)
    assert totals.total == D(price) + D(stamp)


def test_stamp_duty_counts_the_exempt_surcharge():
    # 76.00 of fees + 2% surcharge (1.52) = 77.52 exempt: above the threshold
    settings = PracticeSettings(surcharge_rate=D("2"))
    totals = compute(_invoice(exempt("76.00")), settings)
    assert totals.surcharge == D("1.52")
    assert totals.exempt_amount == D("77.52")
    assert totals.stamp_duty == STAMP_DUTY


def test_no_stamp_duty_on_taxed_lines_and_practice_can_pay_it():
    assert compute(_invoice(taxed("500")), PracticeSettings()).stamp_duty == D("0")
    totals = compute(_invoice(exempt("100")), PracticeSettings(stamp_duty_to_client=False))
    assert totals.stamp_duty == D("0") and totals.total == D("100.00")
    assert ("legal.stamp_duty_practice", {"threshold": D("77.47"), "amount": D("2.00")}) in totals.notes


@pytest.mark.parametrize(
    ("lines", "rate", "surcharge", "vat", "total"),
    [
        ([exempt("80")], "2", "1.60", "0.00", "83.60"),  # 80 + 1.60 + stamp 2.00
        ([taxed("500")], "2", "10.00", "112.20", "622.20"),  # surcharge follows VAT: (500+10)*22%
        ([taxed("500")], "4", "20.00", "114.40", "634.40"),
        ([exempt("60"), taxed("100")], "2", "3.20", "22.44", "185.64"),  # 61.20 exempt: no stamp
        ([exempt("80")], "0", "0.00", "0.00", "82.00"),
    ],
)
def test_fund_surcharge_follows_each_lines_vat(lines, rate, surcharge, vat, total):
    totals = compute(_invoice(*lines), PracticeSettings(surcharge_rate=D(rate)))
    assert (totals.surcharge, totals.vat, totals.total) == (D(surcharge), D(vat), D(total))


@pytest.mark.parametrize(
    ("regime", "kind", "applies", "expected"),
    [
        ("ordinario", "company", True, True),
        ("ordinario", "public_administration", True, True),
        ("ordinario", "private", True, False),
        ("forfettario", "company", True, False),
        ("ordinario", "company", False, False),
    ],
)
def test_withholding_default_by_regime_and_client_kind(regime, kind, applies, expected):
    settings = PracticeSettings(regime=regime, withholding_applies=applies)
    assert withholding_default(settings, kind) is expected


def test_withholding_on_fees_only_and_amount_due():
    settings = PracticeSettings(surcharge_rate=D("2"))
    totals = compute(_invoice(taxed("1000"), withholding=True), settings)
    assert totals.withholding_amount == D("200.00")  # 20% of 1000, not of the surcharge or VAT
    assert totals.total == D("1244.40")  # 1000 + 20 + 224.40
    assert totals.amount_due == D("1044.40")


def test_forfettario_no_vat_no_withholding_and_its_wording():
    settings = PracticeSettings(regime="forfettario")
    invoice = _invoice(taxed("500"), withholding=True, regime="forfettario")
    totals = compute(invoice, settings)
    assert totals.vat == D("0") and totals.withholding_amount == D("0")
    assert totals.stamp_duty == STAMP_DUTY
    assert totals.total == D("502.00")
    assert ("legal.flat_rate", {}) in totals.notes
    assert all(g.nature == "N2.2" for g in totals.groups)


@pytest.mark.parametrize(
    ("qty", "price", "discount", "net"),
    [
        ("1", "80", "0", "80.00"),
        ("3", "33.33", "0", "99.99"),
        ("2", "50", "10", "90.00"),
        ("1", "10.005", "0", "10.01"),
    ],
)
def test_line_net_with_quantity_and_discount(qty, price, discount, net):
    assert exempt(price, qty, discount).net == D(net)


def test_vat_is_rounded_per_rate_on_the_summed_base():
    # three lines of 0.33 at 22%: VAT on 0.99 is 0.22 (per line it would be 3 x 0.07 = 0.21)
    totals = compute(_invoice(taxed("0.33"), taxed("0.33"), taxed("0.33")), PracticeSettings())
    assert totals.vat == D("0.22")


def test_bonus_share_and_notes():
    totals = compute(_invoice(exempt("100"), bonus_amount=D("50.00")), PracticeSettings())
    assert ("legal.bonus", {"amount": D("50.00")}) in totals.notes
    assert ("legal.nature.N4", {}) in totals.notes


@pytest.mark.parametrize(
    ("status", "amount_due", "paid", "due", "expected"),
    [
        ("draft", "100", "0", None, "draft"),
        ("issued", "100", "0", TODAY.replace(month=7), "issued"),
        ("issued", "100", "40", TODAY.replace(month=7), "partly_paid"),
        ("issued", "100", "40", TODAY.replace(month=5), "overdue"),
        ("issued", "100", "100", TODAY.replace(month=5), "paid"),
        ("cancelled", "100", "0", None, "cancelled"),
    ],
)
def test_payment_status(status, amount_due, paid, due, expected):
    invoice = _invoice(exempt("100"), status=status, amount_due=D(amount_due), paid=D(paid), due_date=due)
    assert payment_status(invoice, TODAY) == expected
