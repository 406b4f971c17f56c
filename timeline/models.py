"""The domain: events, the parties involved, the sources reporting them, and the citations that tie
an event to the exact words of a source."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, router, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import overlap
from .fuzzy_columns import PRECISION_CHOICES, FuzzyDateAccessor
from .listing import EventQuerySet

wikidata_id_validator = RegexValidator(r"^Q[1-9]\d*$", "A Wikidata id is Q followed by digits, e.g. Q212.")


def content_hash(text: str) -> str:
    """Hash of an article's text, insensitive to Unicode form and whitespace, to spot a second copy."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode()).hexdigest()


class TimeStamped(models.Model):
    """Creation and last-change times, for sync clients (``updated_since``) and editors."""

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class RowTimes(models.Model):
    """Creation and last-change times of a row that is read through its event (a participation, a
    citation): no index, since nothing queries them by time, and an import writes millions.

    Defaults rather than auto_now: a fixture written by hand names no times, and loaddata's raw
    saves skip auto_now, which would leave the columns NULL."""

    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        self.updated = timezone.now()
        if update_fields is not None:
            update_fields = {*update_fields, "updated"}
        super().save(*args, update_fields=update_fields, **kwargs)


class Versioned(models.Model):
    """A row version: 1 when created, one more on every save of a stored row, so a client that read
    version n can ask for its change to be written only if the row is still at n (the API's ETag and
    If-Match, the admin's change form). The new number is read under a row lock (SELECT … FOR UPDATE
    on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) in the transaction of the
    save, so two saves never give one number to two states. A save of a row deleted meanwhile raises
    DoesNotExist instead of inserting it again. Writes that bypass ``save`` (``QuerySet.update``) add
    ``version=F("version") + 1`` themselves (``services.touch``)."""

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None or kwargs.get("force_insert") or kwargs.get("raw"):
            return super().save(*args, **kwargs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            self.take_next_version(using=using)
            return super().save(*args, **kwargs)

    def take_next_version(self, *, using: str | None = None) -> None:
        """Set ``version`` to the stored row's plus one, read under a row lock (held until the
        transaction ends). For a write that bypasses ``save`` (a fixture's raw save)."""
        using = using or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using).filter(pk=self.pk)
        if transaction.get_connection(using).in_atomic_block:
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        if current is None:
            raise self.DoesNotExist(f"The {self._meta.verbose_name} {self.pk} no longer exists: it was deleted.")
        self.version = current + 1


class PartyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Party(Versioned, TimeStamped):
    """A person, state, organisation, alliance, media outlet or group that takes part in events,
    speaks, or publishes sources. Aliases let "Zelensky", "Zelenskyy" and "Volodymyr Zelensky" (or
    "Kremlin" and "Moscow" for Russia) resolve to one party."""

    class Kind(models.TextChoices):
        PERSON = "person"
        STATE = "state"
        ORGANISATION = "organisation"
        ALLIANCE = "alliance"
        MEDIA = "media"
        GROUP = "group"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, one per entry.")
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator], help_text="e.g. Q212"
    )
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The state or organisation this party belongs to (Putin → Russia).",
    )

    history = HistoricalRecords()
    objects = PartyManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="party_wikidata_id_unique",
                violation_error_message="Another party already has this Wikidata id.",
            ),
            models.CheckConstraint(condition=~Q(affiliation=F("id")), name="party_not_affiliated_to_itself"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def clean(self):
        if not isinstance(self.aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in self.aliases
        ):
            raise ValidationError({"aliases": "Aliases must be a list of non-empty names."})
        if self.affiliation_id and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "A party cannot be affiliated to itself."})


class PlaceManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Place(TimeStamped):
    """Where an event happened: a country, region, city or site, inside an optional parent place."""

    class Kind(models.TextChoices):
        COUNTRY = "country"
        REGION = "region"
        CITY = "city"
        SITE = "site"
        OTHER = "other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    objects = PlaceManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(parent=F("id")), name="place_not_inside_itself")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class SourceManager(models.Manager):
    def get_by_natural_key(self, content_hash):
        return self.get(content_hash=content_hash)


