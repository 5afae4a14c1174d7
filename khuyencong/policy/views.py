"""Reference pages of the policy data: the support ceilings by item and the legal documents they cite."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def support_rules(request: HttpRequest) -> HttpResponse:
    items = []
    for item in selectors.support_items_with_rules():
        rows = []
        for rule in item.rules.all():
            start, end, approximate = rule.period()
            rows.append({"rule": rule, "start": start, "end": end, "approximate": approximate})
        items.append({"item": item, "rows": rows})
    return render(
        request,
        "policy/support_rules.html",
        {
            "items": items,
            "documents": selectors.legal_documents(),
            "nav_active": "policy",
            "can_edit": request.user.has_perm("policy.change_supportrule"),
        },
    )
