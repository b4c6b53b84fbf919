// Live progress of an import: polls the JSON view every 2 s, updates the bar and
// its text, and reloads the page once the import has finished (to show the report).
(function () {
  "use strict";
  var seccion = document.getElementById("avance");
  if (!seccion || !window.fetch) return;
  var barra = document.getElementById("avance-barra");
  var texto = document.getElementById("avance-texto");
  var estado = document.getElementById("avance-estado");
  var FINALES = ["COMPLETADA", "FALLIDA"];
  var INTERVALO = 2000;
  var fallos = 0;

  function miles(n) {
    // Same grouping as the server's es-PE formatting (non-breaking space).
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  function mostrar(d) {
    if (estado && estado.textContent !== d.estado_texto) {
      estado.textContent = d.estado_texto;
    }
    if (d.total) {
      barra.max = d.total;
      barra.value = d.procesadas;
      barra.textContent = d.porcentaje + " %";
      texto.textContent = seccion.dataset.textoTotal
        .replace("{n}", miles(d.procesadas))
        .replace("{m}", miles(d.total));
    } else {
      barra.removeAttribute("value");
      texto.textContent = seccion.dataset.textoSinTotal;
    }
  }

  function consultar() {
    fetch(seccion.dataset.url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (d) {
        fallos = 0;
        mostrar(d);
        if (FINALES.indexOf(d.estado) !== -1) {
          window.location.reload();
        } else {
          window.setTimeout(consultar, INTERVALO);
        }
      })
      .catch(function () {
        // A dropped connection (slow networks): try again a little later, but
        // not forever (a session that expired answers with the login page).
        fallos += 1;
        if (fallos < 10) window.setTimeout(consultar, INTERVALO * 2);
      });
  }

  window.setTimeout(consultar, INTERVALO);
})();
