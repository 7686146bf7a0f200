"""allauth's account forms in the house style (ACCOUNT_FORMS in config/settings.py).

The fields and their checks stay allauth's; these only change how fields present themselves:
no placeholders (a label that vanishes while typing is hard for many users), plain-text
password hints, and the login field named for what people type into it.
"""

from allauth.account import forms as allauth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


def _password_hint() -> str:
    # The validators' own sentences, already translated by Django, as one short paragraph.
    return " ".join(password_validation.password_validators_help_texts())


class HouseStyleMixin:
    new_password_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.new_password_fields:
                field.help_text = _password_hint()


class LoginForm(HouseStyleMixin, allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        # The page links "Forgot your password?" below the form instead of in the hint.
        self.fields["password"].help_text = ""


class SignupForm(HouseStyleMixin, allauth_forms.SignupForm):
    new_password_fields = ("password1",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _(
            "You will log in with it. We send a link to confirm it is yours."
        )


class ResetPasswordForm(HouseStyleMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")


class ResetPasswordKeyForm(HouseStyleMixin, allauth_forms.ResetPasswordKeyForm):
    new_password_fields = ("password1",)


class ChangePasswordForm(HouseStyleMixin, allauth_forms.ChangePasswordForm):
    new_password_fields = ("password1",)


class SetPasswordForm(HouseStyleMixin, allauth_forms.SetPasswordForm):
    new_password_fields = ("password1",)
