"""Domain functions: every state change of the scheme, one transaction each, audited."""
