/* "Copy citation" menus: a disclosure button (aria-expanded) shows one button per text (APA 7,
 * AMA 11, Vancouver, slide credit); each copies the text the build put in data-citation, and says
 * so in the menu's live region. Escape closes an open menu and returns focus to its button.
 * One listener on the document serves every menu, including pages loaded by Material's
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

  // With the reference's HTML (its italics), both forms go on the clipboard: a word processor
  // pastes the HTML and keeps the italic title, a plain-text field the text.
  function copyBoth(text, html) {
    var item = new window.ClipboardItem({
      "text/plain": new Blob([text], { type: "text/plain" }),
      "text/html": new Blob([html], { type: "text/html" })
    });
    return navigator.clipboard.write([item]);
  }

  function copy(text, html) {
    if (navigator.clipboard && window.isSecureContext) {
      var first =
        html && window.ClipboardItem && navigator.clipboard.write
          ? copyBoth(text, html).catch(function () {
              return navigator.clipboard.writeText(text);
            })
          : navigator.clipboard.writeText(text);
      return first.catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function announce(button, message) {
    var holder = button.closest(".figure-actions, .copy-holder") || button.parentNode;
    var status = holder && holder.querySelector(".copy-status");
    if (!status) return;
    status.textContent = "";
    // A fresh text node after clearing makes screen readers announce a repeated message too.
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function setOpen(toggle, open) {
    var list = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!list) return;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var toggle = event.target.closest("button.cite-menu__toggle");
    if (toggle) {
      setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    var button = event.target.closest("button.copy-citation");
    if (!button) return;
    var text = button.getAttribute("data-citation") || "";
    copy(text, button.getAttribute("data-citation-html") || "").then(
      function () {
        announce(button, button.getAttribute("data-copied") || "Copied");
      },
      function () {
        announce(button, "Copy failed: select the text on the figure's page instead");
      }
    );
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var menu = event.target.closest(".cite-menu");
    var toggle = menu && menu.querySelector("button.cite-menu__toggle");
    if (!toggle || toggle.getAttribute("aria-expanded") !== "true") return;
    setOpen(toggle, false);
    toggle.focus();
  });
})();
