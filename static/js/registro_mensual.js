// The monthly contact record: each tap saves its row.
//
// A row is sent through the offline outbox (window.Bandeja) when the page has
// one: it keeps the row in IndexedDB, sends it with the Idempotency-Key header
// and tells the page what happened (bandeja:enviado, bandeja:conflicto).
// Without it, the row goes straight to the API with fetch. Without
// JavaScript, the form's "Guardar todo" button posts every row.
(function () {
  "use strict";

  var formulario = document.getElementById("registro-mensual");
  if (!formulario) {
    return;
  }
  var textos = document.getElementById("registro-textos").dataset;
  var api = formulario.dataset.api;
  var mes = formulario.dataset.mes;
  var csrf = formulario.querySelector("input[name=csrfmiddlewaretoken]").value;
  var hechos = document.getElementById("registro-hechos");
  var filas = {};

  // The device-made id of a record: formulario_sin_conexion.js, loaded on
  // every page of whoever may open this screen (tutors and directors).
  var nuevoId = window.FormularioSinConexion.nuevoId;


  function clave(fila) {
    return "registro:" + fila.dataset.estudiante + ":" + mes;
  }

  function elegido(fila, prefijo) {
    var marcado = fila.querySelector(
      "input[name='" + prefijo + "-" + fila.dataset.estudiante + "']:checked");
    return marcado ? marcado.value : "";
  }

  function medio(fila) {
    return fila.querySelector("select[name='m-" + fila.dataset.estudiante + "']");
  }

  function estado(fila, texto, clase) {
    fila.querySelector(".registro-estado").textContent = texto;
    fila.classList.remove("guardado", "pendiente", "conflicto", "fallido");
    if (clase) {
      fila.classList.add(clase);
    }
  }

  function mostrarMedio(fila) {
    var caja = fila.querySelector(".registro-medio");
    caja.hidden = elegido(fila, "c") === "no";
  }

  function marcarGuardado(fila) {
    if (!fila.dataset.uuid && hechos) {
      hechos.textContent = String(Number(hechos.textContent) + 1);
    }
    fila.dataset.uuid = fila.dataset.id;
    estado(fila, textos.guardado, "guardado");
  }

  function poner(fila, registro) {
    // Show a stored record's values in its row.
    var e = fila.dataset.estudiante;
    var c = fila.querySelector(
      "input[name='c-" + e + "'][value='" + (registro.contactado ? "si" : "no") + "']");
    if (c) {
      c.checked = true;
    }
    if (registro.medio) {
      medio(fila).value = registro.medio;
    }
    var s = fila.querySelector(
      "input[name='s-" + e + "'][value='" + registro.sigue_clases + "']");
    if (s) {
      s.checked = true;
    }
    mostrarMedio(fila);
  }

  function conflicto(fila, existente, mensaje) {
    // The month has a record with another id: show it, and let a new tap
    // correct that record rather than fight it.
    if (!fila.dataset.uuid && hechos) {
      hechos.textContent = String(Number(hechos.textContent) + 1);
    }
    fila.dataset.id = existente.id;
    fila.dataset.uuid = existente.id;
    fila.querySelector("input[name='id-" + fila.dataset.estudiante + "']").value =
      existente.id;
    poner(fila, existente);
    estado(fila, textos.conflicto + " " + existente.autor + " — " + (mensaje || ""),
      "conflicto");
  }

  function cuerpo(fila) {
    var contactado = elegido(fila, "c") === "si";
    return {
      id: fila.dataset.id,
      estudiante: fila.dataset.estudiante,
      mes: mes,
      contactado: contactado,
      medio: contactado ? medio(fila).value : "",
      sigue_clases: elegido(fila, "s")
    };
  }

  function enviarDirecto(fila, datos) {
    estado(fila, textos.enviando, "pendiente");
    fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf,
        "Idempotency-Key": datos.id
      },
      body: JSON.stringify(datos)
    }).then(function (r) {
      return r.json().then(function (json) {
        if (r.status === 200 || r.status === 201) {
          marcarGuardado(fila);
        } else if (r.status === 409) {
          conflicto(fila, json.existente, json.detail);
        } else {
          estado(fila, textos.error + ": " + (json.detail || JSON.stringify(json)),
            "fallido");
        }
      });
    }).catch(function () {
      estado(fila, textos.error, "fallido");
    });
  }

  function guardar(fila) {
    if (!elegido(fila, "c")) {
      return; // nothing to save until "contactado" is answered
    }
    var datos = cuerpo(fila);
    if (window.Bandeja && window.Bandeja.encolar) {
      estado(fila, textos.pendiente, "pendiente");
      window.Bandeja.encolar({
        clave: clave(fila),
        metodo: "POST",
        url: api,
        cuerpo: datos
      });
    } else {
      enviarDirecto(fila, datos);
    }
  }

  Array.prototype.forEach.call(formulario.querySelectorAll(".registro-fila"),
    function (fila) {
      fila.dataset.id = fila.dataset.uuid || nuevoId();
      filas[clave(fila)] = fila;
      mostrarMedio(fila);
      fila.addEventListener("change", function () {
        mostrarMedio(fila);
        guardar(fila);
      });
    });

  document.addEventListener("bandeja:enviado", function (evento) {
    var fila = filas[evento.detail && evento.detail.clave];
    if (fila) {
      marcarGuardado(fila);
    }
  });
  document.addEventListener("bandeja:conflicto", function (evento) {
    var d = evento.detail || {};
    var fila = filas[d.clave];
    if (fila && d.existente) {
      conflicto(fila, d.existente, d.mensaje);
    }
  });

  // With JavaScript every tap is saved: the form's button is not needed, the
  // "everyone in class" one is.
  var todos = document.getElementById("registro-todos");
  todos.hidden = false;
  todos.addEventListener("click", function () {
    Array.prototype.forEach.call(formulario.querySelectorAll(".registro-fila"),
      function (fila) {
        if (elegido(fila, "c")) {
          return; // an answered row keeps its answer
        }
        var e = fila.dataset.estudiante;
        fila.querySelector("input[name='c-" + e + "'][value='si']").checked = true;
        medio(fila).value = "PRESENCIAL";
        if (!elegido(fila, "s")) {
          fila.querySelector("input[name='s-" + e + "'][value='SI']").checked = true;
        }
        mostrarMedio(fila);
        guardar(fila);
      });
  });
  document.getElementById("registro-guardar").hidden = true;
}());
