// Citizen page: chat with the assistant, file through the form, follow and rate own orders.
// Every text from the server is inserted with textContent, never as HTML.
(function () {
  "use strict";
  const app = document.getElementById("app");
  const citizenId = app.dataset.citizenId;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  async function api(method, url, body) {
    const res = await fetch(url, { method, headers, credentials: "same-origin", body: body ? JSON.stringify(body) : undefined });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const detail = data && (data.message || data.detail) ? (data.message || data.detail) : "请求失败（" + res.status + "）";
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return data;
  }

  // -- my orders --------------------------------------------------------------------------------
  const list = document.getElementById("my-orders");
  function renderOrder(o) {
    const li = el("li", "order");
    li.dataset.number = o.number;
    li.appendChild(el("div", "order-number", "工单号 " + o.number));
    li.appendChild(el("div", "order-status", "状态：" + o.status_label + (o.lead_department_name ? "（承办：" + o.lead_department_name + "）" : "")));
    li.appendChild(el("div", "muted", (o.title ? o.title + "：" : "") + o.request.slice(0, 60)));
    if (o.reply_text) li.appendChild(el("div", "reply", "答复：" + o.reply_text));
    if (o.rating) li.appendChild(el("div", "", "您的评价：" + "★".repeat(o.rating)));
    if (o.can_rate) {
      const form = el("form", "rate-form");
      const select = el("select");
      select.name = "rating";
      [[5, "非常满意"], [4, "满意"], [3, "基本满意"], [2, "不满意"], [1, "非常不满意"]].forEach(function (p) {
        const opt = el("option", "", p[1]); opt.value = String(p[0]); select.appendChild(opt);
      });
      form.appendChild(select);
      form.appendChild(el("button", "", "提交评价"));
      form.addEventListener("submit", async function (ev) {
        ev.preventDefault();
        try { await api("POST", "/api/citizen/orders/" + encodeURIComponent(o.number) + "/rating", { rating: Number(select.value) }); }
        catch (err) { alert(err.message); }
        refreshOrders();
      });
      li.appendChild(form);
    }
    return li;
  }
  async function refreshOrders() {
    try {
      const orders = await api("GET", "/api/citizen/orders");
      list.replaceChildren();
      if (!orders.length) list.appendChild(el("li", "muted", "暂无工单"));
      orders.forEach(function (o) { list.appendChild(renderOrder(o)); });
    } catch (err) { /* keep the last list */ }
  }

  // -- chat ---------------------------------------------------------------------------------------
  const messages = document.getElementById("messages");
  const chatForm = document.getElementById("chat-form");
  function say(cls, text) {
    const li = el("li", cls, text);
    messages.appendChild(li);
    messages.scrollTop = messages.scrollHeight;
  }
  async function send(text, shown) {
    say("user", shown || text);
    const button = chatForm.querySelector("button");
    button.disabled = true;
    try {
      const replies = await api("POST", "/webhooks/rest/webhook", { sender: citizenId, message: text });
      (replies || []).forEach(function (r) {
        if (r.text) say("bot", r.text);
        if (r.buttons && r.buttons.length) {
          const row = el("li", "bot buttons");
          r.buttons.forEach(function (b) {
            const choice = el("button", "choice", b.title || b.payload);
            choice.type = "button";
            choice.addEventListener("click", function () { row.remove(); send(b.payload || b.title, b.title); });
            row.appendChild(choice);
          });
          messages.appendChild(row);
        }
        if (r.custom && r.custom.work_order_number) {
          const filed = document.getElementById("filed-number");
          filed.textContent = "工单号 " + r.custom.work_order_number;
          filed.hidden = false;
        }
      });
    } catch (err) {
      say("bot error", "抱歉，暂时无法回复：" + err.message);
    } finally {
      button.disabled = false;
      refreshOrders();
    }
  }
  if (chatForm) {
    const input = document.getElementById("chat-input");
    chatForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      send(text).then(function () { input.focus(); });
    });
  }

  // -- form ---------------------------------------------------------------------------------------
  const orderForm = document.getElementById("order-form");
  const result = document.getElementById("form-result");
  orderForm.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const f = new FormData(orderForm);
    const body = {
      title: f.get("title") || "",
      text: f.get("text") || "",
      address: f.get("address") || null,
      phone: f.get("phone") || null,
      anonymous: f.get("anonymous") === "1",
    };
    const button = orderForm.querySelector("button");
    button.disabled = true;
    result.className = "";
    try {
      const data = await api("POST", "/api/citizen/orders", body);
      result.textContent = data.message;
      result.className = data.order ? "filed" : "error";
      if (data.filed) orderForm.reset();
    } catch (err) {
      result.textContent = err.message;
      result.className = "error";
    } finally {
      button.disabled = false;
      refreshOrders();
    }
  });

  refreshOrders();
})();
