"""What a write that collided with another one answers (issue 17), instead of a 500 or a 503.

- The object changed since the client read it (``If-Match``): 412 with its current ETag.
- The row was deleted while the request ran (``DoesNotExist`` from a service's row lock, or from a
  check that read it): 404 naming it.
- A unique value stored by another request first, when no check could name it (the services turn
  the usual case into the 400 a later duplicate gets): 409 naming the constraint and its fields.
- A row referred to was deleted meanwhile (a foreign key violation at commit): 409.
- A deadlock or serialization failure the service's retries did not get past: 409, to be retried.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, IntegrityError, models
from rest_framework import exceptions, status

from timeline.concurrency import VersionMismatch, WriteConflict, is_retryable, sqlstate

from .preconditions import precondition_failed

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This change conflicts with another one made at the same time."
    default_code = "conflict"

    def __init__(self, body: dict):
        super().__init__()
        self.detail = body  # as it is: DRF would turn ``"retry": True`` into the text "True"


def concurrency_exception(exc: BaseException) -> BaseException:
    """The API error to answer ``exc`` with when it comes from a concurrent write; else ``exc``."""
    if isinstance(exc, VersionMismatch):
        return precondition_failed(exc)
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound(str(exc) or "Not found: it was deleted while this request ran.")
    if isinstance(exc, WriteConflict):
        return Conflict({"detail": str(exc), "retry": True})
    if isinstance(exc, IntegrityError):
        return Conflict(integrity_conflict(exc))
    if isinstance(exc, DatabaseError) and is_retryable(exc):
        return Conflict({"detail": "This change collided with another one made at the same moment; try again.", "retry": True})
    return exc


def integrity_conflict(exc: IntegrityError) -> dict:
    """A JSON body naming the constraint an IntegrityError broke (PostgreSQL says it by name and
    SQLSTATE; SQLite in its message), with the fields it covers when they can be told."""
    code, message = sqlstate(exc), str(exc)
    cause = exc.__cause__
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)
    table = getattr(getattr(cause, "diag", None), "table_name", None)
    if code == "23503" or "FOREIGN KEY constraint failed" in message:
        return {"detail": "An object this change refers to was deleted while it was being made.", "constraint": constraint or "foreign key"}
    fields: list[str] = []
    sqlite = _SQLITE_UNIQUE.search(message)
    if sqlite:
        columns = [c.strip() for c in sqlite.group(1).split(",")]
        table = columns[0].split(".")[0]
        fields = _field_names(table, [c.split(".", 1)[-1] for c in columns])
    elif constraint and table:
        fields = _constraint_fields(table, constraint)
    if code == "23505" or sqlite or "unique" in message.lower():
        named = ", ".join(fields) or constraint or "a unique value"
        return {
            "detail": f"Another request stored the same {named} first: this one would make a duplicate.",
            "constraint": constraint or (f"unique {', '.join(fields)}" if fields else "unique"),
            "fields": fields,
        }
    return {"detail": "This change breaks a rule of the stored data that another change made at the same time.", "constraint": constraint}


def _model_of(table: str) -> type[models.Model] | None:
    return next((m for m in apps.get_models() if m._meta.db_table == table), None)


def _field_names(table: str, columns: list[str]) -> list[str]:
    model = _model_of(table)
    if model is None:
        return columns
    by_column = {f.column: f.name for f in model._meta.concrete_fields}
    return [by_column.get(c, c) for c in columns]


def _constraint_fields(table: str, constraint: str) -> list[str]:
    model = _model_of(table)
    if model is None:
        return []
    for item in model._meta.constraints:
        if getattr(item, "name", None) == constraint and getattr(item, "fields", None):
            return list(item.fields)
    # A unique field's own constraint is named after its column (…_slug_key, …_slug_<hash>_uniq).
    fields = [f for f in model._meta.concrete_fields if f.unique and not f.primary_key and f.column in constraint]
    return [max(fields, key=lambda f: len(f.column)).name] if fields else []
