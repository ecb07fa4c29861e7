"""Read side of money: invoice lists, balances and the financial summaries, straight from SQL.

Every summary reads `invoice_facts` and `payment_facts` (see migration 3): invoices made in Cartella and
imported history count alike, credit notes are negative, drafts never count. Amounts are Decimal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from core.billing import state_of

AGEING_BUCKETS = ("0-30", "31-60", "61-90", "90+")


@dataclass(frozen=True)
class FinanceFilter:
    date_from: datetime.date
    date_to: datetime.date
    kind: str | None = None
    professional: str | None = None
    service_id: int | None = None


def _facts(filt: FinanceFilter | None, alias: str = "f") -> tuple[str, list]:
    """Conditions on invoice_facts `alias` for the filter's kind, professional and service (not the period)."""
    clauses, params = [], []
    if filt is None:
        return "true", params
    if filt.kind:
        clauses.append(f"{alias}.client_number IN (SELECT client_number FROM clients WHERE kind = ?)")
        params.append(filt.kind)
    if filt.professional:
        clauses.append(f"{alias}.professional = ?")
        params.append(filt.professional)
    if filt.service_id:
        clauses.append(f"list_contains({alias}.service_ids, ?)")  # kept with the invoice's lines; [] on history
        params.append(filt.service_id)
    return " AND ".join(clauses) or "true", params


def _payments(filt: FinanceFilter | None) -> tuple[str, list]:
    """payment_facts rows whose invoice passes the filter (kind, professional, service: copied on each payment)."""
    clauses, params = [], []
    if filt is not None and filt.kind:
        clauses.append("p.client_number IN (SELECT client_number FROM clients WHERE kind = ?)")
        params.append(filt.kind)
    if filt is not None and filt.professional:
        clauses.append("p.professional = ?")
        params.append(filt.professional)
    if filt is not None and filt.service_id:
        clauses.append("list_contains(p.service_ids, ?)")
        params.append(filt.service_id)
    return f"SELECT * FROM payment_facts p WHERE {' AND '.join(clauses) or 'true'}", params


def _scalar(conn, sql: str, params: list) -> Decimal:
    value = conn.cursor().execute(sql, params).fetchone()[0]
    return Decimal(value) if value is not None else Decimal("0.00")


def kpis(conn, filt: FinanceFilter, today: datetime.date) -> dict:
    """The Finance page's headline figures for the filter's period, with last year's for comparison.

    Three scans: the invoices of the dates compared (every figure a FILTER of it), the open invoices of
    any year, and the payments of the period.
    """
    where, params = _facts(filt)
    pay_sql, pay_params = _payments(filt)
    month = (today.replace(day=1), today)
    ranges = [(filt.date_from, filt.date_to), month, tuple(map(_years_back, month)),
              (_years_back(filt.date_from), _years_back(filt.date_to))]  # fmt: skip
    low, high = min(r[0] for r in ranges), max(r[1] for r in ranges)
    row = (
        conn.cursor()
        .execute(
            f"""SELECT coalesce(sum(net) FILTER (WHERE issue_date BETWEEN ? AND ?), 0),
                       coalesce(sum(amount_due) FILTER (WHERE issue_date BETWEEN ? AND ?), 0),
                       count(DISTINCT client_number) FILTER (WHERE issue_date BETWEEN ? AND ?),
                       coalesce(sum(net) FILTER (WHERE issue_date BETWEEN ? AND ?), 0),
                       coalesce(sum(net) FILTER (WHERE issue_date BETWEEN ? AND ?), 0),
                       coalesce(sum(net) FILTER (WHERE issue_date BETWEEN ? AND ?), 0)
                FROM invoice_facts f WHERE issue_date BETWEEN ? AND ? AND {where}""",
            [*ranges[0], *ranges[0], *ranges[0], *ranges[1], *ranges[2], *ranges[3], low, high, *params],
        )
        .fetchone()
    )
    open_ = (  # every unsettled invoice up to today, from any year
        conn.cursor()
        .execute(
            f"""SELECT coalesce(sum(amount_due - paid), 0),
                       coalesce(sum(amount_due - paid) FILTER (WHERE due_date < ?), 0),
                       coalesce(sum(bonus_open), 0)
                FROM invoice_facts f WHERE NOT settled AND amount_due <> paid AND issue_date <= ? AND {where}""",
            [today, today, *params],
        )
        .fetchone()
    )
    collected = _scalar(
        conn,
        f"SELECT sum(amount) FROM ({pay_sql}) WHERE paid_on BETWEEN ? AND ?",
        [*pay_params, filt.date_from, filt.date_to],
    )
    revenue_period, invoiced, clients, rev_month, rev_month_ly, rev_period_ly = row
    outstanding, overdue, bonus = open_
    revenue_period = Decimal(revenue_period)
    return {
        "revenue_month": Decimal(rev_month),
        "revenue_month_last_year": Decimal(rev_month_ly),
        "revenue_period": revenue_period,
        "revenue_period_last_year": Decimal(rev_period_ly),
        "invoiced": Decimal(invoiced),
        "collected": collected,
        "outstanding": Decimal(outstanding),
        "overdue": Decimal(overdue),
        "bonus_receivable": Decimal(bonus),  # part of the outstanding that the state owes
        "clients_invoiced": int(clients),
        "revenue_per_client": (revenue_period / clients).quantize(Decimal("0.01")) if clients else Decimal("0.00"),
    }


