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
      if (anchorSelect && anchorSelect.value) params.set("anchor_source", anchorSelect.value);
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
  });
})();
