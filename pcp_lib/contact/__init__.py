"""Contact demand: 999, 101 and online reporting, from monthly returns and call-level records.

``returns`` holds the Force's monthly return (``CONTACT_MONTHLY``) and its loader; ``calls``
the call-level extract (``CONTACT_CALLS``), its reader and ``aggregate_calls`` (call records
to the monthly return, same definitions); ``synthetic`` the call-level generator; ``summary``
volumes, rates, changes (% for volumes, pp for rates), targets and the published tables;
``erlang`` the queueing models (Erlang B, C and A); ``staffing`` the hour-by-hour what-if;
``narrative`` the sentences the notebook shows.
"""

from . import erlang, returns, summary
from .erlang import agents_required, erlang_a, erlang_b, erlang_c, erlang_c_service_level
from .returns import CHANNELS, CONTACT_MONTHLY, THRESHOLDS, load_monthly
from .summary import (
    PUBLISHED_ANNUAL,
    PUBLISHED_CHANGE,
    TARGETS,
    annual_summary,
    check_against_published,
    load_published,
    load_targets,
    published_table,
)

__all__ = ["CHANNELS", "CONTACT_MONTHLY", "PUBLISHED_ANNUAL", "PUBLISHED_CHANGE", "TARGETS", "THRESHOLDS",
           "agents_required", "annual_summary", "check_against_published", "erlang", "erlang_a", "erlang_b",
           "erlang_c", "erlang_c_service_level", "load_monthly", "load_published", "load_targets",
           "published_table", "returns", "summary"]
