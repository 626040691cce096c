// The app's one script of its own, served from the app's origin (softmax_ui/page_script.py).
// 1. The page's language: <html lang> follows the reader's language (the link's ?lang=, else
//    the browser's), so a screen reader reads a Spanish page with a Spanish voice.
// 2. Decimal commas: in a Spanish or French page, a comma typed or pasted into a number box
//    becomes a decimal point (the browser's number box would drop it: "0,5" became 5).
// 3. On a phone the sidebar closes when one of its page links is chosen: it lies over the
//    page there, and stayed open over the page just opened.
// 4. Browser history: one entry per page reached, not one per change of a setting.
(() => {
  "use strict";
  const LANGUAGES = ["en", "es", "fr"];

  function readersLanguage() {
    // as the server reads it (softmax_ui.i18n.supported): "ES" and "fr-CA" are es and fr
    const asked = (new URLSearchParams(window.location.search).get("lang") || "")
      .slice(0, 2)
      .toLowerCase();
    if (LANGUAGES.includes(asked)) return asked;
    const browser = (navigator.language || "").slice(0, 2).toLowerCase();
    return LANGUAGES.includes(browser) ? browser : "en";
  }

  function setLanguage() {
    const root = document.documentElement;
    const lang = readersLanguage();
    if (root && root.lang !== lang) root.lang = lang;
  }

  // 4. History: Streamlit adds a history entry for every change of the address's query, so a
  // student who moved T twice pressed Back three times to leave the page (Back to an address
  // on the same page changes nothing on it: the app reads a page's address on a session's
  // first run only, and keeps its lesson state after), and each deck step to another page
  // cost two presses. A change of the address on the same page now replaces it; another
  // page adds the entry, one per step.
  const push = window.history.pushState;
  const replace = window.history.replaceState;

  window.history.pushState = function (state, title, url) {
    const samePage =
      url !== undefined &&
      url !== null &&
      new URL(url, window.location.href).pathname === window.location.pathname;
    const result = (samePage ? replace : push).call(this, state, title, url);
    setLanguage();
    return result;
  };
  window.history.replaceState = function (...args) {
    const result = replace.apply(this, args);
    setLanguage();
    return result;
  };
  window.addEventListener("popstate", setLanguage);
  setLanguage();

  // 2. Text typed (on a keyboard or a phone's), autocorrected or dropped into a box arrives
  // as one of these input types, before the box sees it (a paste: below). Shortcuts and an
  // IME's composition are other types.
  const TYPED = ["insertText", "insertReplacementText", "insertFromDrop"];
  const isNumberBox = (target) => target instanceof HTMLInputElement && target.type === "number";
  const commaIsDecimal = () => readersLanguage() !== "en";

  function insert(text) {
    document.execCommand("insertText", false, text);
  }

  document.addEventListener(
    "beforeinput",
    (event) => {
      if (!isNumberBox(event.target) || !commaIsDecimal()) return;
      if (!TYPED.includes(event.inputType) || !event.data || !event.data.includes(",")) return;
      event.preventDefault();
      insert(event.data.replaceAll(",", "."));
    },
    true,
  );
  document.addEventListener(
    "paste",
    (event) => {
      if (!isNumberBox(event.target) || !commaIsDecimal()) return;
      const text = (event.clipboardData && event.clipboardData.getData("text")) || "";
      if (!/^\s*[-+]?\d*,\d+([eE][-+]?\d+)?\s*$/.test(text)) return;
      event.preventDefault();
      insert(text.trim().replace(",", "."));
    },
    true,
  );

  // 3. The sidebar lies over the page (a narrow screen) rather than beside it: choosing a page
  // in it closes it, as Streamlit's own page menu does.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[href]");
    const sidebar = document.querySelector("[data-testid='stSidebar']");
    const main = document.querySelector("[data-testid='stMain']");
    if (!link || !sidebar || !main || !sidebar.contains(link)) return;
    if (!link.closest("[data-testid='stPageLink']")) return;
    if (sidebar.getBoundingClientRect().right <= main.getBoundingClientRect().left + 1) return;
    window.setTimeout(() => {
      const close = sidebar.querySelector("[data-testid='stSidebarCollapseButton'] button");
      if (close) close.click();
    }, 0);
  });
})();
