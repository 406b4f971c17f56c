"""Every event has a key (0003 gave one to those without): the column becomes NOT NULL and non-empty."""

from django.db import migrations, models

HELP = (
    "Stable identifier (fixtures, dumps and exports refer to the event by it). Left empty, it is made "
    "from the title and date when the event is created, e.g. 'truce-overtures-2022-09'."
)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0003_event_key_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="key",
            field=models.SlugField(blank=True, help_text=HELP, max_length=150, unique=True),
        ),
        migrations.AlterField(
            model_name="historicalevent",
            name="key",
            field=models.SlugField(blank=True, help_text=HELP, max_length=150),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(condition=~models.Q(key=""), name="event_key_not_empty"),
        ),
    ]
