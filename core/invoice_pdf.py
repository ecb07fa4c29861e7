"""The PDF of an invoice or credit note: practice header and logo, client block, lines, totals, legal wording.

For a minor (or anyone billed to somebody else) the payer heads the client block and the patient is named.
The practice is printed as it was when the invoice was issued (its snapshot), a draft as it is now.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from core.billing import DocType, Invoice, InvoiceStatus, PracticeSettings
from core.i18n import format_date, format_money, t
from core.identifiers import tax_code as tax_code_id
from core.identifiers import vat as vat_id
from core.invoicing import compute, line_treatment
from core.models import Client
from core.pdf import FONT, Document


def _identifiers(tax_code: str, vat_number: str, country: str, lang: str) -> list[str]:
    parts = []
    if vat_number:
        parts.append(f"{t('pdf.vat_number', lang)} {vat_id.format(vat_number, country or 'IT')}")
    if tax_code:
        parts.append(f"{t('pdf.tax_code', lang)} {tax_code_id.format(tax_code, country or 'IT')}")
    return parts


def _address(street: str, postal_code: str, city: str, province: str, country: str) -> list[str]:
    place = " ".join(p for p in (postal_code, city, f"({province})" if province else "") if p)
    return [
        line for line in (street, " ".join(p for p in (place, country if country not in ("", "IT") else ""))) if line
    ]


def _client_lines(card: Client, lang: str) -> list[str]:
    lines = [card.display_name]
    lines += _address(card.street, card.postal_code, card.city, card.province, card.country)
    lines += _identifiers(card.tax_code, card.vat_number, card.vat_country, lang)
    if card.sdi_code:
        lines.append(f"{t('pdf.sdi_code', lang)} {card.sdi_code}")
    if card.pec:
        lines.append(f"PEC {card.pec}")
    return lines


def render(
    invoice: Invoice, client: Client, payer: Client | None, practice: PracticeSettings, lang: str = "it"
) -> bytes:
    """The invoice as PDF bytes."""
    if invoice.practice:
        practice = PracticeSettings(**invoice.practice)
    money = lambda amount: format_money(amount, invoice.currency, lang)  # noqa: E731
    doc = Document(footer_text=f"{practice.name} · {_title(invoice, lang)}")
    doc.set_title(_title(invoice, lang))
    doc.set_author(practice.name or "Cartella")
    doc.alias_nb_pages()
    doc.add_page()
    _header(doc, practice, lang)
    doc.ln(4)
    doc.heading(_title(invoice, lang), 15)
    if invoice.status == InvoiceStatus.DRAFT:
        doc.set_text_color(180, 30, 30)
        doc.cell(0, 6, t("pdf.draft", lang), new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0)
    _client_block(doc, client, payer, lang)
    doc.ln(3)
    _lines_table(doc, invoice, money, lang)
    doc.ln(2)
    totals = compute(invoice, practice)
    _totals(doc, invoice, totals, practice, money, lang)
    _legal(doc, totals, invoice.currency, lang)
    _payment(doc, invoice, practice, lang)
    return doc.output_bytes()


def _title(invoice: Invoice, lang: str) -> str:
    key = "pdf.credit_note_title" if invoice.doc_type == DocType.CREDIT_NOTE else "pdf.invoice_title"
    number = invoice.number or t("pdf.no_number", lang)
    return t(key, lang, number=number, date=format_date(invoice.issue_date, lang, "dd/MM/yyyy"))


def _header(doc: Document, practice: PracticeSettings, lang: str) -> None:
    logo = Path(practice.logo_path) if practice.logo_path else None
    if logo and logo.is_file():
        with contextlib.suppress(Exception):  # a broken logo file never stops an invoice
            doc.image(str(logo), x=doc.w - doc.r_margin - 35, y=12, w=35)
    doc.set_font(FONT, "B", 13)
    doc.cell(0, 7, practice.name or t("pdf.practice_unnamed", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=9)
    lines = _address(practice.street, practice.postal_code, practice.city, practice.province, practice.country)
    lines += _identifiers(practice.tax_code, practice.vat_number, practice.country, lang)
    contact = " · ".join(
        p for p in (practice.email, f"PEC {practice.pec}" if practice.pec else "", practice.phone) if p
    )
    for line in [*lines, contact]:
        if line:
            doc.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")


def _client_block(doc: Document, client: Client, payer: Client | None, lang: str) -> None:
    billed = payer or client
    doc.set_font(FONT, "B", 9)
    doc.cell(0, 5, t("pdf.billed_to", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=10)
    for line in _client_lines(billed, lang):
        doc.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if payer is not None and payer.client_number != client.client_number:
        doc.ln(1)
        doc.set_font(FONT, "B", 9)
        doc.cell(0, 5, t("pdf.patient", lang), new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FONT, size=10)
        patient = client.display_name
        if client.tax_code:
            patient += f" · {t('pdf.tax_code', lang)} {tax_code_id.format(client.tax_code)}"
        doc.cell(0, 5, patient, new_x="LMARGIN", new_y="NEXT")


def _vat_label(line, regime: str) -> str:
    rate, nature = line_treatment(line, regime)
    return nature if nature else f"{rate.normalize():f}%"


def _lines_table(doc: Document, invoice: Invoice, money, lang: str) -> None:
    headers = [t(f"pdf.col.{c}", lang) for c in ("description", "quantity", "unit_price", "discount", "vat", "amount")]
    rows = [
        [
            line.description,
            f"{line.quantity.normalize():f}",
            money(line.unit_price),
            f"{line.discount_pct.normalize():f}%" if line.discount_pct else "",
            _vat_label(line, invoice.regime),
            money(line.net),
        ]
        for line in invoice.lines
    ]
    doc.table(headers, rows, [78, 14, 25, 15, 18, 30], "LRRRCR")


def _totals(doc: Document, invoice: Invoice, totals, practice: PracticeSettings, money, lang: str) -> None:
    rows = [(t("pdf.fees", lang), totals.net)]
    if totals.surcharge:
        rows.append((practice.surcharge_label or t("legal.surcharge_default", lang), totals.surcharge))
    for group in totals.groups:
        if not group.nature:
            rows.append(
                (t("pdf.vat_on", lang, rate=f"{group.rate.normalize():f}", base=money(group.taxable)), group.vat)
            )
    if totals.stamp_duty:
        rows.append((t("pdf.stamp_duty", lang), totals.stamp_duty))
    rows.append((t("pdf.total", lang), totals.total))
    if totals.withholding_amount:
        rows.append(
            (t("pdf.withholding", lang, rate=f"{practice.withholding_rate.normalize():f}"), -totals.withholding_amount)
        )
        rows.append((t("pdf.amount_due", lang), totals.amount_due))
    if invoice.bonus_amount:
        rows.append((t("pdf.bonus_share", lang), invoice.bonus_amount))
        rows.append((t("pdf.client_share", lang), totals.amount_due - invoice.bonus_amount))
    for label, amount in rows:
        bold = label in (t("pdf.total", lang), t("pdf.amount_due", lang))
        doc.set_font(FONT, "B" if bold else "", 10)
        doc.cell(150, 6, label, align="R")
        doc.cell(30, 6, money(amount), align="R", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=10)


def legal_texts(totals, currency: str, lang: str) -> list[str]:
    """The wording the rules ask for (core.invoicing notes), in the document's language: PDF and screen."""
    texts = []
    for key, params in totals.notes:
        shown = {k: (format_money(v, currency, lang) if k in ("amount", "threshold") else v) for k, v in params.items()}
        if str(shown.get("label", "")).startswith("legal."):
            shown["label"] = t(shown["label"], lang)
        texts.append(t(key, lang, **shown))
    return texts


def _legal(doc: Document, totals, currency: str, lang: str) -> None:
    texts = legal_texts(totals, currency, lang)
    if not texts:
        return
    doc.ln(3)
    doc.set_font(FONT, size=8)
    for text in texts:
        doc.multi_cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=10)


def _payment(doc: Document, invoice: Invoice, practice: PracticeSettings, lang: str) -> None:
    if invoice.doc_type == DocType.CREDIT_NOTE:
        return
    doc.ln(3)
    doc.set_font(FONT, "B", 9)
    doc.cell(0, 5, t("pdf.payment", lang), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, size=9)
    if invoice.due_date:
        doc.cell(
            0, 4.5, t("pdf.due_date", lang, date=format_date(invoice.due_date, lang)), new_x="LMARGIN", new_y="NEXT"
        )
    if practice.iban:
        doc.cell(0, 4.5, f"IBAN {practice.iban}", new_x="LMARGIN", new_y="NEXT")