class Source(Versioned, TimeStamped):
    """A published article or statement, stored with its full text so every quote can be checked.

    Its publication date is a fuzzy date too (an undated article may only be placed in "late May or
    early June 2024"); it anchors relative phrases ("November last year") in its text."""

    title = models.CharField(max_length=300)
    publisher = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_sources",
        limit_choices_to={"kind": Party.Kind.MEDIA},
    )
    via = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relayed_sources",
        limit_choices_to={"kind": Party.Kind.MEDIA},
        help_text="The outlet this source reports via (ICARO Media Group via The New York Times).",
    )
    url = models.URLField("URL", max_length=1000, blank=True)
    author = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="en")
    text = models.TextField(help_text="The full article text; quotes are checked against it.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)

    published_text = models.CharField("published (as written)", max_length=200, blank=True)
    published_earliest = models.DateField(null=True, blank=True, editable=False)
    published_latest = models.DateField(null=True, blank=True, editable=False)
    published_precision = models.CharField(
        max_length=10, choices=PRECISION_CHOICES, blank=True, editable=False
    )
    published_approximate = models.BooleanField(default=False, editable=False)
    published_uncertain = models.BooleanField(default=False, editable=False)
    published_edtf = models.CharField(max_length=100, blank=True, editable=False)
    published_label = models.CharField(max_length=120, blank=True, editable=False)
    published = FuzzyDateAccessor("published_")

    history = HistoricalRecords()
    objects = SourceManager()

    class Meta:
        ordering = ["-published_earliest", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique",
                violation_error_message="A source with this URL is already stored.",
            ),
            models.CheckConstraint(
                condition=Q(published_earliest__isnull=True)
                | Q(published_latest__isnull=True)
                | Q(published_earliest__lte=F("published_latest")),
                name="source_published_earliest_not_after_latest",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.content_hash,)

    natural_key.dependencies = ["timeline.party"]


# --- event keys ----------------------------------------------------------------------------------
# Every event has a key: the natural key of fixtures and dumps, and what the admin's export and the
# bulk import recognise an event by. One not given is made from the title and the date when the event
# is first saved: ``truce-overtures-2022-09``, then ``truce-overtures-2022-09-2``… on a collision.
# (timeline/migrations/0003_event_key_backfill.py keeps a frozen copy of these rules.)

KEY_TITLE_LENGTH = 80  # the title's part of a generated key, cut at a word
KEY_DATE_LENGTH = 30  # the date's part (its EDTF; a long level-2 set is cut)
_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")


def _key_part(text: str, limit: int) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_IN_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > limit:
        head = slug[: limit + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:limit]
    return slug.strip("-")


def event_key_base(title: str, edtf: str = "") -> str:
    """The readable key an event gets from its title and date: ``Truce overtures`` in September 2022
    is ``truce-overtures-2022-09`` (an open bound drops out: ``2014-02/..`` gives ``…-2014-02``; a
    title with no letter or digit in ASCII, such as a Cyrillic one, gives ``event-…``)."""
    parts = (_key_part(title, KEY_TITLE_LENGTH) or "event", _key_part(edtf, KEY_DATE_LENGTH))
    return "-".join(p for p in parts if p)


def next_free_key(base: str, taken: Container[str]) -> str:
    """``base`` if it is not taken, else ``base-2``, ``base-3``…"""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def free_key(self, base: str) -> str:
        """The first of ``base``, ``base-2``… that no stored event has (one indexed query, usually)."""
        candidates = [base, *(f"{base}-{n}" for n in range(2, 12))]
        taken = set(self.filter(key__in=candidates).values_list("key", flat=True))
        if len(taken) == len(candidates):
            taken = set(self.filter(key__startswith=f"{base}-").values_list("key", flat=True)) | {base}
        return next_free_key(base, taken)


class Event(Versioned, TimeStamped):
    """Something that happened (or is scheduled) at a fuzzy date, with the parties involved and
    the sources that report it.

    ``earliest``/``latest`` bound the whole occurrence (a span such as 15–16 June 2024 included) and
    are what range queries use; ``edtf`` and ``label`` say the same thing in EDTF and in words."""

    class Kind(models.TextChoices):
        MILITARY_ACTION = "military_action", "Military action"
        STATEMENT = "statement", "Statement"
        NEGOTIATION = "negotiation", "Negotiation"
        PROPOSAL = "proposal", "Proposal / overture"
        DECREE = "decree", "Decree / law"
        MEETING = "meeting", "Meeting / conference"
        ELECTION = "election", "Election"
        ANNEXATION = "annexation", "Annexation / territorial claim"
        REPORT = "report", "Report / revelation"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        DRAFT = "draft"
        REVIEWED = "reviewed"

    key = models.SlugField(
        max_length=150,
        unique=True,
        blank=True,
        help_text="Stable identifier (fixtures, dumps and exports refer to the event by it). Left empty, "
        "it is made from the title and date when the event is created, e.g. 'truce-overtures-2022-09'.",
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)

    date_text = models.CharField(
        "date (as written)",
        max_length=200,
        help_text="'24 February 2022', 'September 2022', '2023-11?', '15–16 June 2024', 'November last year'…",
    )
    end_text = models.CharField(
        "end (as written)",
        max_length=200,
        blank=True,
        help_text="Optional end of a span, e.g. '16 June 2024'.",
    )
    date_anchor = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="anchored_events",
        help_text="The source whose publication date resolves relative phrases ('next March').",
    )
    earliest = models.DateField(editable=False)
    latest = models.DateField(editable=False)
    precision = models.CharField(max_length=10, choices=PRECISION_CHOICES, editable=False, db_index=True)
    approximate = models.BooleanField(default=False, editable=False)
    uncertain = models.BooleanField(default=False, editable=False)
    edtf = models.CharField("EDTF", max_length=100, editable=False)
    date_label = models.CharField(max_length=120, editable=False)

    places = models.ManyToManyField(Place, blank=True, related_name="events")
    # Title, summary and every cited quote in one column: the text search reads it (a GIN index on
    # its tsvector on PostgreSQL, an FTS5 table kept by triggers on SQLite). Kept current by services.
    search_text = models.TextField(blank=True, editable=False)
    parties = models.ManyToManyField(Party, through="Participation", related_name="events")
    sources = models.ManyToManyField(Source, through="Citation", related_name="events")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = EventManager()
    date = FuzzyDateAccessor(text="date_text", label="date_label")

    class Meta:
        ordering = ["earliest", "latest", "id"]
        indexes = [
            # Chronological order and keyset pagination walk (earliest, latest, id).
            models.Index(fields=["earliest", "latest", "id"], name="event_chronology_idx"),
            # ``latest`` ranges; and the open ends ("since 1990", latest = 9999-12-31) in date order,
            # so a page's walk of them stops when the page is full instead of sorting them all after
            # checking each against the other filters (1,035 full-text checks per page of `q`).
            models.Index(fields=["latest", "earliest", "id"], name="event_latest_idx"),
            # The longest span of an event with both ends known, read at the index's end: it bounds
            # an overlap query's scan of the chronology index (timeline.overlap).
            models.Index(overlap.SpanDays(), name="event_finite_span_idx", condition=overlap.FINITE),
            models.Index(fields=["kind", "earliest"], name="event_kind_earliest_idx"),
            # ?uncertain=true and ?approximate=true: flags that few events carry, so an index of those
            # few in date order (the walk otherwise checks every event of the window for one; 5x the
            # range query on SQLite at 1,000,000 events with none uncertain, bench/filters_bench.py).
            models.Index(fields=["earliest", "latest", "id"], name="event_uncertain_idx", condition=Q(uncertain=True)),
            models.Index(fields=["earliest", "latest", "id"], name="event_approximate_idx", condition=Q(approximate=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest__lte=F("latest")), name="event_earliest_not_after_latest"
            ),
            models.CheckConstraint(condition=~Q(key=""), name="event_key_not_empty"),
        ]

    def __str__(self):
        return f"{self.date_label}: {self.title}"

    def save(self, *args, **kwargs):
        """An event saved without a key gets one (see ``event_key_base``), whichever way in created it:
        the services, the admin's form or a script. A concurrent writer that took the same key first
        (PostgreSQL; SQLite's writers are serialised) makes it try the next one."""
        if self.key:
            return super().save(*args, **kwargs)
        base = event_key_base(self.title, self.edtf)
        events = Event.objects.db_manager(kwargs.get("using"))
        for attempt in range(5):
            self.key = events.free_key(base)
            try:
                with transaction.atomic(using=events.db):
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if attempt == 4 or not events.filter(key=self.key).exists():
                    self.key = ""
                    raise

    def get_absolute_url(self):
        return reverse("event-page", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        """An event loaded from the database, set up without ``Model.__init__``, which assigns each
        field through its descriptor and sends two signals: a fifth of the Python time of reading a
        page's events (bench/RESULTS.md). The instance is the one ``__init__`` would give: the same
        ``__dict__``, deferred fields absent from it. With a pre/post_init receiver connected for
        events, Django's own way is taken."""
        if models.signals.pre_init.has_listeners(cls) or models.signals.post_init.has_listeners(cls):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        new._state = models.base.ModelState()
        new._state.adding, new._state.db = False, db
        new.__dict__.update(zip(field_names, values, strict=True))
        return new

    def natural_key(self):
        return (self.key,)


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, event_key, party_slug, role):
        return self.get(event__key=event_key, party__slug=party_slug, role=role)


