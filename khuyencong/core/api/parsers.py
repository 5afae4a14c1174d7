"""The API's JSON parser: control characters are removed from every text of the body (as
`core.middleware.ControlCharacterMiddleware` does for query strings and forms), and a body nested beyond what the
parser can follow is a 400, not a 500."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

from khuyencong.core.text import without_controls


class JSONParser(DRFJSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            return without_controls(super().parse(stream, media_type, parser_context))
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
        except ParseError as exc:
            raise ParseError(_("The body is not valid JSON in UTF-8.")) from exc
