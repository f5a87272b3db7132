"""HTML pages, one module per resource (the JSON routes of a resource share its name)."""
