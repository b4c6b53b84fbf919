// An action written without a connection: the action form
// (form[data-formulario-accion]) is kept in the offline outbox
// (window.Bandeja, static/js/bandeja.js) instead of posted, and sent to the
// API named by data-bandeja-url when the connection returns.
//
// The body is the API's JSON: a checkbox is a boolean, a multiple choice a
// list, an empty orientacion null. The record's id is made here when the form
// has none, so that the server stores it once however often it is sent.
// The message shown comes from the form's data-texto-guardado attribute (or
// #bandeja's), in Spanish.
(function () {
  "use strict";

  var LISTAS = ["factores"];

  function nuevoId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  function cuerpoDe(formulario) {
    var cuerpo = {};
    var casillas = {};
    Array.prototype.forEach.call(formulario.elements, function (e) {
      if (e.name && e.type === "checkbox") {
        casillas[e.name] = (casillas[e.name] || 0) + 1;
      }
    });
    Array.prototype.forEach.call(formulario.elements, function (e) {
      var n = e.name;
      if (!n || n === "csrfmiddlewaretoken" || e.disabled ||
          e.type === "submit" || e.type === "button") {
        return;
      }
      var lista = LISTAS.indexOf(n) !== -1 || e.multiple || casillas[n] > 1;
      if (e.type === "checkbox" && !lista) {
        cuerpo[n] = e.checked;
      } else if (e.type === "checkbox" || e.type === "radio") {
        if (lista && !cuerpo[n]) {
          cuerpo[n] = [];
        }
        if (e.checked) {
          if (lista) {
            cuerpo[n].push(e.value);
          } else {
            cuerpo[n] = e.value;
          }
        }
      } else if (e.tagName === "SELECT" && e.multiple) {
        cuerpo[n] = Array.prototype.filter.call(e.options, function (o) {
          return o.selected;
        }).map(function (o) { return o.value; });
      } else if (lista) {
        cuerpo[n] = (cuerpo[n] || []).concat(e.value ? [e.value] : []);
      } else {
        cuerpo[n] = e.value;
      }
    });
    if (!cuerpo.orientacion) {
      cuerpo.orientacion = null;
    }
    if (!cuerpo.estudiante && formulario.dataset.estudiante) {
      cuerpo.estudiante = formulario.dataset.estudiante;
    }
    return cuerpo;
  }

  function guardarEnDispositivo(formulario) {
    var campoId = formulario.elements.namedItem("id");
    if (campoId && !campoId.value) {
      campoId.value = nuevoId();
    }
    var cuerpo = cuerpoDe(formulario);
    if (!cuerpo.id) {
      cuerpo.id = nuevoId();
    }
    var bandeja = document.getElementById("bandeja");
    var texto = formulario.dataset.textoGuardado ||
      (bandeja && bandeja.dataset.guardadoDispositivo) || "";
    var aviso = formulario.querySelector(".formulario-sin-conexion-aviso");
    if (!aviso) {
      aviso = document.createElement("p");
      aviso.className = "formulario-sin-conexion-aviso";
      aviso.setAttribute("role", "status");
      formulario.appendChild(aviso);
    }
    aviso.textContent = texto;
    var guardado = window.Bandeja.encolar({
      clave: "accion:" + cuerpo.id,
      metodo: "POST",
      url: formulario.dataset.bandejaUrl,
      cuerpo: cuerpo
    });
    // Kept: its draft goes, and the form cannot send it a second time (a
    // double tap); another action is written from the form opened again.
    try {
      window.localStorage.removeItem("alerta:borrador:" + cuerpo.estudiante);
    } catch (e) { /* storage unavailable: nothing was kept there either */ }
    Array.prototype.forEach.call(
      formulario.querySelectorAll("button[type=submit], input[type=submit]"),
      function (b) { b.disabled = true; });
    return guardado;
  }

  // A form page opened offline comes from the worker's cache with the id it
  // was rendered with: each opening is a new action, so it gets its own id
  // (one stored id per action: the server keeps the first of a repeated id).
  document.addEventListener("DOMContentLoaded", function () {
    if (navigator.onLine) {
      return;
    }
    Array.prototype.forEach.call(
      document.querySelectorAll("form[data-formulario-accion]"),
      function (formulario) {
        var campoId = formulario.elements.namedItem("id");
        if (campoId) {
          campoId.value = nuevoId();
        }
      });
  });

  document.addEventListener("submit", function (evento) {
    var formulario = evento.target;
    if (!formulario.matches || !formulario.matches("form[data-formulario-accion]") ||
        !window.Bandeja || navigator.onLine) {
      return; // online: the form posts as usual
    }
    evento.preventDefault();
    evento.stopImmediatePropagation();
    guardarEnDispositivo(formulario);
  }, true);

  // For the form's own script: when its fetch fails with a network error it
  // may hand the form over (window.FormularioSinConexion.guardar(form)).
  window.FormularioSinConexion = {
    guardar: guardarEnDispositivo,
    cuerpo: cuerpoDe,
    nuevoId: nuevoId
  };
}());
