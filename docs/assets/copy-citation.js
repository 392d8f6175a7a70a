/* "Copy citation" buttons: copy the line the build put in data-citation, and say so.
 * One listener on the document serves every button, including pages loaded by Material's
 * instant navigation, so nothing needs re-binding. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function announce(button, message) {
    var status = button.parentNode && button.parentNode.querySelector(".copy-status");
    if (!status) return;
    status.textContent = "";
    // A fresh text node after clearing makes screen readers announce a repeated message too.
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy-citation");
    if (!button) return;
    var text = button.getAttribute("data-citation") || "";
    copy(text).then(
      function () {
        announce(button, "Citation copied");
      },
      function () {
        announce(button, "Copy failed: select the text of the figure instead");
      }
    );
  });
})();
