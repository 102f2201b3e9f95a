"""Monthly police.uk counts (re-exports until crime's own ``counts`` module is merged).

The crime subject is being restructured in parallel: its reading and counting of police.uk
files moves here with these names and signatures. The dashboard imports them from here.
"""

from pcp_lib.subjects.crime.police_uk import (
    LLR_FORCE,
    MEASURES,
    counts_path,
    last_month,
    load_counts,
    monthly_series,
)

__all__ = ["LLR_FORCE", "MEASURES", "counts_path", "last_month", "load_counts", "monthly_series"]
