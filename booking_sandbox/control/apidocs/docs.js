// Starts Swagger UI on the document this page is named after (/_sandbox/docs/<name>).
// A file, not an inline script: the page's Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";

  // Where the dashboard keeps the control token (`--control-token`), per browser tab.
  var TOKEN_KEY = "booking-sandbox.control-token";
  var name = window.location.pathname.split("/").pop();
  var specPath = "/_sandbox/docs/" + name + ".json";

  function storedToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY);
    } catch (blocked) { // storage disabled by the browser: no token to send
      return null;
    }
  }

  function sameOrigin(url) {
    var target = new URL(url, window.location.href);
    return target.origin === window.location.origin ? target : null;
  }

  // The control token goes to the control plane only: never to a vendor path, whose own
  // Authorization (the Authorize button's) must stay as the user set it.
  function addControlToken(request) {
    var target = sameOrigin(request.url);
    var token = storedToken();
    if (token && target && target.pathname.indexOf("/_sandbox/") === 0) {
      request.headers = request.headers || {};
      if (!request.headers.Authorization) {
        request.headers.Authorization = "Bearer " + token;
      }
    }
    return request;
  }

  // The document itself is behind the control token: ask for it once, keep it, start again.
  function askForToken(response) {
    var target = sameOrigin(response.url || "");
    if (response.status === 401 && target && target.pathname === specPath) {
      var given = window.prompt(
        "This sandbox's control plane is locked (--control-token). Enter the control token:"
      );
      if (given && given.trim()) {
        window.sessionStorage.setItem(TOKEN_KEY, given.trim());
        window.location.reload();
      }
    }
    return response;
  }

  function showTitle() {
    var info = window.ui.specSelectors.info();
    var title = info && info.get("title");
    if (title) {
      document.title = title + " · API documentation · booking-sandbox";
    }
  }

  window.ui = window.SwaggerUIBundle({
    url: specPath,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null, // the public validator's badge is an outside request: offline, no
    requestInterceptor: addControlToken,
    responseInterceptor: askForToken,
    onComplete: showTitle,
  });
})();
