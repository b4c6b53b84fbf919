// Charts of the UGEL, DRE and national dashboards: students per risk level by
// grado (stacked bars) and the share at medio+alto of each UGEL or DRE.
// The data comes from the page (json_script "datos-tableros"); the same numbers
// are in the tables beside each chart, which stay the text alternative.
(function () {
  "use strict";
  var nodo = document.getElementById("datos-tableros");
  if (!nodo || !window.Chart) return;
  var datos = JSON.parse(nodo.textContent);
  var SEP = datos.decimal || ",";
  var RELLENO = { alto: "#f28c28", medio: "#ffd93d", bajo: "#6bcb77" };
  var BORDE = { alto: "#8a4a0b", medio: "#8a6d00", bajo: "#2c6e35" };
  var AZUL = "#1f4e79";

  function entero(v) {
    // Same grouping as the server: "12 345".
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  function pct(v) {
    return v.toFixed(1).replace(".", SEP) + "\u00a0%";
  }

  // Slow phones: no animation; the canvas fills its box (see .grafico).
  var COMUNES = { animation: false, responsive: true, maintainAspectRatio: false };

  function opciones(extra) {
    var o = {};
    Object.keys(COMUNES).forEach(function (k) { o[k] = COMUNES[k]; });
    Object.keys(extra).forEach(function (k) { o[k] = extra[k]; });
    return o;
  }

  var g = datos.grados;
  var lienzoGrados = document.getElementById("grafico-grados");
  if (g && lienzoGrados) {
    new window.Chart(lienzoGrados, {
      type: "bar",
      data: {
        labels: g.etiquetas,
        datasets: g.series.map(function (s) {
          return {
            label: s.etiqueta,
            data: s.valores,
            backgroundColor: RELLENO[s.nivel],
            borderColor: BORDE[s.nivel],
            borderWidth: 1,
          };
        }),
      },
      options: opciones({
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            beginAtZero: true,
            title: { display: true, text: g.eje_y },
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
      }),
    });
  }

  var comp = datos.comparacion;
  var lienzoComp = document.getElementById("grafico-comparacion");
  if (comp && lienzoComp) {
    // One bar per UGEL or DRE, read top to bottom: the box grows with them.
    lienzoComp.parentNode.style.height = Math.max(10, 1.8 * comp.etiquetas.length + 5) + "rem";
    new window.Chart(lienzoComp, {
      type: "bar",
      data: {
        labels: comp.etiquetas,
        datasets: [{ label: comp.serie, data: comp.valores, backgroundColor: AZUL }],
      },
      options: opciones({
        indexAxis: "y",
        scales: {
          x: {
            min: 0,
            suggestedMax: 100,
            ticks: { callback: function (v) { return pct(v).replace(SEP + "0", ""); } },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (c) { return c.dataset.label + ": " + pct(c.parsed.x); },
            },
          },
        },
      }),
    });
  }
})();
