"""API URLs, mounted at /api/."""

from django.urls import include, path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView, SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("parties", views.PartyViewSet, basename="party")
router.register("places", views.PlaceViewSet, basename="place")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("", views.api_root, name="api-root"),
    path(
        "parties/<slug:slug>/events/",
        views.PartyEventViewSet.as_view({"get": "list"}),
        name="party-events",
    ),
    path(
        "sources/<int:pk>/events/",
        views.SourceEventViewSet.as_view({"get": "list"}),
        name="source-events",
    ),
    # Each export of the events list at a path of its own, /api/events.csv, .ics and .timelinejs: the
    # list's filters, order and paging, in one format (what /api/events/?format=csv gives too). In the
    # OpenAPI document each is an operation with its own content type (api.schema), so a generated
    # client reads a CSV as text rather than as a page of JSON.
    *(
        path(
            f"events.{renderer.format}",
            views.EventViewSet.as_view({"get": "list"}, export_format=renderer.format),
            name=f"event-export-{renderer.format}",
        )
        for renderer in views.EventViewSet.export_renderers
    ),
    *router.urls,
    path("dates/parse/", views.parse_date, name="api-date-parse"),
    path("dates/find/", include("api.dates_find")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The same document as plain application/json, which a browser shows instead of downloading.
    path(
        "schema.json",
        SpectacularJSONAPIView.as_view(renderer_classes=[OpenApiJsonRenderer2]),
        name="api-schema-json",
    ),
    # The split view serves Swagger UI's setup script as a file (?script): no inline script to allow.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Log in and out from the browsable API (session authentication).
    path("auth/", include("rest_framework.urls")),
    # Last: anything else under /api/ (an id that is not a number, a slug with a space) is a JSON 404.
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found, name="api-not-found"),
]
