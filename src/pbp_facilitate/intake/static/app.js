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
