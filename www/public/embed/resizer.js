/* tao-engine iframe resizer (MIT, part of tao-engine; no dependencies). Include it once on the page
   that embeds tao-engine iframes (classic script, any origin):

     <iframe data-tao-embed src="https://…/embed/stake.html?netuid=1&amount=250"
             style="width:100%;border:0" title="Stake simulator"></iframe>
     <script src="https://…/embed/resizer.js"></script>

   For every <iframe data-tao-embed> it sets the height the frame reports, and re-dispatches each
   message of the frame as a `tao-embed` DOM event on the iframe element (detail: the message, e.g.
   { kind: "event", event: "result", detail }). Messages are taken only from the iframe's own window
   and origin. window.taoEmbed.set(iframe, { amount: "500" }) changes the demo's attributes. */
(function () {
  "use strict";
  if (window.taoEmbed) return;
  var TYPE = "tao-embed";
  function frames() { return document.querySelectorAll("iframe[data-tao-embed]"); }
  function originOf(frame) {
    try { return new URL(frame.src, location.href).origin; } catch (e) { return null; }
  }
  window.addEventListener("message", function (ev) {
    var msg = ev.data;
    if (!msg || msg.type !== TYPE) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (frame.contentWindow !== ev.source) continue;
      if (originOf(frame) !== ev.origin) return;
      if (msg.kind === "height" && typeof msg.height === "number" && msg.height >= 0 && msg.height < 100000) {
        frame.style.height = Math.ceil(msg.height) + "px";
      }
      frame.dispatchEvent(new CustomEvent(TYPE, { detail: msg }));
      return;
    }
  });
  window.taoEmbed = {
    /** Set (or, with null, remove) attributes of the demo inside `frame`. */
    set: function (frame, attributes) {
      frame.contentWindow.postMessage({ type: TYPE, kind: "set", attributes: attributes }, originOf(frame));
    },
    /** Ask `frame` to report its height again. */
    refresh: function (frame) {
      frame.contentWindow.postMessage({ type: TYPE, kind: "get-height" }, originOf(frame));
    },
  };
})();
