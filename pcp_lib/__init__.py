"""pcp_lib: metric definitions, the RAG rule, validated loaders and analyses for the
Police and Crime Plan performance pack of an Office of the Police and Crime Commissioner.

All logic lives here; the notebooks in ``notebooks/`` only load, call and explain.
"""

__version__ = "0.1.0"
