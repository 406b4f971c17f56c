"""What the admin does with ids and filters it cannot use: a form error or a 400, never a 500.

Two holes in Django 5.2's admin, both reached by typing in the address bar or posting a form:

- The autocomplete widget looks up the submitted value(s) to show them as selected
  (``AutocompleteSelect.optgroups`` filters ``pk__in`` with the raw text) before, and whether or
  not, the form field has refused them: ``?date_anchor=abc`` on an add page, or a form posted with a
  non-numeric or 20-digit id, raised ``ValueError`` (and ``OverflowError`` on SQLite) while the form
  was being drawn. Here the widget shows only the values its model's key field can hold; the form
  field says the rest is not a valid choice.
- The change list's date hierarchy catches ``ValueError`` but not ``OverflowError``
  (``?earliest__year=99999999999999999999``, or the day after 31 December 9999), and a filter Django
  cannot apply (``?parties__id__exact=abc``) redirected to the unfiltered list with ``?e=1`` and no
  word why. Both are now a 400 page naming the parameters and the reason.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import IntegerField
from django.template.response import TemplateResponse
from django.utils.text import Truncator


def usable_key(field, value, using: str | None = None) -> bool:
    """Whether ``value`` (as submitted) can be looked up in ``field`` (a key field) at all: of its type
    and, for an integer, in the database's range (SQLite raises ``OverflowError`` beyond 64 bits)."""
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(field, IntegerField) and python is not None:
        low, high = connections[using or "default"].ops.integer_field_range(field.get_internal_type())
        return (low is None or python >= low) and (high is None or python <= high)
    return True


def _target(relation):
    """The field of the related model that a foreign key or many-to-many field refers to."""
    opts = relation.remote_field.model._meta
    return opts.get_field(getattr(relation.remote_field, "field_name", None) or opts.pk.attname)


class _UsableValues:
    """An autocomplete widget that looks up only the values its model's key field can hold."""

    def optgroups(self, name, value, attr=None):
        target = _target(self.field)
        return super().optgroups(name, [v for v in value if usable_key(target, v, self.db)], attr)


class SafeAutocompleteSelect(_UsableValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_UsableValues, AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field looks all the submitted ids up at once (``pk__in``) after checking only their
    type: a 20-digit id raised ``OverflowError`` on SQLite. One no key can hold is not a valid choice."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                key.to_python(pk)
            except (ValidationError, ValueError, TypeError):
                continue  # Django's own message: not a valid value
            if not usable_key(key, pk, self.queryset.db):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super()._check_values(value)


class BadChangeListQuery(Exception):
    """A change list's query string that cannot be applied; the message names what was wrong."""


class SafeInputsMixin:
    """Both fixes, for a ``ModelAdmin`` or an inline (first among its bases). ``SafeAdminSite`` adds
    it to every model admin registered, and to their inlines."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        _check_date_hierarchy(self.date_hierarchy, request.GET)
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, OverflowError, ValueError, ValidationError) as exc:
            raise BadChangeListQuery(_reason(exc)) from exc

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadChangeListQuery as exc:
            params = [(k, Truncator(v).chars(80)) for k, values in request.GET.lists() for v in values]
            context = {
                **self.admin_site.each_context(request),
                "title": "These filters cannot be applied",
                "opts": self.opts,
                "params": params,
                "reason": str(exc),
            }
            return TemplateResponse(request, "admin/timeline/bad_filter.html", context, status=400)


DATE_PARTS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}


def _check_date_hierarchy(field: str | None, params) -> None:
    """The date hierarchy's ``<field>__year``, ``__month`` and ``__day``, named when they are not
    numbers of a date (Django reads them with ``int()`` and ``datetime()``)."""
    if not field:
        return
    for part, (low, high) in DATE_PARTS.items():
        name = f"{field}__{part}"
        for value in params.getlist(name):
            if not (value.isascii() and value.isdigit() and len(value) <= 4 and low <= int(value) <= high):
                raise BadChangeListQuery(f"{name} must be a whole number from {low} to {high}, not {Truncator(value).chars(40)!r}")


def _reason(exc: Exception) -> str:
    cause = exc
    if isinstance(exc, IncorrectLookupParameters):  # Django wraps the error: (error,) or "from error"
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc.__cause__ or exc
    if isinstance(cause, ValidationError):
        return " ".join(cause.messages)
    if isinstance(cause, OverflowError):
        return f"a number or date out of range ({cause})"
    return Truncator(str(cause)).chars(300)


def with_safe_inputs(admin_class):
    """``admin_class`` with ``SafeInputsMixin`` first among its bases (and its inlines'), unless it
    has it already."""
    if issubclass(admin_class, SafeInputsMixin):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    if getattr(admin_class, "inlines", None):
        attrs["inlines"] = [with_safe_inputs(inline) for inline in admin_class.inlines]
    return type(admin_class.__name__, (SafeInputsMixin, admin_class), attrs)


class SafeAdminSite(AdminSite):
    """The admin site: every model admin registered gets ``SafeInputsMixin``."""

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, with_safe_inputs(admin_class or ModelAdmin), **options)
