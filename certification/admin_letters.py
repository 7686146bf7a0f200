"""The texts of decision letters in the admin, with a preview of the PDF they make.

The preview renders the text as it stands in the form (saved or not) for the newest decision of
its kind, or a made-up one when there is none yet; it saves nothing and sends nothing.
Imported by certification/admin.py.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .admin_audit import AuditedAdmin
from .domain import letters
from .domain.letter_preview import preview_decision
from .forms.letters import LetterTemplateForm
from .letter_pdf import render_letter_pdf
from .models import LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedAdmin):
    form = LetterTemplateForm
    change_form_template = "admin/certification/lettertemplate/change_form.html"
    list_display = ["__str__", "final", "language", "subject", "updated"]
    list_filter = ["kind", "final", "language"]
    search_fields = ["subject", "body"]

    def has_delete_permission(self, request, obj=None):
        return False  # every decision needs its letter: a text is changed, never removed

    def get_urls(self):
        def wrap(view):
            def wrapper(*args, **kwargs):
                return self.admin_site.admin_view(view)(*args, **kwargs)

            wrapper.model_admin = self
            return update_wrapper(wrapper, view)

        info = self.opts.app_label, self.opts.model_name
        # Before the admin's own: its "<path:object_id>/" would take this path too.
        return [
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The PDF of this text: as saved (GET) or as edited in the form (POST), unsaved."""
        text = self.get_object(request, unquote(object_id))
        if text is None:
            raise Http404(_("No such letter text."))
        if not self.has_change_permission(request, text):
            raise PermissionDenied
        if request.method == "POST":
            form = self.get_form(request, text)(request.POST, instance=text)
            if not form.is_valid():
                # The change form again, with the errors beside the fields; it saves to the
                # change page as usual.
                change_url = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[text.pk],
                )
                return self.changeform_view(request, object_id, form_url=change_url)
            text = form.instance  # the form's values, not saved
        with translation.override(text.language):
            decision = preview_decision(kind=text.kind, final=text.final)
        content = letters.compose(decision, language=text.language, text=text)
        response = HttpResponse(render_letter_pdf(content), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response
