"""One package per subject of the pack, each of the same shape: returns and loaders, measures, tables,
narrative, and a ``page`` module under the page contract."""
