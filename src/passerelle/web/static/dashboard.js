// Dashboard charts with Plotly, from the figures the page carries as JSON.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const layout = (extra) => Object.assign({ margin: { t: 10, r: 10, b: 60, l: 50 }, height: 300, legend: { orientation: "h" } }, extra || {});
  const config = { displaylogo: false, responsive: true };
  const colours = { entry: "#1d4ed8", exit: "#64748b", clear: "#0b7a35", refer: "#b26a00", hit: "#b00020" };

  const perDay = data.crossings_per_day;
  Plotly.newPlot("chart-crossings-day", Object.entries(perDay.series).map(([label, counts]) => (
    { type: "bar", name: label, x: perDay.days, y: counts, marker: { color: colours[label] } })),
    layout({ barmode: "stack" }), config);

  const points = data.crossings_per_point;
  Plotly.newPlot("chart-crossings-point", [
    { type: "bar", name: "entries", x: points.map((p) => p.crossing_point), y: points.map((p) => p.entries), marker: { color: colours.entry } },
    { type: "bar", name: "exits", x: points.map((p) => p.crossing_point), y: points.map((p) => p.exits), marker: { color: colours.exit } },
  ], layout({ barmode: "stack" }), config);

  const hits = data.hits_by_source;
  Plotly.newPlot("chart-hits", [{ type: "bar", x: hits.map((h) => h.label), y: hits.map((h) => h.count), marker: { color: "#b00020" } }], layout(), config);

  const nations = data.top_nationalities.slice().reverse();
  Plotly.newPlot("chart-nationalities", [{ type: "bar", orientation: "h", y: nations.map((n) => n.label), x: nations.map((n) => n.count), marker: { color: "#334155" } }], layout({ margin: { t: 10, r: 10, b: 40, l: 60 } }), config);

  const rates = data.false_positive_rates.filter((r) => r.reviewed > 0 || r.hits > 0);
  Plotly.newPlot("chart-false-positives", [{
    type: "bar",
    x: rates.map((r) => r.category ? r.source + " · " + r.category : r.source),
    y: rates.map((r) => (r.rate === null ? 0 : r.rate * 100)),
    text: rates.map((r) => r.phrase),
    textposition: "outside",
    marker: { color: "#b26a00" },
  }], layout({ yaxis: { title: "% of reviewed hits", range: [0, 110] } }), config);

  const inspections = data.inspections_per_day;
  Plotly.newPlot("chart-inspections", Object.entries(inspections.series).map(([label, counts]) => (
    { type: "bar", name: label, x: inspections.days, y: counts, marker: { color: colours[label] } })),
    layout({ barmode: "stack" }), config);
});
