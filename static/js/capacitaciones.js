// Chart of the trainings' comparison: the share of weeks with use of trained
// teachers (before, from the session) and of those not yet trained (same
// weeks), per modality. The data comes from the page (json_script
// "datos-capacitaciones"); the tables below hold the same numbers.
(function () {
  "use strict";
  var nodo = document.getElementById("datos-capacitaciones");
  var lienzo = document.getElementById("grafico-capacitaciones");
  if (!nodo || !lienzo || !window.Chart) return;
  var datos = JSON.parse(nodo.textContent);
  var SEP = datos.decimal || ",";
  // Trained: dark and light blue; not yet trained: dark and light grey.
  var COLORES = ["#7fa7cc", "#1f4e79", "#c4c4c4", "#5a5a5a"];

  function pct(v) {
    return v.toFixed(1).replace(".", SEP) + "\u00a0%";
  }

  new window.Chart(lienzo, {
    type: "bar",
    data: {
      labels: datos.etiquetas,
      datasets: datos.series.map(function (s, i) {
        return { label: s.etiqueta, data: s.valores, backgroundColor: COLORES[i % 4] };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: {
          min: 0,
          suggestedMax: 100,
          title: { display: true, text: datos.eje_y },
          ticks: { callback: function (v) { return pct(v).replace(SEP + "0", ""); } },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (c) { return c.dataset.label + ": " + pct(c.parsed.y); },
          },
        },
      },
    },
  });
})();
