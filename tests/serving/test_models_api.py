"""Trainer API: import labelled data, train in the background, compare, promote and roll back."""

from __future__ import annotations

import io
import json
import time

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from serving.services import Services
from workorders.db import LabelledExampleRow

CSV = "text,label,title\n路灯不亮,城乡建设,路灯\n工资拖欠三个月,labour_social_security,欠薪\n噪音扰民,环境保护,\n"


def _upload(
    client: TestClient, headers: dict[str, str], content: str, name: str = "data.csv", head: str = "category"
):  # type: ignore[no-untyped-def]
    files = {"file": (name, io.BytesIO(content.encode("utf-8")), "text/csv")}
    return client.post("/api/training/examples", data={"head": head}, files=files, headers=headers)


def _wait(client: TestClient, headers: dict[str, str], job_id: str) -> dict:
    for _ in range(200):
        job = client.get(f"/api/training/jobs/{job_id}", headers=headers).json()
        if job["state"] in ("succeeded", "failed"):
            return job
        time.sleep(0.02)
    raise AssertionError("training did not finish")


def test_import_validates_labels_and_normalises_codes(client: TestClient, services: Services, login) -> None:  # type: ignore[no-untyped-def]
    tr = login("trainer")
    response = _upload(client, tr, CSV)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "head": "category",
        "imported": 3,
        "skipped_duplicates": 0,
        "conflicting_labels": 0,
        "by_label": {"城乡建设": 1, "劳动和社会保障": 1, "环境保护": 1},
    }
    again = _upload(client, tr, CSV)
    assert again.json()["imported"] == 0 and again.json()["skipped_duplicates"] == 3
    relabelled = _upload(client, tr, "text,label\n路灯不亮,交通运输\n")
    assert relabelled.json()["imported"] == 1 and relabelled.json()["conflicting_labels"] == 1
    joined = _upload(client, tr, "text,label\n井盖丢了,城乡建设\ntext,label\n工资拖欠,劳动和社会保障\n")
    assert joined.status_code == 422 and "repeats the header" in joined.json()["detail"]
    twice = _upload(client, tr, "text,label,text\n井盖丢了,城乡建设,x\n")
    assert twice.status_code == 422 and "duplicated column" in twice.json()["detail"]
    bad = _upload(client, tr, "text,label\n路灯不亮,城建\n")
    assert bad.status_code == 422 and "城建" in bad.json()["detail"]
    no_header = _upload(client, tr, "路灯不亮,城乡建设\n")
    assert no_header.status_code == 422 and "text column" in no_header.json()["detail"]
    cli_style = _upload(client, tr, "title,body,category\n噪音,夜里工地施工,环境保护\n")
    assert cli_style.json()["by_label"] == {"环境保护": 1}
    jsonl = "\n".join(
        json.dumps({"text": t, "label": "power"}, ensure_ascii=False) for t in ("停电", "电压低")
    )
    ok = _upload(client, tr, jsonl, name="d.jsonl", head="department")
    assert ok.json()["imported"] == 2
    with services.sessions() as s:
        assert s.scalar(select(func.count(LabelledExampleRow.id))) == 7  # 3 + 1 relabelled + 1 + 2
    assert _upload(client, tr, CSV, head="nope").status_code == 404


def test_upload_limit_is_larger_than_the_body_limit(client: TestClient, login, settings) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f"投诉内容第{i}条，路灯不亮,城乡建设\n" for i in range(20000))
    content = "text,label\n" + rows
    assert len(content.encode()) > settings.max_body_bytes
    assert _upload(client, login("trainer"), content).json()["imported"] == 20000


def test_train_promote_compare_and_roll_back(client: TestClient, services: Services, login) -> None:  # type: ignore[no-untyped-def]
    tr = login("trainer")
    _upload(client, tr, CSV)
    first = client.post("/api/training/jobs", json={"head": "category"}, headers=tr)
    assert first.status_code == 202
    job = _wait(client, tr, first.json()["id"])
    assert job["state"] == "succeeded" and job["version"] == "v1" and job["progress"] == 1.0
    assert job["examples"] == 3 and any("epoch" in line for line in job["log"])
    assert job["message"] == "训练完成：v1" and any("导出标注样本" in line for line in job["log"])
    job2 = _wait(
        client, tr, client.post("/api/training/jobs", json={"head": "category"}, headers=tr).json()["id"]
    )
    assert job2["version"] == "v2"

    overview = client.get("/api/models", headers=tr).json()
    category = next(h for h in overview["heads"] if h["head"] == "category")
    assert [v["version"] for v in category["versions"]] == ["v1", "v2"]
    assert category["versions"][0]["metrics"]["accuracy"] > 0 and category["active"] is None

    png = client.get("/api/models/category/v1/confusion.png", headers=tr)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/api/models/category/v9/confusion.png", headers=tr).status_code == 404

    assert (
        client.post("/api/models/category/promote", json={"version": "v1"}, headers=tr).json()["active"]
        == "v1"
    )

    def can_roll_back() -> bool:
        heads = client.get("/api/models", headers=tr).json()["heads"]
        return next(h for h in heads if h["head"] == "category")["can_roll_back"]

    assert not can_roll_back(), "one promotion: nothing to go back to"
    client.post("/api/models/category/promote", json={"version": "v2"}, headers=tr)
    assert can_roll_back()
    assert client.post("/api/models/category/rollback", headers=tr).json()["active"] == "v1"
    assert not can_roll_back()
    again = client.post("/api/models/category/rollback", headers=tr)
    assert again.status_code == 422 and "roll back" in again.json()["detail"]
    assert client.post("/api/models/category/promote", json={"version": "v7"}, headers=tr).status_code == 422


def test_training_without_examples_fails_visibly(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    tr = login("trainer")
    job = _wait(
        client, tr, client.post("/api/training/jobs", json={"head": "department"}, headers=tr).json()["id"]
    )
    assert job["state"] == "failed" and job["error"] == "还没有这个模型的标注样本，请先导入。"
    assert client.post("/api/training/jobs", json={"head": "nope"}, headers=tr).status_code == 422
    assert client.get("/api/training/jobs/abc123", headers=tr).status_code == 404


def test_operator_overrides_become_training_data(client: TestClient, login, new_citizen, file_order) -> None:  # type: ignore[no-untyped-def]
    number = file_order(new_citizen(), "路灯不亮")["number"]
    client.post(
        f"/api/orders/{number}/actions",
        json={"action": "reclassify", "category": "交通运输"},
        headers=login("operator"),
    )
    tr = login("trainer")
    job = _wait(
        client, tr, client.post("/api/training/jobs", json={"head": "category"}, headers=tr).json()["id"]
    )
    # one example only: the fake refuses a single class, which shows the override reached training
    assert job["state"] == "failed" and job["examples"] == 1 and "two labels" in job["error"]


def test_model_times_are_given_in_the_citys_time_with_its_offset(tmp_path, city_config) -> None:  # type: ignore[no-untyped-def]
    from serving.training_adapter import StoreRegistry

    registry = StoreRegistry(tmp_path / "models", city_config, tmp_path / "cache")
    assert registry._local_time("2026-11-27T18:31:12.123+00:00") == "2026-11-28T02:31:12+08:00"
    assert registry._local_time("2026-11-27T18:31:12") == "2026-11-28T02:31:12+08:00"  # naive: UTC
    assert registry._local_time("") is None
