"""Crime trends from police.uk street-level crime files: counts by month, force and area,
rates per 1,000, significance of changes and SPC readings."""
