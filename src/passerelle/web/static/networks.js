// The networks page's graph view (cytoscape.js, served by the node): the persons and links
// the page's tables list, drawn; a click on a person expands them, on a link opens its
// records (the same URLs as the tables' links). Without cytoscape.js the tables remain.
(function () {
  "use strict";
  const data = document.getElementById("network-data");
  const box = document.getElementById("network-graph");
  if (!data || !box || typeof window.cytoscape !== "function") {
    return;
  }
  const graph = JSON.parse(data.textContent);
  const colours = {
    co_travel_vehicle: "#b91c1c",
    co_travel_time: "#1d4ed8",
    shared_document: "#7c3aed",
    shared_address: "#047857",
    shared_phone: "#0f766e",
    same_party: "#a16207",
    same_alert: "#be185d",
    same_case: "#374151",
  };
  const elements = graph.persons.map(function (p) {
    return { data: { id: p.key, label: p.label, href: p.expand, weight: p.links } };
  }).concat(graph.links.map(function (l) {
    return {
      data: {
        id: l.id, source: l.source, target: l.target, href: l.records,
        colour: colours[l.kind] || "#6b7280", width: Math.min(2 + l.occasions, 9),
        title: l.kind_label + ": " + l.reason,
      },
    };
  }));
  const network = window.cytoscape({
    container: box,
    elements: elements,
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000 },
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "background-color": "#1f2937",
        "color": "#111827", "text-valign": "bottom", "text-margin-y": 4,
        "width": "mapData(weight, 1, 12, 14, 34)", "height": "mapData(weight, 1, 12, 14, 34)",
      } },
      { selector: "edge", style: {
        "line-color": "data(colour)", "width": "data(width)", "curve-style": "bezier",
      } },
    ],
  });
  network.on("tap", "node, edge", function (event) {
    window.location.href = event.target.data("href");
  });
  window.passerelleNetwork = network;
})();
