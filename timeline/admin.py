"""The Django admin, for journalists and researchers entering and reviewing events.

Dates are typed as text ("September 2022", "2023-11?", "November last year") and read by the
fuzzy-date module through ``services.resolve_date``; the resolved bounds, precision and EDTF are
shown read-only after saving. A bad date is a form error on the date field."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import admin_actions, selectors, services
from .middleware import allow_request_body
from .models import Citation, Event, Participation, Party, Place, Source
from .quotes import check_quote, locate_quote, render_highlighted

DATE_READONLY = ("bounds", "precision", "edtf", "date_label", "approximate", "uncertain")


# The prefix of the citations inline's formset (the related name of Citation.event).
CITATIONS_PREFIX = "citations"
ANCHOR_HELP = (
    "The source whose publication date resolves relative phrases ('next March'). Left empty, a "
    "relative date is resolved against the cited source when the citations below cite exactly one."
)


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "summary", "kind", "status", "date_text", "end_text", "date_anchor", "places"]
        help_texts = {"date_anchor": ANCHOR_HELP}

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("date_text")
        if text:
            anchor = cleaned.get("date_anchor")
            try:
                fuzzy = self._resolve(text, anchor)
            except ValidationError as exc:
                if anchor is not None:
                    raise ValidationError(_date_errors(exc)) from None
                fuzzy, cleaned["date_anchor"] = self._resolve_against_cited_source(text, exc)
            self.instance.date = fuzzy
            self.instance.date_text = text.strip()
        return cleaned

    def _resolve(self, text, anchor):
        return services.resolve_date(
            text=text, end=self.cleaned_data.get("end_text", ""), anchor=anchor, field="date_text"
        )

    def _resolve_against_cited_source(self, text, error):
        """No anchor chosen and the date needs one: the one source the citations cite anchors it;
        among several, the editor is asked to choose (naming those the date reads against)."""
        sources = self._cited_sources()
        readable = []
        for source in sources:
            try:
                readable.append((self._resolve(text, source), source))
            except ValidationError:
                pass
        if len(sources) == 1 and readable:
            return readable[0]
        errors = _date_errors(error)
        if len(sources) == 1 and sources[0].published is None:
            errors.setdefault("date_text", []).append(
                f"The cited source “{sources[0].title}” has no publication date to anchor it."
            )
        elif readable:
            names = ", ".join(f"“{source.title}”" for source in sources)
            errors.setdefault("date_text", []).append(
                f"Several sources are cited ({names}): choose the date anchor among them."
            )
            errors["date_anchor"] = [f"Choose one of the cited sources: {names}."]
        raise ValidationError(errors)

    def _cited_sources(self) -> list[Source]:
        """The distinct sources of the citations being saved with the form (the inline's rows,
        read from the submitted data since the inline formset is validated after this form)."""
        data, ids = self.data, []
        try:
            total = min(int(data.get(f"{CITATIONS_PREFIX}-TOTAL_FORMS", 0)), 1000)
        except (TypeError, ValueError):
            return []
        deleted = forms.CheckboxInput()
        for i in range(total):
            if deleted.value_from_datadict(data, None, f"{CITATIONS_PREFIX}-{i}-DELETE"):
                continue
            value = str(data.get(f"{CITATIONS_PREFIX}-{i}-source") or "")
            if value.isdigit() and int(value) not in ids:
                ids.append(int(value))
        found = Source.objects.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def _date_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors = exc.message_dict
    if "end" in errors:
        errors["end_text"] = errors.pop("end")
    return errors


class CitationInlineForm(forms.ModelForm):
    """Offsets may be left empty: they are then found from the quote in the source's text."""

    char_start = forms.IntegerField(required=False, min_value=0)
    char_end = forms.IntegerField(required=False, min_value=0)

    class Meta:
        model = Citation
        fields = ["source", "quote", "char_start", "char_end", "attributed_to"]

    def clean(self):
        cleaned = super().clean()
        source, quote = cleaned.get("source"), cleaned.get("quote")
        if source and quote and (cleaned.get("char_start") is None or cleaned.get("char_end") is None):
            start, end = locate_quote(text=source.text, quote=quote, near=cleaned.get("char_start"))
            cleaned["char_start"], cleaned["char_end"] = start, end
            self.instance.char_start, self.instance.char_end = start, end
        return cleaned


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 2
    autocomplete_fields = ["party"]


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationInlineForm
    extra = 1
    autocomplete_fields = ["source", "attributed_to"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventAdminForm
    list_display = ("title", "date_label", "precision", "kind", "status", "first_quote", "updated")
    list_filter = ("status", "kind", "precision", ("parties", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "summary", "date_text", "citations__quote")
    date_hierarchy = "earliest"
    autocomplete_fields = ["date_anchor", "places"]
    readonly_fields = DATE_READONLY + ("created", "updated")
    inlines = [ParticipationInline, CitationInline]
    fieldsets = (
        (None, {"fields": ("title", "summary", "kind", "status", "places")}),
        (
            "When",
            {
                "fields": ("date_text", "end_text", "date_anchor", DATE_READONLY),
                "description": "Type the date as the source words it. Relative phrases ('next March') are "
                "resolved against the anchor source's publication date; with no anchor chosen, against the "
                "cited source if the citations cite exactly one.",
            },
        ),
        ("Record", {"fields": ("created", "updated"), "classes": ("collapse",)}),
    )
    list_per_page = 50
    actions = [
        admin_actions.mark_reviewed,
        admin_actions.merge_events,
        admin_actions.re_resolve_dates,
        admin_actions.export_json,
        admin_actions.export_csv,
        admin_actions.export_timelinejs,
    ]
    change_list_template = "admin/timeline/event/change_list.html"

    def get_urls(self):
        # The import takes files up to exchange.MAX_IMPORT_BYTES, more than the request-size limit
        # of every other view; a larger upload is sent back to the import page with an error.
        import_view = allow_request_body(
            admin_actions.IMPORT_BODY_LIMIT, too_large=admin_actions.import_too_large
        )(self.admin_site.admin_view(self.import_events))
        custom = [path("import/", import_view, name="timeline_event_import")]
        return custom + super().get_urls()

    def import_events(self, request):
        return admin_actions.import_view(self, request)

    class Media:
        js = ("timeline/admin/date_preview.js",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__source")

    @admin.display(description="source quote")
    def first_quote(self, event):
        citations = list(event.citations.all())
        if not citations:
            return "—"
        first = citations[0]
        more = f" (+{len(citations) - 1} more)" if len(citations) > 1 else ""
        return format_html("“{}” — <em>{}</em>{}", first.quote[:160], first.source.title, more)

    @admin.display(description="earliest – latest")
    def bounds(self, event):
        if not event.edtf:
            return "—"
        return f"{event.earliest.isoformat()} – {event.latest.isoformat()}"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.event_reindex(event=form.instance)


class PartyAdminForm(forms.ModelForm):
    aliases_text = forms.CharField(
        label="Aliases",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line (e.g. Zelensky, Zelenskyy).",
    )

    class Meta:
        model = Party
        fields = ["name", "slug", "kind", "aliases_text", "description", "wikidata_id", "affiliation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("aliases_text", "\n".join(self.instance.aliases or []))

    def clean(self):
        cleaned = super().clean()
        self.instance.aliases = [a.strip() for a in cleaned.get("aliases_text", "").splitlines() if a.strip()]
        return cleaned


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    form = PartyAdminForm
    list_display = ("name", "kind", "slug", "affiliation", "wikidata_id")
    list_filter = ("kind",)
    search_fields = ("name", "slug", "aliases", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["affiliation"]


class SourceAdminForm(forms.ModelForm):
    url = forms.URLField(label="URL", required=False, max_length=1000, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["title", "publisher", "via", "url", "author", "language", "published_text", "text"]

    def clean(self):
        cleaned = super().clean()
        published = cleaned.get("published_text")
        if published:
            try:
                self.instance.published = services.resolve_published(published)
            except ValidationError as exc:
                raise ValidationError({"published_text": exc.message_dict["published"]}) from None
            self.instance.published_text = published.strip()
        else:
            self.instance.published = None
        text = cleaned.get("text")
        if text:
            self._refuse_a_second_copy(text)
            if self.instance.pk is not None and "text" in self.changed_data:
                self._refuse_broken_citations(text)
        return cleaned

    def _refuse_a_second_copy(self, text: str) -> None:
        """The check ``services.source_create`` makes (and the API answers with): one text is stored
        once. Here it names the source already holding it, instead of an IntegrityError."""
        existing = selectors.source_with_text(text=text, exclude=self.instance)
        if existing is not None:
            self.add_error(
                "text",
                format_html(
                    'This article is already stored (same content hash): <a href="{}">“{}”</a> (source {}).',
                    reverse("admin:timeline_source_change", args=[existing.pk]),
                    existing.title,
                    existing.pk,
                ),
            )

    def _refuse_broken_citations(self, text: str) -> None:
        """Every citation's quote must stay the text at its offsets (``quotes.check_quote``)."""
        broken = []
        for citation in self.instance.citations.select_related("event").order_by("char_start", "pk"):
            try:
                check_quote(
                    text=text,
                    quote=citation.quote,
                    char_start=citation.char_start,
                    char_end=citation.char_end,
                )
            except ValidationError as exc:
                broken.append(_broken_citation(citation, text, exc))
        if broken:
            self.add_error(
                "text",
                [
                    f"The new text breaks {len(broken)} citation(s): their quotes would no longer be the "
                    "text at their offsets. Fix or remove those citations on their events first.",
                    *broken,
                ],
            )


def _broken_citation(citation: Citation, text: str, error: ValidationError) -> str:
    where = f"{citation.char_start}..{citation.char_end}"
    line = f"Event “{citation.event.title}”, quote “{citation.quote[:80]}” at {where}: {' '.join(error.messages)}"
    try:
        start, end = locate_quote(text=text, quote=citation.quote, near=citation.char_start)
    except ValidationError:
        return line
    return f"{line} (in the new text it is at {start}..{end})"


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    form = SourceAdminForm
    list_display = ("title", "publisher", "published_label", "url")
    list_filter = ("publisher", "language")
    search_fields = ("title", "url", "author", "text")
    autocomplete_fields = ["publisher", "via"]
    readonly_fields = (
        "published_earliest",
        "published_latest",
        "published_precision",
        "published_edtf",
        "published_label",
        "content_hash",
        "created",
        "updated",
        "highlighted_text",
        "citing_events",
    )

    class Media:
        js = ("timeline/admin/date_preview.js",)

    @admin.display(description="Text with cited quotes highlighted")
    def highlighted_text(self, source):
        return render_highlighted(
            source.text, source.citations.select_related("event").order_by("char_start")
        )

    @admin.display(description="Events citing this source")
    def citing_events(self, source):
        events = (
            Event.objects.filter(citations__source=source).distinct().order_by("earliest", "latest", "id")
        )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {} ({})</li>',
            (
                (reverse("admin:timeline_event_change", args=[e.pk]), e.title, e.date_label, e.status)
                for e in events
            ),
        )
        return format_html("<ul>{}</ul>", items) if events else "—"


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["parent"]
