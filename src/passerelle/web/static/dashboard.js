// Dashboard charts with Plotly, from the figures the page carries as JSON and the words to
// print them with (in the page's language: series, lists, axes, days).
// On a touch screen Plotly's mode bar (zoom, pan, download...) is never shown: it would sit
// over the bars and take the taps meant for them. On a right-to-left page the charts read
// from the right: time runs right to left and the counts' axis stands on the right.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const words = JSON.parse(document.getElementById("dashboard-words").textContent);
  const rtl = document.documentElement.dir === "rtl";
  const touch = window.matchMedia("(pointer: coarse)").matches || window.matchMedia("(hover: none)").matches || navigator.maxTouchPoints > 0;
  const config = { displaylogo: false, responsive: true, displayModeBar: touch ? false : "hover" };
  const colours = { entry: "#1d4ed8", exit: "#64748b", clear: "#0b7a35", refer: "#b26a00", hit: "#b00020" };
  const said = (table, code) => (code in table ? table[code] : code);
  const axis = (title, extra) => Object.assign({ title: { text: title }, automargin: true }, extra || {});
  const layout = (x, y, extra) => Object.assign({
    margin: { t: 10, r: 10, b: 60, l: 50 },
    height: 300,
    legend: { orientation: "h", x: rtl ? 1 : 0, xanchor: rtl ? "right" : "left" },
    xaxis: axis(x, rtl ? { autorange: "reversed" } : {}),
    yaxis: axis(y, rtl ? { side: "right" } : {}),
    hoverlabel: { align: rtl ? "right" : "left" },
  }, extra || {});
  const bar = (name, x, y, colour) => ({
    type: "bar", name: name, x: x, y: y, marker: { color: colour },
    hovertemplate: "%{x}<br>" + (name ? name + ": " : "") + "%{y}<extra></extra>",
  });

  const perDay = data.crossings_per_day;
  Plotly.newPlot("chart-crossings-day", Object.entries(perDay.series).map(([code, counts]) => (
    bar(said(words.series, code), words.days, counts, colours[code]))),
    layout(words.day, words.crossings, { barmode: "stack" }), config);

  const points = data.crossings_per_point;
  const pointNames = points.map((p) => p.crossing_point);
  Plotly.newPlot("chart-crossings-point", [
    bar(words.series.entry, pointNames, points.map((p) => p.entries), colours.entry),
    bar(words.series.exit, pointNames, points.map((p) => p.exits), colours.exit),
  ], layout(words.crossing_point, words.crossings, { barmode: "stack" }), config);

  const hits = data.hits_by_source;
  Plotly.newPlot("chart-hits", [bar(words.hits, hits.map((h) => said(words.sources, h.label)), hits.map((h) => h.count), "#b00020")],
    layout(words.list, words.hits, { showlegend: false }), config);

  const nations = data.top_nationalities.slice().reverse();
  Plotly.newPlot("chart-nationalities", [{
    type: "bar", orientation: "h", name: words.count, y: nations.map((n) => n.label), x: nations.map((n) => n.count),
    marker: { color: "#334155" }, hovertemplate: "%{y}: %{x}<extra></extra>",
  }], layout(words.count, words.nationality, {
    margin: { t: 10, r: 10, b: 40, l: 60 }, showlegend: false,
    xaxis: axis(words.count, rtl ? { autorange: "reversed" } : {}),
  }), config);

  const rates = data.false_positive_rates.filter((r) => r.reviewed > 0 || r.hits > 0);
  const phrase = (r) => words.of.replace("%(false_positives)s", r.false_positives).replace("%(reviewed)s", r.reviewed);
  const listName = (r) => (r.category ? said(words.sources, r.source) + " · " + said(words.categories, r.category) : said(words.sources, r.source));
  Plotly.newPlot("chart-false-positives", [{
    type: "bar",
    x: rates.map(listName),
    y: rates.map((r) => (r.rate === null ? 0 : r.rate * 100)),
    text: rates.map(phrase),
    textposition: "outside",
    marker: { color: "#b26a00" },
    hovertemplate: "%{x}<br>%{text}<extra></extra>",
  }], layout(words.list, words.share, { showlegend: false, yaxis: axis(words.share, Object.assign({ range: [0, 110] }, rtl ? { side: "right" } : {})) }), config);

  const inspections = data.inspections_per_day;
  Plotly.newPlot("chart-inspections", Object.entries(inspections.series).map(([code, counts]) => (
    bar(said(words.series, code), words.days, counts, colours[code]))),
    layout(words.day, words.inspections, { barmode: "stack" }), config);
});
