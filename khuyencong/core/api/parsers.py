"""The API's JSON parser: NUL characters are removed from every text of the body (PostgreSQL refuses them in strings
and JSON, and no field of ours means anything by them), as `core.middleware.NulCharacterMiddleware` does for query
strings and forms."""

from typing import Any

from rest_framework.parsers import JSONParser as DRFJSONParser

from khuyencong.core.middleware import without_nul


class JSONParser(DRFJSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return without_nul(super().parse(stream, media_type, parser_context))
