"""Calendar dates of many (year, month, day) at once, computed with numpy as `datetime.date` checks them."""

from __future__ import annotations

import datetime

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def dates_of(year, month, day) -> list[datetime.date | None]:
    """`datetime.date(y, m, d)` of every triple (numpy integer arrays of one length), None where it would raise."""
    import numpy as np

    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    known = np.clip(month, 1, 12)
    last = np.asarray(_MONTH_DAYS)[known - 1] + ((known == 2) & leap)
    ok = (year >= 1) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= last)
    first = ((year - 1970) * 12 + known - 1).astype("datetime64[M]").astype("datetime64[D]")
    return np.where(ok, first + np.maximum(day - 1, 0), np.datetime64("NaT")).tolist()  # NaT: None
