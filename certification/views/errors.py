"""The 500 page, as Django's own handler renders it, with the request's CSP nonce for its one
inline style (the page uses no static files: their lookup can be the very failure)."""

from django.http import HttpResponseServerError
from django.middleware.csp import get_nonce
from django.template import loader
from django.utils.csp import CONTEXT_KEY


def server_error(request):
    # No context processors and no request context: any of them can be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({CONTEXT_KEY: get_nonce(request)}))
