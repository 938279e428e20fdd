"""Property-based fuzzing of every operation in the OpenAPI spec: no input may cause a 5xx.

Each generated request is sent three times: as an admin (who passes every staff check), as a citizen
and without credentials, so that handlers behind the role checks are exercised too.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from serving.app import create_app

pytestmark = pytest.mark.slow
MAX_EXAMPLES = int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def api_schema(settings, services, new_citizen, file_order):  # type: ignore[no-untyped-def]
    app = create_app(settings, services)
    with TestClient(app) as client:
        for text in ("路灯不亮", "噪音扰民", "工资拖欠"):
            file_order(new_citizen(), text)  # orders 1-3 exist, so id-based routes reach their handlers
        admin = client.post("/api/auth/token", json={"username": "admin", "password": "ad-pass-4h8s1z"})
        app.state.fuzz_headers = [
            {"Authorization": f"Bearer {admin.json()['access_token']}"},
            new_citizen(),
            {},
        ]
    services.accounts.create_api_key("fuzz")
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_no_server_errors(api_schema) -> None:  # type: ignore[no-untyped-def]
    # schemathesis' pytest plugin does not run under pytest 9 yet, so each operation gets its own
    # Hypothesis run here; every failing operation is reported, not only the first.
    headers_list = api_schema.app.state.fuzz_headers
    failures: dict[str, str] = {}
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case) -> None:  # type: ignore[no-untyped-def]
            for headers in headers_list:
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            fuzz()
        except Exception as err:
            failures[operation.label] = f"{type(err).__name__}: {str(err)[:2000]}"
    assert operations > 30
    assert not failures, "\n\n".join(f"{label}\n{msg}" for label, msg in failures.items())
