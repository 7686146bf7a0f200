"""Views that move the certification flow; each calls one function of workflows.services."""
