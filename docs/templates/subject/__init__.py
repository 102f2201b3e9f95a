"""<Subject>: one line on what the page answers (copy this folder to pcp_lib/subjects/<subject>/).

List here the subject's modules and what each holds, and declare its quarterly returns
(``RETURNS = (MY_RETURN,)``, each an ``io.registry.ReturnSpec`` beside its loader) when it
has any; the registry (``pcp_lib/subjects/registry.py``) reads them from here.
"""

RETURNS: tuple = ()

__all__ = ["RETURNS"]
