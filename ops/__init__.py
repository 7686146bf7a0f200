"""Running the service: health endpoints, request ids and structured logs, Prometheus metrics.

Not a domain layer: nothing in certification/ or workflows/ imports this package.
"""
