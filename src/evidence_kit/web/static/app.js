// evidence-kit web page: drop zone (upload + live progress over SSE), instant search, review keys.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const page = document.body.dataset.page;

  // ------------------------------------------------------------ drop zone
  function dropZone() {
    const zone = document.getElementById("dropzone");
    const list = document.getElementById("results");
    const labels = document.getElementById("labels").dataset;
    const rows = new Map();
    function row(name) {
      if (!rows.has(name)) {
        const li = document.createElement("li");
        li.dataset.name = name;
        list.appendChild(li);
        rows.set(name, li);
      }
      return rows.get(name);
    }
    function show(ev) {
      const name = ev.name || "";
      const li = row(name);
      const status = ev.stage === "done" ? ev.status : ev.stage;
      li.className = status;
      li.textContent = name + " — " + (labels[status] || status) + (ev.error ? ": " + ev.error : "");
      if (ev.id && ev.stage === "done") {
        const a = document.createElement("a");
        a.href = "/entry/" + ev.id;
        a.textContent = " " + ev.id;
        li.appendChild(a);
      }
    }
    async function send(files) {
      if (!files.length) return;
      const body = new FormData();
      for (const f of files) {
        body.append("files", f, f.webkitRelativePath || f.name);
        show({ name: f.webkitRelativePath || f.name, stage: "sending" });
      }
      const res = await fetch("/drop", { method: "POST", body, headers: { "X-CSRF-Token": csrf } });
      if (!res.ok) {
        show({ name: "", stage: "error", error: await res.text() });
        return;
      }
      const job = await res.json();
      const events = new EventSource("/drop/events/" + job.job);
      events.onmessage = (m) => show(JSON.parse(m.data));
      events.addEventListener("done", () => { events.close(); zone.dataset.done = (+(zone.dataset.done || 0) + 1); });
    }
    async function walk(entry, out) {
      if (entry.isFile) {
        out.push(await new Promise((ok, bad) => entry.file(ok, bad)));
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        let batch;
        do {
          batch = await new Promise((ok, bad) => reader.readEntries(ok, bad));
          for (const e of batch) await walk(e, out);
        } while (batch.length);
      }
    }
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", async (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      const items = [...(e.dataTransfer.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
      const files = [];
      if (items.length) for (const it of items) await walk(it, files);
      else files.push(...e.dataTransfer.files);
      send(files);
    });
    for (const id of ["pick-files", "pick-folder"]) {
      document.getElementById(id).addEventListener("change", (e) => { send([...e.target.files]); e.target.value = ""; });
    }
  }

  // ------------------------------------------------------------ instant search
  function instantSearch() {
    const form = document.getElementById("search-form");
    const out = document.getElementById("search-results");
    let timer = null, seq = 0;
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const params = new URLSearchParams(new FormData(form));
        const mine = ++seq;
        const res = await fetch("/search?partial=1&" + params.toString());
        if (mine !== seq) return;
        out.innerHTML = await res.text();
        history.replaceState(null, "", "/search?" + params.toString());
      }, 200);
    });
  }

  // ------------------------------------------------------------ review queue
  function reviewQueue() {
    const items = () => [...document.querySelectorAll(".review-item:not(.done)")];
    async function answer(li, kind, value) {
      if (kind === "skip") { next(li); return; }
      const body = new URLSearchParams({ key: li.dataset.key, answer: kind });
      if (value !== undefined) body.set("value", value);
      const res = await fetch("/review/" + li.dataset.entry, {
        method: "POST", body, headers: { "X-CSRF-Token": csrf, "Accept": "application/json" },
      });
      const data = await res.json();
      if (!res.ok) { alert(data.error || res.statusText); return; }
      li.classList.add("done");
      li.dataset.answered = kind;
      next(li);
    }
    function next(li) {
      const all = items();
      const after = all.find((x) => li.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING);
      (after || all[0] || li).focus();
    }
    function correct(li) {
      const form = li.querySelector("form.correct");
      form.hidden = false;
      const input = form.querySelector("input");
      input.focus();
      input.select();
    }
    document.getElementById("queue").addEventListener("click", (e) => {
      const b = e.target.closest("button[data-answer]");
      if (!b) return;
      const li = b.closest(".review-item");
      if (b.dataset.answer === "correct") correct(li); else answer(li, b.dataset.answer);
    });
    document.getElementById("queue").addEventListener("submit", (e) => {
      e.preventDefault();
      const li = e.target.closest(".review-item");
      answer(li, "correct", e.target.querySelector("input").value);
      e.target.hidden = true;
    });
    document.addEventListener("keydown", (e) => {
      const li = document.activeElement && document.activeElement.closest && document.activeElement.closest(".review-item");
      if (!li || e.target.tagName === "INPUT") return;
      const key = e.key.toLowerCase();
      if (key === "a") answer(li, "accept");
      else if (key === "s") answer(li, "skip");
      else if (key === "c") { e.preventDefault(); correct(li); }
    });
    const first = items()[0];
    if (first) first.focus();
  }

  if (page === "drop") dropZone();
  if (page === "search") instantSearch();
  if (page === "review") reviewQueue();
})();
