"""Community Safety Partnership (CSP) spend: allocations, drawdown, projected year-end, and
what the money buys.

``spend`` reads the quarterly position return (``CSP_SPEND``) and the published table
(``CSP_SPEND_PUBLISHED``); ``position`` the arithmetic (``spend_position``, ``year_elapsed``);
``timeline`` which positions a quarter leads with and the drawdown between them;
``projects`` the Appendix One project list and the priority rules; ``narrative`` and
``tables`` what the page shows; ``page`` the page itself (notebook 30). The nine CSPs and
their names are reference data (``pcp_lib.reference.csp_areas``).
"""

from pcp_lib.subjects.csp import narrative, position, projects, spend, tables, timeline
from pcp_lib.subjects.csp.position import (
    FLAGGED,
    PROFILE_TOLERANCE_PP,
    YearElapsed,
    spend_position,
    year_elapsed,
)
from pcp_lib.subjects.csp.projects import (
    CSP_PRIORITY_RULES,
    CSP_PROJECTS,
    PRIORITIES,
    load_projects,
    load_rules,
    tag_projects,
)
from pcp_lib.subjects.csp.spend import (
    CSP_SPEND,
    CSP_SPEND_PUBLISHED,
    CSP_SPEND_RETURN,
    load_positions,
    load_published,
    load_spend,
    read_position,
)

RETURNS = (CSP_SPEND_RETURN,)

__all__ = ["CSP_PRIORITY_RULES", "CSP_PROJECTS", "CSP_SPEND", "CSP_SPEND_PUBLISHED", "FLAGGED", "PRIORITIES",
           "PROFILE_TOLERANCE_PP", "RETURNS", "YearElapsed", "load_positions", "load_projects", "load_published",
           "load_rules", "load_spend", "narrative", "position", "projects", "read_position", "spend",
           "spend_position", "tables", "tag_projects", "timeline", "year_elapsed"]
