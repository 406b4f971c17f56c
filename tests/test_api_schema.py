"""The OpenAPI document: valid, complete (every filter documented with an example), true to what the
API serves (a schemathesis run finds no server error and no response that contradicts it), and the
Swagger UI served from local assets."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api import serializers
from api.event_json import event_data
from api.filters import EventFilterSet
from api.representation import Links, source_dict

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("drafts_public"),  # reads drafts as an anonymous client (conftest)
]


@pytest.fixture
def openapi(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_document_validates_without_a_warning(tmp_path):
    # Raises CommandError (failing the test) on any warning or validation error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


def test_every_endpoint_is_documented(openapi):
    assert set(openapi["paths"]) >= {
        "/api/events/",
        "/api/events/{id}/",
        "/api/parties/",
        "/api/parties/{slug}/",
        "/api/parties/{slug}/events/",
        "/api/places/",
        "/api/places/{slug}/",
        "/api/sources/",
        "/api/sources/{id}/",
        "/api/sources/{id}/events/",
    }
    assert set(openapi["paths"]["/api/events/"]) == {"get", "post"}
    assert set(openapi["paths"]["/api/events/{id}/"]) == {"get", "put", "patch", "delete"}


EVENT_LISTS = ["/api/events/", "/api/parties/{slug}/events/", "/api/sources/{id}/events/"]
EXPORTS = {
    "/api/events.csv": ("events_export_csv", "text/csv"),
    "/api/events.ics": ("events_export_ics", "text/calendar"),
    "/api/events.timelinejs": ("events_export_timelinejs", "application/vnd.timelinejs+json"),
}


@pytest.mark.parametrize("path", [*EVENT_LISTS, *EXPORTS])
def test_every_event_filter_is_documented_with_a_description_and_an_example_nothing_prefills(openapi, path):
    parameters = {p["name"]: p for p in openapi["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    assert set(EventFilterSet.base_filters) | {"cursor", "page_size"} <= set(parameters)
    for name, parameter in parameters.items():
        assert parameter.get("description"), name
        # Swagger UI's "Try it out" fills a parameter with its example and sends it: Execute on a
        # fresh page must ask for the first page of events, so examples are words in the description.
        assert "example" not in parameter and "examples" not in parameter, name
        if name in EventFilterSet.examples:
            assert "(e.g. " in parameter["description"], name


def test_page_size_has_the_maximum_the_list_enforces(openapi, api_client, db):
    (page_size,) = [p for p in openapi["paths"]["/api/events/"]["get"]["parameters"] if p["name"] == "page_size"]
    maximum = page_size["schema"]["maximum"]
    assert api_client.get(f"/api/events/?page_size={maximum}").status_code == 200
    assert api_client.get(f"/api/events/?page_size={maximum + 1}").status_code == 400


def test_lists_document_their_link_header_and_throttles_their_retry_after(openapi):
    responses = openapi["paths"]["/api/events/"]["get"]["responses"]
    assert "Link" in responses["200"]["headers"]
    assert "Retry-After" in responses["429"]["headers"]


@pytest.mark.parametrize("path", EVENT_LISTS)
def test_a_list_documents_its_json_page_only_and_no_format_parameter(openapi, path):
    """A generated client reads what the schema says: a list operation that also declared CSV and
    TimelineJS answers made clients parse a file as a page of JSON (issue 18)."""
    operation = openapi["paths"][path]["get"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json"}
    assert "format" not in {p["name"] for p in operation["parameters"]}
    assert "?format=csv|ics|timelinejs" in operation["description"]  # still served, and said so


@pytest.mark.parametrize("path", EXPORTS)
def test_each_export_is_an_operation_of_its_own_in_its_own_content_type(openapi, api_client, timeline, path):
    operation_id, media_type = EXPORTS[path]
    operation = openapi["paths"][path]["get"]
    assert operation["operationId"] == operation_id
    assert set(operation["responses"]["200"]["content"]) == {media_type}
    assert "Link" in operation["responses"]["200"]["headers"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]
    assert "406" not in operation["responses"]  # the path serves its format whatever Accept says
    response = api_client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type


def test_an_export_s_page_size_has_the_maximum_exports_enforce(openapi, api_client, db):
    (page_size,) = [p for p in openapi["paths"]["/api/events.csv"]["get"]["parameters"] if p["name"] == "page_size"]
    maximum = page_size["schema"]["maximum"]
    assert maximum > 200  # an export carries more than a JSON page
    assert api_client.get(f"/api/events.csv?page_size={maximum}").status_code == 200
    assert api_client.get(f"/api/events.csv?page_size={maximum + 1}").status_code == 400


def test_the_csv_export_documents_its_excel_variant(openapi):
    parameters = {p["name"]: p for p in openapi["paths"]["/api/events.csv"]["get"]["parameters"]}
    assert parameters["bom"]["schema"] == {"type": "boolean"}


def test_writes_take_text_dates_and_answer_with_events(openapi):
    post = openapi["paths"]["/api/events/"]["post"]
    request = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request.endswith("/EventWrite")
    assert openapi["components"]["schemas"]["EventWrite"]["properties"]["date"]["type"] == "string"
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Event")
    assert {"400", "401", "403", "415"} <= set(post["responses"])


def test_anonymous_reads_are_documented_as_needing_no_credentials(openapi):
    assert {} in openapi["paths"]["/api/events/"]["get"]["security"]
    assert {} not in openapi["paths"]["/api/events/"]["post"]["security"]


# --- the documented shapes are the served shapes -------------------------------------------------


def shape(serializer) -> dict:
    """The nested field names a serializer declares."""
    return {
        name: shape(field.child if hasattr(field, "child") else field)
        if hasattr(field, "fields") or hasattr(getattr(field, "child", None), "fields")
        else None
        for name, field in serializer.fields.items()
        if not field.write_only
    }


def keys(value) -> dict | None:
    if isinstance(value, list):
        return keys(value[0]) if value else None
    if isinstance(value, dict):
        return {k: keys(v) for k, v in value.items()}
    return None


def test_an_event_as_served_has_exactly_the_declared_fields(timeline, rf):
    served = keys(event_data(timeline["overtures"].pk, links=Links(rf.get("/"))))
    declared = shape(serializers.EventSerializer())
    # publisher and attributed_to may be null in a row; compare where the row has them.
    assert served.keys() == declared.keys()
    assert served["date"] == declared["date"]
    assert served["parties"] == declared["parties"]
    assert served["citations"]["source"].keys() == declared["citations"]["source"].keys()
    assert served["citations"]["source"]["published"] == declared["citations"]["source"]["published"]


def test_a_source_as_served_has_exactly_the_declared_fields(article_2023, rf):
    served = keys(source_dict(article_2023, Links(rf.get("/"))))
    assert served.keys() == shape(serializers.SourceSerializer()).keys()


# --- Swagger UI ----------------------------------------------------------------------------------


def test_the_docs_page_loads_its_assets_locally(api_client):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', html)
    assert assets, "the page names its Swagger UI assets"
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"
    assert not re.search(r"https?://", html.replace("http://testserver", ""))


# --- schemathesis --------------------------------------------------------------------------------

# The document is read once, at collection, through the WSGI application (no database needed);
# the cases then run against the same application inside each test's transaction.
# (schemathesis.pytest.from_fixture would load it per test, but fails under pytest 9.)
WSGI_APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGI_APP)


@pytest.fixture
def in_process_requests():
    """As Django's own test client does, keep the connection open between requests made through
    the WSGI application: closing it would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same cases on every run: a red build is reproducible
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_makes_a_server_error_or_contradicts_the_schema(
    case, in_process_requests, timeline, zelensky, nyt, editor_token
):
    # With an editor's token the writes are exercised too, not only refused. Every check runs but
    # positive_data_acceptance: a request can fit the schema and still be refused for what it
    # means (a party slug that does not exist, a quote that is not in the source, text that is no
    # date), which a schema cannot express; those refusals are 400s naming the field.
    case.call_and_validate(
        headers={"Authorization": f"Token {editor_token}"},
        excluded_checks=[positive_data_acceptance],
    )


def test_each_event_of_a_list_page_is_what_its_detail_serves(api_client, timeline):
    # Lists are represented row by row without DRF's list serializer (api.viewsets.EventListMixin);
    # the detail goes through EventSerializer. Both must give the same event.
    page = api_client.get("/api/events/?page_size=200").json()["results"]
    assert len(page) >= 3
    for event in page:
        assert api_client.get(f"/api/events/{event['id']}/").json() == event
