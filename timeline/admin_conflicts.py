"""The admin's change forms do not overwrite a change saved after they were opened (issue 17).

The form carries the row's version (``models.Versioned``) as it was when the page was rendered, in
a hidden field. On save the row is read again, locked until the admin's transaction ends (the
change view runs in one), and when its version moved on, the save is refused with a message naming
the fields that changed (the form's version of the row is found in its history) and who changed
them, instead of writing the form's stale values over them.
"""

from __future__ import annotations

from django import forms
from django.db import connection


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm that refuses to save over a change made since it was rendered."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Model fields compared to name what changed, besides the form's own (PartyAdminForm edits
    # ``aliases`` through a text field).
    compared_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # The stored row's version: the history's revert page fills the form from an old
            # version of the row, and a revert must be refused too if the row changes meanwhile.
            stored = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.initial["seen_version"] = stored.first()

    def clean(self):
        cleaned = super().clean()
        self._refuse_overwriting(cleaned.get("seen_version"))
        return cleaned

    def _refuse_overwriting(self, seen: int | None) -> None:
        if self.instance.pk is None or seen is None:
            return  # a new row, or a form posted without the field (nothing to compare with)
        model = type(self.instance)
        rows = model._base_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            rows = rows.select_for_update()
        current = rows.first()
        noun = model._meta.verbose_name
        if current is None:
            self.add_error(None, f"This {noun} was deleted after you opened this page: your changes were not saved.")
            return
        if current.version == seen:
            return
        changed, who = self._changes_since(current, seen)
        what = f"changed {', '.join(changed)}" if changed else self._related_change_text()
        by = f" by {who}" if who else ""
        self.add_error(
            None,
            f"This {noun} was changed{by} after you opened this page ({what}; version {seen} → "
            f"{current.version}). Your changes were not saved, so as not to undo that change: reopen "
            "the page to see the current values and make your changes again.",
        )

    def _related_change_text(self) -> str:
        return "its related records changed"

    def _changes_since(self, current, seen: int) -> tuple[list[str], str]:
        """The verbose names of the fields whose stored value differs from the version the form
        showed (read from the row's history), and who made the latest change."""
        history = getattr(current, "history", None)
        if history is None:
            return [], ""
        shown = history.filter(version__lte=seen).order_by("-version", "-history_date").first()
        latest = history.order_by("-history_date").first()
        who = str(latest.history_user) if latest is not None and latest.history_user_id else ""
        if shown is None:
            return [], who
        excluded = set(self._meta.exclude or ())
        names = dict.fromkeys([*(n for n in self._meta.fields or () if n not in excluded), *self.compared_fields])
        changed = []
        for name in names:
            try:
                field = current._meta.get_field(name)
            except Exception:  # a form-only field
                continue
            editable = field.editable or name in self.compared_fields
            if not editable or not field.concrete or field.many_to_many or not hasattr(shown, field.attname):
                continue
            if getattr(shown, field.attname) != getattr(current, field.attname):
                changed.append(str(field.verbose_name))
        return changed, who


class ConflictCheckedAdmin:
    """For a ModelAdmin with fieldsets: the hidden version field is added to the first one (it is
    rendered only where a fieldset names it)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.fieldsets:
            return fieldsets
        (name, options), *rest = fieldsets
        fields = tuple(options.get("fields", ()))
        if "seen_version" not in fields:
            options = {**options, "fields": (*fields, "seen_version")}
        return [(name, options), *rest]
