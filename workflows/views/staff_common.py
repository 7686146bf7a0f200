"""What every staff page shares: who may enter, and how a broken rule reaches the form."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certification.domain.errors import DomainError
from certification.forms import add_domain_error

from ..services import TaskNotAvailable


def staff_required(view):
    """Logged-in officers and jurors only; anyone else is told the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("certification.staff_area"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def posted(request):
    """Form data of a POST (even an empty one, which `request.POST or None` would miss)."""
    return request.POST if request.method == "POST" else None


def task_form_page(
    request,
    *,
    form,
    action,
    success,
    template: str,
    context: dict,
    field_map: dict[str, str] | None = None,
    success_url: str | Callable[[Any], str] = "staff_inbox",
):
    """GET shows the form; a valid POST runs one service call.

    A broken rule re-renders the form with the message (the service's transaction has rolled
    back, so nothing changed); a task closed meanwhile sends the user back to the inbox.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form)
        except TaskNotAvailable:
            messages.error(request, _("This task has already been completed by someone else."))
            return redirect("staff_inbox")
        except DomainError as error:
            add_domain_error(form, error, field_map=field_map)
        else:
            messages.success(request, success(result))
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form})
