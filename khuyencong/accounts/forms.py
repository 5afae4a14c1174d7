from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import IntegerField

from .choices import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, TOKEN_MIN_DAYS, TokenAccess


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Note that both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your 8-digit backup codes."),
    )


class ApiTokenForm(forms.Form):
    """A new API token: its name, access and lifetime; and, for an account that needs two-factor, the current code
    of the authenticator app (the service decides whether the token needs it: a read-and-write one does)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the program or script that uses it."),
        error_messages={
            "required": _("Give the token a name, e.g. the program that will use it."),
            "max_length": _("The name is too long (at most 100 characters)."),
        },
    )
    access = forms.ChoiceField(
        label=_("Access"),
        choices=TokenAccess.choices,
        initial=TokenAccess.READ,
        widget=forms.RadioSelect,
        help_text=_("A read-only token can only read (GET); a read-and-write token can also create and change."),
        error_messages={
            "required": _("Choose read-only or read-and-write access."),
            "invalid_choice": _("Choose read-only or read-and-write access."),
        },
    )
    days = IntegerField(
        label=_("Valid for (days)"),
        min_value=TOKEN_MIN_DAYS,
        max_value=TOKEN_MAX_DAYS,
        initial=TOKEN_DEFAULT_DAYS,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 90")}),
    )
    code = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only for a read-and-write token: the 6-digit code your authenticator app shows now."),
    )

    def __init__(self, *args: Any, asks_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not asks_code:
            del self.fields["code"]
        days = _("A token lasts from %(min)d to %(max)d days.") % {"min": TOKEN_MIN_DAYS, "max": TOKEN_MAX_DAYS}
        self.fields["days"].error_messages.update({k: days for k in ("required", "invalid", "min_value", "max_value")})
        for field in self.fields.values():
            if not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.setdefault("class", "form-control")


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(  # required, and checked by the service (accounts.services.two_factor_reset)
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=_("Why the reset is made, e.g. the user's request and how you checked who they are."),
    )
