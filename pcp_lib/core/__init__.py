"""The bottom layer: errors for expected mistakes in input data, and the provenance record every table carries."""
