"""Community Safety Partnership (CSP) spend: allocations, drawdown, projected year-end, and
what the money buys.

``areas`` holds the nine CSPs and the names papers use for them; ``spend`` the quarterly
position return (``CSP_SPEND``) and the published table (``CSP_SPEND_PUBLISHED``);
``position`` the arithmetic (``spend_position``, ``year_elapsed``); ``projects`` the
Appendix One project list and the priority rules; ``views`` the quarter-led selection of
positions; ``narrative`` and ``tables`` what the notebook shows.
"""

from pcp_lib.subjects.csp import narrative, position, projects, spend, tables, views
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
           load_published,
           load_spend,
           read_position,
)

RETURNS = (CSP_SPEND_RETURN,)

__all__ = ["RETURNS", "CSP_PRIORITY_RULES", "CSP_PROJECTS", "CSP_SPEND", "CSP_SPEND_PUBLISHED", "FLAGGED", "PRIORITIES",
           "PROFILE_TOLERANCE_PP", "YearElapsed", "load_projects", "load_published", "load_rules",
           "load_spend", "narrative", "position", "projects", "read_position", "spend", "spend_position",
           "tables", "tag_projects", "views", "year_elapsed"]
