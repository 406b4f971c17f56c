"""Content-Security-Policy on every response (Django 5.2 has none built in; 6.0 will).

The pages load nothing from elsewhere, so everything is ``'self'``; no inline script runs anywhere,
and an injected ``<script>`` or ``onclick`` would not. Three pages that are not ours need a little
more, allowed on their paths alone and as little as they need:

- ``/api/docs/``: drf-spectacular's Swagger UI page has one fixed ``<style>`` block (allowed by its
  hash; its script is served as a file by ``SpectacularSwaggerSplitView``).
- ``/admin/``: a change list without actions has one fixed ``<style>`` block, and
  django-simple-history's history list one ``style="border-top: 0"`` (each allowed by its hash).
- ``/api/`` (DRF's browsable API) has Pygments' CSS in a ``<style>`` block (allowed by its hash)
  and sets ``style="float: right"`` attributes: inline style *attributes* are allowed there
  (``style-src-attr``), never any other inline ``<style>``, nor script.

The hashes are computed from the templates themselves when first needed, so an upgrade that changes
a block changes its hash with it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # the admin's and Swagger UI's icons are data: URIs in their CSS
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _template_source(template_name: str) -> str:
    from django.template import engines

    return engines["django"].engine.find_template(template_name)[0].source


def _fixed(text: str) -> bool:
    return "{{" not in text and "{%" not in text


@cache
def inline_style_hashes(template_name: str) -> tuple[str, ...]:
    """CSP sources (``'sha256-…'``) of the fixed ``<style>`` blocks of a template (blocks holding a
    template tag or variable are not fixed, and are left out)."""
    return tuple(_source(block) for block in _STYLE_BLOCK.findall(_template_source(template_name)) if _fixed(block))


@cache
def style_attribute_hashes(template_name: str) -> tuple[str, ...]:
    """CSP sources of the fixed ``style="…"`` attributes of a template (for ``'unsafe-hashes'``:
    those values alone, not any inline style)."""
    return tuple(_source(value) for value in _STYLE_ATTRIBUTE.findall(_template_source(template_name)) if _fixed(value))


@cache
def browsable_api_style_hash() -> str | None:
    """The hash of the browsable API's ``<style>{{ code_style }}</style>``: Pygments' CSS for its
    code style, as the template writes it (escaped)."""
    from django.utils.html import conditional_escape
    from rest_framework.compat import pygments_css
    from rest_framework.renderers import BrowsableAPIRenderer

    css = pygments_css(BrowsableAPIRenderer.code_style)
    return _source(str(conditional_escape(css))) if css else None


@cache
def policy_for(path: str) -> str:
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    if path.startswith("/api/docs/"):
        policy["style-src"] += inline_style_hashes("drf_spectacular/swagger_ui.html")
    elif path.startswith("/api/"):
        policy["style-src"] += [h for h in [browsable_api_style_hash()] if h]
        policy["style-src-attr"] = ["'unsafe-inline'"]
    elif path.startswith("/admin/"):
        policy["style-src"] += inline_style_hashes("admin/change_list.html")
        hashes = style_attribute_hashes("simple_history/object_history_list.html")
        if hashes:
            policy["style-src-attr"] = ["'unsafe-hashes'", *hashes]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def _policy_key(path: str) -> str:
    """The part of the path the policy depends on (so that ``policy_for``'s cache stays small)."""
    for prefix in ("/api/docs/", "/api/", "/admin/"):
        if path.startswith(prefix):
            return prefix
    return "/"


class ContentSecurityPolicyMiddleware:
    """Adds the policy of the request's path to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy_for(_policy_key(request.path_info))
        return response
