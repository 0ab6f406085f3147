// Draws the staff dashboard charts from the JSON the page embeds (no inline script: CSP).
(function () {
  var node = document.getElementById("marketplace-stats");
  if (!node || typeof Chart === "undefined") return;
  var stats = JSON.parse(node.textContent);
  var FA = "۰۱۲۳۴۵۶۷۸۹";
  function fa(text) { return String(text).replace(/[0-9]/g, function (d) { return FA[d]; }); }
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  // Numbers on axes and tooltips in Persian digits, like the rest of the admin's figures.
  Chart.defaults.locale = "fa-IR";
  // (Chart.js writes a zero tick as "0" whatever the locale, hence the callback.)
  var counts = { y: { beginAtZero: true, ticks: { precision: 0, callback: function (value) { return fa(value); } } } };
  new Chart(document.getElementById("requests-chart"), {
    type: "line",
    data: { labels: stats.days.map(fa), datasets: [{ label: "درخواست", data: stats.requests_per_day, borderColor: "#0d6efd", tension: 0.2 }] },
    options: { maintainAspectRatio: false, scales: counts }
  });
  if (!stats.insurers.length) {
    document.getElementById("insurers-empty").hidden = false;
    document.getElementById("insurers-chart").parentNode.hidden = true;
    return;
  }
  new Chart(document.getElementById("insurers-chart"), {
    type: "bar",
    data: {
      labels: stats.insurers,
      datasets: [
        { label: "اعلام آمادگی", data: stats.responses_per_insurer, backgroundColor: "#6ea8fe" },
        { label: "پذیرش", data: stats.acceptances_per_insurer, backgroundColor: "#198754" }
      ]
    },
    options: { maintainAspectRatio: false, scales: counts }
  });
})();
