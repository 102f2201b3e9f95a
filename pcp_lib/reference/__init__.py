"""Reference data, one loader per file: population, CSP areas, force districts, contact targets, staffing assumptions."""
