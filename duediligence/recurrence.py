"""When a recurring condition comes round again: yearly, each fiscal year end, monthly, quarterly.

A periodic report from the vendor (定期報告) is due every month or quarter; a
yearly inspection or report every year. The next occurrence is due one period
after the one that closed; a month-end due date stays at month end (31 Jan →
28 Feb → 31 Mar), so a monthly series never drifts to the 28th.
"""

from __future__ import annotations

import calendar
import datetime as dt

from .dates import add_months, add_years, fiscal_year_end
from .model import Recurrence

#: recurrences that open the next occurrence when one is finished
PERIODIC: frozenset[Recurrence] = frozenset(
    {Recurrence.YEARLY, Recurrence.FISCAL_YEAR_END, Recurrence.MONTHLY, Recurrence.QUARTERLY}
)

_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}


def next_due(recurrence: Recurrence, base: dt.date) -> dt.date | None:
    """The due date of the occurrence after one due on *base*; None when it does not recur."""
    if recurrence is Recurrence.YEARLY:
        return add_years(base, 1)
    if recurrence is Recurrence.FISCAL_YEAR_END:
        return fiscal_year_end(add_years(base, 1))
    months = _MONTHS.get(recurrence)
    if months is None:
        return None
    moved = add_months(base, months)
    if base.day == calendar.monthrange(base.year, base.month)[1]:
        return moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])
    return moved
