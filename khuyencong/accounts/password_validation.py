"""Django's password validators with messages of our own (Django's Vietnamese catalogue lacks them)."""

from django.contrib.auth import password_validation as django_validators
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must have at least %(min)d character.",
            "This password is too short: it must have at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must have at least %(min)d character.",
            "Your password must have at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("The password is too similar to your %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Your password must not resemble your name, username or e-mail.")


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is too common.")

    def get_help_text(self) -> str:
        return _("Your password must not be a commonly used password.")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is entirely numeric.")

    def get_help_text(self) -> str:
        return _("Your password must not be entirely numeric.")
