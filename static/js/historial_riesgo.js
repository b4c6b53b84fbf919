// Chart of a student's risk level over the scoring runs (student page).
// The data comes from the page (json_script "datos-historial"); the same
// periods are in the table below the chart, which stays the text alternative.
(function () {
  "use strict";
  var nodo = document.getElementById("datos-historial");
  var lienzo = document.getElementById("grafico-historial");
  if (!nodo || !lienzo || !window.Chart) return;
  var datos = JSON.parse(nodo.textContent);
  // Same colours as the level badges (static/css/alerta.css).
  var COLOR = { naranja: "#f28c28", amarillo: "#e0b400", verde: "#3f9e4d" };
  var AZUL = "#1f4e79";

  function nombre(v) {
    return datos.niveles[String(v)] || "";
  }

  function color(v) {
    return COLOR[datos.colores[String(v)]] || AZUL;
  }

  new window.Chart(lienzo, {
    type: "line",
    data: {
      labels: datos.etiquetas,
      datasets: [
        {
          label: datos.serie,
          data: datos.valores,
          stepped: "after",
          borderColor: AZUL,
          borderWidth: 2,
          pointRadius: 6,
          pointHoverRadius: 7,
          pointBackgroundColor: datos.valores.map(color),
          pointBorderColor: AZUL,
        },
      ],
    },
    options: {
      // Slow phones: no animation; the canvas fills its box (see .grafico).
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: {
          min: 0.5,
          max: 3.5,
          // One tick per level, each with its word (never colour alone).
          afterBuildTicks: function (escala) {
            escala.ticks = [1, 2, 3].map(function (v) { return { value: v }; });
          },
          ticks: { callback: function (v) { return nombre(v); } },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (c) { return datos.serie + ": " + nombre(c.parsed.y); },
          },
        },
      },
    },
  });
})();
