"""The admin app with ``admin_inputs.SafeAdminSite`` as its default site (``INSTALLED_APPS`` names this
config instead of ``django.contrib.admin``), so that every model admin registered — ours and those of
django.contrib.auth, DRF's tokens and django-axes — refuses unusable ids and filters with a form
error or a 400 instead of a 500."""

from django.contrib.admin.apps import AdminConfig


class SafeAdminConfig(AdminConfig):
    default_site = "timeline.admin_inputs.SafeAdminSite"
