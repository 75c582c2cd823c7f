"""Open statistics published as protected releases (see ``suppression`` for the method).

``publish`` builds and stores the release of a closed quarter; ``statistics`` serves one
table of the current release; ``current_release`` is the release itself.
"""

from services.statistics.dimensions import Dimension
from services.statistics.method import explanation_es
from services.statistics.release import (
    METHOD,
    Release,
    current_release,
    protection_interval,
    publish,
    quarter_end,
)
from services.statistics.tables import TOTAL, Cell, StatisticsTable, statistics, table_of

__all__ = [
    "METHOD",
    "TOTAL",
    "Cell",
    "Dimension",
    "Release",
    "StatisticsTable",
    "current_release",
    "explanation_es",
    "protection_interval",
    "publish",
    "quarter_end",
    "statistics",
    "table_of",
]
