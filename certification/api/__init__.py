"""The public JSON API under /api/v1/ (django-ninja): lookup, verification and registry search.

An interface layer, like forms and the PDF: it calls certification.domain and certification.registry
and never holds a business rule of its own.
"""
