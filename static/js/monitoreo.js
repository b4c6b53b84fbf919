// The weekly chart of the use monitoring pages: bars per week (teachers who
// used the portal, or a teacher's lists, actions and guidance read) and, for
// a scope, the line of teachers with an account. The data come from the page
// (json_script "datos-uso"); the table beside the chart has the same numbers.
(function () {
  "use strict";
  var nodo = document.getElementById("datos-uso");
  var lienzo = document.getElementById("grafico-uso");
  if (!nodo || !lienzo || !window.Chart) return;
  var datos = JSON.parse(nodo.textContent);
  var COLORES = ["#1f4e79", "#f28c28", "#2c6e35"];

  function entero(v) {
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  var series = datos.barras.map(function (b, i) {
    return { type: "bar", label: b.etiqueta, data: b.valores, backgroundColor: COLORES[i % COLORES.length] };
  });
  if (datos.linea) {
    series.push({
      type: "line",
      label: datos.linea.etiqueta,
      data: datos.linea.valores,
      borderColor: "#555555",
      backgroundColor: "#555555",
      borderDash: [6, 4],
      pointRadius: 2,
    });
  }
  new window.Chart(lienzo, {
    data: { labels: datos.etiquetas, datasets: series },
    options: {
      // Slow phones: no animation; the canvas fills its box (see .grafico).
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: {
          beginAtZero: true,
          title: { display: true, text: datos.eje_y },
          ticks: { precision: 0, callback: function (v) { return entero(v); } },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (c) { return c.dataset.label + ": " + entero(c.parsed.y); },
          },
        },
      },
    },
  });
})();
