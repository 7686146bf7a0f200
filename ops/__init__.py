"""Running the service: health endpoints, request ids and structured logs, Prometheus metrics.

Not a domain layer: nothing in certification/, workflows/ or jobs/ imports this package
(an import-linter contract, `make lint`). The request id they need lives in `logcontext`.
"""
