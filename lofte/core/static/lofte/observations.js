// The reporters' form keeps working without a connection: a report is kept on the phone with its
// own Idempotency-Key and sent to the API when the phone is online again; the API stores it once
// however often it arrives. Without scripts the form posts to the page as usual.
(function () {
  const QUEUE = "lofte-observations";

  function queued() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }

  function keep(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }

  function key() {
    return (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2));
  }

  function csrf(form) { return form.querySelector("[name=csrfmiddlewaretoken]").value; }

  function say(text) {
    const status = document.getElementById("observation-queue");
    status.textContent = text;
    status.hidden = !text;
  }

  function waiting() {
    const status = document.getElementById("observation-queue");
    const n = queued().length;
    if (!n) return "";
    return n === 1 ? status.dataset.waitingOne : status.dataset.waitingMany.replace("{n}", n);
  }

  // Sends what waits, oldest first; stops at the first that cannot be sent now. Returns the problems
  // the server named for reports it refused (those leave the queue: sending again would not help).
  async function send(form) {
    const refused = [];
    for (const item of queued()) {
      let answer;
      try {
        answer = await fetch(form.dataset.api, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Idempotency-Key": item.key, "X-CSRFToken": csrf(form) },
          body: JSON.stringify(item.body),
        });
      } catch (offline) { break; }
      if (answer.status >= 500 || answer.status === 401 || answer.status === 403) break;
      keep(queued().filter((other) => other.key !== item.key));
      if (!answer.ok) {
        const problem = await answer.json().catch(() => ({}));
        refused.push(((problem.errors || [])[0] || {}).message || problem.detail || String(answer.status));
      }
    }
    return refused;
  }

  function body(form) {
    const data = new FormData(form);
    const value = (name) => (data.get(name) || "").toString().trim();
    const out = {
      organisation: Number(value("organisation")) || null, category: value("category"),
      occurred_on: value("occurred_on"), part_of_day: value("part_of_day"),
      count: Number(value("count")) || 1, description: value("description"),
    };
    if (value("place")) out.place = Number(value("place"));
    else if (value("lon") && value("lat")) { out.lon = Number(value("lon")); out.lat = Number(value("lat")); }
    return out;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-observation-form]");
    if (!form || !window.fetch || !window.localStorage) return;
    const locate = form.querySelector("[data-locate]");
    const position = form.querySelector("[data-position]");
    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", () => {
        position.textContent = locate.dataset.locating;
        navigator.geolocation.getCurrentPosition((where) => {
          form.querySelector("[name=lon]").value = where.coords.longitude.toFixed(6);
          form.querySelector("[name=lat]").value = where.coords.latitude.toFixed(6);
          form.querySelector("[name=place]").value = "";
          position.textContent = locate.dataset.located;
        }, () => { position.textContent = locate.dataset.failed; }, { enableHighAccuracy: true, timeout: 15000 });
      });
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      keep([...queued(), { key: key(), body: body(form) }]);
      const refused = await send(form);
      if (refused.length) { say(refused.join(" ")); return; }
      const left = waiting();
      say(left || document.getElementById("observation-queue").dataset.sent);
      if (!left) {  // the page's list of the reporter's reports shows it after a reload
        sessionStorage.setItem(QUEUE + "-sent", "1");
        window.location.reload();
      }
    });
    window.addEventListener("online", () => send(form).then(() => say(waiting())));
    if (sessionStorage.getItem(QUEUE + "-sent")) {
      sessionStorage.removeItem(QUEUE + "-sent");
      say(document.getElementById("observation-queue").dataset.sent);
    }
    if (queued().length) send(form).then(() => say(waiting()));
  });
})();
