# Finance: where the money stands. KPIs, charts each with its numbers and a download, the yearly summary.
import datetime

import streamlit as st

from core import billing_services as bs
from core import charts, reports
from core.store import finance
from core.store.queries import KINDS
from pages import _ui
from pages._billing import money
from pages._ui import tr

conn = _ui.page_setup()
st.title(tr("nav.finance"))
_ui.show_flash()
today = datetime.date.today()
currency = bs.get_practice(_ui.uow(conn)).currency

PERIODS = ("this_year", "last_year", "last_12_months", "this_month", "custom")


def _period(choice: str) -> tuple[datetime.date, datetime.date]:
    if choice == "this_year":
        return datetime.date(today.year, 1, 1), today
    if choice == "last_year":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    if choice == "last_12_months":
        start = today.replace(day=1)
        return start.replace(year=start.year - 1), today
    return today.replace(day=1), today


@st.cache_data(show_spinner=False, max_entries=32)
def _summaries(_conn, version: str, filt: finance.FinanceFilter, day: datetime.date) -> dict:
    return {"kpis": finance.kpis(_conn, filt, day), **reports.summaries(_conn, filt, day)}


@st.cache_data(show_spinner=False)
def _choices(_conn, version: str) -> tuple[list[str], list]:
    return finance.professionals(_conn), bs.list_services(_ui.uow(_conn), include_inactive=True)


professionals, services_list = _choices(conn, _ui.data_version())
c1, c2, c3, c4, c5 = st.columns([1.3, 1.6, 1.2, 1.2, 1.4])
choice = c1.selectbox(tr("finance.period"), PERIODS, key="finance.period", format_func=lambda p: tr(f"finance.{p}"))
if choice == "custom":
    picked = c2.date_input(
        tr("finance.dates"), value=(datetime.date(today.year, 1, 1), today), format="DD/MM/YYYY", key="finance.dates"
    )
    date_from, date_to = (picked[0], picked[-1]) if picked else _period("this_year")
else:
    date_from, date_to = _period(choice)
    c2.text_input(tr("finance.dates"), f"{_ui.fmt_date(date_from)} – {_ui.fmt_date(date_to)}", disabled=True)
kind = c3.selectbox(
    tr("col.kind"), [None, *KINDS], key="finance.kind",
    format_func=lambda k: tr("kind.all") if k is None else _ui.kind_label(k),
)  # fmt: skip
professional = c4.selectbox(
    tr("billing.professional"), [None, *professionals], key="finance.professional",
    format_func=lambda p: tr("kind.all") if p is None else p,
)  # fmt: skip
service = c5.selectbox(
    tr("billing.service"), [None, *services_list], key="finance.service",
    format_func=lambda s: tr("kind.all") if s is None else s.name,
)  # fmt: skip
filt = finance.FinanceFilter(date_from, date_to, kind, professional, service.id if service else None)
data = _summaries(conn, _ui.data_version(), filt, today)
kpis = data["kpis"]


def _delta(now, before) -> str | None:
    if not before:
        return None
    return f"{(now - before) / before * 100:+.1f}%"


k = st.columns(4)
k[0].metric(tr("finance.kpi.revenue_month"), money(kpis["revenue_month"], currency),
            _delta(kpis["revenue_month"], kpis["revenue_month_last_year"]), help=tr("finance.kpi.vs_last_year"))  # fmt: skip
k[1].metric(tr("finance.kpi.revenue_period"), money(kpis["revenue_period"], currency),
            _delta(kpis["revenue_period"], kpis["revenue_period_last_year"]), help=tr("finance.kpi.vs_last_year"))  # fmt: skip
k[2].metric(tr("finance.kpi.collected"), money(kpis["collected"], currency),
            help=tr("finance.kpi.invoiced", amount=money(kpis["invoiced"], currency)))  # fmt: skip
k[3].metric(tr("finance.kpi.outstanding"), money(kpis["outstanding"], currency))
k = st.columns(4)
k[0].metric(tr("finance.kpi.overdue"), money(kpis["overdue"], currency),
            help=tr("finance.kpi.bonus", amount=money(kpis["bonus_receivable"], currency)))  # fmt: skip
k[1].metric(tr("finance.kpi.invoiced_label"), money(kpis["invoiced"], currency))
k[2].metric(tr("finance.kpi.clients"), kpis["clients_invoiced"])
k[3].metric(tr("finance.kpi.per_client"), money(kpis["revenue_per_client"], currency))

lang = _ui.lang()
LABELS = {"month": "finance.month", "kind": "col.kind", "net": "finance.net", "year": "finance.year",
          "cumulative": "finance.cumulative", "client_number": "col.number", "display_name": "col.name",
          "balance": "finance.balance", "bucket": "finance.days", "amount": "finance.amount",
          "invoices": "finance.invoices", "method": "finance.method", "payments": "finance.payments"}  # fmt: skip
MONEY_COLUMNS = ("net", "cumulative", "balance", "amount")


def _shown(frame):
    """The chart's numbers as a person reads them: kinds and methods in words."""
    shown = frame.copy()
    if "kind" in shown:
        shown["kind"] = shown["kind"].map(_ui.kind_label)
    if "method" in shown:
        shown["method"] = [tr(f"payment.{m}") for m in shown["method"]]
    return shown


def _columns(frame) -> dict:
    config = {}
    for name in frame.columns:
        label = tr(LABELS.get(name, name))
        if name in MONEY_COLUMNS:
            config[name] = st.column_config.NumberColumn(label, format="%.2f")
        elif name in ("client_number", "year"):
            config[name] = st.column_config.NumberColumn(label, format="%d")
        else:
            config[name] = label
    return config


for name, build in charts.VIEWS.items():
    frame = data[name]
    st.divider()
    left, right = st.columns([3, 2])
    with left:
        if frame.empty:
            st.markdown(f"**{tr(f'finance.chart.{name}')}**")
            st.caption(tr("finance.no_data"))
        else:
            st.altair_chart(build(frame, lang), width="stretch")
    with right:
        st.dataframe(_shown(frame), hide_index=True, width="stretch", height=260, column_config=_columns(frame))
        st.download_button(
            tr("finance.download_csv"), data=frame.to_csv(index=False).encode("utf-8"),
            file_name=f"cartella-{name}-{date_from}-{date_to}.csv", mime="text/csv", key=f"finance.dl.{name}",
            on_click="ignore",
        )  # fmt: skip

st.divider()
st.subheader(tr("finance.yearly"))
y1, y2, y3, y4 = st.columns(4, vertical_alignment="bottom")
year = y1.number_input(tr("finance.year"), 2000, 2100, today.year, key="finance.year")


def _report(fmt: str):
    def build() -> bytes:
        if fmt == "csv":
            return reports.monthly_csv(finance.monthly_report(conn, int(year))).encode("utf-8")
        data = reports.yearly_data(conn, int(year), today)
        return (
            reports.yearly_xlsx(data, int(year), lang) if fmt == "xlsx" else reports.yearly_pdf(data, int(year), lang)
        )

    return build


MIME = {"csv": "text/csv", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
for column, fmt in ((y2, "xlsx"), (y3, "pdf"), (y4, "csv")):
    column.download_button(
        tr("finance.download_csv_short" if fmt == "csv" else f"finance.download_{fmt}"), data=_report(fmt), file_name=f"cartella-{int(year)}.{fmt}", mime=MIME[fmt],
        key=f"finance.report.{fmt}", on_click="ignore", width="stretch",
    )  # fmt: skip
