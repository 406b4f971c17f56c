"""Bulk actions of the editors' review workflow. Each is a thin shell over a service."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from . import services
from .merging import events_merge
from .models import Event


@admin.action(description="Mark selected events as reviewed", permissions=["change"])
def mark_reviewed(modeladmin, request, queryset):
    changed = 0
    for event in queryset.filter(status=Event.Status.DRAFT):
        services.event_update(event=event, status=Event.Status.REVIEWED)
        changed += 1
    modeladmin.message_user(request, f"{changed} event(s) marked as reviewed.", messages.SUCCESS)


@admin.action(description="Re-resolve dates of selected events", permissions=["change"])
def re_resolve_dates(modeladmin, request, queryset):
    """Read each date text again, e.g. after its anchor source's publication date was corrected."""
    changed, failed = 0, []
    for event in queryset:
        before = (event.earliest, event.latest, event.edtf)
        try:
            services.event_redate(event=event)
        except ValidationError as exc:
            failed.append(f"“{event.title}”: {'; '.join(exc.messages)}")
            continue
        changed += before != (event.earliest, event.latest, event.edtf)
    modeladmin.message_user(request, f"Dates re-read; {changed} event(s) changed.", messages.SUCCESS)
    for failure in failed:
        modeladmin.message_user(request, failure, messages.ERROR)


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Event.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = events
        self.fields["survivor"].label_from_instance = lambda e: f"{e.date_label} — {e.title} ({e.status})"


def _default_survivor(events) -> Event:
    # The reviewed one if any, else the most precisely dated; the oldest on a tie.
    return min(events, key=lambda e: (e.status != Event.Status.REVIEWED, e.latest - e.earliest, e.pk))


@admin.action(description="Merge selected events into one", permissions=["change", "delete"])
def merge_events(modeladmin, request, queryset):
    events = queryset.order_by("earliest", "latest", "id").prefetch_related(
        "citations__source", "participations__party"
    )
    if events.count() < 2:
        modeladmin.message_user(request, "Select at least two events to merge.", messages.WARNING)
        return None
    if "apply" in request.POST:
        form = MergeForm(request.POST, events=events)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            others = [e for e in events if e.pk != survivor.pk]
            try:
                events_merge(survivor=survivor, others=others)
            except ValidationError as exc:
                modeladmin.message_user(request, "; ".join(exc.messages), messages.ERROR)
                return None
            modeladmin.message_user(
                request, f"Merged {len(others)} event(s) into “{survivor.title}”.", messages.SUCCESS
            )
            return None
    else:
        form = MergeForm(events=events, initial={"survivor": _default_survivor(list(events))})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Merge events",
        "events": events,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "selected": [str(e.pk) for e in events],
    }
    return TemplateResponse(request, "admin/timeline/event/merge.html", context)
