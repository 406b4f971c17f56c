"""Writing safely beside other writers (issue 17): the pieces ``services`` builds its writes from.

- ``lock_row``: the stored row, read again and locked for the rest of the transaction (a PATCH
  writes onto what is stored now, not onto what it read before its transaction began); a row
  deleted meanwhile is ``DoesNotExist``.
- ``check_version``: a write conditional on the row's version (``models.Versioned``) is refused
  with ``VersionMismatch`` when another write came first.
- ``save_checked`` (``insert``): an INSERT or UPDATE that loses a race on a unique constraint
  answers as the check before it would have (the same ValidationError naming the field).
- ``retry_on_conflict``: a deadlock or serialization failure (PostgreSQL) rolls the transaction back;
  the whole write is tried again a few times, then ``WriteConflict``.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Collection

from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction

# PostgreSQL's deadlock_detected and serialization_failure: the transaction was chosen to fail so
# that another could go on, and may simply be run again.
RETRYABLE_SQLSTATES = {"40P01", "40001"}
RETRY_ATTEMPTS = 4


class VersionMismatch(Exception):
    """The row is no longer at a version the writer expected: someone else changed it first."""

    def __init__(self, instance: models.Model, expected: Collection[int]):
        self.instance = instance
        self.current = instance.version
        self.expected = sorted(expected)
        noun = instance._meta.verbose_name
        super().__init__(
            f"The {noun} was changed by someone else since you read it (it is now at version "
            f"{self.current}): read it again and apply your change to what is stored now."
        )


class WriteConflict(Exception):
    """A write kept colliding with concurrent writes (deadlocks, serialization failures) and was given up."""


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error from psycopg (None on SQLite, whose errors have none)."""
    cause = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)


def is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, DatabaseError) and sqlstate(exc) in RETRYABLE_SQLSTATES


def lock_row(model: type[models.Model], pk, *, using: str | None = None) -> models.Model:
    """The row ``pk`` as stored now, locked until the transaction ends (SELECT … FOR UPDATE; on
    SQLite the IMMEDIATE transaction already holds the database's write lock)."""
    queryset = model._base_manager.using(using or DEFAULT_DB_ALIAS).select_for_update()
    try:
        return queryset.get(pk=pk)
    except model.DoesNotExist:
        raise model.DoesNotExist(f"The {model._meta.verbose_name} {pk} no longer exists: it was deleted.") from None


def check_version(instance: models.Model, expected: Collection[int] | None) -> None:
    """Refuse the write unless the (locked) row is at one of the ``expected`` versions; None: no condition."""
    if expected is not None and instance.version not in expected:
        raise VersionMismatch(instance, expected)


def copy_fields(*, source: models.Model, target: models.Model) -> None:
    """Give the caller's instance the stored row's values (the services write on a locked copy)."""
    for field in source._meta.concrete_fields:
        if field.attname in source.__dict__:
            setattr(target, field.attname, source.__dict__[field.attname])
    target.__dict__.pop("_prefetched_objects_cache", None)


def save_checked(instance: models.Model, *, recheck: Callable[[], None] | None = None, **save_kwargs) -> None:
    """Save a row whose unique values were checked (``full_clean``). When a concurrent writer stored
    the same unique value between the check and this INSERT or UPDATE, the database refuses it; the
    checks are then made again, now seeing the other row, so the refusal is the same ValidationError
    a later request would get (an IntegrityError only when they still find nothing)."""
    adding = instance._state.adding
    try:
        with transaction.atomic(using=instance._state.db):
            instance.save(**save_kwargs)
    except IntegrityError:
        if adding:
            instance.pk = None
            instance._state.adding = True
        if recheck is not None:
            recheck()
        instance.validate_unique()
        instance.validate_constraints()
        raise


insert = save_checked


def retry_on_conflict(func):
    """Run a service's transaction again when PostgreSQL aborted it as a deadlock victim or for a
    serialization failure (bounded: ``RETRY_ATTEMPTS``), then give up with ``WriteConflict``. Inside
    an outer transaction nothing can be retried (the outer one is aborted too): the error goes up."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return func(*args, **kwargs)
        for attempt in range(RETRY_ATTEMPTS):
            try:
                return func(*args, **kwargs)
            except DatabaseError as exc:
                if not is_retryable(exc):
                    raise
                if attempt == RETRY_ATTEMPTS - 1:
                    raise WriteConflict(
                        "This change kept colliding with other changes made at the same moment; try again."
                    ) from exc
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))

    return wrapper
