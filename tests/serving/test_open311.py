"""Open311 GeoReport v2: an Open311 client lists services, files a request and reads it back."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from serving.services import Services
from workorders.enums import EventKind
from workorders.schemas import TransitionRequest

BASE = "/open311/v2"


@pytest.fixture
def api_key(services: Services) -> str:
    return services.accounts.create_api_key("partner")[0]


def _file(client: TestClient, api_key: str, **fields: object) -> dict:
    form = {
        "api_key": api_key,
        "service_code": "environmental_protection",
        "description": "工地夜间施工噪音很大，影响休息。联系电话13812345678",
        "address_string": "示范市东城区建设路1号",
        "lat": "36.65",
        "long": "117.12",
        **fields,
    }
    response = client.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 200, response.text
    return response.json()[0]


def test_service_list_and_definition(client: TestClient, services: Services) -> None:
    listed = client.get(f"{BASE}/services.json").json()
    assert [s["service_name"] for s in listed] == [c.name for c in services.config.categories]
    first = listed[0]
    assert first["metadata"] is False and first["type"] == "realtime" and first["keywords"]
    definition = client.get(f"{BASE}/services/{first['service_code']}.json").json()
    assert definition == {"service_code": first["service_code"], "attributes": []}
    missing = client.get(f"{BASE}/services/unknown.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "no service with code 'unknown'"}]


def test_client_files_a_request_and_reads_it_back(
    client: TestClient, services: Services, api_key: str
) -> None:
    created = _file(client, api_key)
    number, token = created["service_request_id"], created["token"]
    assert "受理" in created["service_notice"]
    order = services.orders.get(number)
    assert order.channel.value == "open311" and order.category == "环境保护"
    assert order.triage is not None  # the same triage as the chat
    assert order.citizen_phone is None and order.anonymous

    got = client.get(f"{BASE}/requests/{number}.json", params={"api_key": api_key})
    assert got.status_code == 200
    (req,) = got.json()
    assert req["status"] == "open" and req["service_code"] == "environmental_protection"
    assert req["agency_responsible"].startswith("市生态环境局")
    assert "13812345678" not in req["description"] and "138****5678" in req["description"]
    assert req["requested_datetime"].endswith("+08:00") and req["expected_datetime"]
    assert req["address"] == "示范市东城区建设路1号" and req["lat"] == pytest.approx(36.65)

    assert client.get(f"{BASE}/tokens/{token}.json").json() == [
        {"service_request_id": number, "token": token}
    ]

    for action, extra in [
        (EventKind.DISPATCH, {}),
        (EventKind.SIGN_FOR, {}),
        (EventKind.REPLY, {"reply_text": "已责令工地停止夜间施工。"}),
        (EventKind.CLOSE, {}),
    ]:
        services.orders.transition(number, TransitionRequest(action=action, actor="op", **extra))
    (closed,) = client.get(f"{BASE}/requests/{number}.json", params={"api_key": api_key}).json()
    assert closed["status"] == "closed" and closed["status_notes"] == "已责令工地停止夜间施工。"


def test_request_list_filters(client: TestClient, services: Services, api_key: str, clock) -> None:  # type: ignore[no-untyped-def]
    noise = _file(client, api_key)["service_request_id"]
    clock.advance(days=2)
    traffic = _file(
        client, api_key, service_code="transportation", description="路口红绿灯坏了", phone="13900001111"
    )["service_request_id"]
    services.orders.transition(noise, TransitionRequest(action=EventKind.DISPATCH, actor="op"))

    def ids(**params: str) -> list[str]:
        response = client.get(f"{BASE}/requests.json", params={"api_key": api_key, **params})
        assert response.status_code == 200, response.text
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [traffic, noise]
    assert ids(service_code="transportation") == [traffic]
    assert ids(status="open") == [traffic, noise] and ids(status="closed") == []
    assert ids(start_date="2026-11-26T00:00:00+08:00") == [traffic]
    assert ids(end_date="2026-11-26T00:00:00+08:00") == [noise]
    assert ids(service_request_id=f"{noise},junk") == [noise]
    bad = client.get(f"{BASE}/requests.json", params={"api_key": api_key, "start_date": "yesterday"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400


def test_keys_see_only_their_own_requests(client: TestClient, services: Services, api_key: str) -> None:
    number = _file(client, api_key)["service_request_id"]
    other = services.accounts.create_api_key("another partner")[0]
    assert client.get(f"{BASE}/requests.json", params={"api_key": other}).json() == []
    assert client.get(f"{BASE}/requests/{number}.json", params={"api_key": other}).status_code == 404


def test_errors_use_the_spec_format(client: TestClient, api_key: str) -> None:
    no_key = client.post(f"{BASE}/requests.json", data={"service_code": "transportation", "description": "x"})
    assert (
        no_key.status_code == 400
        and no_key.json()[0]["code"] == 400
        and "api_key" in no_key.json()[0]["description"]
    )
    bad_key = client.post(
        f"{BASE}/requests.json",
        data={"api_key": "nope", "service_code": "transportation", "description": "x"},
    )
    assert bad_key.status_code == 403 and bad_key.json() == [
        {"code": 403, "description": "a valid api_key is required"}
    ]
    no_place = client.post(
        f"{BASE}/requests.json",
        data={"api_key": api_key, "service_code": "transportation", "description": "x"},
    )
    assert no_place.status_code == 400 and "location" in no_place.json()[0]["description"]
    unknown = client.post(
        f"{BASE}/requests.json",
        data={"api_key": api_key, "service_code": "nope", "description": "x", "address_string": "a"},
    )
    assert unknown.status_code == 404
    bad_phone = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": api_key,
            "service_code": "transportation",
            "description": "x",
            "address_string": "a",
            "phone": "1",
        },
    )
    assert bad_phone.status_code == 400 and "phone" in bad_phone.json()[0]["description"]
    assert client.get(f"{BASE}/requests.json").status_code == 400
    assert client.get(f"{BASE}/tokens/unknown-token-abcdef.json").status_code == 404


def test_emergency_is_refused_with_the_number_to_call(
    client: TestClient, services: Services, api_key: str
) -> None:
    response = client.post(
        f"{BASE}/requests.json",
        data={
            "api_key": api_key,
            "service_code": "urban_rural_construction",
            "description": "小区着火了",
            "address_string": "东城区",
        },
    )
    assert response.status_code == 400 and "119" in response.json()[0]["description"]
    assert services.orders.count() == 0
