"""The yearly summary for the accountant: CSV (the contract of `cli.py report`), XLSX and PDF.

CSV columns, exactly: month, invoices, invoiced_net, invoiced_total, collected, outstanding_end — one row
per month of the year, zeros included, amounts with a dot and two decimals.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

from core import charts
from core.i18n import format_money, t
from core.store import finance

FORMATS = ("csv", "xlsx", "pdf")


def _amount(value) -> str:
    return f"{Decimal(value):.2f}"


def summaries(conn, filt: finance.FinanceFilter, today: datetime.date) -> dict:
    """The table behind each chart (charts.VIEWS) for a filter; ageing and the cumulative line stop at today."""
    until = min(today, filt.date_to)
    return {
        "revenue_by_month": finance.revenue_by_month(conn, filt),
        "cumulative": finance.cumulative_by_year(conn, filt.date_to.year, filt, until=until),
        "top_clients": finance.top_clients(conn, filt),
        "ageing": finance.ageing(conn, until, filt),
        "payments_by_method": finance.payments_by_method(conn, filt),
    }


def yearly_data(conn, year: int, today: datetime.date | None = None) -> dict:
    """Every view of the year: the monthly rows and the chart tables, ageing as of the year's end (or today)."""
    filt = finance.FinanceFilter(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return {"monthly": finance.monthly_report(conn, year), **summaries(conn, filt, today or datetime.date.today())}


def monthly_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(finance.REPORT_COLUMNS)
    for row in rows:
        writer.writerow([row["month"], row["invoices"]] + [_amount(row[c]) for c in finance.REPORT_COLUMNS[2:]])
    return out.getvalue()


def write_report(conn, year: int, fmt: str, out: str | Path, lang: str = "it") -> Path:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        out.write_text(monthly_csv(finance.monthly_report(conn, year)), encoding="utf-8")
    elif fmt == "xlsx":
        out.write_bytes(yearly_xlsx(yearly_data(conn, year), year, lang))
    else:
        out.write_bytes(yearly_pdf(yearly_data(conn, year), year, lang))
    return out


def _sheets(data: dict, lang: str) -> list[tuple[str, list[str], list[list], set[int]]]:
    """(title, headers, rows, money column indexes) for each view."""
    monthly = data["monthly"]
    rev = data["revenue_by_month"]
    top = data["top_clients"]
    age = data["ageing"]
    pay = data["payments_by_method"]
    return [
        (
            t("report.sheet.monthly", lang),
            [t(f"report.col.{c}", lang) for c in finance.REPORT_COLUMNS],
            [[r[c] for c in finance.REPORT_COLUMNS] for r in monthly],
            {2, 3, 4, 5},
        ),
        (
            t("report.sheet.by_kind", lang),
            [t("finance.month", lang), t("col.kind", lang), t("finance.net", lang)],
            [[m, t(f"kind.{k}", lang), Decimal(str(n))] for m, k, n in rev.itertuples(index=False)],
            {2},
        ),
        (
            t("report.sheet.top_clients", lang),
            [t("col.number", lang), t("col.name", lang), t("finance.net", lang), t("finance.balance", lang)],
            [[int(a), b, Decimal(str(c)), Decimal(str(d))] for a, b, c, d in top.itertuples(index=False)],
            {2, 3},
        ),
        (
            t("report.sheet.ageing", lang),
            [t("finance.days", lang), t("finance.amount", lang), t("finance.invoices", lang)],
            [[b, Decimal(str(a)), int(n)] for b, a, n in age.itertuples(index=False)],
            {1},
        ),
        (
            t("report.sheet.payments", lang),
            [t("finance.method", lang), t("finance.amount", lang), t("finance.payments", lang)],
            [[t(f"payment.{m}", lang), Decimal(str(a)), int(n)] for m, a, n in pay.itertuples(index=False)],
            {1},
        ),
    ]


def yearly_xlsx(data: dict, year: int, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    for title, headers, rows, money_columns in _sheets(data, lang):
        sheet = book.create_sheet(title[:31])
        sheet.append([f"{t('report.title', lang, year=year)} — {title}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DCE6F1")
            cell.alignment = Alignment(horizontal="center")
        for row in rows:
            sheet.append(row)
        for column in money_columns:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=column + 1, max_col=column + 1):
                cell.number_format = "#,##0.00"
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(r[index - 1])) for r in rows]) + 4
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(width, 45)
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def yearly_pdf(data: dict, year: int, lang: str, currency: str = "EUR") -> bytes:
    from core.pdf import Document

    doc = Document(footer_text=t("report.title", lang, year=year))
    doc.alias_nb_pages()
    doc.add_page()
    doc.heading(t("report.title", lang, year=year), 16)
    _title, headers, rows, money_columns = _sheets(data, lang)[0]
    shown = [
        [format_money(v, currency, lang) if i in money_columns else str(v) for i, v in enumerate(row)] for row in rows
    ]
    doc.table(headers, shown, [22, 18, 35, 35, 35, 35], "LRRRRR")
    for name, build in charts.VIEWS.items():
        frame = data[name]
        if frame.empty:
            continue
        png = charts.to_png(build(frame, lang).properties(width=520, height=240))
        if doc.will_page_break(110):
            doc.add_page()
        doc.ln(4)
        doc.image(io.BytesIO(png), w=170)
    return doc.output_bytes()
