/*
 * Clinic chat widget: vanilla JS, talks to Rasa's socket.io channel.
 *
 * Embed with a configuration object and one script tag:
 *   <script>window.clinicChat = {serverUrl: "https://rasa.example", title: "...",
 *     phone: "01564 330773", colours: {primary: "#0b5563", accent: "#8a2c0d"}};</script>
 *   <script src="https://web.example/static/widget.js" defer></script>
 *
 * Every text from the user or the bot goes into the page through textContent,
 * never as HTML. The transcript is kept in localStorage (Rasa's socket.io
 * channel does not replay history) with the session id, so a reload shows the
 * same conversation and carries on with it.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__clinicChatLoaded) return;
  window.__clinicChatLoaded = true;

  var STATIC_BASE = new URL(".", script.src);
  var defaults = {
    serverUrl: "http://127.0.0.1:5005",
    socketPath: "/socket.io",
    webUrl: new URL("..", STATIC_BASE).href, // where /book lives
    title: "Chat with us",
    subtitle: "Back pain and running",
    clinicName: "the clinic",
    phone: "",
    launcherText: "Back pain? Chat with us",
    maxAgeMinutes: 60, // Rasa's session_expiration_time
    colours: {},
  };
  var config = Object.assign({}, defaults, window.clinicChat || {});
  var colours = Object.assign({ primary: "#0b5563", accent: "#8a2c0d" }, config.colours);
  var STORE_KEY = "clinicChat:" + config.serverUrl;
  var LINK_PAYLOAD = /^(https?:|tel:)/i;
  var BULLET = /^\s*[•*-]\s+/;

  // ---------------------------------------------------------------- state

  function freshState() {
    return { sessionId: null, items: [], open: false, unread: 0, greeted: false, updatedAt: 0 };
  }

  function loadState() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      var maxAge = config.maxAgeMinutes * 60 * 1000;
      if (saved && Array.isArray(saved.items) && Date.now() - saved.updatedAt < maxAge) {
        return Object.assign(freshState(), saved);
      }
    } catch (error) {
      /* unreadable or blocked storage: start afresh */
    }
    return freshState();
  }

  var state = loadState();

  function save() {
    state.updatedAt = Date.now();
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      /* private mode or full: the chat still works, without reload history */
    }
  }

  // ------------------------------------------------------------- helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function telHref(phone) {
    return "tel:" + String(phone).replace(/[^\d+]/g, "");
  }

  function luminance(hex) {
    var match = /^#?([\da-f]{6}|[\da-f]{3})$/i.exec(hex || "");
    if (!match) return null;
    var digits = match[1].length === 3 ? match[1].replace(/./g, "$&$&") : match[1];
    var channels = [0, 2, 4].map(function (i) {
      var c = parseInt(digits.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    if (la === null || lb === null) return 0;
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  // Text on a configured colour: white or near-black, whichever contrasts more.
  function textOn(colour) {
    return contrast(colour, "#ffffff") >= contrast(colour, "#111111") ? "#ffffff" : "#111111";
  }

  // A colour for links and outlines on light backgrounds; falls back to a dark
  // blue when the configured one would fail WCAG AA (4.5:1) on the bot bubble.
  function readableOnLight(colour) {
    return contrast(colour, "#f1f3f4") >= 4.5 ? colour : "#1a4f8b";
  }

  // The booking link of the triage payload, rewritten to go through the web
  // app's /book, which records the hand-off and redirects to the clinic's site.
  function viaWebApp(bookingUrl) {
    try {
      var source = new URL(bookingUrl);
      var book = new URL("book", new URL(config.webUrl, document.baseURI));
      ["ref", "level", "priority"].forEach(function (key) {
        var value = source.searchParams.get(key);
        if (value) book.searchParams.set(key, value);
      });
      book.searchParams.set("channel", "web");
      return book.href;
    } catch (error) {
      return bookingUrl;
    }
  }

  // A speech bubble, drawn without any font or image file.
  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "cc-launcher-icon");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute(
      "d",
      "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"
    );
    svg.append(path);
    return svg;
  }

  // ------------------------------------------------------------ the DOM

  var root = el("div", "cc-root");
  root.style.setProperty("--cc-primary", colours.primary);
  root.style.setProperty("--cc-on-primary", textOn(colours.primary));
  root.style.setProperty("--cc-link", readableOnLight(colours.primary));
  root.style.setProperty("--cc-accent", colours.accent);
  root.style.setProperty("--cc-on-accent", textOn(colours.accent));

  var launcher = el("button", "cc-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-controls", "cc-panel");
  launcher.setAttribute("aria-expanded", "false");
  var launcherIcon = chatIcon();
  var launcherLabel = el("span", "cc-launcher-label", config.launcherText);
  var badge = el("span", "cc-badge");
  badge.hidden = true;
  launcher.append(launcherIcon, launcherLabel, badge);

  var panel = el("section", "cc-panel");
  panel.id = "cc-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "cc-title");

  var header = el("header", "cc-header");
  var headings = el("div", "cc-headings");
  var title = el("h2", "cc-title", config.title);
  title.id = "cc-title";
  headings.append(title, el("p", "cc-subtitle", config.subtitle));
  var restart = el("button", "cc-restart", "Start over");
  restart.type = "button";
  var close = el("button", "cc-close");
  close.type = "button";
  close.setAttribute("aria-label", "Minimise chat");
  var closeIcon = el("span", "", "✕");
  closeIcon.setAttribute("aria-hidden", "true");
  close.append(closeIcon);
  header.append(headings, restart, close);

  var offline = el("div", "cc-offline");
  offline.setAttribute("role", "alert");
  offline.hidden = true;

  var body = el("div", "cc-body");
  var privacy = el("p", "cc-privacy");
  privacy.append(
    el("strong", "", "This is not a diagnosis. In an emergency, call 999. "),
    document.createTextNode(
      "Your messages go to " + config.clinicName + " to answer you. They are kept only " +
        "if you agree when asked; staff may then read them to prepare your visit and to " +
        "improve this assistant. Please don't share your name, address or date of birth. " +
        'The conversation stays in this browser for up to an hour; "Start over" clears it.'
    )
  );
  var log = el("div", "cc-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "Conversation");
  body.append(privacy, log);

  var typing = el("div", "cc-typing");
  typing.hidden = true;
  var dots = el("span", "cc-dots");
  dots.setAttribute("aria-hidden", "true");
  dots.append(el("span"), el("span"), el("span"));
  typing.append(dots, el("span", "cc-sr", "The assistant is typing"));

  var form = el("form", "cc-form");
  var label = el("label", "cc-sr", "Your message");
  label.htmlFor = "cc-input";
  var input = el("input", "cc-input");
  input.id = "cc-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 1000;
  input.placeholder = "Type your message…";
  var send = el("button", "cc-send", "Send");
  send.type = "submit";
  form.append(label, input, send);

  panel.append(header, offline, body, typing, form);
  root.append(panel, launcher);

  // ---------------------------------------------------------- rendering

  // Appends ``text`` to ``parent``, turning web addresses and the clinic's
  // phone number into links. Only text nodes and attributes: no HTML.
  function appendLinked(parent, text) {
    var phone = config.phone ? config.phone.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : null;
    var pattern = new RegExp(
      "(https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]])" + (phone ? "|(" + phone + ")" : ""),
      "g"
    );
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      if (match.index > last) parent.append(text.slice(last, match.index));
      var link = el("a", "cc-link", match[0]);
      if (match[1]) {
        link.href = match[1];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      } else {
        link.href = telHref(match[0]);
      }
      parent.append(link);
      last = pattern.lastIndex;
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  // Lines become paragraphs; runs of bullet lines ("• ...", "- ...") a list.
  function renderText(container, text) {
    var list = null;
    String(text)
      .split("\n")
      .forEach(function (line) {
        if (BULLET.test(line)) {
          if (!list) list = container.appendChild(el("ul", "cc-list"));
          appendLinked(list.appendChild(el("li")), line.replace(BULLET, ""));
        } else if (line.trim()) {
          list = null;
          appendLinked(container.appendChild(el("p")), line);
        }
      });
  }

  function message(who, speaker) {
    var node = el("div", "cc-msg cc-msg--" + who);
    node.append(el("span", "cc-sr", speaker + ": "));
    return node;
  }

  function action(className, text, href, newTab) {
    var link = el("a", "cc-action " + className, text);
    link.href = href;
    if (newTab) {
      link.target = "_blank";
      link.rel = "noopener";
    }
    return link;
  }

  function renderHandoff(item) {
    var node = el("div", "cc-handoff");
    node.setAttribute("aria-label", "Next steps");
    node.setAttribute("role", "group");
    var phone = (item.booking && item.booking.phone) || config.phone;
    if (item.booking) {
      node.append(action("cc-action--book", "Book an appointment", viaWebApp(item.booking.url), true));
      if (phone) node.append(action("cc-action--call", "Call " + phone, telHref(phone)));
    } else if (item.level === "emergency") {
      node.append(action("cc-action--emergency", "Call 999", "tel:999"));
    }
    return node;
  }

  function renderReplies(item) {
    var group = el("div", "cc-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggested answers");
    item.replies.forEach(function (reply) {
      if (LINK_PAYLOAD.test(reply.payload)) {
        group.append(action("cc-reply cc-reply--link", reply.title, reply.payload, true));
        return;
      }
      var button = el("button", "cc-reply", reply.title);
      button.type = "button";
      button.addEventListener("click", function () {
        userSays(reply.title, reply.payload);
        input.focus();
      });
      group.append(button);
    });
    return group;
  }

  function renderItem(item) {
    if (item.kind === "user") {
      var mine = message("user", "You");
      mine.append(el("p", "", item.text));
      return mine;
    }
    if (item.kind === "handoff") return renderHandoff(item);
    var node = message("bot", "Assistant");
    renderText(node, item.text || "");
    if (item.replies && item.replies.length && !item.repliesUsed) {
      node.append(renderReplies(item));
    }
    return node;
  }

  function scrollToEnd() {
    body.scrollTop = body.scrollHeight;
  }

  function renderAll() {
    log.replaceChildren.apply(log, state.items.map(renderItem));
    scrollToEnd();
  }

  function add(item) {
    state.items.push(item);
    log.append(renderItem(item));
    save();
    scrollToEnd();
  }

  // Quick replies answer the latest question only: once anything is sent,
  // earlier ones go.
  function retireReplies() {
    state.items.forEach(function (item) {
      if (item.replies && item.replies.length) item.repliesUsed = true;
    });
    log.querySelectorAll(".cc-replies").forEach(function (group) {
      group.remove();
    });
  }

  function updateBadge() {
    badge.hidden = state.unread === 0;
    badge.textContent = String(state.unread);
    launcher.setAttribute(
      "aria-label",
      config.launcherText + (state.unread ? ", " + state.unread + " unread" : "")
    );
  }

  // ---------------------------------------------------------- talking

  var socket = null;
  var ready = false; // connected and the session confirmed
  var queue = [];
  var typingTimer = null;
  var pendingTriage = null;
  var pendingTimer = null;

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(showTyping, 20000, false);
  }

  function emit(text) {
    if (ready) {
      socket.emit("user_uttered", { message: text, session_id: state.sessionId });
    } else {
      queue.push(text);
    }
    showTyping(true);
  }

  function userSays(text, payload) {
    retireReplies();
    add({ kind: "user", text: text });
    emit(payload || text);
  }

  // A new outcome (after a correction, say) replaces the earlier buttons.
  function flushTriage() {
    clearTimeout(pendingTimer);
    if (!pendingTriage) return;
    state.items = state.items.filter(function (item) {
      return item.kind !== "handoff";
    });
    log.querySelectorAll(".cc-handoff").forEach(function (node) {
      node.remove();
    });
    add({ kind: "handoff", level: pendingTriage.level, booking: pendingTriage.booking });
    pendingTriage = null;
  }

  function onBotMessage(data) {
    if (!data || typeof data !== "object") return;
    var triage = data.custom && data.custom.triage;
    if (triage) {
      // The booking and call buttons come from the payload; they are shown
      // after the hand-off text that follows it (or on their own shortly).
      pendingTriage = {
        level: String(triage.level || ""),
        booking: triage.booking && triage.booking.url ? triage.booking : null,
      };
      if (!pendingTriage.booking) flushTriage();
      else pendingTimer = setTimeout(flushTriage, 1500);
    }
    if (typeof data.text === "string" || Array.isArray(data.quick_replies)) {
      var replies = (data.quick_replies || [])
        .filter(function (reply) {
          return reply && typeof reply.title === "string" && typeof reply.payload === "string";
        })
        .map(function (reply) {
          return { title: reply.title, payload: reply.payload };
        });
      var links = replies.some(function (reply) {
        return LINK_PAYLOAD.test(reply.payload);
      });
      if (links && pendingTriage) {
        // The payload's buttons replace the link buttons of the hand-off text.
        replies = replies.filter(function (reply) {
          return !LINK_PAYLOAD.test(reply.payload);
        });
      }
      add({ kind: "bot", text: String(data.text || ""), replies: replies });
      if (links && pendingTriage) flushTriage();
    }
    showTyping(false);
    if (!state.open) {
      state.unread += 1;
      save();
      updateBadge();
    }
  }

  function showOffline(on) {
    offline.hidden = !on;
    if (!on || offline.childNodes.length) return;
    offline.append("Sorry, we can't reach the chat right now.");
    if (config.phone) {
      offline.append(" Please call " + config.clinicName + " on ");
      var link = el("a", "cc-link", config.phone);
      link.href = telHref(config.phone);
      offline.append(link, ".");
    }
    offline.append(" In an emergency, call 999.");
  }

  function greetIfNew() {
    if (ready && state.open && !state.greeted && state.items.length === 0) {
      state.greeted = true;
      save();
      emit("/greet");
    }
  }

  function connect() {
    if (typeof window.io !== "function") {
      showOffline(true);
      return;
    }
    // WebSocket only: Rasa's server sends no CORS headers for long-polling.
    socket = window.io(config.serverUrl, {
      path: config.socketPath,
      transports: ["websocket"],
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      if (typeof sessionId === "string" && sessionId) state.sessionId = sessionId;
      save();
      ready = true;
      showOffline(false);
      queue.splice(0).forEach(emit);
      greetIfNew();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("connect_error", function () {
      ready = false;
      showTyping(false);
      showOffline(true);
    });
    socket.on("disconnect", function () {
      ready = false;
      showOffline(true);
    });
  }

  // ----------------------------------------------------------- behaviour

  function setOpen(open, focus) {
    state.open = open;
    if (open) state.unread = 0;
    save();
    panel.hidden = !open;
    root.classList.toggle("cc-root--open", open);
    launcher.setAttribute("aria-expanded", String(open));
    updateBadge();
    if (open) {
      scrollToEnd();
      if (focus) input.focus();
      greetIfNew();
    } else if (focus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(!state.open, true);
  });
  close.addEventListener("click", function () {
    setOpen(false, true);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false, true);
  });
  restart.addEventListener("click", function () {
    state.items = [];
    state.greeted = true; // the reply to /start_over introduces the assistant again
    pendingTriage = null;
    clearTimeout(pendingTimer);
    save();
    renderAll();
    emit("/start_over");
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    userSays(text);
  });

  function start() {
    document.body.append(root);
    renderAll();
    setOpen(state.open, false);
    if (typeof window.io === "function") {
      connect();
    } else {
      var loader = document.createElement("script");
      loader.src = new URL("vendor/socket.io.min.js", STATIC_BASE).href;
      loader.onload = connect;
      loader.onerror = function () {
        showOffline(true);
      };
      document.head.append(loader);
    }
  }

  var styles = document.createElement("link");
  styles.rel = "stylesheet";
  styles.href = new URL("widget.css", STATIC_BASE).href;
  document.head.append(styles);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
