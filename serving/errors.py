"""Every error the service returns, mapped to HTTP in ONE place.

Domain errors (`workorders.errors`) become their status code with ``{"detail", "code", "message"}``
(``detail`` in English for logs and scripts, ``message`` in Chinese for people); malformed
input becomes 422 with a sentence that says what is wrong and where; Open311 routes answer in the
GeoReport v2 error format (a list of ``{code, description}``); pages answer in HTML (in Chinese, see
`page_message`) or redirect to the sign-in page. Unexpected exceptions are logged (masked) and
answered with a 500 that reveals nothing.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pydantic
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from workorders.errors import (
    ConfigError,
    DomainError,
    ExtensionLimitError,
    InvalidTransitionError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

log = logging.getLogger("intake.errors")

#: The single mapping from domain errors to HTTP status codes (most specific class first).
STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, 404),
    (InvalidTransitionError, 409),
    (ValidationError, 422),
    (ExtensionLimitError, 422),
    (PermissionDeniedError, 403),
    (ConfigError, 500),
)


class AuthenticationRequired(DomainError):
    """No valid session or token; API callers get 401, page visitors the sign-in page."""

    code = "authentication_required"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many requests: retry in {max(1, round(retry_after))} s")
        self.retry_after = max(1, round(retry_after))


class ServiceUnavailable(DomainError):
    """A component (triage models, knowledge base, model registry) is not available right now."""

    code = "service_unavailable"


def status_for(err: DomainError) -> int:
    if isinstance(err, AuthenticationRequired):
        return 401
    if isinstance(err, RateLimited):
        return 429
    if isinstance(err, ServiceUnavailable):
        return 503
    for cls, status in STATUS_BY_ERROR:
        if isinstance(err, cls):
            return status
    return 400


#: Chinese names of order actions and statuses for page messages (kept here, not imported from
#: `serving.views`, so that the error layer stays importable from everywhere).
_ACTION_NAMES = {
    "reclassify": "确认/修改分类",
    "dispatch": "派单",
    "sign_for": "签收",
    "start_handling": "开始办理",
    "return": "退单",
    "reassign": "改派",
    "supplement": "补充材料",
    "withdraw": "撤单",
    "chase": "催单",
    "extend": "延期",
    "supervise": "督办",
    "reply": "答复",
    "rate": "回访评价",
    "rework": "重办",
    "close": "办结",
    "link_repeat": "并单",
}

#: Known English domain messages and their Chinese wording for pages; first match wins.
_PAGE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"^missing or invalid CSRF token", "页面已过期或表单校验失败，请刷新页面后重试。"),
        (r"^this is a staff route", "此页面仅供工作人员使用，请先以工作人员身份登录。"),
        (r"^this route needs the role (?P<roles>.+); you are", "您的账号没有访问此页面的权限。"),
        (r"^no work order (?P<ref>\S+)", "未找到工单 {ref}。"),
        (r"^(?P<action>[a-z_]+) needs a reason$", "{action}需要填写理由。"),
        (r"^dispatch needs a lead department", "派单需要先确定承办单位。"),
        (r"^reassign needs the new lead department", "改派需要选择新的承办单位。"),
        (r"^reassign needs a different lead department", "改派需要选择与当前不同的承办单位。"),
        (r"^supplement needs the added information", "补充材料需要填写补充内容。"),
        (r"^extend needs an amount", "延期需要填写延长的时长。"),
        (r"^reply needs the reply text", "答复需要填写答复内容。"),
        (r"^rate needs a rating", "回访评价需要选择 1–5 分。"),
        (
            r"^reclassify needs a category, a lead department or an urgency",
            "请选择分类、承办单位或紧急程度。",
        ),
        (
            r"^extension of (?P<amount>\d+) (?P<unit>[a-z ]+) exceeds the limit for \w+ orders: "
            r"at most (?P<most>\d+) [a-z ]+ in all, (?P<left>\d+) left",
            "超出规定的延期上限：这类工单最多延期 {most} {unit}，还可延期 {left} {unit}。",
        ),
        (r"^an overdue order cannot be extended", "工单已经超期，不能再延期，请按督办处理。"),
        (r"^order (?P<n>\S+) is already under supervision", "工单 {n} 已在督办中。"),
        (r"^a training job is already running", "已有训练任务在进行，请等它结束后再开始。"),
        (r"^(?P<head>\w+) has no version '(?P<v>[^']*)'", "没有版本 {v}。"),
        (r"^accept_suggestion takes the stored suggestion", "接受建议时不要再选择分类或承办单位。"),
        (r"^no labelled examples for (?P<head>\w+)", "还没有这个模型的标注样本，请先导入。"),
        (r"^urgent orders cannot be extended", "紧急工单不能延期，须在时限内办结。"),
        (r"^link_repeat needs the other order", "并单需要填写另一张工单的编号。"),
        (r"^an order cannot be linked to itself", "不能把工单与它自己并单。"),
        (r"^order (?P<a>\S+) is already linked to (?P<b>\S+)", "工单 {a} 已经与 {b} 并单，不能重复并单。"),
        (r"^malformed phone number", "电话号码格式不对，请填写11位手机号或带区号的座机号。"),
        (r"^a phone number is required unless the citizen is anonymous", "请填写联系电话，或选择匿名反映。"),
        (r"^there is no suggestion to accept", "该工单没有可接受的智能分拣建议，请手动选择分类或承办单位。"),
        (r"^unknown department '(?P<code>[^']*)'", "未知的承办单位 {code}。"),
        (r"^unknown category '(?P<code>[^']*)'", "未知的分类 {code}。"),
        (r"^an extension must be a positive amount", "延期时长必须大于零。"),
        (r"^the complaint text must not be empty", "诉求内容不能为空。"),
        (r"^the complaint text is too short", "诉求内容太短，请具体说明遇到了什么问题。"),
        (r"^too many requests: retry in (?P<s>\d+) s", "操作过于频繁，请 {s} 秒后再试。"),
        (r"^wrong user name or password", "用户名或密码错误。"),
        (r"^duplicated column name\(s\) in the header: (?P<cols>.+)$", "表头里有重复的列名：{cols}。"),
        (
            r"^row (?P<row>\d+) repeats the header",
            "第 {row} 行重复了表头（是否把几个文件拼在了一起？），请删除这一行。",
        ),
        (
            r"^unknown \w+ labels: (?P<bad>.+) \(allowed: (?P<allowed>.*)\)$",
            "有未知的标签：{bad}。可用的标签：{allowed}。",
        ),
        (
            r"^the file needs a text column \(text or body\) and a label column \(label or (?P<head>\w+)\); "
            r"found: (?P<cols>.+)$",
            "文件需要文本列（text 或 body）和标签列（label 或 {head}）；文件里的列：{cols}。",
        ),
        (r"^the file has no examples", "文件里没有样本。"),
        (r"^the file is not UTF-8", "文件不是 UTF-8 编码（Excel 请另存为“CSV UTF-8”）。"),
        (r"^the file contains NUL characters", "文件里有二进制内容：是不是表格文件，而不是 CSV？"),
        (r"^row (?P<row>\d+): text and label must not be empty", "第 {row} 行：文本和标签都不能为空。"),
        (r"^line (?P<row>\d+): not valid JSON", "第 {row} 行不是有效的 JSON。"),
        (r"^line (?P<row>\d+): expected an object", "第 {row} 行应为含文本和标签的 JSON 对象。"),
        (r"^at most (?P<n>\d+) rows per file", "每个文件最多 {n} 行。"),
        (r"^\w+: no earlier version to roll back to", "没有可以回滚到的上一版本。"),
        (r"^start a chat session first", "对话已过期，请刷新页面后重新开始。"),
        (r"^sender must be this chat session's citizen id", "对话已过期，请刷新页面后重新开始。"),
    )
)
#: English unit names in domain messages, as a page says them.
_UNIT_NAMES = {"hours": "小时", "working days": "个工作日", "days": "天"}
#: Field names in validation messages (``rating: …``), as a page says them.
_FIELD_NAMES = {
    "text": "诉求内容",
    "request": "诉求内容",
    "title": "标题",
    "phone": "联系电话",
    "name": "姓名",
    "address": "地址",
    "number": "工单编号",
    "rating": "评分",
    "amount": "延期时长",
    "reason": "理由",
    "reply_text": "答复内容",
    "category": "分类",
    "urgency": "紧急程度",
    "lead_department": "承办单位",
    "attachments": "附件",
    "comment": "评价意见",
}
#: Pydantic's own wording of a failed check, with the field it is about.
_VALIDATION_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"^Field required", "请填写{field}"),
        (r"^Input should be less than or equal to (?P<n>\S+)", "{field}不能大于 {n}"),
        (r"^Input should be less than (?P<n>\S+)", "{field}应小于 {n}"),
        (r"^Input should be greater than or equal to (?P<n>\S+)", "{field}不能小于 {n}"),
        (r"^Input should be greater than (?P<n>\S+)", "{field}应大于 {n}"),
        (r"^String should have at most (?P<n>\d+) characters?", "{field}最多 {n} 个字"),
        (r"^(?:String|Value|List) should have at least 1 (?:character|item)", "请填写{field}"),
        (r"^String should have at least (?P<n>\d+) characters?", "{field}至少 {n} 个字"),
        (r"^(?:List|Value) should have at most (?P<n>\d+) items?", "{field}太长（最多 {n}）"),
        (r"^String should match pattern", "{field}格式不对"),
        (r"^Input should be a valid integer", "{field}应为整数"),
        (r"^Extra inputs are not permitted", "{field}不是可以填写的字段"),
        (r"^Input should be ", "{field}的取值无效"),
    )
)
#: A Chinese sentence is already what a page shows; English words mean it is not one.
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{3,}")


def _known_message(message: str) -> str | None:
    """The Chinese wording of one known English domain message, or None."""
    for pattern, zh in _PAGE_MESSAGES:
        match = pattern.match(message)
        if match:
            groups = match.groupdict()
            if "action" in groups:
                groups["action"] = _ACTION_NAMES.get(groups["action"], groups["action"])
            if "unit" in groups:
                groups["unit"] = _UNIT_NAMES.get(groups["unit"], groups["unit"])
            return zh.format(**groups)
    return None


def _validation_wording(message: str) -> str | None:
    """The Chinese wording of `describe_validation_errors` output (``rating: Input should be…``), or None."""
    parts = []
    for part in message.split("; "):
        loc, sep, text = part.partition(": ")
        field = _FIELD_NAMES.get(loc.rsplit(".", 1)[-1]) if sep else None
        text = text if sep else part
        known = _known_message(text)
        if known is not None:
            parts.append(known.rstrip("。"))
            continue
        worded = next(
            (
                zh.format(field=field or "输入", **m.groupdict())
                for p, zh in _VALIDATION_MESSAGES
                if (m := p.match(text))
            ),
            None,
        )
        if worded is None:
            return None
        parts.append(worded)
    return "；".join(dict.fromkeys(parts)) + "。" if parts else None


#: What a page says for a domain error no pattern above knows, by error code.
_PAGE_FALLBACKS = {
    "not_found": "未找到该记录。",
    "invalid_transition": "当前状态下不能执行该操作。",
    "validation_error": "输入有误，请检查后重试",
    "extension_limit": "超出规定的延期上限",
    "permission_denied": "没有执行此操作的权限。",
    "authentication_required": "请先登录。",
    "service_unavailable": "该功能暂时不可用，请稍后再试",
    "config_error": "系统配置有误，请联系管理员。",
}


def page_message(err: DomainError) -> str:
    """The Chinese message a page shows for a domain error (the JSON API keeps the English one).

    Transition errors are worded from their structured fields; other known messages by pattern;
    anything else gets a Chinese sentence for its kind with the English detail in brackets, so that
    an operator can still quote it to support.
    """
    from workorders.labels import status_label

    if isinstance(err, InvalidTransitionError) and err.action and err.current:
        action = _ACTION_NAMES.get(err.action, err.action)
        allowed = "、".join(status_label(s) for s in err.allowed_from)
        return f"工单当前状态为「{status_label(err.current)}」，不能{action}" + (
            f"（仅在{allowed}状态下可以{action}）。" if allowed else "。"
        )
    message = str(err)
    worded = _known_message(message) or _validation_wording(message)
    if worded is not None:
        return worded
    if _HAN.search(message) and not _ENGLISH_WORDS.search(message):
        return message  # already worded in Chinese (a 422 from our own Chinese validation)
    fallback = _PAGE_FALLBACKS.get(err.code, "操作未能完成")
    return fallback if fallback.endswith("。") else f"{fallback}（{message}）"


def is_open311(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


def wants_html(request: Request, status: int | None = None) -> bool:
    """Page routes (not the JSON API, Open311 or the chat webhook) answer errors with HTML.

    A page route answers HTML unless the caller asks for JSON only: browsers do not always send
    ``text/html`` (a form post, a link opened from another tool), and a raw JSON error in place of
    a page is what the console must never show. The one exception is 401 without an explicit
    ``text/html``: a script calling a page route is told to authenticate (``WWW-Authenticate``)
    rather than redirected to the sign-in form.
    """
    path = request.url.path
    if path.startswith(("/api/", "/open311/", "/webhooks/", "/metrics", "/healthz", "/openapi", "/docs")):
        return False
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        return True
    return status != 401 and "application/json" not in accept


def _open311(status: int, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status, headers=headers)


def _html_error(request: Request, status: int, message: str) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def error_response(request: Request, status: int, detail: str, code: str, **extra: Any) -> Response:
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra.pop("retry_after"))
    if is_open311(request):
        # GeoReport v2 reports invalid input as 400 (it has no 422)
        return _open311(400 if status == 422 else status, detail, headers)
    if wants_html(request, status):
        response = _html_error(request, status, detail)
        response.headers.update(headers)
        return response
    return JSONResponse({"detail": detail, "code": code, **extra}, status_code=status, headers=headers)


#: Page wording of plain HTTP errors (unknown route, wrong method, body too large...).
_HTTP_PAGE_MESSAGES = {
    404: "页面不存在。",
    405: "不支持该操作方式。",
    413: "提交的内容过大。",
    503: "服务暂时不可用，请稍后再试。",
}


def describe_validation_errors(errors: list[dict[str, Any]] | Any) -> str:
    """One readable sentence for a list of pydantic/FastAPI errors."""
    parts = []
    for e in list(errors)[:5]:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "header", "form")]
        if e.get("type") == "json_invalid":
            ctx = e.get("ctx") or {}
            where = f" at position {loc[-1]}" if loc and loc[-1].isdigit() else ""
            parts.append(f"the request body is not valid JSON{where}: {ctx.get('error', 'decode error')}")
            continue
        msg = str(e.get("msg", "invalid value")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(loc)}: {msg}" if loc else msg)
    return "; ".join(parts) or "invalid request"


def _jsonable_errors(errors: Any) -> list[dict[str, Any]]:
    clean = []
    for e in list(errors)[:20]:
        item = {k: e.get(k) for k in ("type", "loc", "msg")}
        clean.append(json.loads(json.dumps(item, default=str, ensure_ascii=False)))
    return clean


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; called by the app factory."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, err: DomainError) -> Response:
        status = status_for(err)
        if status >= 500:
            log.error("server-side domain error on %s: %s", request.url.path, err)
        extra = {"retry_after": err.retry_after} if isinstance(err, RateLimited) else {}
        if wants_html(request, status) and not is_open311(request):
            response = _html_error(request, status, page_message(err))
            if "retry_after" in extra:
                response.headers["Retry-After"] = str(extra["retry_after"])
            return response
        if not is_open311(request):
            extra["message"] = page_message(err)  # the Chinese wording, for apps to show as is
        return error_response(request, status, str(err), err.code, **extra)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, err: RequestValidationError) -> Response:
        message = describe_validation_errors(err.errors())
        if is_open311(request):
            return _open311(400, message)
        chinese = page_message(ValidationError(message))
        if wants_html(request):
            return _html_error(request, 422, chinese)
        return JSONResponse(
            {
                "detail": message,
                "code": "validation_error",
                "message": chinese,
                "errors": _jsonable_errors(err.errors()),
            },
            status_code=422,
        )

    @app.exception_handler(pydantic.ValidationError)
    async def _model_validation(request: Request, err: pydantic.ValidationError) -> Response:
        return await _domain(request, ValidationError(describe_validation_errors(err.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        message = str(err.detail) if err.detail else "error"
        if wants_html(request, err.status_code):
            message = _HTTP_PAGE_MESSAGES.get(err.status_code, message)
        response = error_response(request, err.status_code, message, "http_error")
        if err.headers:
            response.headers.update(err.headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if wants_html(request):
            return HTMLResponse("<h1>500</h1><p>服务器内部错误，请稍后再试。</p>", status_code=500)
        return error_response(request, 500, "internal server error", "internal_error")
