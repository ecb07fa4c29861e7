"""The Finance charts as Altair specifications, shared by the page and the yearly PDF summary.

Each builder takes the DataFrame of its summary query (core.store.finance) and the user's language.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.i18n import t

MONTH_KEYS = [f"month.{m}" for m in range(1, 13)]


def _money_axis(lang: str) -> alt.Axis:
    return alt.Axis(title=t("finance.amount", lang), format=",.0f")


def revenue_by_month(frame: pd.DataFrame, lang: str) -> alt.Chart:
    data = frame.assign(kind=[t(f"kind.{k}", lang) for k in frame["kind"]], net=frame["net"].astype(float))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=t("finance.month", lang)),
            y=alt.Y("sum(net):Q", axis=_money_axis(lang), stack="zero"),
            color=alt.Color("kind:N", title=t("col.kind", lang)),
            tooltip=["month", "kind", alt.Tooltip("net:Q", format=",.2f")],
        )
        .properties(title=t("finance.chart.revenue_by_month", lang), height=280)
    )


def cumulative(frame: pd.DataFrame, lang: str) -> alt.Chart:
    data = frame.assign(
        year=frame["year"].astype(str),
        cumulative=frame["cumulative"].astype(float),
        month_name=[t(MONTH_KEYS[m - 1], lang) for m in frame["month"]],
    )
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=t("finance.month", lang)),
            y=alt.Y("cumulative:Q", axis=_money_axis(lang)),
            color=alt.Color("year:N", title=t("finance.year", lang)),
            tooltip=["year", "month_name", alt.Tooltip("cumulative:Q", format=",.2f")],
        )
        .properties(title=t("finance.chart.cumulative", lang), height=280)
    )


def top_clients(frame: pd.DataFrame, lang: str) -> alt.Chart:
    data = frame.assign(net=frame["net"].astype(float))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("net:Q", axis=_money_axis(lang)),
            y=alt.Y("display_name:N", sort="-x", title=t("col.name", lang)),
            tooltip=["client_number", "display_name", alt.Tooltip("net:Q", format=",.2f")],
        )
        .properties(title=t("finance.chart.top_clients", lang), height=280)
    )


def ageing(frame: pd.DataFrame, lang: str) -> alt.Chart:
    data = frame.assign(amount=frame["amount"].astype(float))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("bucket:N", sort=list(frame["bucket"]), title=t("finance.days", lang)),
            y=alt.Y("amount:Q", axis=_money_axis(lang)),
            tooltip=["bucket", alt.Tooltip("amount:Q", format=",.2f"), "invoices"],
        )
        .properties(title=t("finance.chart.ageing", lang), height=280)
    )


def payments_by_method(frame: pd.DataFrame, lang: str) -> alt.Chart:
    data = frame.assign(method=[t(f"payment.{m}", lang) for m in frame["method"]], amount=frame["amount"].astype(float))
    return (
        alt.Chart(data)
        .mark_arc(innerRadius=50)
        .encode(
            theta=alt.Theta("amount:Q"),
            color=alt.Color("method:N", title=t("finance.method", lang)),
            tooltip=["method", alt.Tooltip("amount:Q", format=",.2f"), "payments"],
        )
        .properties(title=t("finance.chart.payments", lang), height=280)
    )


# Each chart by the name of its summary (core.reports.summaries), in the order screens show them.
VIEWS = {
    "revenue_by_month": revenue_by_month,
    "cumulative": cumulative,
    "top_clients": top_clients,
    "ageing": ageing,
    "payments_by_method": payments_by_method,
}


def to_png(chart: alt.Chart, scale: float = 2.0) -> bytes:
    """Render a chart to PNG without a browser (vl-convert), for PDFs."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)
