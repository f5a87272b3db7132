"""JSON routes, one module per resource (the HTML pages of a resource share its name)."""
