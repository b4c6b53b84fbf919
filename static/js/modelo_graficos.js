// Charts of a model version's page: calibration and model vs baseline.
// The data comes from the page (json_script "datos-graficos"); the same numbers
// are in the tables beside each chart, which stay the text alternative.
(function () {
  "use strict";
  var nodo = document.getElementById("datos-graficos");
  if (!nodo || !window.Chart) return;
  var datos = JSON.parse(nodo.textContent);
  var SEP = datos.decimal || ",";
  var AZUL = "#1f4e79";
  var GRIS = "#8a8a8a";
  var NARANJA = "#f28c28";

  function pct(v, decimales) {
    // Same style as the server: "10,7 %".
    if (v === null || v === undefined) return "—";
    return (v * 100).toFixed(decimales).replace(".", SEP) + "\u00a0%";
  }

  function num(v) {
    if (v === null || v === undefined) return "—";
    return v.toFixed(3).replace(".", SEP);
  }

  // Slow phones: no animation; the canvas fills its box (see .grafico).
  var COMUNES = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: "bottom" } },
  };

  function opciones(extra) {
    var o = {};
    Object.keys(COMUNES).forEach(function (k) { o[k] = COMUNES[k]; });
    Object.keys(extra).forEach(function (k) { o[k] = extra[k]; });
    return o;
  }

  var cal = datos.calibracion;
  var lienzoCal = document.getElementById("grafico-calibracion");
  if (cal && lienzoCal) {
    var tope = 0;
    cal.puntos.forEach(function (p) { tope = Math.max(tope, p.x, p.y); });
    tope = Math.min(1, Math.ceil(tope * 10 + 0.0001) / 10);
    new window.Chart(lienzoCal, {
      type: "scatter",
      data: {
        datasets: [
          {
            label: cal.serie,
            data: cal.puntos,
            showLine: true,
            borderColor: AZUL,
            backgroundColor: AZUL,
            pointRadius: 4,
          },
          {
            label: cal.diagonal,
            data: [{ x: 0, y: 0 }, { x: tope, y: tope }],
            showLine: true,
            borderColor: GRIS,
            borderDash: [6, 4],
            pointRadius: 0,
          },
        ],
      },
      options: opciones({
        scales: {
          x: {
            min: 0, max: tope,
            title: { display: true, text: cal.eje_x },
            ticks: { callback: function (v) { return pct(v, 0); } },
          },
          y: {
            min: 0, max: tope,
            title: { display: true, text: cal.eje_y },
            ticks: { callback: function (v) { return pct(v, 0); } },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (c) {
                return pct(c.parsed.x, 1) + " → " + pct(c.parsed.y, 1);
              },
            },
          },
        },
      }),
    });
  }

  var comp = datos.comparacion;
  var lienzoComp = document.getElementById("grafico-comparacion");
  if (comp && lienzoComp) {
    new window.Chart(lienzoComp, {
      type: "bar",
      data: {
        labels: comp.etiquetas,
        datasets: [
          { label: comp.serie_modelo, data: comp.modelo, backgroundColor: AZUL },
          { label: comp.serie_base, data: comp.base, backgroundColor: NARANJA },
        ],
      },
      options: opciones({
        scales: {
          y: {
            min: 0, max: 1,
            ticks: { callback: function (v) { return num(v).replace(/0+$/, "").replace(/[.,]$/, ""); } },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (c) { return c.dataset.label + ": " + num(c.parsed.y); },
            },
          },
        },
      }),
    });
  }
})();
