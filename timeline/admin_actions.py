"""Bulk actions of the editors' review workflow. Each is a thin shell over a service."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from . import exchange, selectors, services
from .exports import timelinejs
from .exports.links import EventLinks
from .merging import events_merge
from .models import Event


@admin.action(description="Mark selected events as reviewed", permissions=["change"])
def mark_reviewed(modeladmin, request, queryset):
    changed = 0
    for event in queryset.filter(status=Event.Status.DRAFT):
        services.event_update(event=event, status=Event.Status.REVIEWED)
        changed += 1
    modeladmin.message_user(request, f"{changed} event(s) marked as reviewed.", messages.SUCCESS)


DATE_COLUMNS = ("earliest", "latest", "precision", "approximate", "uncertain", "edtf", "date_label")


def _date_columns(event: Event) -> tuple:
    return tuple(getattr(event, column) for column in DATE_COLUMNS)


@admin.action(description="Re-resolve dates of selected events", permissions=["change"])
def re_resolve_dates(modeladmin, request, queryset):
    """Read each date text again, e.g. after its anchor source's publication date was corrected.
    Only an event whose resolved date columns change is saved, so the others get no history entry."""
    changed, failed = 0, []
    for event in queryset.select_related("date_anchor"):
        try:
            probe = Event()
            probe.date = services.resolve_date(
                text=event.date_text, end=event.end_text, anchor=event.date_anchor, field="date_text"
            )
        except (ValidationError, ValueError) as exc:
            reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            failed.append(f"“{event.title}”: {reason}")
            continue
        if _date_columns(probe) == _date_columns(event):
            continue
        try:
            services.event_redate(event=event)
        except ValidationError as exc:
            failed.append(f"“{event.title}”: {'; '.join(exc.messages)}")
            continue
        changed += 1
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
    # Django offers an action to a user with ANY of its permissions; a merge changes the survivor
    # and deletes the others, so it needs both.
    if not (modeladmin.has_change_permission(request) and modeladmin.has_delete_permission(request)):
        modeladmin.message_user(
            request, "Merging events needs the permissions to change and to delete events.", messages.ERROR
        )
        return None
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


# --- export and import ---------------------------------------------------------------------------


def _download(content, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _selected(queryset):
    # A fresh queryset: the changelist's own prefetches would clash with the listing's.
    chosen = Event.objects.filter(pk__in=queryset.values("pk")).order_by("earliest", "latest", "id")
    return selectors.events_for_listing(chosen)


@admin.action(description="Export selected events as JSON (re-importable)", permissions=["view"])
def export_json(modeladmin, request, queryset):
    return _download(
        exchange.export_json(_selected(queryset)), filename="events.json", content_type="application/json"
    )


@admin.action(description="Export selected events as CSV (re-importable)", permissions=["view"])
def export_csv(modeladmin, request, queryset):
    return _download(exchange.export_csv(_selected(queryset)), filename="events.csv", content_type="text/csv")


@admin.action(description="Export selected events as TimelineJS JSON", permissions=["view"])
def export_timelinejs(modeladmin, request, queryset):
    body = b"".join(timelinejs.stream(_selected(queryset), links=EventLinks(request)))
    return _download(body, filename="timeline.json", content_type="application/json")


MIB = 1024 * 1024
# The upload's own limit is exchange.MAX_IMPORT_BYTES; the request also carries the multipart
# envelope (boundary, part headers, the CSRF token), hence the margin. A file between the two is
# refused by exchange.read_records with its name, on the import page.
IMPORT_BODY_LIMIT = exchange.MAX_IMPORT_BYTES + 64 * 1024
LIMIT_TEXT = f"{exchange.MAX_IMPORT_BYTES // MIB} MiB"


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text=f"A .json or .csv file in the export format (the API's write format), at most {LIMIT_TEXT}."
    )


def import_too_large(request, length, limit):
    """The request-size middleware's answer to an upload over ``IMPORT_BODY_LIMIT``: back to the
    import page (nothing was read), which shows the error as an admin message."""
    response = HttpResponseRedirect(f"{request.path}?{urlencode({'too_large': length})}")
    response.status_code = 303  # see other: the browser asks for the page with GET
    return response


def _too_large_message(value: str) -> str | None:
    try:
        length = int(value)
    except ValueError:
        return None
    return (
        f"The upload ({length / MIB:.1f} MiB) is too large: files of up to {LIMIT_TEXT} can be imported. "
        "Nothing was imported; split the file and import the parts."
    )


def import_view(modeladmin, request):
    """Upload a file of events; every record is checked before anything is written."""
    # Creating needs *add*, updating *change*: checked per record by exchange.import_records.
    if not (modeladmin.has_add_permission(request) or modeladmin.has_change_permission(request)):
        raise PermissionDenied
    errors, form = [], ImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET" and "too_large" in request.GET:
        message = _too_large_message(request.GET["too_large"])
        if message:
            modeladmin.message_user(request, message, messages.ERROR)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = exchange.read_records(
                name=upload.name, content=upload.read(exchange.MAX_IMPORT_BYTES + 1)
            )
        except exchange.ImportFileError as exc:
            errors = [str(exc)]
        else:
            result = exchange.import_records(records, user=request.user)
            errors = result.errors
            if not errors:
                modeladmin.message_user(
                    request,
                    f"Imported {upload.name}: {result.created} created, {result.updated} updated.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:timeline_event_changelist"))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Import events",
        "form": form,
        "errors": errors,
        "limit": LIMIT_TEXT,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(
        request, "admin/timeline/event/import.html", context, status=400 if errors else 200
    )
