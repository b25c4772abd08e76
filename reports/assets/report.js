// smtpspec HTML report: filters, expand/collapse, and the packed bodies
// of closed results (reports/html_pack.py). Inlined into the page; the
// filter state lives in the URL fragment so a filtered view can be
// shared: #verdict=FAILED,ERROR&tag=wire&rfc=5321:4.1&q=bare
(function () {
  "use strict";
  var results = Array.prototype.slice.call(document.querySelectorAll(".result"));
  var rows = Array.prototype.slice.call(document.querySelectorAll(".matrix tbody tr"));
  var squares = Array.prototype.slice.call(document.querySelectorAll("#overview .gc"));
  var chips = Array.prototype.slice.call(document.querySelectorAll(".chip"));
  var tagSelect = document.getElementById("filter-tag");
  var rfcSelect = document.getElementById("filter-rfc");
  var search = document.getElementById("filter-q");
  var state = { verdicts: [], tag: "", rfc: "", q: "" };
  var note = document.getElementById("packed-note");
  if (note) note.hidden = true;

  // What the search box looks in: the summary's id, title and target, and
  // the card's data-search (reason, rules, findings).
  var haystack = {};
  results.forEach(function (el) {
    haystack[el.id] = ["sid", "stitle", "starget"].map(function (cls) {
      var part = el.querySelector("summary ." + cls);
      return part ? part.textContent : "";
    }).join(" ").toLowerCase() + " " + el.getAttribute("data-search");
  });

  // The packed bodies, {element id: HTML made and escaped by the report
  // generator}, unpacked once, on first use.
  var bodies = null;
  function unpack() {
    if (bodies) return bodies;
    var template = document.getElementById("packed");
    if (!template) {
      bodies = Promise.resolve({});
    } else if (typeof DecompressionStream === "undefined") {
      bodies = Promise.reject(new Error("this browser has no DecompressionStream"));
    } else {
      var text = atob(template.innerHTML.trim());
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bodies = new Response(stream).text().then(JSON.parse);
    }
    return bodies;
  }

  // Fills a card's packed body; resolves when it is there.
  function fill(card) {
    var body = card.querySelector(".rbody[data-packed]");
    if (!body) return Promise.resolve();
    return unpack().then(function (all) {
      if (!body.hasAttribute("data-packed")) return;
      body.innerHTML = all[card.id] || "";
      body.removeAttribute("data-packed");
    }, function (e) {
      body.firstChild.textContent = "The details of this result could not be " +
        "unpacked (" + e.message + "); the JSON run report has them.";
    });
  }
  results.forEach(function (el) {
    el.addEventListener("toggle", function () { if (el.open) fill(el); });
  });

  function readHash() {
    var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (hash && hash.indexOf("=") < 0) return hash;  // an anchor such as r-3
    state = { verdicts: [], tag: "", rfc: "", q: "" };
    hash.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) return;
      var key = part.slice(0, eq), value = part.slice(eq + 1);
      if (key === "verdict") {
        state.verdicts = value.split(",").filter(function (v) { return v; });
      } else if (key === "tag" || key === "rfc" || key === "q") {
        state[key] = value;
      }
    });
    return "";
  }

  function writeHash() {
    var parts = [];
    if (state.verdicts.length) parts.push("verdict=" + state.verdicts.join(","));
    if (state.tag) parts.push("tag=" + state.tag);
    if (state.rfc) parts.push("rfc=" + state.rfc);
    if (state.q) parts.push("q=" + state.q);
    var hash = parts.length ? "#" + encodeURI(parts.join("&")) : " ";
    history.replaceState(null, "", hash === " " ? window.location.pathname : hash);
  }

  // "5321:4.1" selects 5321:4.1 and every section inside it (5321:4.1.4),
  // but not 5321:4.10; "5321:" selects the whole RFC.
  function citesSection(el, want) {
    var refs = el.getAttribute("data-refs").trim().split(/\s+/);
    return refs.some(function (ref) {
      if (want.charAt(want.length - 1) === ":") return ref.indexOf(want) === 0;
      return ref === want || ref.indexOf(want + ".") === 0;
    });
  }

  function matches(el) {
    if (state.verdicts.length &&
        state.verdicts.indexOf(el.getAttribute("data-label")) < 0) return false;
    if (state.tag && el.getAttribute("data-tags").indexOf(" " + state.tag + " ") < 0) return false;
    if (state.rfc && !citesSection(el, state.rfc)) return false;
    if (state.q && haystack[el.id].indexOf(state.q.toLowerCase()) < 0) return false;
    return true;
  }

  function apply() {
    var shown = 0, visible = {};
    results.forEach(function (el) {
      var ok = matches(el);
      el.hidden = !ok;
      if (ok) { shown += 1; visible[el.id] = true; }
    });
    rows.forEach(function (row) {
      row.hidden = !row.getAttribute("data-results").split(" ").some(function (id) {
        return visible[id];
      });
    });
    // The overview's squares stay in place; those filtered out fade.
    squares.forEach(function (square) {
      square.classList.toggle("off", !visible[square.getAttribute("href").slice(1)]);
    });
    chips.forEach(function (chip) {
      var on = state.verdicts.indexOf(chip.getAttribute("data-verdict")) >= 0;
      chip.setAttribute("aria-pressed", on ? "true" : "false");
    });
    tagSelect.value = state.tag;
    rfcSelect.value = state.rfc;
    if (search.value !== state.q) search.value = state.q;
    document.getElementById("shown-count").textContent = String(shown);
    document.getElementById("no-match").hidden = shown !== 0;
    document.body.setAttribute("data-filtered", String(shown !== results.length));
  }

  function update() { writeHash(); apply(); }

  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      var v = chip.getAttribute("data-verdict");
      var i = state.verdicts.indexOf(v);
      if (i >= 0) state.verdicts.splice(i, 1); else state.verdicts.push(v);
      update();
    });
  });
  tagSelect.addEventListener("change", function () { state.tag = tagSelect.value; update(); });
  rfcSelect.addEventListener("change", function () { state.rfc = rfcSelect.value; update(); });
  search.addEventListener("input", function () { state.q = search.value; update(); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    state = { verdicts: [], tag: "", rfc: "", q: "" };
    update();
  });
  function openAll(open) {
    results.forEach(function (el) { if (!el.hidden) el.open = open; });
  }
  document.getElementById("expand-all").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { openAll(false); });

  function onHash() {
    var anchor = readHash();
    apply();
    if (!anchor) return;
    // A link into a result (from the overview, or a step: r-3-s-2): open
    // it, fill it if packed, and show the element.
    var card = document.getElementById(anchor.replace(/-s-\d+$/, ""));
    if (!card || !card.classList.contains("result")) return;
    if (card.hidden) {  // filtered out: drop the filters to show it
      state = { verdicts: [], tag: "", rfc: "", q: "" };
      apply();
    }
    card.open = true;
    fill(card).then(function () {
      var el = document.getElementById(anchor);
      if (el) el.scrollIntoView();
    });
  }
  window.addEventListener("hashchange", onHash);
  onHash();
})();
