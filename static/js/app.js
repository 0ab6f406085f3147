// Persian and Arabic-Indic digits typed into numeric fields become Latin before submit,
// so browsers' own validation (pattern, inputmode) accepts them.
(function () {
  var map = { "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9" };
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input[data-latin-digits]")) return;
    var converted = el.value.replace(/[۰-۹٠-٩]/g, function (d) { return map[d]; });
    if (converted !== el.value) el.value = converted;
  });
})();

// htmx does not swap error responses: a 429's alert is shown above the part that asked.
document.addEventListener("htmx:responseError", function (event) {
  var xhr = event.detail.xhr;
  if (!xhr || xhr.status !== 429 || !event.detail.target) return;
  var previous = document.getElementById("rate-limited");
  if (previous) previous.remove();
  event.detail.target.insertAdjacentHTML("beforebegin", xhr.responseText);
});

// A form with data-ask="question" asks first (one tap on a phone must not cancel a request by
// mistake). Not data-confirm: policies/policy_form.js uses that for its summary modal.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-ask");
  if (message && !window.confirm(message)) event.preventDefault();
});

// An amount typed in toman shows, under its field, the rial the form will send
// (input[data-rial-preview="<id of the line>"]; the server renders the first value).
document.addEventListener("input", function (event) {
  var el = event.target;
  var target = el.getAttribute && el.getAttribute("data-rial-preview");
  if (!target) return;
  var line = document.getElementById(target);
  if (!line) return;
  var digits = el.value.replace(/[۰-۹]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".indexOf(d); })
    .replace(/[٠-٩]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩".indexOf(d); })
    .replace(/[,\s_٬،']/g, "");
  if (!/^\d+$/.test(digits) || /^0+$/.test(digits)) { line.textContent = ""; return; }
  var rial = (digits.replace(/^0+/, "") + "0").replace(/\B(?=(\d{3})+(?!\d))/g, "٬")
    .replace(/\d/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  line.textContent = "مبلغی که فرستاده می‌شود: " + rial + " ریال";
});
