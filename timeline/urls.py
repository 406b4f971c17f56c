"""Top-level URLs: the admin, the API under /api/, and the public pages."""

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.timeline_page, name="timeline-page"),
    path("events/<int:pk>/", views.event_page, name="event-page"),
    path("sources/<int:pk>/", views.source_page, name="source-page"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    # Browsers ask for /favicon.ico whatever the page links (feed readers, the admin's popups, a
    # bookmarked API URL): send them to the site's icon instead of a 404 in every server log.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("timeline/favicon.svg"))),
]
