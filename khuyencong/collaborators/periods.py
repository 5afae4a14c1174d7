"""Reporting periods: a period is named by its first day; its type says how many months it lasts. A report is due
`due_days` after the period's last day and counts as on time when first received by then plus `grace_days`."""

import datetime

from django.utils.translation import gettext as _

from .choices import PERIOD_MONTHS, PeriodType


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_start(period_type: str, day: datetime.date) -> datetime.date:
    """The first day of the period of `period_type` that contains `day`."""
    months = PERIOD_MONTHS[PeriodType(period_type)]
    return datetime.date(day.year, (day.month - 1) // months * months + 1, 1)


def is_period_start(period_type: str, day: datetime.date) -> bool:
    return period_start(period_type, day) == day


def period_end(period_type: str, start: datetime.date) -> datetime.date:
    return _add_months(start, PERIOD_MONTHS[PeriodType(period_type)]) - datetime.timedelta(days=1)


def next_period(period_type: str, start: datetime.date) -> datetime.date:
    return _add_months(start, PERIOD_MONTHS[PeriodType(period_type)])


def periods_between(period_type: str, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The starts of the periods from the one containing `first` to the one containing `last`."""
    starts = []
    start = period_start(period_type, first)
    while start <= last:
        starts.append(start)
        start = next_period(period_type, start)
    return starts


def due_date(period_type: str, start: datetime.date, due_days: int) -> datetime.date:
    return period_end(period_type, start) + datetime.timedelta(days=due_days)


def period_label(period_type: str, start: datetime.date) -> str:
    """ "Quý 3/2026", "Tháng 07/2026", "6 tháng đầu năm 2026", "Năm 2026"."""
    if period_type == PeriodType.MONTHLY:
        return _("Month %(month)s/%(year)d") % {"month": f"{start.month:02d}", "year": start.year}
    if period_type == PeriodType.QUARTERLY:
        return _("Quarter %(quarter)d/%(year)d") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if period_type == PeriodType.HALF_YEARLY:
        if start.month == 1:
            return _("First half of %(year)d") % {"year": start.year}
        return _("Second half of %(year)d") % {"year": start.year}
    return _("Year %(year)d") % {"year": start.year}
