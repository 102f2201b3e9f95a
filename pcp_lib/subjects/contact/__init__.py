"""Contact demand: 999, 101 and online reporting, from monthly returns and call-level records.

``returns`` holds the Force's monthly return (``CONTACT_MONTHLY``) and its loader; ``calls``
the call-level extract (``CONTACT_CALLS``), its reader and ``aggregate_calls`` (call records
to the monthly return, same definitions); ``synthetic`` the call-level generator;
``published`` the report's figures and the uplift (``data/published/``); ``targets`` judging
a rate against its target (the targets are reference data, ``pcp_lib.reference.contact_targets``);
``summary`` volumes, rates and changes (% for volumes, pp for rates) as numeric tables;
``tables`` their display; ``staffing`` the hour-by-hour what-if (queueing models in
``pcp_lib.methods.erlang``); ``narrative`` the sentences; ``figures`` the charts; ``page``
the page contract (notebook 10).
"""

from pcp_lib.subjects.contact.calls import CONTACT_CALLS_RETURN, aggregate_calls, read_calls
from pcp_lib.subjects.contact.published import check_against_published, load_published, load_uplift
from pcp_lib.subjects.contact.returns import CHANNELS, CONTACT_MONTHLY, CONTACT_MONTHLY_RETURN, load_monthly
from pcp_lib.subjects.contact.summary import (
           annual_summary,
           compare_periods,
           quarter_summary,
           year_to_date_summary,
)
from pcp_lib.subjects.contact.tables import comparison_table, published_table

RETURNS = (CONTACT_MONTHLY_RETURN, CONTACT_CALLS_RETURN)

__all__ = ["CHANNELS", "CONTACT_MONTHLY", "RETURNS", "aggregate_calls", "annual_summary", "check_against_published",
           "compare_periods", "comparison_table", "load_monthly", "load_published", "load_uplift",
           "published_table", "quarter_summary", "read_calls", "year_to_date_summary"]
