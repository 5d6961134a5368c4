// Optional enhancement: a live character counter. Pages work fully without it.
(function () {
  "use strict";
  function count(s) { return Array.from(s.replace(/\r\n/g, "\n").normalize("NFC")).length; }
  document.querySelectorAll("textarea[data-limit]").forEach(function (ta) {
    var out = document.getElementById(ta.id.replace("text-", "count-"));
    if (!out) return;
    var limit = parseInt(ta.getAttribute("data-limit"), 10);
    var tpl = ta.getAttribute("data-count-template") || "{count} / " + limit;
    var last = -1;
    function update() {
      var n = count(ta.value);
      if (n === last) return;
      last = n;
      out.textContent = tpl.replace("{count}", String(n));
      out.classList.toggle("over", n > limit);
    }
    out.hidden = false;
    ta.addEventListener("input", update);
    update();
  });
}());

// Optional enhancement: follow the facilitator. The page polls a tiny state token and reloads
// when prompts open or close or a voting round starts; drafts survive the reload (sessionStorage).
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) return;
  var url = live.getAttribute("data-state-url");
  var state = live.getAttribute("data-state");
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  var prefix = "pbp-draft:" + url + ":";
  document.querySelectorAll("form.idea").forEach(function (form) {
    var ta = form.querySelector("textarea[name=text]");
    var pid = form.querySelector("input[name=prompt_id]");
    if (!ta || !pid || !store) return;
    var key = prefix + pid.value;
    if (!ta.value && store.getItem(key)) {
      ta.value = store.getItem(key);
      ta.dispatchEvent(new Event("input"));
    }
    ta.addEventListener("input", function () { store.setItem(key, ta.value); });
    form.addEventListener("submit", function () { store.removeItem(key); });
  });
  function reload() {
    var params = new URLSearchParams(window.location.search);
    ["saved", "voted", "note"].forEach(function (k) { params.delete(k); });
    var q = params.toString();
    window.location.replace(window.location.pathname + (q ? "?" + q : ""));
  }
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && d.state && d.state !== state) { reload(); } })
      .catch(function () { /* offline for a moment: try again next tick */ })
      .then(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
}());
