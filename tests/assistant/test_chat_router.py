"""The Rasa REST channel router over HTTP (FastAPI test client)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.dialogue import DialogueManager
from serving.routers.chat import build_chat_router

from .conftest import COMPLETE_FIRST_MESSAGE


def client_for(assistant: DialogueManager | None) -> TestClient:
    app = FastAPI()
    app.include_router(build_chat_router(lambda: assistant))
    return TestClient(app)


def test_rasa_rest_format(lite_assistant: DialogueManager) -> None:
    client = client_for(lite_assistant)
    response = client.post(
        "/webhooks/rest/webhook", json={"sender": "web-123", "message": COMPLETE_FIRST_MESSAGE}
    )

    assert response.status_code == 200
    items = response.json()
    assert all(item["recipient_id"] == "web-123" for item in items)
    texts = [item for item in items if "text" in item]
    assert texts and "请核对" in texts[0]["text"]
    assert texts[0]["buttons"] == [
        {"title": "确认提交", "payload": "/affirm"},
        {"title": "需要修改", "payload": "/deny"},
        {"title": "取消", "payload": "/cancel"},
    ]
    custom = items[-1]["custom"]
    assert set(items[-1]) == {"recipient_id", "custom"}
    assert custom["state"] == "confirming" and custom["missing"] == []
    assert custom["work_order_id"] is None
    assert custom["triage"]["category"]["label"] == "环境保护"

    filed = client.post("/webhooks/rest/webhook", json={"sender": "web-123", "message": "/affirm"}).json()
    custom = filed[-1]["custom"]
    assert custom["state"] == "filed"
    assert isinstance(custom["work_order_id"], int)
    assert custom["work_order_number"] in filed[0]["text"]


def test_text_items_without_buttons_have_no_buttons_key(lite_assistant: DialogueManager) -> None:
    items = (
        client_for(lite_assistant)
        .post("/webhooks/rest/webhook", json={"sender": "w1", "message": "你好"})
        .json()
    )
    assert "buttons" not in items[0] and "custom" not in items[0]


def test_bad_requests(lite_assistant: DialogueManager) -> None:
    client = client_for(lite_assistant)
    assert client.post("/webhooks/rest/webhook", json={"message": "你好"}).status_code == 422
    assert client.post("/webhooks/rest/webhook", json={"sender": "a b", "message": "x"}).status_code == 422
    assert client.post("/webhooks/rest/webhook", json={"sender": "x" * 65, "message": "x"}).status_code == 422
    empty = client.post("/webhooks/rest/webhook", json={"sender": "w2", "message": None})
    assert empty.status_code == 200 and "还没有输入内容" in empty.json()[0]["text"]
    huge = client.post("/webhooks/rest/webhook", json={"sender": "w3", "message": "吵" * 20000})
    assert huge.status_code == 200 and "超过了单条" in huge.json()[0]["text"]


def test_unavailable_assistant_is_503() -> None:
    response = client_for(None).post("/webhooks/rest/webhook", json={"sender": "w", "message": "你好"})
    assert response.status_code == 503


def test_channel_health() -> None:
    assert client_for(None).get("/webhooks/rest/").json() == {"status": "ok"}
