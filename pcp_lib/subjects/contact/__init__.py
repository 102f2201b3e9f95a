"""Contact demand: 999, 101 and online reporting, from monthly returns and call-level records.

``returns`` holds the Force's monthly return (``CONTACT_MONTHLY``) and its loader; ``calls``
the call-level extract (``CONTACT_CALLS``), its reader and ``aggregate_calls`` (call records
to the monthly return, same definitions); ``synthetic`` the call-level generator; ``summary``
volumes, rates, changes (% for volumes, pp for rates), targets and the published tables;
``erlang`` the queueing models (Erlang B, C and A); ``staffing`` the hour-by-hour what-if;
``narrative`` the sentences the notebook shows.
"""

from pcp_lib.methods import erlang
from pcp_lib.methods.erlang import agents_required, erlang_a, erlang_b, erlang_c, erlang_c_service_level
from pcp_lib.subjects.contact import returns, summary
from pcp_lib.subjects.contact.calls import CONTACT_CALLS_RETURN
from pcp_lib.subjects.contact.returns import (
    CHANNELS,
    CONTACT_MONTHLY,
    CONTACT_MONTHLY_RETURN,
    THRESHOLDS,
    load_monthly,
)
from pcp_lib.subjects.contact.summary import (
    PUBLISHED_ANNUAL,
    PUBLISHED_CHANGE,
    TARGETS,
    annual_summary,
    check_against_published,
    load_published,
    load_targets,
    published_table,
)

RETURNS = (CONTACT_MONTHLY_RETURN, CONTACT_CALLS_RETURN)

__all__ = ["RETURNS", "CHANNELS", "CONTACT_MONTHLY", "PUBLISHED_ANNUAL", "PUBLISHED_CHANGE", "TARGETS", "THRESHOLDS",
           "agents_required", "annual_summary", "check_against_published", "erlang", "erlang_a", "erlang_b",
           "erlang_c", "erlang_c_service_level", "load_monthly", "load_published", "load_targets",
           "published_table", "returns", "summary"]
