// The service worker of a signed-in tutor or director: the pages they opened
// (their secciones, their students, the monthly record) work offline.
//
// Served at /sw.js?u=<user pk> by seguimiento/views_sin_conexion.py, which
// puts the offline page's HTML before this text (const SIN_CONEXION). The
// cache is the user's own ("alerta-<pk>-v1"); caches of anyone else are
// deleted when this worker starts. Registered by static/js/bandeja.js only for
// tutors and directors; unregistered, with every cache, at logout.
//
// - Navigations to the portal's pages: network first, the answer kept (the
//   Cache API keeps it even though the page says no-store); offline, the kept
//   copy or the offline page.
// - /static/: cache first.
// - Never kept: the API, the admin, sign-in and sign-out, downloads
//   (.xlsx, .csv), anything but GET.
/* global SIN_CONEXION */
"use strict";

var VERSION = "v1";
var USUARIO = new URL(self.location.href).searchParams.get("u") || "0";
var CACHE = "alerta-" + USUARIO + "-" + VERSION;
var FRESCO_MS = 12 * 60 * 60 * 1000;
var PAGINAS = [
  /^\/$/,
  /^\/seccion\/[0-9a-f-]{36}\/$/,
  /^\/estudiante\/[0-9a-f-]{36}\/$/,
  /^\/seguimiento\//
];
var NUNCA = [/^\/api\//, /^\/admin\//, /^\/ingresar\//, /^\/salir\//, /\.(xlsx|csv)$/];

function guardable(url) {
  if (url.origin !== self.location.origin) {
    return false;
  }
  return !NUNCA.some(function (r) { return r.test(url.pathname); });
}

function esPagina(url) {
  return guardable(url) && PAGINAS.some(function (r) { return r.test(url.pathname); });
}

function esEstatico(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (evento) {
  evento.waitUntil(caches.keys().then(function (nombres) {
    return Promise.all(nombres.filter(function (n) {
      return n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function guardar(pedido, respuesta) {
  // Only a complete HTML page of this site, answered 200, never a redirect
  // (to the sign-in page, for instance).
  var tipo = respuesta.headers.get("Content-Type") || "";
  if (respuesta.status !== 200 || respuesta.redirected || respuesta.type !== "basic" ||
      tipo.indexOf("text/html") !== 0) {
    return Promise.resolve();
  }
  var copia = respuesta.clone();
  return copia.text().then(function (html) {
    var cabeceras = new Headers(copia.headers);
    cabeceras.set("X-Alerta-Guardado", String(Date.now()));
    return caches.open(CACHE).then(function (c) {
      return c.put(pedido, new Response(html, { status: 200, headers: cabeceras }));
    });
  });
}

function paginaSinConexion() {
  return new Response(SIN_CONEXION, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" }
  });
}

function redPrimero(pedido) {
  var url = new URL(pedido.url);
  var clave = url.origin + url.pathname;
  return fetch(pedido).then(function (respuesta) {
    return guardar(clave, respuesta).catch(function () {}).then(function () {
      return respuesta;
    });
  }, function () {
    return caches.open(CACHE).then(function (c) {
      return c.match(clave);
    }).then(function (guardada) {
      return guardada || paginaSinConexion();
    });
  });
}

function cachePrimero(pedido) {
  return caches.open(CACHE).then(function (c) {
    return c.match(pedido).then(function (guardada) {
      if (guardada) {
        return guardada;
      }
      return fetch(pedido).then(function (respuesta) {
        if (respuesta.status === 200 && respuesta.type === "basic") {
          c.put(pedido, respuesta.clone());
        }
        return respuesta;
      });
    });
  });
}

self.addEventListener("fetch", function (evento) {
  var pedido = evento.request;
  if (pedido.method !== "GET") {
    return;
  }
  var url = new URL(pedido.url);
  if (pedido.mode === "navigate" && esPagina(url)) {
    evento.respondWith(redPrimero(pedido));
  } else if (esEstatico(url)) {
    evento.respondWith(cachePrimero(pedido));
  } else if (pedido.mode === "navigate" && guardable(url)) {
    // Another page: from the network; offline, the offline page.
    evento.respondWith(fetch(pedido).catch(paginaSinConexion));
  }
});

// Pre-caching asked by a page (bandeja.js): the pages it lists, skipping the
// ones kept less than 12 hours ago (the current page is always fetched), and
// the static files they use.
function reciente(c, ruta) {
  return c.match(self.location.origin + ruta).then(function (r) {
    var cuando = r && Number(r.headers.get("X-Alerta-Guardado"));
    return Boolean(cuando && Date.now() - cuando < FRESCO_MS);
  });
}

function estaticosDe(html) {
  var rutas = [];
  var re = /(?:href|src)="(\/static\/[^"]+)"/g;
  var m;
  while ((m = re.exec(html)) !== null) {
    rutas.push(m[1].replace(/&amp;/g, "&"));
  }
  return rutas;
}

function precargarPagina(c, ruta, forzar) {
  var url = new URL(ruta, self.location.origin);
  if (!esPagina(url)) {
    return Promise.resolve([]);
  }
  return (forzar ? Promise.resolve(false) : reciente(c, url.pathname)).then(function (fresca) {
    if (fresca) {
      return [];
    }
    return fetch(url.href, { credentials: "same-origin", redirect: "follow" })
      .then(function (respuesta) {
        return respuesta.clone().text().then(function (html) {
          return guardar(url.origin + url.pathname, respuesta).then(function () {
            return estaticosDe(html);
          });
        });
      });
  }).catch(function () { return []; });
}

function precargarEstatico(c, ruta) {
  var url = new URL(ruta, self.location.origin);
  if (!esEstatico(url)) {
    return Promise.resolve();
  }
  return c.match(url.href).then(function (ya) {
    if (ya) {
      return undefined;
    }
    return fetch(url.href).then(function (r) {
      if (r.status === 200) {
        return c.put(url.href, r);
      }
      return undefined;
    });
  }).catch(function () {});
}

self.addEventListener("message", function (evento) {
  var datos = evento.data || {};
  if (datos.tipo !== "precargar") {
    return;
  }
  var fuente = evento.source;
  evento.waitUntil(caches.open(CACHE).then(function (c) {
    var paginas = datos.paginas || [];
    return Promise.all(paginas.map(function (ruta) {
      return precargarPagina(c, ruta, ruta === datos.actual);
    })).then(function (listas) {
      var estaticos = (datos.recursos || []).concat.apply(datos.recursos || [], listas);
      return Promise.all(estaticos.map(function (ruta) {
        return precargarEstatico(c, ruta);
      }));
    }).then(function () {
      if (fuente) {
        fuente.postMessage({ tipo: "precargado", paginas: paginas.length });
      }
    });
  }));
});
