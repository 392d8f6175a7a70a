/* What Material's script bundle does at start that cannot wait, and the bundle itself on the first
 * sign of a person.
 *
 * The bundle (search, glossary tooltips, back-to-top, the header title) loads on the first pointer,
 * key, touch, focus, click or scroll. Until then the page is its HTML and CSS, which already hold
 * every figure, citation and link, so on a slow phone the main thread is free while the page first
 * renders. Material starts on DOMContentLoaded, which has passed when the bundle arrives, so that
 * event is sent once more, right after the bundle has run.
 *
 * The colour palette cannot wait: a reader whose system is dark must get the dark palette at once,
 * with its switch showing. This does what the bundle's palette component does at start (pick the
 * stored palette, else the one whose media query matches; set it on <body>; show that switch), and
 * a switch used before the bundle has run is applied and stored the same way, so the bundle then
 * starts from it. copy-citation.js is separate and does not wait. tests/browser/ checks all of this. */
(function () {
  "use strict";

  var form = document.querySelector("[data-md-component=palette]");
  var inputs = form ? Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]")) : [];

  function read(input, index) {
    return {
      index: index,
      color: {
        media: input.getAttribute("data-md-color-media"),
        scheme: input.getAttribute("data-md-color-scheme"),
        primary: input.getAttribute("data-md-color-primary"),
        accent: input.getAttribute("data-md-color-accent"),
      },
    };
  }

  function apply(palette, store) {
    var color = palette.color;
    if (color.media === "(prefers-color-scheme)") {
      var light = matchMedia("(prefers-color-scheme: light)").matches;
      var match = document.querySelector(
        "[data-md-color-media='(prefers-color-scheme: " + (light ? "light" : "dark") + ")']"
      );
      if (match) color = read(match, palette.index).color;
    }
    Object.keys(color).forEach(function (key) {
      if (color[key] !== null) document.body.setAttribute("data-md-color-" + key, color[key]);
    });
    inputs.forEach(function (input, i) {
      var label = input.nextElementSibling;
      if (label instanceof HTMLElement) label.hidden = i !== palette.index;
    });
    if (store) __md_set("__palette", palette);
  }

  if (inputs.length) {
    var stored = __md_get("__palette");
    var index = stored ? stored.index : -1;
    if (!stored) {
      index = inputs.findIndex(function (input) {
        return matchMedia(input.getAttribute("data-md-color-media")).matches;
      });
    }
    index = Math.max(0, Math.min(index, inputs.length - 1));
    apply(stored && stored.color ? stored : read(inputs[index], index), false);
    form.addEventListener("change", function onChange(event) {
      if (window.__trialsite_material_started) {
        form.removeEventListener("change", onChange);
        return;
      }
      var i = inputs.indexOf(event.target);
      if (i >= 0) apply(read(inputs[i], i), true);
    });
  }

  var me = document.currentScript;
  var src = me && me.getAttribute("data-bundle");
  if (!src) return;
  var events = ["pointerdown", "pointermove", "keydown", "touchstart", "focusin", "click", "scroll", "wheel"];
  var options = { capture: true, passive: true };
  var started = false;

  function start() {
    if (started) return;
    started = true;
    events.forEach(function (name) {
      window.removeEventListener(name, start, options);
    });
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () {
      window.__trialsite_material_started = true;
      document.dispatchEvent(new Event("DOMContentLoaded"));
    };
    document.body.appendChild(script);
  }

  events.forEach(function (name) {
    window.addEventListener(name, start, options);
  });
})();
