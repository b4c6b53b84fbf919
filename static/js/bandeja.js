// The offline outbox of a tutor or director (window.Bandeja).
//
// Records written on the device (monthly records, actions) are kept in
// IndexedDB ("alerta-bandeja", store "pendientes", keyed by `clave`) and sent
// in order, each with its own id as the Idempotency-Key header: a repeat is
// answered with the record the server already has, so a record arrives once
// however often it is replayed. Replayed on page load, on the `online` event
// and from the "Sincronizar ahora" button; no Background Sync. One lock
// (navigator.locks) keeps two tabs from sending at once.
//
// A refused record (409 conflict, 400 invalid) moves to the store
// "conflictos" and is listed in a panel until the user dismisses it.
//
// The same script registers the service worker (static/js/sw.js) for the
// signed-in user, asks it to keep a sección's pages for offline use, and
// empties caches, IndexedDB and the `alerta:` drafts at logout.
//
// Texts come from the template (#bandeja data attributes). On pages of anyone
// else (no #bandeja: signed out, or another role) it only unregisters a
// service worker left behind and deletes its caches.
(function () {
  "use strict";

  var BASE = "alerta-bandeja";
  var raiz = document.getElementById("bandeja");

  function borrarCaches() {
    if (!window.caches) {
      return Promise.resolve();
    }
    return caches.keys().then(function (nombres) {
      return Promise.all(nombres.map(function (n) { return caches.delete(n); }));
    });
  }

  function quitarServiceWorker() {
    if (!("serviceWorker" in navigator)) {
      return Promise.resolve();
    }
    return navigator.serviceWorker.getRegistrations().then(function (regs) {
      return Promise.all(regs.map(function (r) { return r.unregister(); }));
    });
  }

  if (!raiz || !window.idb) {
    // Nothing is kept for anyone but a signed-in tutor or director. Pending
    // records stay in IndexedDB: their author may sign in again.
    quitarServiceWorker().then(borrarCaches).catch(function () {});
    return;
  }

  var textos = raiz.dataset;
  var usuario = textos.usuario;
  var boton = document.getElementById("bandeja-sincronizar");
  var cuenta = document.getElementById("bandeja-cuenta");
  var aviso = document.getElementById("bandeja-aviso");
  var panel = document.getElementById("bandeja-conflictos");
  var conexion = null;
  var enCurso = null;
  var otraVez = false;

  function db() {
    if (!conexion) {
      conexion = window.idb.openDB(BASE, 1, {
        upgrade: function (d) {
          d.createObjectStore("pendientes", { keyPath: "clave" });
          d.createObjectStore("conflictos", { keyPath: "clave" });
        },
        blocking: function () {
          // Another tab deletes the database (logout): let it.
          cerrar();
        }
      });
    }
    return conexion;
  }

  function cerrar() {
    var c = conexion;
    conexion = null;
    if (c) {
      return c.then(function (d) { d.close(); }).catch(function () {});
    }
    return Promise.resolve();
  }

  function avisar(nombre, detalle) {
    document.dispatchEvent(new CustomEvent(nombre, { detail: detalle }));
  }

  function propios(lista) {
    // Only this user's records: a shared computer may hold another's.
    return lista.filter(function (e) { return e.usuario === usuario; })
      .sort(function (a, b) { return a.orden - b.orden; });
  }

  function listaPendientes() {
    return db().then(function (d) { return d.getAll("pendientes"); }).then(propios);
  }

  function pendientes() {
    return listaPendientes().then(function (l) { return l.length; });
  }

  function mostrarCuenta() {
    return pendientes().then(function (n) {
      cuenta.textContent = String(n);
      raiz.classList.toggle("con-pendientes", n > 0);
      return n;
    });
  }

  function encolar(entrada) {
    var registro = {
      clave: entrada.clave,
      metodo: entrada.metodo || "POST",
      url: entrada.url,
      cuerpo: entrada.cuerpo,
      usuario: usuario,
      orden: Date.now() + Math.random()
    };
    // Same clave: the newer values replace the unsent ones.
    return db().then(function (d) { return d.put("pendientes", registro); })
      .then(mostrarCuenta)
      .then(function () { return sincronizar(); });
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) {
      return decodeURIComponent(m[1]);
    }
    var campo = document.querySelector("input[name=csrfmiddlewaretoken]");
    return campo ? campo.value : "";
  }

  function mensajeDe(json) {
    if (!json) {
      return "";
    }
    if (typeof json === "string") {
      return json;
    }
    if (json.detail) {
      return String(json.detail);
    }
    return Object.keys(json).map(function (k) {
      var v = json[k];
      return Array.isArray(v) ? v.join(" ") : (typeof v === "object" ? mensajeDe(v) : String(v));
    }).join(" ");
  }

  function quitarSiIgual(d, registro) {
    // Sent: delete it, unless a newer version replaced it meanwhile.
    var tx = d.transaction("pendientes", "readwrite");
    return tx.store.get(registro.clave).then(function (actual) {
      if (actual && actual.orden === registro.orden) {
        return tx.store.delete(registro.clave);
      }
      return undefined;
    }).then(function () { return tx.done; });
  }

  function rechazar(d, registro, json, mensaje) {
    var conflicto = {
      clave: registro.clave,
      url: registro.url,
      cuerpo: registro.cuerpo,
      usuario: usuario,
      existente: (json && json.existente) || null,
      mensaje: mensaje
    };
    return quitarSiIgual(d, registro).then(function () {
      return d.put("conflictos", conflicto);
    }).then(function () {
      avisar("bandeja:conflicto", {
        clave: registro.clave,
        existente: conflicto.existente,
        mensaje: mensaje
      });
      return mostrarConflictos();
    });
  }

  // Sends one record. Resolves to true to go on with the next, false to stop.
  function enviar(d, registro) {
    return fetch(registro.url, {
      method: registro.metodo,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Idempotency-Key": registro.cuerpo.id,
        "X-CSRFToken": csrf()
      },
      body: JSON.stringify(registro.cuerpo)
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (json) {
        if (r.status === 200 || r.status === 201) {
          return quitarSiIgual(d, registro).then(function () {
            avisar("bandeja:enviado", { clave: registro.clave, respuesta: json });
            return true;
          });
        }
        if (r.status === 401 || r.status === 403) {
          aviso.textContent = textos.inicieSesion;
          return false;
        }
        if (r.status === 409) {
          return rechazar(d, registro, json, mensajeDe(json) || textos.conflicto)
            .then(function () { return true; });
        }
        if (r.status >= 400 && r.status < 500) {
          return rechazar(d, registro, json, mensajeDe(json) || textos.invalido)
            .then(function () { return true; });
        }
        aviso.textContent = textos.sinConexion;
        return false; // 5xx: try again later
      });
    }, function () {
      aviso.textContent = textos.sinConexion;
      return false; // no connection: try again later
    });
  }

  function pasada() {
    return db().then(function (d) {
      var probados = {};
      function siguiente() {
        return listaPendientes().then(function (lista) {
          var registro = lista.filter(function (e) {
            return probados[e.clave] !== e.orden;
          })[0];
          if (!registro) {
            return undefined;
          }
          probados[registro.clave] = registro.orden;
          return enviar(d, registro).then(function (seguir) {
            return seguir ? siguiente() : undefined;
          });
        });
      }
      aviso.textContent = "";
      return siguiente();
    });
  }

  function conCandado(trabajo) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request(BASE, trabajo);
    }
    return trabajo();
  }

  function sincronizar() {
    if (enCurso) {
      otraVez = true;
      return enCurso;
    }
    enCurso = conCandado(function () {
      function ronda() {
        otraVez = false;
        return pasada().then(function () {
          return otraVez ? ronda() : undefined;
        });
      }
      return ronda();
    }).catch(function () {}).then(function () {
      enCurso = null;
      return mostrarCuenta();
    });
    return enCurso;
  }

  function mostrarConflictos() {
    return db().then(function (d) { return d.getAll("conflictos"); })
      .then(function (todos) {
        var lista = panel.querySelector("ul");
        var propiosConflictos = todos.filter(function (c) { return c.usuario === usuario; });
        lista.textContent = "";
        propiosConflictos.forEach(function (c) {
          var li = document.createElement("li");
          var texto = document.createElement("span");
          var autor = c.existente && c.existente.autor ? " (" + c.existente.autor + ")" : "";
          texto.textContent = c.mensaje + autor;
          var descartar = document.createElement("button");
          descartar.type = "button";
          descartar.className = "enlace";
          descartar.textContent = textos.descartar;
          descartar.addEventListener("click", function () {
            db().then(function (d) { return d.delete("conflictos", c.clave); })
              .then(mostrarConflictos);
          });
          li.appendChild(texto);
          li.appendChild(document.createTextNode(" "));
          li.appendChild(descartar);
          lista.appendChild(li);
        });
        panel.hidden = propiosConflictos.length === 0;
      });
  }

  // Logout: warn about unsent records, then leave nothing behind.
  function borrarBasesDeDatos() {
    return cerrar().then(function () {
      var nombres = [BASE];
      var listar = window.indexedDB.databases ?
        window.indexedDB.databases().then(function (l) {
          return l.map(function (b) { return b.name; });
        }).catch(function () { return []; }) : Promise.resolve([]);
      return listar.then(function (otros) {
        otros.forEach(function (n) {
          if (nombres.indexOf(n) === -1) {
            nombres.push(n);
          }
        });
        return Promise.all(nombres.map(function (n) { return window.idb.deleteDB(n); }));
      });
    });
  }

  function borrarBorradores() {
    var claves = [];
    for (var i = 0; i < localStorage.length; i++) {
      var k = localStorage.key(i);
      if (k && k.indexOf("alerta:") === 0) {
        claves.push(k);
      }
    }
    claves.forEach(function (k) { localStorage.removeItem(k); });
  }

  function limpiarTodo() {
    try {
      borrarBorradores();
    } catch (e) { /* storage refused: Clear-Site-Data still empties it */ }
    return Promise.all([
      borrarCaches().catch(function () {}),
      quitarServiceWorker().catch(function () {}),
      borrarBasesDeDatos().catch(function () {})
    ]);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-salir]"),
    function (formulario) {
      formulario.addEventListener("submit", function (evento) {
        evento.preventDefault();
        pendientes().catch(function () { return 0; }).then(function (n) {
          if (n > 0 && !window.confirm(textos.confirmarSalir.replace("{n}", String(n)))) {
            return;
          }
          limpiarTodo().then(function () { formulario.submit(); });
        });
      });
    });

  // The service worker: pages kept for offline use, per user.
  function registrarServiceWorker() {
    if (!("serviceWorker" in navigator) || !textos.sw) {
      return;
    }
    navigator.serviceWorker.register(textos.sw, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      precargar(reg.active);
    }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (evento) {
      if (evento.data && evento.data.tipo === "precargado") {
        raiz.dataset.precargado = String(evento.data.paginas);
        avisar("bandeja:precargado", evento.data);
      }
    });
  }

  function precargar(sw) {
    if (!sw) {
      return;
    }
    var paginas = ["/"];
    if (!/\.(xlsx|csv)$/.test(location.pathname)) {
      paginas.push(location.pathname);
    }
    // A sección page: its students' pages and its monthly record.
    if (/^\/seccion\/[0-9a-f-]{36}\/$/.test(location.pathname)) {
      Array.prototype.forEach.call(
        document.querySelectorAll("main a[href^='/estudiante/'], main a[href$='/registro-mensual/']"),
        function (a) {
          var ruta = new URL(a.href, location.href).pathname;
          if (paginas.indexOf(ruta) === -1) {
            paginas.push(ruta);
          }
          // And the student's new-action form, to write one offline.
          var estudiante = /^\/estudiante\/([0-9a-f-]{36})\/$/.exec(ruta);
          var forma = estudiante &&
            "/seguimiento/estudiante/" + estudiante[1] + "/accion/nueva/";
          if (forma && paginas.indexOf(forma) === -1) {
            paginas.push(forma);
          }
        });
    }
    var recursos = [];
    Array.prototype.forEach.call(
      document.querySelectorAll("link[rel=stylesheet][href], script[src]"),
      function (e) {
        recursos.push(new URL(e.href || e.src, location.href).pathname);
      });
    // A page that came through the worker is kept already; one that did not
    // (the first visit) is fetched again to be kept.
    var actual = navigator.serviceWorker.controller ? null : location.pathname;
    sw.postMessage({ tipo: "precargar", paginas: paginas, recursos: recursos, actual: actual });
  }

  boton.hidden = false;
  boton.addEventListener("click", function () { sincronizar(); });
  window.addEventListener("online", function () { sincronizar(); });

  window.Bandeja = {
    encolar: encolar,
    sincronizar: sincronizar,
    pendientes: pendientes,
    limpiar: limpiarTodo
  };

  mostrarConflictos().catch(function () {});
  sincronizar();
  registrarServiceWorker();
}());