def _years_back(day: datetime.date, years: int = 1) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def revenue_by_month(conn, filt: FinanceFilter) -> pd.DataFrame:
    """month (YYYY-MM), kind, net — for the stacked chart."""
    where, params = _facts(filt)
    return (
        conn.cursor()
        .execute(
            f"""SELECT strftime(issue_date, '%Y-%m') AS month, c.kind, sum(f.net) AS net
                FROM invoice_facts f JOIN clients c USING (client_number)
                WHERE issue_date BETWEEN ? AND ? AND {where}
                GROUP BY ALL ORDER BY month, c.kind""",
            [filt.date_from, filt.date_to, *params],
        )
        .df()
    )


def cumulative_by_year(
    conn, year: int, filt: FinanceFilter | None = None, until: datetime.date | None = None
) -> pd.DataFrame:
    """month (1-12), year, cumulative net — this year against last; months after `until` are left out."""
    where, params = _facts(filt)
    last = until or datetime.date(year, 12, 31)
    return (
        conn.cursor()
        .execute(
            f"""WITH months AS (SELECT y, m FROM range(?, ? + 1) t(y), range(1, 13) s(m)),
                     monthly AS (
                        SELECT year(issue_date) AS y, month(issue_date) AS m, sum(net) AS net
                        FROM invoice_facts f WHERE year(issue_date) IN (?, ?) AND {where} GROUP BY ALL)
                SELECT months.m AS month, months.y AS year,
                       sum(coalesce(monthly.net, 0)) OVER (PARTITION BY months.y ORDER BY months.m) AS cumulative
                FROM months LEFT JOIN monthly USING (y, m)
                QUALIFY make_date(months.y, months.m, 1) <= ?
                ORDER BY year, month""",
            [year - 1, year, year - 1, year, *params, last],
        )
        .df()
    )


def top_clients(conn, filt: FinanceFilter, limit: int = 10) -> pd.DataFrame:
    where, params = _facts(filt)
    return (
        conn.cursor()
        .execute(
            f"""WITH top AS (
                    SELECT f.client_number, sum(f.net) AS net, sum(f.amount_due - f.paid) AS balance
                    FROM invoice_facts f WHERE issue_date BETWEEN ? AND ? AND {where}
                    GROUP BY ALL ORDER BY net DESC, f.client_number LIMIT ?)
                SELECT top.client_number, c.display_name, top.net, top.balance
                FROM top JOIN clients c USING (client_number) ORDER BY top.net DESC, top.client_number""",
            [filt.date_from, filt.date_to, *params, limit],
        )
        .df()
    )


def ageing(conn, today: datetime.date, filt: FinanceFilter | None = None) -> pd.DataFrame:
    """Open balances by days since issue: 0-30, 31-60, 61-90, 90+ (every bucket, zeros included)."""
    where, params = _facts(filt)
    return (
        conn.cursor()
        .execute(
            f"""WITH open AS (
                    SELECT CASE WHEN date_diff('day', issue_date, ?::DATE) <= 30 THEN '0-30'
                                WHEN date_diff('day', issue_date, ?::DATE) <= 60 THEN '31-60'
                                WHEN date_diff('day', issue_date, ?::DATE) <= 90 THEN '61-90'
                                ELSE '90+' END AS bucket,
                           amount_due - paid AS balance
                    FROM invoice_facts f
                    WHERE NOT settled AND amount_due - paid > 0 AND issue_date <= ? AND {where})
                SELECT b.bucket, coalesce(sum(open.balance), 0) AS amount, count(open.balance) AS invoices
                FROM (SELECT unnest(?) AS bucket, generate_subscripts(?, 1) AS pos) b
                LEFT JOIN open USING (bucket) GROUP BY b.bucket, b.pos ORDER BY b.pos""",
            [today, today, today, today, *params, list(AGEING_BUCKETS), list(AGEING_BUCKETS)],
        )
        .df()
    )


