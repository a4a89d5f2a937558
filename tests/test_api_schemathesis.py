"""The API as a contract (issue #13): schemathesis generates requests from the OpenAPI document, valid and
invalid, and sends them with an administrator's token and with a village operator's token. Every answer must be
documented (status, content type, body schema); none may be a 500; invalid data is refused and valid data is
not refused as malformed. Bounded: a fixed number of examples per operation, derandomized, no shrinking
deadline. Business refusals of well-formed requests (400 a rule, 404 outside the scope, 409 a conflict) are
accepted answers to valid data; 422 is not."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from jaring.claims.factories import covered_member
from jaring.contributions.factories import member
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.services import api_token_issue
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE

# Per operation, role and mode: bounded for `make test`; a deeper run sets JARING_SCHEMATHESIS_EXAMPLES.
EXAMPLES = int(os.environ.get("JARING_SCHEMATHESIS_EXAMPLES", "12"))

CONFIG = SchemathesisConfig.from_dict({
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2XX", "400", "401", "403", "404", "409"]},
    },
})  # fmt: skip


def _world() -> None:
    """A little of everything, so that generated ids sometimes hit real rows on both sides of a scope."""
    covered_member()
    member(village=OTHER_REGENCY_VILLAGE)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The project's WSGI application, inside the test's transaction: like Django's test client, it does not
    close the database connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=[Role.ADMIN, Role.VILLAGE], ids=["admin", "village"])
def api_token(request: pytest.FixtureRequest, db: None, settings: Any) -> str:
    settings.ALLOWED_HOSTS = ["*"]
    role = request.param
    make_user(role, region_code=VILLAGE if role == Role.VILLAGE else "", username=f"st.{role.value}")
    _world()
    _, key = api_token_issue(username=f"st.{role.value}", name="schemathesis", actor=None)
    return key


def _operations() -> list[tuple[str, str]]:
    from jaring.api import api  # noqa: PLC0415 (the project's API: the URL configuration is loaded by then)

    document = api.get_openapi_schema()
    return [(path, method.upper()) for path, ops in document["paths"].items() for method in ops]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(("path", "method"), _operations(), ids=[f"{m} {p}" for p, m in _operations()])
def test_the_api_keeps_its_contract(
    path: str, method: str, mode: GenerationMode, api_token: str, wsgi_app: WSGIHandler
) -> None:
    from jaring.api import api  # noqa: PLC0415

    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
    schema.app = wsgi_app
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    def check(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})

    check()


def test_the_document_is_complete() -> None:
    """Every operation declares its success schema and its error answers (401, 403, 422 at least)."""
    from jaring.api import api  # noqa: PLC0415

    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            ok = [str(s) for s in responses if str(s).startswith("2")]
            assert ok, f"{method} {path}: no success answer declared"
            for status in ok:
                content = responses[int(status)].get("content", {})
                kinds = [
                    c for c in ("application/json", "application/pdf") if content.get(c, {}).get("schema")
                ]
                assert kinds, f"{method} {path} {status}: no schema"
            missing = {401, 422} - set(responses)
            assert not missing, f"{method} {path}: {missing} not declared"
    assert dt.date.today()  # the document is built without a database
