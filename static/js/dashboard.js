/*
 * Draws the staff dashboard's charts (templates/stats/dashboard/_panels.html) with the vendored
 * ECharts (static/vendor/echarts). Each .dash-chart names its data block in data-source: a
 * <script type="application/json"> written by json_script, {categories, series: [{name, values}],
 * unit?, stacked?}. No inline script anywhere: the CSP allows only files from this site.
 */
(function () {
  "use strict";

  var COLOURS = ["#b71c1c", "#e57373", "#f0b429", "#5c8ab8", "#b0b0b0"];

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function options(kind, data) {
    var unit = data.unit || "";
    var series = data.series.map(function (item) {
      var entry = { name: item.name, type: kind, data: item.values };
      if (kind === "line") {
        entry.connectNulls = true;
        entry.symbolSize = 6;
      } else if (data.stacked) {
        entry.stack = "total";
        entry.emphasis = { focus: "series" };
      }
      return entry;
    });
    return {
      color: COLOURS,
      animation: false,
      tooltip: {
        trigger: "axis",
        // Drawn on the canvas: the HTML tooltip writes style="" attributes, which the CSP blocks.
        renderMode: "richText",
        valueFormatter: function (value) {
          return value === null || value === undefined ? "—" : value + unit;
        },
      },
      legend: { top: 0, itemGap: 8 },
      // Five stacked parts make a legend of two lines in a narrow card: leave room for both.
      grid: { left: 8, right: 16, top: data.stacked ? 64 : 40, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: data.categories,
        axisLabel: { interval: 0, hideOverlap: true },
      },
      yAxis: {
        type: "value",
        min: 0,
        max: unit === "%" ? 100 : null,
        axisLabel: { formatter: "{value}" + unit },
      },
      series: series,
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") {
      return;
    }
    var charts = [];
    document.querySelectorAll(".dash-chart[data-source]").forEach(function (node) {
      var data = readData(node.getAttribute("data-source"));
      if (!data || !data.categories.length) {
        node.classList.add("dash-chart-empty");
        node.textContent = node.getAttribute("aria-label") + ": —";
        return;
      }
      var chart = window.echarts.init(node);
      chart.setOption(options(node.getAttribute("data-chart"), data));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
