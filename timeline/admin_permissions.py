"""Permission checks the admin's history views lack.

django-simple-history lets anyone who may *view* an object open one of its past versions, and a POST
of that page (the "Revert" button, which it only hides) saves the version: a user with view
permission alone could overwrite an event, and revert a deleted one back into existence. Here a POST
needs *change* on a stored object and *add* on one that is gone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class HistoryWritesNeedPermission:
    """Mixed into a ``SimpleHistoryAdmin`` before it."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            exists = self.model._default_manager.filter(pk=object_id).exists() if str(object_id).isdigit() else False
            allowed = self.has_change_permission(request) if exists else self.has_add_permission(request)
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
