"""Fixtures of the knowledge-base tests: a fast embedder double and a small invented corpus."""

from __future__ import annotations

import pytest

from knowledge_base.chunks import Chunk
from knowledge_base.embedders import HashingEmbedder

# Invented for these tests (not taken from any real data set).
SAMPLE_GUIDE = """# 测试市便民服务规定

2020年1月2日 测试市人大常委会通过
2021年3月4日 修正

<!-- 以上为文件信息 -->

## 第一章 总则

第一条 为了规范便民服务，制定本规定。

第二条 便民热线受理下列事项：

（一）水电气暖的报修；

（二）噪声扰民的投诉。

受理后应当及时派单。

## 第二章 办理

### 第一节 时限

第十条 一般事项应当在五个工作日内办结。

第十条之一 欠薪投诉应当在三个工作日内受理。

第二十一条 市民对答复不满意的，可以申请复核。
"""


@pytest.fixture
def sample_guide() -> str:
    return SAMPLE_GUIDE


@pytest.fixture
def hashing() -> HashingEmbedder:
    return HashingEmbedder(dim=128)


def make_case(idx: int, title: str, body: str, category: str, date: str, reply: str | None = None) -> Chunk:
    return Chunk(
        id=f"case:test:{idx}",
        kind="case",
        title=title,
        text=body,
        reply=reply,
        category=category,
        date=date,
        source="test",
    )


@pytest.fixture
def sample_cases() -> list[Chunk]:
    return [
        make_case(
            1,
            "小区物业乱收停车费",
            "锦绣小区物业公司每月向业主收取三百元停车费，没有公示。",
            "城乡建设",
            "2024-01-10",
            "经核查已责令物业停止收费并退还。",
        ),
        make_case(
            2,
            "装修公司拖欠工资",
            "我在装修公司干了四个月，老板拖欠工资两万元不给。",
            "劳动和社会保障",
            "2024-03-05",
            "监察大队已责令公司支付全部工资。",
        ),
        make_case(
            3,
            "工地夜间施工噪音扰民",
            "南湖大道工地每天晚上打桩到凌晨，噪音太大睡不着。",
            "环境保护",
            "2024-06-20",
            None,
        ),
        make_case(
            4,
            "公交站台破损",
            "福寿里小区门口公交站台顶棚破损，下雨没法避雨。",
            "交通运输",
            "2025-02-01",
            "站台已维修。",
        ),
        make_case(
            5,
            "学校组织有偿补课",
            "某中学老师暑假组织学生有偿补课，每人收费两千元。",
            "教育文体",
            "2025-07-01",
            "已责令停止补课并退费。",
        ),
    ]