class CitationManager(models.Manager):
    def get_by_natural_key(self, event_key, source_hash, char_start, char_end):
        return self.get(
            event__key=event_key, source__content_hash=source_hash, char_start=char_start, char_end=char_end
        )


class Participation(RowTimes):
    """A party's part in an event, with its role (actor, speaker, target…)."""

    class Role(models.TextChoices):
        ACTOR = "actor"
        SPEAKER = "speaker"
        TARGET = "target"
        RECIPIENT = "recipient"
        MEDIATOR = "mediator"
        HOST = "host"
        PARTICIPANT = "participant"
        MENTIONED = "mentioned"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ACTOR)

    objects = ParticipationManager()

    class Meta:
        ordering = ["event", "role", "party__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "party", "role"], name="participation_unique_role"),
        ]
        indexes = [models.Index(fields=["party", "role", "event"], name="participation_party_idx")]

    def __str__(self):
        return f"{self.party} ({self.role})"

    def natural_key(self):
        return (self.event.key, self.party.slug, self.role)

    natural_key.dependencies = ["timeline.event", "timeline.party"]


class Citation(RowTimes):
    """An event's evidence: a verbatim quote from a source, located by character offsets in the
    source's stored text, and optionally the party the source attributes the words to."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField()
    char_start = models.PositiveIntegerField()
    char_end = models.PositiveIntegerField()
    attributed_to = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attributed_citations",
        help_text="Who the source says said it (not who reported it).",
    )

    objects = CitationManager()

    class Meta:
        ordering = ["event", "source", "char_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(char_end__gt=F("char_start")), name="citation_offsets_ordered"
            ),
            models.UniqueConstraint(
                fields=["event", "source", "char_start", "char_end"], name="citation_unique_span"
            ),
        ]

    def __str__(self):
        return f"{self.source}: “{self.quote[:60]}”"

    def natural_key(self):
        return (self.event.key, self.source.content_hash, self.char_start, self.char_end)

    natural_key.dependencies = ["timeline.event", "timeline.source"]

    def clean(self):
        from .quotes import check_quote

        if self.source_id is not None:
            check_quote(
                text=self.source.text, quote=self.quote, char_start=self.char_start, char_end=self.char_end
            )


class SeedRecord(models.Model):
    """What ``load_seeds`` last wrote for one fixture record (a place, party, source, event,
    participation or citation, by natural key) or which seed article it ingested (``kind``
    "article", by content hash). A row that no longer matches what was loaded was changed since by
    someone else, and one recorded here but gone was deleted: the loader leaves both alone."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=600, help_text="The natural key, as JSON (an article's content hash).")
    loaded = models.JSONField(default=dict, help_text="The fixture record's fields as they were loaded.")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="seed_record_unique")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class ChangeStamp(models.Model):
    """One row that every committed write to a table the API shows moves on: ``generation`` goes up
    by one and ``changed`` takes the time, set by database triggers (migration 0008) on events,
    participations, citations, an event's places, parties, sources and places. Since the triggers
    are the database's own, no write is missed whichever way it comes (a service, the admin, the bulk
    import, ``loaddata``, raw SQL); the API's HTTP validators (``api.caching``) are made from it.
    Nothing in Python writes it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.BigIntegerField(default=0)
    changed = models.DateTimeField()

    def __str__(self):
        return f"generation {self.generation} at {self.changed.isoformat()}"
