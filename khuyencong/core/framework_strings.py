"""Strings of the framework and its libraries that users see and that their own Vietnamese catalogues leave in
English. Listed here (marked, not translated at import) so that `makemessages` puts them in our catalogue, whose
translation wins (`LOCALE_PATHS` comes first); the English-text test of the pages finds any new one."""

from django.utils.translation import gettext_noop

FRAMEWORK_STRINGS = (
    gettext_noop("- Select an option -"),  # Django's empty choice of a model field with choices
)
