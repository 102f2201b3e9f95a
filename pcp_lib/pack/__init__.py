"""The quarterly pack: run every notebook for every audience, export, index, manifest, publish; validate returns."""
