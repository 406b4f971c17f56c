from django.apps import AppConfig
from django.db.models.signals import post_migrate

EDITORS_GROUP = "editors"


def ensure_editors_group(sender, **kwargs):
    """Editors may add, change and delete the domain's records; API write permission comes from here.
    Run after every migrate so new models' permissions join the group."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # This app is listed before django.contrib.auth, so its permissions may not exist yet.
    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    perms = Permission.objects.filter(content_type__app_label="timeline").exclude(
        codename__contains="historical"
    )
    group.permissions.add(*perms)


def repair_search_index(sender, **kwargs):
    """SQLite: a migration that rebuilt timeline_event dropped the text search's triggers; put them
    back and reindex (``timeline.text_search.ensure_index``)."""
    from django.db import connections

    from timeline import text_search

    text_search.ensure_index(connections[kwargs.get("using", "default")])


def repair_change_stamp(sender, **kwargs):
    """SQLite: a migration that rebuilt a table dropped its change-stamp triggers; put them back
    (``timeline.change_stamp.ensure_sqlite_triggers``)."""
    from django.db import connections

    from timeline import change_stamp

    change_stamp.ensure_sqlite_triggers(connections[kwargs.get("using", "default")])


def repair_place_dates(sender, **kwargs):
    """SQLite: a migration that rebuilt timeline_event or its places' table dropped the copied dates'
    columns or triggers; put them back and copy again (``timeline.place_dates.ensure``). Only while
    migration 0015, which made them, is applied."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from timeline import place_dates

    connection = connections[kwargs.get("using", "default")]
    if connection.vendor != "sqlite":
        return
    if ("timeline", "0015_event_places_dates") in MigrationRecorder(connection).applied_migrations():
        place_dates.ensure(connection)


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(ensure_editors_group, sender=self)
        post_migrate.connect(repair_search_index, sender=self)
        post_migrate.connect(repair_change_stamp, sender=self)
        post_migrate.connect(repair_place_dates, sender=self)
