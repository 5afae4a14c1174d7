from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.core.exceptions import ApplicationError, ErrorCode

from .. import inbox, selectors
from ..views import dashboard_form


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def dashboard(request: Request) -> Response:
    """The dashboard's figures for the caller's scope (parameters as /api/v1/plan-vs-actual/)."""
    form = dashboard_form(request.query_params, request.user)
    if not form.is_valid():
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
        raise ApplicationError(ErrorCode.INVALID, "; ".join(sum(errors.values(), [])), extra={"errors": errors})
    board = selectors.dashboard(user=request.user, query=form.query())
    return Response({"scope": form.scope_label(), **board.as_dict()})


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def my_tasks(request: Request) -> Response:
    """What is waiting for the caller (the home page's “Việc cần làm”): projects waiting for their step, the
    programme calendar's deadlines near today, progress reports to confirm, collaborators' reports to review,
    their imports, exports and report files, possible duplicates to decide, and this year's headline figures."""
    return Response(inbox.inbox_for(user=request.user).as_dict())
