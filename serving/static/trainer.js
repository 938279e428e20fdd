// Trainer console: start a training job and follow its progress until it finishes.
(function () {
  "use strict";
  const form = document.getElementById("train-form");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const box = document.getElementById("job");
  const bar = document.getElementById("job-progress");
  const percent = document.getElementById("job-percent");
  const state = document.getElementById("job-state");
  const log = document.getElementById("job-log");
  const button = document.getElementById("train-button");

  function show(job) {
    box.hidden = false;
    bar.value = job.progress;
    percent.textContent = Math.round(job.progress * 100) + "%";
    state.textContent = job.state === "succeeded" ? "训练完成：" + job.version
      : job.state === "failed" ? "训练失败：" + job.error
      : "训练中：" + job.message;
    state.dataset.state = job.state;
    log.textContent = (job.log || []).join("\n");
  }

  async function poll(id) {
    const res = await fetch("/api/training/jobs/" + encodeURIComponent(id), { credentials: "same-origin" });
    const job = await res.json();
    show(job);
    if (job.state === "succeeded") { setTimeout(function () { location.assign("/trainer?msg=" + encodeURIComponent("训练完成：" + job.head + " " + job.version)); }, 800); return; }
    if (job.state === "failed") { button.disabled = false; return; }
    setTimeout(function () { poll(id); }, 500);
  }

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    button.disabled = true;
    const head = document.getElementById("train-head").value;
    const res = await fetch("/api/training/jobs", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ head: head }),
    });
    const data = await res.json();
    if (!res.ok) { box.hidden = false; state.textContent = data.detail || "无法开始训练"; button.disabled = false; return; }
    show(data);
    poll(data.id);
  });
})();