def payments_by_method(conn, filt: FinanceFilter) -> pd.DataFrame:
    sql, params = _payments(filt)
    return (
        conn.cursor()
        .execute(
            f"""SELECT method, sum(amount) AS amount, count(*) AS payments FROM ({sql})
                WHERE paid_on BETWEEN ? AND ? GROUP BY method ORDER BY amount DESC""",
            [*params, filt.date_from, filt.date_to],
        )
        .df()
    )


REPORT_COLUMNS = ("month", "invoices", "invoiced_net", "invoiced_total", "collected", "outstanding_end")


def monthly_report(conn, year: int) -> list[dict]:
    """The accountant's twelve rows (REPORT_COLUMNS), amounts as Decimal, zero months included."""
    rows = (
        conn.cursor()
        .execute(
            """WITH months AS (
                   SELECT m, make_date(?, m, 1) AS first_day,
                          CAST(make_date(?, m, 1) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS last_day
                   FROM range(1, 13) t(m)),
               inv AS (
                   SELECT month(issue_date) AS m,
                          count(*) FILTER (WHERE doc_type = 'invoice') AS invoices,
                          sum(net) AS net, sum(amount_due) AS due
                   FROM invoice_facts WHERE year(issue_date) = ? GROUP BY ALL),
               pay AS (SELECT month(paid_on) AS m, sum(amount) AS collected
                       FROM payment_facts WHERE year(paid_on) = ? GROUP BY ALL),
               before AS (
                   SELECT (SELECT coalesce(sum(amount_due), 0) FROM invoice_facts WHERE year(issue_date) < ?)
                        - (SELECT coalesce(sum(amount), 0) FROM payment_facts WHERE year(paid_on) < ?) AS open)
               SELECT strftime(months.first_day, '%Y-%m') AS month,
                      coalesce(inv.invoices, 0) AS invoices,
                      coalesce(inv.net, 0)::DECIMAL(18, 2) AS invoiced_net,
                      coalesce(inv.due, 0)::DECIMAL(18, 2) AS invoiced_total,
                      coalesce(pay.collected, 0)::DECIMAL(18, 2) AS collected,
                      (before.open + sum(coalesce(inv.due, 0) - coalesce(pay.collected, 0))
                           OVER (ORDER BY months.m))::DECIMAL(18, 2) AS outstanding_end
               FROM months LEFT JOIN inv USING (m) LEFT JOIN pay USING (m), before
               ORDER BY months.m""",
            [year, year, year, year, year, year],
        )
        .fetchall()
    )
    return [dict(zip(REPORT_COLUMNS, row, strict=True)) for row in rows]


def professionals(conn) -> list[str]:
    rows = conn.cursor().execute("SELECT DISTINCT professional FROM invoices WHERE professional <> '' ORDER BY 1")
    return [r[0] for r in rows.fetchall()]


def invoice_list(
    conn,
    *,
    client_number: int | None = None,
    status: str | None = None,
    limit: int = 200,
    today: datetime.date | None = None,
) -> pd.DataFrame:
    """Invoices made here, newest first, with the client's name, the balance and the payment state
    (core.billing.state_of: draft, issued, partly_paid, paid, overdue, cancelled)."""
    clauses, params = ["true"], []
    if client_number is not None:
        clauses.append("(i.client_number = ? OR i.payer_number = ?)")
        params += [client_number, client_number]
    if status:
        clauses.append("i.status = ?")
        params.append(status)
    rows = (
        conn.cursor()
        .execute(
            f"""SELECT i.id, i.number, i.doc_type, i.status, i.issue_date, i.due_date, i.client_number,
                       c.display_name, i.total, i.amount_due, i.paid,
                       CASE WHEN i.status = 'issued' AND i.doc_type = 'invoice' THEN i.amount_due - i.paid
                            ELSE 0 END AS balance
                FROM (SELECT * FROM invoices i WHERE {" AND ".join(clauses)}
                      ORDER BY i.issue_date DESC, i.id DESC LIMIT ?) i
                LEFT JOIN clients c USING (client_number)
                ORDER BY i.issue_date DESC, i.id DESC""",
            [*params, limit],
        )
        .fetchall()
    )
    names = ("id", "number", "doc_type", "status", "issue_date", "due_date", "client_number", "display_name",
             "total", "amount_due", "paid", "balance")  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(names))
    day = today or datetime.date.today()
    frame["state"] = [state_of(r[3], r[2], r[9], r[10], r[5], day) for r in rows]
    return frame


def client_balance(conn, client_number: int) -> Decimal:
    """What the client still owes, from every invoice and imported document."""
    return _scalar(
        conn,
        "SELECT sum(amount_due) - (SELECT coalesce(sum(amount), 0) FROM payment_facts WHERE client_number = ?) "
        "FROM invoice_facts WHERE client_number = ?",
        [client_number, client_number],
    )
