// Drafts of the follow-up action form, kept in localStorage so that a
// session that timed out loses nothing. Key: alerta:borrador:<student uuid>.
// The student page marks a successful submit with data-borrador-enviado,
// which clears the draft. (The logout script clears every alerta: key.)
(function () {
  "use strict";
  var CAMPOS = ["id", "tipo", "fecha", "estado", "nota", "reservada", "factores", "orientacion"];

  function almacen() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  var ls = almacen();
  if (!ls) { return; }

  var enviado = document.querySelector("[data-borrador-enviado]");
  if (enviado) {
    ls.removeItem(enviado.getAttribute("data-borrador-enviado"));
  }

  var form = document.querySelector("form[data-formulario-accion][data-borrador-clave]");
  if (!form || form.hasAttribute("data-borrador-corrige")) { return; }
  var clave = form.getAttribute("data-borrador-clave");

  function leer() {
    var datos = {};
    CAMPOS.forEach(function (nombre) {
      var campos = form.querySelectorAll("[name='" + nombre + "']");
      if (!campos.length) { return; }
      if (nombre === "factores") {
        datos[nombre] = Array.prototype.filter.call(campos, function (c) { return c.checked; })
          .map(function (c) { return c.value; });
      } else if (campos[0].type === "checkbox") {
        datos[nombre] = campos[0].checked;
      } else {
        datos[nombre] = campos[0].value;
      }
    });
    return datos;
  }

  function escribir(datos) {
    CAMPOS.forEach(function (nombre) {
      if (!(nombre in datos)) { return; }
      var campos = form.querySelectorAll("[name='" + nombre + "']");
      if (!campos.length) { return; }
      if (nombre === "factores") {
        Array.prototype.forEach.call(campos, function (c) {
          c.checked = datos[nombre].indexOf(c.value) !== -1;
        });
      } else if (campos[0].type === "checkbox") {
        campos[0].checked = !!datos[nombre];
      } else {
        campos[0].value = datos[nombre];
      }
    });
  }

  var aviso = document.getElementById("aviso-borrador");
  var guardado = null;
  try { guardado = JSON.parse(ls.getItem(clave) || "null"); } catch (e) { guardado = null; }
  if (guardado && typeof guardado === "object" &&
      JSON.stringify(guardado) !== JSON.stringify(leer())) {
    escribir(guardado);
    if (aviso) { aviso.hidden = false; }
  }

  if (aviso) {
    var descartar = aviso.querySelector("[data-descartar-borrador]");
    if (descartar) {
      descartar.addEventListener("click", function () {
        ls.removeItem(clave);
        form.reset();
        aviso.hidden = true;
      });
    }
  }

  var espera = null;
  function guardar() {
    espera = null;
    try { ls.setItem(clave, JSON.stringify(leer())); } catch (e) { /* full or blocked */ }
  }
  function programar() {
    if (espera) { window.clearTimeout(espera); }
    espera = window.setTimeout(guardar, 400);
  }
  form.addEventListener("input", programar);
  form.addEventListener("change", programar);
  // Save at once before leaving (submit included): the draft is cleared only
  // once the server confirms, on the student page.
  form.addEventListener("submit", function () { if (espera) { window.clearTimeout(espera); } guardar(); });
})();
