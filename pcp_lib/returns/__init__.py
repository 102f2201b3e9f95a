"""Administering the quarterly returns, between the subjects (which declare their returns)
and the pack (which renders a quarter once its returns pass): ``validation`` (what ``pcp
validate`` checks), ``gate`` (the same checks before ``pcp run`` renders anything),
``quarters`` (``pcp new-quarter``: templates, checklist, completeness) and ``templates``
(the blank rows a template holds, and a filled one left in ``templates/``). The list of
returns is the subjects' registry (:func:`pcp_lib.subjects.registry.all_returns`)."""
