// The quote results' filter and sort bar (issue 14 point 10), applied in the page at once.
// Without this script the bar is a plain GET form that the server answers the same way
// (pricing/results.py); with it, no round trip. Delegated on document so that it keeps
// working after htmx swaps the results panel in.
(function () {
  var persian = "۰۱۲۳۴۵۶۷۸۹";

  function toPersian(number) {
    return String(number).replace(/[0-9]/g, function (d) { return persian[d]; });
  }

  // As pricing.results.normalize_name: Arabic ي/ك as Persian ی/ک, no half-space, lower case.
  function normalize(text) {
    return String(text || "").replace(/ي/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, " ")
      .toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function apply(form) {
    var list = document.getElementById("quote-results");
    if (!list) return;
    var needle = normalize(form.elements.insurer_q ? form.elements.insurer_q.value : "");
    var onlyInstallments = form.elements.only_installments && form.elements.only_installments.checked;
    var noInspection = form.elements.no_inspection && form.elements.no_inspection.checked;
    var sort = form.elements.sort ? form.elements.sort.value : "price";
    var cards = Array.prototype.slice.call(list.querySelectorAll(".quote-card"));
    cards.forEach(function (card, index) { if (!card.dataset.order) card.dataset.order = index; });
    cards.sort(function (a, b) {
      if (sort === "name") return normalize(a.dataset.name).localeCompare(normalize(b.dataset.name), "fa");
      var difference = Number(a.dataset.price) - Number(b.dataset.price);
      if (sort === "-price") difference = -difference;
      return difference || Number(a.dataset.order) - Number(b.dataset.order);
    });
    var shown = 0;
    cards.forEach(function (card) {
      var kept = (!needle || normalize(card.dataset.name).indexOf(needle) !== -1)
        && (!onlyInstallments || card.dataset.sellsInstallments === "1")
        && (!noInspection || card.dataset.inspection !== "1");
      card.hidden = !kept;
      if (kept) shown += 1;
      var rank = card.querySelector(".quote-rank");
      if (rank) rank.textContent = kept ? toPersian(shown) : "";
      list.appendChild(card);
    });
    var count = document.getElementById("quote-filter-shown");
    if (count) count.textContent = toPersian(shown);
    var empty = document.getElementById("quote-filter-empty");
    if (empty) empty.hidden = shown > 0;
    var label = document.getElementById("quote-sort-label");
    if (label && form.elements.sort) label.textContent = form.elements.sort.selectedOptions[0].textContent;
    // The address says what is shown, so the filtered list can be shared as it is.
    if (window.history && window.URLSearchParams) {
      var query = new URLSearchParams(new FormData(form)).toString();
      window.history.replaceState(window.history.state, "", form.getAttribute("action") + "?" + query);
    }
  }

  function barOf(target) {
    return target && target.closest ? target.closest("#quote-filter") : null;
  }

  document.addEventListener("input", function (event) {
    var form = barOf(event.target);
    if (form) apply(form);
  });
  document.addEventListener("change", function (event) {
    var form = barOf(event.target);
    if (form) apply(form);
  });
  document.addEventListener("submit", function (event) {
    if (event.target.id !== "quote-filter") return;
    event.preventDefault();
    apply(event.target);
  });
})();
