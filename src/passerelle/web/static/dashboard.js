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
    margin: { t: 30, r: rtl ? 50 : 10, b: 60, l: rtl ? 10 : 50 },
    height: 300,
    legend: { orientation: "h", x: rtl ? 1 : 0, xanchor: rtl ? "right" : "left", y: 1.02, yanchor: "bottom" },
    xaxis: axis(x, rtl ? { autorange: "reversed" } : {}),
    yaxis: axis(y, rtl ? { side: "right" } : {}),
    hoverlabel: { align: rtl ? "right" : "left" },
  }, extra || {});
  const bar = (name, x, y, colour) => ({
    type: "bar", name: name, x: x, y: y, marker: { color: colour },
    hovertemplate: "%{x}<br>" + (name ? name + ": " : "") + "%{y}<extra></extra>",
  });

  // The days name themselves (weekday and month in the page's language): no axis title
  // under their slanted labels, the word "day" is in the hover text.
  const days = (y, extra) => layout("", y, Object.assign({
    xaxis: { automargin: true, nticks: 10, autorange: rtl ? "reversed" : true },
  }, extra));
  const daily = (name, counts, colour) => Object.assign(bar(name, words.days, counts, colour), {
    hovertemplate: words.day + ": %{x}<br>" + name + ": %{y}<extra></extra>",
  });

  const perDay = data.crossings_per_day;
  Plotly.newPlot("chart-crossings-day", Object.entries(perDay.series).map(([code, counts]) => (
    daily(said(words.series, code), counts, colours[code]))),
    days(words.crossings, { barmode: "stack" }), config);

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
    margin: { t: 10, r: rtl ? 60 : 10, b: 40, l: rtl ? 10 : 60 }, showlegend: false,
    xaxis: axis(words.count, rtl ? { autorange: "reversed" } : {}),
  }), config);

  const rates = data.false_positive_rates.filter((r) => r.reviewed > 0 || r.hits > 0);
  // "3 of 40" inside the chart's left-to-right drawing: a right-to-left isolate on Arabic pages
  const isolated = (text) => (rtl ? "\u2067" + text + "\u2069" : text);
  const phrase = (r) => isolated(words.of.replace("%(false_positives)s", r.false_positives).replace("%(reviewed)s", r.reviewed));
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
    daily(said(words.series, code), counts, colours[code]))),
    days(words.inspections, { barmode: "stack" }), config);
});
