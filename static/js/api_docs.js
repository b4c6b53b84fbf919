// Starts Swagger UI on the API's documentation page (templates/api/docs.html).
// Kept out of the page: the Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";
  var nodo = document.getElementById("swagger-ui");
  nodo.textContent = "";
  window.ui = SwaggerUIBundle({
    url: nodo.dataset.esquema,
    domNode: nodo,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No request to validator.swagger.io: nothing leaves the server's origin.
    validatorUrl: null,
    // The session's cookie signs the "Try it out" requests in.
    withCredentials: true,
  });
})();
