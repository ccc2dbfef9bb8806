// 揭榜: charts. Each container [data-chart] names the <script type="application/json"> that holds its
// spec (templates/_charts.html, marketplace/charts.py): data, never code, so the Content-Security-Policy
// needs no inline script. Apache ECharts (static/vendor/echarts/) draws on a canvas; tooltips are drawn
// on it too (renderMode "richText"), since an HTML tooltip would carry style attributes the policy
// refuses. Charts follow the window's width.
(function () {
  "use strict";

  if (!window.echarts) { return; }
  var BRAND = "#b3261e";

  // The category axis's labels. A bar chart's categories are each one to name: every label shows,
  // wrapped to its bar's share of the width (on a phone, a few characters a line) — or, when the bars
  // are too many for a word beneath each (a union's thirty staff on a phone), turned upright. A line
  // over many dates shows the labels that fit.
  function categoryLabels(spec, width) {
    if (spec.kind !== "bar") { return { hideOverlap: true }; }
    var share = Math.floor(width / Math.max(spec.categories.length, 1)) - 12;
    if (share < 28) { return { interval: 0, rotate: 90 }; }
    return { interval: 0, rotate: 0, width: share, overflow: "break" };
  }

  function option(spec, font, width) {
    var legend = spec.series.length > 1;
    return {
      animation: false,  // the numbers, at once: nothing to wait for, nothing moving on a phone
      color: [BRAND, "#0a58ca", "#146c43", "#5c636a"],
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: legend ? { top: 0 } : { show: false },
      grid: { left: 8, right: 16, top: legend ? 36 : 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: categoryLabels(spec, width) },
      yAxis: { type: "value", min: 0, max: spec.y_max === null ? null : spec.y_max },
      series: spec.series.map(function (series) {
        return { name: series.name, type: spec.kind, data: series.data, connectNulls: false, symbolSize: 8 };
      })
    };
  }

  var font = window.getComputedStyle(document.body).fontFamily;
  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (container) {
    var data = document.getElementById(container.getAttribute("data-chart"));
    if (!data) { return; }
    var spec = JSON.parse(data.textContent);
    var chart = window.echarts.init(container, null, { renderer: "canvas" });
    chart.setOption(option(spec, font, container.clientWidth));
    drawn.push({ chart: chart, spec: spec, container: container });
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (one) {
      one.chart.setOption({ xAxis: { axisLabel: categoryLabels(one.spec, one.container.clientWidth) } });
      one.chart.resize();
    });
  });
})();
