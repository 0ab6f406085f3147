// The travellers' rows (one birth date each). Without JavaScript the page offers five rows and
// ignores the empty ones; with it, empty rows beyond the first are folded away, a button adds
// a row (up to data-max-rows) and each row can be removed. Delegated, so it keeps working
// after htmx swaps the quote panel.
(function () {
  var persianDigits = "۰۱۲۳۴۵۶۷۸۹";

  function fa(number) {
    return String(number).replace(/\d/g, function (d) { return persianDigits[d]; });
  }

  function rowsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[data-list-row]"));
  }

  function renumber(list) {
    var pattern = list.getAttribute("data-row-label") || "{n}";
    var rows = rowsOf(list);
    rows.forEach(function (row, index) {
      var label = pattern.replace("{n}", fa(index + 1));
      var input = row.querySelector("input");
      var id = input.id.replace(/_\d+$/, "_" + (index + 1));
      input.id = id;
      var labelEl = row.querySelector("[data-list-row-label]");
      labelEl.textContent = label;
      labelEl.setAttribute("for", id);
      var remove = row.querySelector("[data-list-row-remove]");
      remove.hidden = rows.length < 2;
      remove.setAttribute("aria-label", "حذف " + label);
    });
    var add = list.querySelector("[data-list-row-add]");
    var max = parseInt(list.getAttribute("data-max-rows"), 10) || 10;
    add.hidden = rows.length >= max;
  }

  function setUp(root) {
    (root || document).querySelectorAll("[data-list-rows]").forEach(function (list) {
      if (list.hasAttribute("data-list-ready")) return;
      list.setAttribute("data-list-ready", "");
      var rows = rowsOf(list);
      var lastFilled = -1;
      rows.forEach(function (row, index) { if (row.querySelector("input").value.trim()) lastFilled = index; });
      rows.forEach(function (row, index) { if (index > Math.max(lastFilled, 0)) row.remove(); });
      renumber(list);
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest && event.target.closest("[data-list-row-add]");
    var remove = event.target.closest && event.target.closest("[data-list-row-remove]");
    if (add) {
      var list = add.closest("[data-list-rows]");
      var rows = rowsOf(list);
      var copy = rows[rows.length - 1].cloneNode(true);
      var input = copy.querySelector("input");
      input.value = "";
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
      rows[rows.length - 1].after(copy);
      renumber(list);
      input.focus();
    } else if (remove) {
      var owner = remove.closest("[data-list-rows]");
      remove.closest("[data-list-row]").remove();
      renumber(owner);
    }
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSwap", function () { setUp(document); });
})();
