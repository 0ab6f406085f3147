// Draws the staff dashboard charts from the JSON the page embeds (no inline script: CSP).
(function () {
  var node = document.getElementById("marketplace-stats");
  if (!node || typeof Chart === "undefined") return;
  var stats = JSON.parse(node.textContent);
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  new Chart(document.getElementById("requests-chart"), {
    type: "line",
    data: { labels: stats.days, datasets: [{ label: "درخواست", data: stats.requests_per_day, borderColor: "#0d6efd", tension: 0.2 }] },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  new Chart(document.getElementById("insurers-chart"), {
    type: "bar",
    data: {
      labels: stats.insurers,
      datasets: [
        { label: "اعلام آمادگی", data: stats.responses_per_insurer, backgroundColor: "#6ea8fe" },
        { label: "پذیرش", data: stats.acceptances_per_insurer, backgroundColor: "#198754" }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
