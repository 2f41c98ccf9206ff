(function () {
  "use strict";
  var table = document.getElementById("posts");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var counter = document.getElementById("shown-count");
  var noMatch = document.getElementById("no-match");
  var rows = body.querySelectorAll("tr.post-row");
  var items = [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    items.push({
      row: r,
      order: i,
      band: r.getAttribute("data-band"),
      phase: r.getAttribute("data-phase"),
      channel: r.getAttribute("data-channel"),
      flags: " " + r.getAttribute("data-flags") + " ",
      cats: " " + (r.getAttribute("data-categories") || "") + " ",
      score: Number(r.getAttribute("data-score")),
      date: r.getAttribute("data-date") || "",
      text: null
    });
  }

  function value(name) { return form.elements[name] ? form.elements[name].value : ""; }

  function matches(it, f) {
    if (f.band && it.band !== f.band) { return false; }
    if (f.phase && it.phase !== f.phase) { return false; }
    if (f.channel && (f.channel === "__none" ? it.channel !== "" : it.channel !== f.channel)) { return false; }
    if (f.flag === "__any") { if (!it.flags.trim()) { return false; } }
    else if (f.flag === "__none") { if (it.flags.trim()) { return false; } }
    else if (f.flag && it.flags.indexOf(" " + f.flag + " ") < 0) { return false; }
    if (f.category && it.cats.indexOf(" " + f.category + " ") < 0) { return false; }
    if (f.q) {
      if (it.text === null) { it.text = it.row.textContent.toLowerCase(); }
      if (it.text.indexOf(f.q) < 0) { return false; }
    }
    return true;
  }

  function applyFilters() {
    var f = {
      band: value("band"), phase: value("phase"), channel: value("channel"),
      flag: value("flag"), category: value("category"), q: value("q").trim().toLowerCase()
    };
    var shown = 0;
    for (var k = 0; k < items.length; k++) {
      var ok = matches(items[k], f);
      if (items[k].row.hidden === ok) { items[k].row.hidden = !ok; }
      if (ok) { shown++; }
    }
    if (counter) { counter.textContent = shown.toLocaleString("en"); }
    if (noMatch) { noMatch.hidden = shown > 0 || items.length === 0; }
  }

  function byDate(dir) {
    return function (a, b) {
      if (a.date === b.date) { return a.order - b.order; }
      if (!a.date) { return 1; }
      if (!b.date) { return -1; }
      return (a.date < b.date ? -1 : 1) * dir;
    };
  }
  var sorters = {
    "input": function (a, b) { return a.order - b.order; },
    "score-asc": function (a, b) { return a.score - b.score || a.order - b.order; },
    "score-desc": function (a, b) { return b.score - a.score || a.order - b.order; },
    "date-asc": byDate(1),
    "date-desc": byDate(-1)
  };

  function applySort() {
    var key = value("sort") || "input";
    var sorted = items.slice().sort(sorters[key] || sorters.input);
    var frag = document.createDocumentFragment();
    for (var k = 0; k < sorted.length; k++) { frag.appendChild(sorted[k].row); }
    body.appendChild(frag);
    var heads = table.querySelectorAll("th[aria-sort]");
    for (var h = 0; h < heads.length; h++) {
      var button = heads[h].querySelector("[data-sort]");
      var col = button ? button.getAttribute("data-sort") : "";
      var state = "none";
      if (key === col + "-asc") { state = "ascending"; }
      if (key === col + "-desc") { state = "descending"; }
      heads[h].setAttribute("aria-sort", state);
    }
  }

  var timer = null;
  form.addEventListener("input", function (event) {
    if (event.target && event.target.name === "q") {
      clearTimeout(timer);
      timer = setTimeout(applyFilters, 120);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "sort") { applySort(); } else { applyFilters(); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { applySort(); applyFilters(); }, 0);
  });

  table.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-sort]") : null;
    if (!button) { return; }
    var col = button.getAttribute("data-sort");
    var current = value("sort");
    var next = col === "score"
      ? (current === "score-asc" ? "score-desc" : "score-asc")
      : (current === "date-asc" ? "date-desc" : "date-asc");
    form.elements.sort.value = next;
    applySort();
  });

  function chartFilter(target) {
    var el = target.closest ? target.closest("[data-filter-flag], [data-filter-category]") : null;
    if (!el) { return false; }
    var name = el.hasAttribute("data-filter-flag") ? "flag" : "category";
    var select = form.elements[name];
    var wanted = el.getAttribute("data-filter-" + name);
    var known = false;
    for (var k = 0; select && k < select.options.length; k++) {
      if (select.options[k].value === wanted) { known = true; }
    }
    if (!known) { return false; }
    form.reset();
    setTimeout(function () {
      select.value = wanted;
      applySort();
      applyFilters();
      form.scrollIntoView({ behavior: "smooth", block: "start" });
    }, 0);
    return true;
  }
  document.addEventListener("click", function (event) { chartFilter(event.target); });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && chartFilter(event.target)) { event.preventDefault(); }
  });

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^post-\d+$/.test(id)) { return; }
    var row = document.getElementById(id);
    if (!row) { return; }
    if (row.hidden) { form.reset(); applySort(); applyFilters(); }
    var details = row.querySelector("details");
    if (details) { details.open = true; }
    row.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", openTarget);
  if (location.hash) { openTarget(); }

  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    for (var k = 0; k < items.length; k++) {
      var it = items[k];
      if (it.row.hidden || it.band === "publish") { continue; }
      var d = it.row.querySelector("details");
      if (d && !d.open) { d.open = true; openedForPrint.push(d); }
    }
  });
  window.addEventListener("afterprint", function () {
    for (var k = 0; k < openedForPrint.length; k++) { openedForPrint[k].open = false; }
    openedForPrint = [];
  });
})();
