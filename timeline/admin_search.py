"""The admin's search box, bounded (issue 17): each word of a search is an OR over the model's search
fields, and 1,000 words made SQLite fail with "Expression tree is too large" (reported then as "the
database is unavailable; retry shortly"). A search of more than ``MAX_ADMIN_SEARCH_WORDS`` words is a
400: the list is shown unsearched, with a message naming the limit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR

MAX_ADMIN_SEARCH_WORDS = 20


class BoundedSearchMixin:
    """For a ModelAdmin with ``search_fields``: refuses a search of too many words."""

    def changelist_view(self, request, extra_context=None):
        words = len(request.GET.get(SEARCH_VAR, "").split())
        if words <= MAX_ADMIN_SEARCH_WORDS:
            return super().changelist_view(request, extra_context)
        self.message_user(
            request,
            f"A search may have at most {MAX_ADMIN_SEARCH_WORDS} words; this one has {words}. Nothing was searched.",
            level=messages.ERROR,
        )
        query = request.GET.copy()
        del query[SEARCH_VAR]
        request.GET = query
        response = super().changelist_view(request, extra_context)
        response.status_code = 400
        return response
