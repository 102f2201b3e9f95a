"""How LLR compares: LLR's recorded crime beside England and Wales, the region, the 43 forces
and a peer group, on ONS official statistics (``reference.recorded_crime``).

- ``measures``: the comparison table, the peer group's rates and intervals, the ranks;
- ``page``: the page contract (sections, findings).

It reads only derived and reference data: no quarterly return.
"""

RETURNS: tuple = ()

__all__ = ["RETURNS"]
