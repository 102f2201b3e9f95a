"""Crime trends from police.uk street-level crime files: counts by month, force and area,
rates per 1,000, significance of changes and SPC readings.

- ``street``: reading and counting the raw police.uk files (used by
  ``scripts/build_police_uk_counts.py`` to derive the committed monthly counts);
- ``counts``: the derived monthly counts, the Plan's crime measures and their monthly series;
- ``measures``: the statistics, as numeric tables (quarter against a year earlier, year to
  date, SPC, force comparison, indexed trends);
- ``tables`` and ``narrative``: what a reader sees (formatted tables; sentences, chart titles,
  notes);
- ``page``: notebook 40 under the page contract.
"""
