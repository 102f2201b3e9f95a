"""Drug Testing on Arrest (DToA): where people drop off the custody-to-treatment pathway.

``arithmetic`` holds the funnel and before/after arithmetic; ``pathway`` the monthly return
(``DTOA_PATHWAY``) and the uplift monitoring; ``published`` the transcribed figures and
their checks; ``cstr`` the Community Sentence Treatment Requirement tables; ``narrative``
the sentences and chart titles; ``tables`` the display tables; ``page`` the page of the
pack (``load`` and one function per section).
"""

from pcp_lib.subjects.dtoa import arithmetic, cstr, narrative, pathway, published, tables
from pcp_lib.subjects.dtoa.arithmetic import change, compare_periods, funnel, largest_dropoff
from pcp_lib.subjects.dtoa.cstr import CSTR_MONTHLY, CSTR_TOTALS
from pcp_lib.subjects.dtoa.pathway import DTOA_PATHWAY, DTOA_PATHWAY_RETURN, load_pathway
from pcp_lib.subjects.dtoa.published import COMPARISON, CONTRIBUTIONS, FUNDING, PATHWAY_2025, REFERRALS_METRIC

RETURNS = (DTOA_PATHWAY_RETURN,)

__all__ = ["COMPARISON", "CONTRIBUTIONS", "CSTR_MONTHLY", "CSTR_TOTALS", "DTOA_PATHWAY", "FUNDING", "PATHWAY_2025",
           "REFERRALS_METRIC", "RETURNS", "arithmetic", "change", "compare_periods", "cstr", "funnel",
           "largest_dropoff", "load_pathway", "narrative", "pathway", "published", "tables"]
