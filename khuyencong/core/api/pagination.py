from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = _("This page of results does not exist.")  # type: ignore[assignment]
