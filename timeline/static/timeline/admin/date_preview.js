// Live preview of how the fuzzy-date module reads the date the editor is typing.
// The server does the reading (/api/dates/parse/), so the preview and the saved value never disagree.
(function () {
  "use strict";
  const ENDPOINT = "/api/dates/parse/";

  function describe(d) {
    const bounds = (d.earliest || "…") + " – " + (d.latest || "…");
    const flags = [d.approximate ? "approximate" : "", d.uncertain ? "uncertain" : ""].filter(Boolean).join(", ");
    return `${d.label} · ${bounds} · ${d.precision}${flags ? " (" + flags + ")" : ""} · EDTF ${d.edtf}`;
  }

  // With no date anchor chosen, the form anchors a relative date on the cited source when the
  // citations inline cites exactly one (EventAdminForm); the preview reads it the same way.
  function citedSource() {
    const ids = new Set();
    document.querySelectorAll('select[name^="citations-"][name$="-source"]').forEach(function (select) {
      if (!select.value || select.name.includes("__prefix__")) return;
      const deleted = document.querySelector('input[name="' + select.name.replace(/-source$/, "-DELETE") + '"]');
      if (deleted && deleted.checked) return;
      ids.add(select.value);
    });
    return ids.size === 1 ? ids.values().next().value : "";
  }

  const refreshers = [];

  function attach(input, anchorSelect) {
    if (!input) return;
    const out = document.createElement("div");
    out.className = "help date-preview";
    out.setAttribute("aria-live", "polite");
    out.dataset.previewFor = input.id;
    input.insertAdjacentElement("afterend", out);
    let timer = null;
    let seq = 0;

    async function update() {
      const text = input.value.trim();
      if (!text) { out.textContent = ""; return; }
      const params = new URLSearchParams({ text });
      const anchor = anchorSelect ? anchorSelect.value || citedSource() : "";
      if (anchor) params.set("anchor_source", anchor);
      const mine = ++seq;
      try {
        const response = await fetch(ENDPOINT + "?" + params, { headers: { Accept: "application/json" } });
        const body = await response.json();
        if (mine !== seq) return; // a newer keystroke already answered
        if (response.ok) {
          out.textContent = "→ " + describe(body);
          out.style.color = "";
        } else {
          out.textContent = "✗ " + Object.values(body).flat().join("; ");
          out.style.color = "#ba2121";
        }
      } catch (err) {
        out.textContent = "";
      }
    }

    const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 200); };
    if (anchorSelect) refreshers.push(schedule);
    input.addEventListener("input", schedule);
    if (anchorSelect) {
      anchorSelect.addEventListener("change", schedule);
      // The autocomplete widget (select2) announces changes through jQuery only.
      if (window.django && window.django.jQuery) window.django.jQuery(anchorSelect).on("change", schedule);
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const anchor = document.getElementById("id_date_anchor");
    attach(document.getElementById("id_date_text"), anchor);
    attach(document.getElementById("id_end_text"), anchor);
    attach(document.getElementById("id_published_text"), null);
    // A citation's source chosen, changed or its row deleted can change the anchor.
    const isCitationInput = (el) => /^citations-\d+-(source|DELETE)$/.test(el.name || "");
    const refresh = (event) => { if (isCitationInput(event.target)) refreshers.forEach((f) => f()); };
    document.addEventListener("change", refresh);
    if (window.django && window.django.jQuery) window.django.jQuery(document).on("change", "select", refresh);
  });
})();
