"""End to end in headless Chromium: a citizen files, an operator overrides, a trainer promotes."""

from __future__ import annotations

import random
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from workorders.db import LabelledExampleRow

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMPLAINT = (
    "您好，我叫刘洋，电话13912345678。最近一周每天晚上十一点以后，北山区长青路20号小区旁边的工地"
    "还在施工，噪音特别大，孩子没法睡觉，希望有关部门管一管。"
)


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")


def _file_by_api(base: str, text: str, title: str = "") -> str:
    with httpx.Client(base_url=base) as client:
        token = client.post("/api/citizen/session").json()["token"]
        response = client.post(
            "/api/citizen/orders",
            json={"text": text, "title": title, "phone": "13700001234"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.text
        return response.json()["order"]["number"]


def test_citizen_files_a_complaint_in_the_chat_and_sees_the_number(live_server, page_factory, shot) -> None:  # type: ignore[no-untyped-def]
    page = page_factory(mobile=True)
    page.goto(live_server.url + "/")
    assert page.locator("#chat-form").is_visible(), "the assistant's chat is not available"
    shot(page, "1-start")
    page.fill("#chat-input", COMPLAINT)
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector("button.choice")
    assert "请核对" in page.inner_text("#messages")
    shot(page, "2-confirm")
    page.get_by_role("button", name="确认提交").click()
    number_box = page.locator("#filed-number")
    number_box.wait_for(state="visible")
    number = re.search(r"\d{8}-\d{6}", number_box.inner_text()).group(0)  # type: ignore[union-attr]
    page.wait_for_selector(f'#my-orders li[data-number="{number}"]')
    item = page.inner_text(f'#my-orders li[data-number="{number}"]')
    assert "已受理" in item and number in item
    shot(page, "3-filed")
    order = live_server.services.orders.get(number)
    assert order.channel.value == "web_chat" and order.citizen_phone == "13912345678"
    assert order.triage is not None and order.triage["category"]["label"]


def test_citizen_form_on_a_phone_screen(live_server, page_factory, shot) -> None:  # type: ignore[no-untyped-def]
    page = page_factory(mobile=True)
    page.goto(live_server.url + "/")
    page.click("#form-panel summary")
    page.fill("#order-form textarea[name=text]", "东城区和平路口的红绿灯坏了两天了，早晚高峰很堵。")
    page.fill("#order-form input[name=phone]", "13600001111")
    page.click("#order-form button[type=submit]")
    page.wait_for_selector("#form-result.filed")
    number = re.search(r"\d{8}-\d{6}", page.inner_text("#form-result")).group(0)  # type: ignore[union-attr]
    page.wait_for_selector(f'#my-orders li[data-number="{number}"]')
    shot(page, "filed")


def test_operator_sees_suggestions_and_overrides_the_routing(
    live_server, page_factory, shot, passwords
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    number = _file_by_api(base, "南湖区滨江小区门口的路灯坏了一个多星期，晚上特别黑，老人出门不安全。")
    xss = _file_by_api(
        base, "路灯不亮 <img src=x onerror=alert(1)><script>alert(2)</script>", title="<b>标题</b>"
    )
    page = page_factory()
    _sign_in(page, base, "operator", passwords["operator"])
    page.wait_for_url(f"{base}/console")
    row = page.locator(f'tr[data-number="{number}"]')
    assert row.is_visible()
    assert "<script>alert(2)</script>" in page.inner_text(f'tr[data-number="{xss}"]')  # shown as text
    shot(page, "1-queue")

    row.locator("a").click()
    page.wait_for_selector("#suggestions")
    suggested = page.inner_text("#suggested-category")
    assert suggested and "%" in page.inner_text("#suggestions")
    assert page.locator("#articles li").count() >= 1
    shot(page, "2-order")

    target = "交通运输" if suggested != "交通运输" else "环境保护"
    page.select_option("#override-category", target)
    page.select_option("#override-lead", "transport")
    page.click("#override-form button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert target in page.inner_text("#order-category")
    assert "市交通运输局" in page.inner_text("#order-lead")
    shot(page, "3-overridden")
    page.click("#btn-dispatch")
    page.wait_for_selector(".flash.ok")
    assert page.inner_text("#order-status") == "已派单"

    order_id = live_server.services.orders.get(number).id
    with live_server.services.sessions() as s:
        rows = s.scalars(select(LabelledExampleRow).where(LabelledExampleRow.order_id == order_id)).all()
    assert {(r.head, r.label, r.source) for r in rows} >= {("category", target, "operator_override")}


def _training_csv(n: int = 60) -> str:
    """Labelled examples written for this test: three categories, varied places and wording."""
    rng = random.Random(7)
    places = ["东城区", "西城区", "南湖区", "北山区", "高新区", "临江县"]
    streets = ["建设路", "和平街", "滨江路", "长青路", "学府路", "人民路"]
    templates = {
        "城乡建设": ["{p}{s}小区路灯坏了好几天", "{p}{s}的井盖丢了很危险", "{p}{s}小区物业不管电梯维修"],
        "环境保护": ["{p}{s}工地夜间施工噪音扰民", "{p}{s}餐馆油烟直排", "{p}{s}工厂排放废气有异味"],
        "交通运输": ["{p}{s}公交车总是不按时到站", "{p}{s}路口红绿灯坏了", "{p}{s}出租车拒载绕路"],
    }
    rows = ["text,category"]
    for i in range(n):
        label = list(templates)[i % 3]
        text = rng.choice(templates[label]).format(p=rng.choice(places), s=rng.choice(streets))
        rows.append(f"{text}，第{i}次反映,{label}")
    return "\n".join(rows) + "\n"


def test_trainer_imports_trains_with_progress_and_promotes(
    live_server, page_factory, shot, passwords, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    data = tmp_path / "labelled.csv"
    data.write_text(_training_csv(), encoding="utf-8")
    page = page_factory()
    _sign_in(page, base, "trainer", passwords["trainer"])
    page.wait_for_url(f"{base}/trainer")
    before = page.locator("#head-category tr[data-version]").count()

    page.select_option("#import-form select[name=head]", "category")
    page.set_input_files("#import-form input[type=file]", str(data))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#flash")
    assert "已导入 60 条" in page.inner_text("#flash")
    shot(page, "1-imported")

    page.select_option("#train-head", "category")
    page.click("#train-button")
    page.wait_for_selector("#job:not([hidden])")
    shot(page, "2-training")
    assert page.locator("#job-progress").is_visible()
    page.locator("#flash", has_text="训练完成").wait_for(timeout=120_000)  # the page reloads when done
    rows = page.locator("#head-category tr[data-version]")
    assert rows.count() == before + 1
    new_row = page.locator("#head-category tr[data-version]:not(.active)").first
    version = new_row.get_attribute("data-version")
    assert new_row.locator("img.cm").count() == 1  # measured on a held-out share: a confusion matrix
    loaded_width = new_row.locator("img.cm").evaluate(
        """img => img.complete ? img.naturalWidth : new Promise(done => {
            img.addEventListener('load', () => done(img.naturalWidth));
            img.addEventListener('error', () => done(0));
        })"""
    )
    assert loaded_width > 0  # the picture is drawn on first request
    shot(page, "3-trained")

    new_row.locator("button.promote").click()
    page.wait_for_selector("#flash")
    assert f"已启用版本 {version}" in page.inner_text("#flash")
    assert page.inner_text("#head-category .active-version") == version
    shot(page, "4-promoted")
