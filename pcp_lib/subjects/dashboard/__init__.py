"""The Plan dashboard: the metric register, each quarter's values with their computed RAG,
the statistical view beside each RAG, and the delivery of the Plan's actions.

``register`` holds the metric register and the metric-values return; ``assess`` the RAG of
every metric for a quarter (and how the pack shows it); ``evidence`` the significance test and
SPC reading beside it; ``actions`` the action register and the totals papers publish;
``page`` the dashboard's page of the pack (the page contract, notebook 00).
"""

from pcp_lib.subjects.dashboard.actions import ACTIONS_RETURN
from pcp_lib.subjects.dashboard.register import METRIC_VALUES_RETURN

RETURNS = (METRIC_VALUES_RETURN, ACTIONS_RETURN)

__all__ = ["RETURNS"]
