"""Top-level URLs: the admin, the API under /api/, and the public pages."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.timeline_page, name="timeline-page"),
    path("events/<int:pk>/", views.event_page, name="event-page"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
