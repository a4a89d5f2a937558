/* Coverage pages (issue #15): the 12-month trend and the choropleth map, drawn offline with the vendored
   ECharts (no tiles, no CDN). The data come as JSON in the page (json_script); the tables beside them say the
   same in words for readers without JavaScript or a screen. */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    if (typeof echarts === "undefined") { return; }
    var charts = [];
    var trend = data("trend-data"), box = document.getElementById("trend-chart");
    if (trend && box) {
      var chart = echarts.init(box, null, { renderer: "canvas" });
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 12, top: 32, bottom: 28 },
        xAxis: { type: "category", data: trend.months },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: trend.labels.covered, type: "bar", data: trend.covered, itemStyle: { color: "#0b6e4f" } },
          { name: trend.labels.members, type: "line", data: trend.members, itemStyle: { color: "#3182bd" } },
          { name: trend.labels.registered, type: "line", data: trend.registered, itemStyle: { color: "#999" } }
        ]
      });
      charts.push(chart);
    }
    var geo = data("map-data"), mapBox = document.getElementById("coverage-map");
    if (geo && mapBox) {
      fetch(geo.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (shapes) {
        shapes.features.forEach(function (f) { f.properties.name = String(f.id); });
        echarts.registerMap("jaring", shapes);
        var names = {};
        geo.figures.forEach(function (f) { names[f.name] = f.label; });
        var map = echarts.init(mapBox, null, { renderer: "canvas" });
        map.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var v = p.value === undefined || p.value === null || isNaN(p.value) ? "—" : p.value.toFixed(2) + " %";
              return (names[p.name] || p.name) + ": " + v;
            }
          },
          visualMap: { min: 0, max: Math.max(1, Math.ceil(Math.max.apply(null, geo.figures.map(function (f) { return f.value || 0; })))),
                       left: 0, bottom: 0, calculable: false, orient: "horizontal",
                       inRange: { color: ["#deebf7", "#9ecae1", "#3182bd", "#08519c"] }, text: ["%", "0"] },
          series: [{ type: "map", map: "jaring", roam: true, nameProperty: "name",
                     label: { show: false }, emphasis: { label: { show: false } },
                     data: geo.figures.map(function (f) { return { name: f.name, value: f.value }; }) }]
        });
        map.on("click", function (p) { if (p.name) { window.location.href = geo.link + encodeURIComponent(p.name); } });
        mapBox.setAttribute("data-drawn", String(shapes.features.length));
        charts.push(map);
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
