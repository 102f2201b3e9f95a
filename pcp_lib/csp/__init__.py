"""Community Safety Partnership (CSP) spend: allocations, drawdown, projected year-end, and
what the money buys.

``areas`` holds the nine CSPs and the names papers use for them; ``spend`` the quarterly
position return (``CSP_SPEND``) and the published table (``CSP_SPEND_PUBLISHED``);
``position`` the arithmetic (``spend_position``, ``year_elapsed``); ``projects`` the
Appendix One project list and the priority rules; ``views`` the quarter-led selection of
positions; ``narrative`` and ``tables`` what the notebook shows.
"""

from . import areas, narrative, position, projects, spend, tables, views
from .position import FLAGGED, PROFILE_TOLERANCE_PP, YearElapsed, spend_position, year_elapsed
from .projects import CSP_PRIORITY_RULES, CSP_PROJECTS, PRIORITIES, load_projects, load_rules, tag_projects
from .spend import CSP_SPEND, CSP_SPEND_PUBLISHED, load_published, load_spend, read_position

__all__ = ["CSP_PRIORITY_RULES", "CSP_PROJECTS", "CSP_SPEND", "CSP_SPEND_PUBLISHED", "FLAGGED", "PRIORITIES",
           "PROFILE_TOLERANCE_PP", "YearElapsed", "areas", "load_projects", "load_published", "load_rules",
           "load_spend", "narrative", "position", "projects", "read_position", "spend", "spend_position",
           "tables", "tag_projects", "views", "year_elapsed"]
