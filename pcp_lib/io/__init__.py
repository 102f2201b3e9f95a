"""Reading files: where data live, one reader per format, the schemas that say what each field means, templates."""
