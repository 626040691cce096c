// The app's one script of its own, served from the app's origin (softmax_ui/page_script.py).
// 1. The page's language: <html lang> follows the reader's language (the link's ?lang=, else
//    the browser's), so a screen reader reads a Spanish page with a Spanish voice.
// 2. Decimal commas: in a Spanish or French page, a comma typed or pasted into a number box
//    becomes a decimal point (the browser's number box would drop it: "0,5" became 5); in
//    an English page too where it cannot group thousands ("0,42").
// 3. On a phone the sidebar closes when one of its page links, or a language, is chosen: it
//    lies over the page there (beside it on a phone held sideways), and stayed open over the
//    page just opened.
// 4. Browser history: one entry per page reached, not one per change of a setting; a page
//    reached opens at its top.
// 5. A lesson's tab opened by keyboard keeps the focus through the run that draws it.
// 6. The screen's width class, for the server: a phone gets the presenter view's hidden
//    parts but not its projector-sized type; a phone held sideways opens with the sidebar
//    closed. This browser's secret, with which the teacher of a class started here leads it
//    again after a server restart.
// 7. Streamlit's own words (its buttons' names, the skip link) in the reader's language, a
//    slider's numbers with the reader's decimal sign, and its decorative icons' names
//    ("bar_chart icon") out of what a screen reader reads.
// 8. A select box at the screen's edge opens at the first click.
// 9. A button pressed by keyboard that its run disables (the quiz's Check) or removes (an
//    example's Load) hands the focus to the next control, not to nowhere.
// 10. A metric's number keeps one line: its type shrinks to fit its column.
// 11. A presentation clicker steps a deck: Page Down is Next, Page Up is Previous; each press
//     is one step, also while the page is busy.
// 12. A change the server has not answered for a few seconds (a stalled Wi-Fi) is said so.
// 13. What a button's press draws below the screen's edge (the quiz's verdict) scrolls into
//     view.
// 14. A page opened from a link by keyboard puts the focus on its title.
// 15. What the app has a screen reader say (softmax_ui.page.announce) is said once it has
//     settled, in one live region the page keeps.
// 16. A box's value, then a tap on a phone: the press is made once the value has gone (a
//     link box's Copy, once the link is drawn with it).
// 17. A popover its own form closes (the live class's nickname) gives the focus back to its
//     button.
// 18. A link box's Copy button copies its link (softmax_ui.page.link_box).
(() => {
  "use strict";
  // part 18: the Copy buttons are drawn where this script runs (they do nothing without it)
  document.documentElement.classList.add("softmax-script");

  // 6. A cookie the app reads when a session connects (softmax_ui.page.narrow_screen): set
  // before Streamlit's own script opens the session's websocket (this script runs first).
  // The presenter view's chart fonts are made on the server, which cannot see the screen: at
  // a projector's size they crowded and cut a phone's charts. Nothing else is in it.
  const NARROW = window.matchMedia("(max-width: 640px)");
  function screenCookie() {
    document.cookie =
      "softmax_screen=" + (NARROW.matches ? "narrow" : "wide") + "; path=/; SameSite=Strict";
  }
  screenCookie();
  NARROW.addEventListener("change", screenCookie);
  // A phone held sideways (a short touch screen): Streamlit opened the sidebar over 300 of
  // its 844 px on every page load (it opens it above a width, whatever the height); the app
  // opens the page with it closed there (softmax_ui.page.short_touch_screen).
  const SHORT = window.matchMedia("(max-height: 500px) and (pointer: coarse)");
  function shortCookie() {
    document.cookie =
      "softmax_short=" + (SHORT.matches ? "short" : "tall") + "; path=/; SameSite=Strict";
  }
  shortCookie();
  SHORT.addEventListener("change", shortCookie);
  // This browser's own secret (softmax_ui.live.DEVICE_COOKIE): a class started here has the
  // teacher key this secret makes, so this browser leads it again after a server restart or
  // a reload, whose new session knows no teacher; the address bar holds no key (the
  // projector shows it), and a teacher who had not kept the teacher link lost the class (a
  // tour). Made here, never sent by the server; kept until the browser closes, and made
  // anew when the teacher leaves the class on this device (a shared computer: whoever opened
  // the teacher's address from its history would lead the class), which the server marks.
  function keepSecret(secret) {
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `softmax_device=${secret}; path=/; SameSite=Strict${secure}`;
  }
  function newSecret() {
    return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
  }
  const kept = /(?:^|;\s*)softmax_device=([A-Za-z0-9_-]{32})(?:;|$)/.exec(document.cookie);
  keepSecret(kept ? kept[1] : newSecret());
  let forgotten = ""; // the server's last mark (softmax_ui.live.FORGET_DEVICE), done once
  new MutationObserver(() => {
    const mark = document.querySelector("[data-softmax-forget-device]");
    const nonce = mark ? mark.getAttribute("data-softmax-forget-device") : "";
    if (nonce && nonce !== forgotten) {
      forgotten = nonce;
      keepSecret(newSecret());
    }
  }).observe(document.documentElement, { subtree: true, childList: true });
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

  let onLanguageChange = null; // part 7
  let languageChosenAt = -Infinity; // part 3: when the language switch was last pressed

  function setLanguage() {
    const root = document.documentElement;
    const lang = readersLanguage();
    if (root && root.lang !== lang) {
      const switched = !!root.lang; // not the page's first language
      root.lang = lang;
      if (onLanguageChange) onLanguageChange();
      // part 3: a language the reader chose in the sidebar's switch
      if (switched && performance.now() - languageChosenAt < 20000) closeSidebarOverPage();
    }
  }

  // 4. History: Streamlit adds a history entry for every change of the address's query, so a
  // student who moved T twice pressed Back three times to leave the page, and each deck step
  // to another page cost two presses. A change of the address on the same page now replaces
  // it; another page adds the entry, one per step, and so does another scene of a deck on
  // the same page (Back from "the max-shift fixes it" skipped "the naive formula overflows",
  // both on Naive vs stable: a projector tour). Each entry holds the last view shown on its
  // page or scene, which Back shows again (the server reads the entry's address).
  const push = window.history.pushState;
  const replace = window.history.replaceState;

  // A page reached opens at its top: a button far down a page that opened another one (the
  // workshop's "start the deck", a deck's scene) left the new page scrolled as far down, its
  // title and scene bar out of sight (Back and Forward, popstate, keep the browser's own).
  //   A switch to another page with an address (a deck's step, a follower's move:
  // st.switch_page with the next view's query) first writes that query on the page left,
  // then adds the new page with the same query: the page left's entry held the next view,
  // so Back to it showed the next scene's settings there. When a new page comes with the
  // very query last written on the page left, soon after (the two are 10 ms apart on the
  // server), and the reader pressed nothing in between, that entry gets back the address
  // it had before the write. A page chosen in the menu after a change of setting keeps the
  // change: the click comes between (the new page may come with the same query, the
  // session's); a follower's page keeps a change made long before (a review). A deck's step
  // by the keyboard, which part 11 takes, is no press that comes between (a second step on
  // its way). It was "a new page within the run that wrote", and a run's end is not always
  // seen (its start and end drawn in one frame), nor is a deck's step on a busy server one
  // run: a page chosen in the menu after a change brought back the address from before the
  // change (a CI run), and a deck's step left the next scene on the page left.
  const RESTORE_WITHIN = 4000; // ms from the write to the new page
  let beforeWrite = null; // the address the last write on this page replaced
  let wroteAt = 0;
  // A deck's step from one scene to another writes the next scene's address on the page
  // left first: an entry of its own (another scene), which the step's new page then takes
  // over rather than add a second one. Into a deck or out of it (the Workshop's "Start the
  // deck", "Leave deck", a page drawn again without its query) is no step: as above.
  let sceneEntry = false;
  const forget = () => {
    beforeWrite = null;
    sceneEntry = false;
  };
  window.addEventListener("pointerdown", forget, true);
  window.addEventListener("keydown", (event) => {
    if (!event.defaultPrevented) forget(); // after part 11, which takes a deck's step
  });
  const sceneIn = (address) => address.searchParams.get("scene") || "";
  window.history.pushState = function (state, title, url) {
    const given = url !== undefined && url !== null;
    const target = given ? new URL(url, window.location.href) : null;
    const here = new URL(window.location.href);
    const samePath = given && target.pathname === here.pathname;
    const [from, to] = given ? [sceneIn(here), sceneIn(target)] : ["", ""];
    const sceneStep = samePath && from !== "" && to !== "" && from !== to;
    const samePage = samePath && !sceneStep;
    let addEntry = given && !samePage;
    // A deck started in the presenter view has the whole screen: the sidebar, left open
    // when the view was turned on there (what to hide, the share link), took a fifth of a
    // 1280 px projector and the scenes' charts were below it (a projector tour).
    if (given && from === "" && to !== "" && target.searchParams.get("present") === "1") {
      closeSidebar();
    }
    if (samePage && target.href !== here.href) {
      beforeWrite = here.href;
      wroteAt = Date.now();
    } else if (given && !samePage) {
      const stepsOn =
        !samePath &&
        Date.now() - wroteAt <= RESTORE_WITHIN &&
        target.search !== "" &&
        target.search === here.search;
      if (stepsOn && sceneEntry && to !== "") {
        addEntry = false; // the step's entry, added by its first write: now on its page
      } else if (stepsOn && beforeWrite !== null && new URL(beforeWrite).pathname === here.pathname) {
        replace.call(this, window.history.state, "", beforeWrite);
      }
      forget();
      if (sceneStep) {
        sceneEntry = true;
        wroteAt = Date.now();
      }
    }
    const result = (addEntry ? push : replace).call(this, state, title, url);
    if (given && !samePage) {
      const main = document.querySelector("[data-testid='stMain']");
      if (main) main.scrollTop = 0;
      window.scrollTo(0, 0);
    }
    setLanguage();
    return result;
  };
  window.history.replaceState = function (...args) {
    const result = replace.apply(this, args);
    setLanguage();
    return result;
  };
  window.addEventListener("popstate", () => {
    forget(); // another entry: what was replaced on the last is not this one's
    setLanguage();
  });
  setLanguage();

  // 7. Streamlit's own words. Streamlit names its controls in English whatever the page's
  // language ("Help for Température T", "Increment", "Copy to clipboard"), and names each
  // icon by its ligature ("bar_chart icon", read out before a page's title). The table comes
  // from the app's catalogues (softmax_ui/streamlit_words.py, written in when served). Only
  // Streamlit's own elements are looked at, and a name that repeats an element's own text
  // (which may be a student's) is left as it is. Each value seen is kept with the English it
  // came from, so a switch of language translates it again. A slider's value and ends
  // ("0.50", "-1000.00") get the reader's decimal sign, as every other number on the page.
  const WORDS = /*WORDS*/ null /*WORDS*/;
  const ATTRIBUTES = ["aria-label", "placeholder", "title", "aria-valuetext"];
  const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;
  const originals = new WeakMap(); // node -> {attribute or "#text": [English, written]}

  function templatesOf(table) {
    return table.templates.map(([english, translated]) => {
      const parts = english.split(/\{\w+\}/);
      const pattern = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      return [new RegExp("^" + pattern.join("(.+)") + "$", "s"), translated];
    });
  }
  const compiled = {};
  function say(kind, english) {
    const lang = readersLanguage();
    const table = WORDS && WORDS.languages[lang];
    if (!table) return null;
    const own = (words) => Object.prototype.hasOwnProperty.call(words, english);
    if (kind === "numbers") {
      return PLAIN_NUMBER.test(english) ? english.replace(".", table.decimal) : null;
    }
    if (kind === "texts") return own(table.texts) ? table.texts[english] : null;
    if (kind === "counts") {
      // "64/240" under a box that takes 240 characters so a paste is not dropped unsaid:
      // the app's own limit, "64/60"
      const count = /^(\d+)\/(\d+)$/.exec(english);
      const boxes = WORDS.boxes || {};
      if (!count || !Object.prototype.hasOwnProperty.call(boxes, count[2])) return null;
      return count[1] + "/" + boxes[count[2]];
    }
    if (own(table.names)) return table.names[english];
    compiled[lang] = compiled[lang] || templatesOf(table);
    for (const [pattern, translated] of compiled[lang]) {
      const found = pattern.exec(english);
      if (found) return translated.replace(/\{\w+\}/, () => found[1]);
    }
    return null;
  }

  function retell(node, key, current, kind, write) {
    const seen = originals.get(node) || {};
    const before = seen[key];
    // a value this script did not write is Streamlit's (new) English
    const english = before && before[1] === current ? before[0] : current;
    const wanted = say(kind, english);
    const written = wanted === null ? english : wanted;
    seen[key] = [english, written];
    originals.set(node, seen);
    if (written !== current) write(written);
  }

  function retellElement(element) {
    let own = null; // the element's own text, read only if it has a name to compare
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (!value) continue;
      if (own === null) own = element.textContent.trim();
      if (value.trim() === own) continue;
      const kind = name === "aria-valuetext" ? "numbers" : "names";
      retell(element, name, value, kind, (v) => element.setAttribute(name, v));
    }
  }

  function quietIcon(icon) {
    // an icon beside words says nothing the words do not: its name is its ligature
    const label = icon.getAttribute("aria-label") || "";
    if (!/ icon$/.test(label) || icon.getAttribute("aria-hidden") === "true") return;
    const parent = icon.parentElement;
    const holder = parent && parent.closest("a, button, h1, h2, h3, p, li, label, div");
    const rest = holder ? holder.textContent.replace(icon.textContent, "").trim() : "";
    if (rest) icon.setAttribute("aria-hidden", "true");
  }

  function kindOfText(text) {
    // Streamlit's words (the skip link, the main menu) or a slider's numbers, else null
    const parent = text.parentElement;
    if (!parent) return null;
    if (WORDS.instructions && parent.closest(WORDS.instructions)) {
      return /^\d+\/\d+$/.test(text.nodeValue) ? "counts" : null;
    }
    if (parent.closest(WORDS.textPlaces)) return "texts";
    if (parent.closest(WORDS.numberPlaces)) return "numbers";
    return null;
  }

  function retellText(text) {
    const kind = kindOfText(text);
    if (!kind || !text.nodeValue.trim()) return;
    retell(text, "#text", text.nodeValue, kind, (v) => {
      text.nodeValue = v;
    });
  }

  function retellTextsIn(place) {
    const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) retellText(text);
  }

  function retellWithin(root) {
    if (root instanceof Text) {
      retellText(root);
      return;
    }
    // a chart's drawing (hundreds of SVG nodes per redraw) holds none of Streamlit's words
    if (!(root instanceof Element) || root.closest(".js-plotly-plot")) return;
    const named = [...root.querySelectorAll(WORDS.named)];
    if (root.matches(WORDS.named)) named.push(root);
    named.forEach(retellElement);
    root.querySelectorAll("[role='img'][aria-label$=' icon']").forEach(quietIcon);
    const anyPlace = [WORDS.textPlaces, WORDS.numberPlaces, WORDS.instructions]
      .filter(Boolean)
      .join(", ");
    const places = [...root.querySelectorAll(anyPlace)];
    if (root.closest(anyPlace)) places.push(root); // in a place, or one itself
    places.forEach(retellTextsIn);
  }

  if (WORDS) {
    onLanguageChange = () => {
      if (document.body) retellWithin(document.body);
    };
    const observer = new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === "attributes") {
          const element = mutation.target;
          if (element.matches(WORDS.named)) retellElement(element);
          if (mutation.attributeName === "aria-label" && element.matches("[role='img']")) {
            quietIcon(element);
          }
        } else if (mutation.type === "characterData") {
          retellText(mutation.target);
        } else {
          mutation.addedNodes.forEach(retellWithin);
        }
      }
    });
    const start = () => {
      retellWithin(document.body);
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
        attributeFilter: ATTRIBUTES,
      });
    };
    if (document.body) start();
    else document.addEventListener("DOMContentLoaded", start);
  }

  // 2. Text typed (on a keyboard or a phone's), autocorrected or dropped into a box arrives
  // as one of these input types, before the box sees it (a paste: below). Shortcuts and an
  // IME's composition are other types.
  const TYPED = ["insertText", "insertReplacementText", "insertFromDrop"];
  const isNumberBox = (target) => target instanceof HTMLInputElement && target.type === "number";
  // In English a comma groups thousands ("1,5" is left to the browser: 15), except after a
  // lone 0 (or nothing), where it never does: "0,42" typed as an answer was 42 (a tour of a
  // student used to decimal commas, in an English class).
  const commaIsDecimal = (box) => readersLanguage() !== "en" || /^-?0?$/.test(box.value);
  const AFTER_ZERO = /^\s*[-+]?0?,\d+([eE][-+]?\d+)?\s*$/; // "0,420", ",5", "-0,125"

  function insert(text) {
    document.execCommand("insertText", false, text);
  }

  document.addEventListener(
    "beforeinput",
    (event) => {
      if (!isNumberBox(event.target) || !commaIsDecimal(event.target)) return;
      if (!TYPED.includes(event.inputType) || !event.data || !event.data.includes(",")) return;
      event.preventDefault();
      insert(event.data.replaceAll(",", "."));
    },
    true,
  );
  document.addEventListener(
    "paste",
    (event) => {
      if (!isNumberBox(event.target)) return;
      const text = (event.clipboardData && event.clipboardData.getData("text")) || "";
      if (!/^\s*[-+]?\d*,\d+([eE][-+]?\d+)?\s*$/.test(text)) return;
      // in English, as typed: a comma after a digit other than a lone 0 ("1,000", "1,5") is
      // left to the browser, which drops it (a thousands separator)
      if (readersLanguage() === "en" && !AFTER_ZERO.test(text)) return;
      event.preventDefault();
      insert(text.trim().replace(",", "."));
    },
    true,
  );

  // 3. The sidebar lies over the page (a narrow screen) rather than beside it: choosing a page
  // in it closes it, as Streamlit's own page menu does. So on a phone held sideways (a short
  // touch screen), where it sits beside the page: it left the page 544 of 844 px, the logit
  // boxes 45 px wide, and showed no close button until something in it was tapped.
  //    So does a change of language (chosen in its switch: the page it lies over is there to
  //    be read in it; a French student, sent a Spanish join link, chose Français and the
  //    sidebar stayed over the class page, which moved on beneath it).
  function closeSidebarOverPage() {
    const sidebar = document.querySelector("[data-testid='stSidebar']");
    const main = document.querySelector("[data-testid='stMain']");
    if (!sidebar || !main || sidebar.getAttribute("data-collapsed") === "true") return;
    const beside = sidebar.getBoundingClientRect().right <= main.getBoundingClientRect().left + 1;
    if (beside && !SHORT.matches) return;
    closeSidebar();
  }
  function closeSidebar() {
    const sidebar = document.querySelector("[data-testid='stSidebar']");
    if (!sidebar || sidebar.getAttribute("data-collapsed") === "true") return;
    window.setTimeout(() => {
      const close = sidebar.querySelector("[data-testid='stSidebarCollapseButton'] button");
      if (close) close.click();
    }, 0);
  }
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[href]");
    const sidebar = document.querySelector("[data-testid='stSidebar']");
    if (!link || !sidebar || !sidebar.contains(link)) return;
    if (link.closest("[data-testid='stPageLink']")) closeSidebarOverPage();
  });
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(
      type,
      (event) => {
        const target = event.target instanceof Element ? event.target : null;
        if (!target || !target.closest(".st-key-language_switch")) return;
        languageChosenAt = performance.now();
      },
      true,
    );
  }

  // 8. A select box partly below (or above) the screen's edge closed as soon as it opened:
  // the click opens its list, focusing it scrolls the box into view, and Streamlit closes an
  // open list when the page scrolls, so the first click seemed to do nothing (the live
  // class's "Question" box sits at the foot of a teacher's first screen). As the pointer goes
  // down on a box with no room for its list below, the box is brought to the middle of the
  // screen, and the list that scroll closed is opened again once it is over (as ArrowDown
  // opens it), unless the reader pressed or typed anything meanwhile.
  const SELECT_BOXES = "[data-testid='stSelectbox'], [data-testid='stMultiSelect']";
  const ROOM_FOR_A_LIST = 320; // px below a box for its list (Streamlit's is at most 300 tall)
  let reopen = null; // cancelled by the reader's next press or key (an option chosen)
  document.addEventListener("keydown", () => window.clearTimeout(reopen), true);
  document.addEventListener(
    "pointerdown",
    (event) => {
      window.clearTimeout(reopen);
      const box = event.target instanceof Element && event.target.closest(SELECT_BOXES);
      if (!box) return;
      const r = box.getBoundingClientRect();
      if (r.top >= 0 && r.bottom <= window.innerHeight - ROOM_FOR_A_LIST) return;
      // a box wholly in view on a screen too short to make room below it (a phone held
      // sideways, 390 px): moved, it only lost the list its tap opened (Gradients' target
      // class could not be chosen: a tour); left in place, its list opens where it fits
      const inView = r.top >= 0 && r.bottom <= window.innerHeight;
      if (SHORT.matches && inView && (window.innerHeight - r.height) / 2 < ROOM_FOR_A_LIST) {
        return;
      }
      if (event.pointerType === "touch") {
        // moved as the finger goes down, the box was no longer under it when the tap's
        // click came, which landed on what took its place: the language box at a phone's
        // sidebar foot did not open at the first tap (a tour). A tap's box moves after it.
        const tapped = (click) => {
          if (click.target instanceof Node && box.contains(click.target)) bringToMiddle(box);
        };
        document.addEventListener("click", tapped, { capture: true, once: true });
        return;
      }
      bringToMiddle(box);
    },
    true,
  );
  function bringToMiddle(box) {
    box.scrollIntoView({ block: "center" });
    // the list this press opens is closed by that scroll: open it again once it is over
    const input = box.querySelector("[role='combobox']");
    reopen = window.setTimeout(() => {
      if (input && input.isConnected && document.activeElement === input) {
        if (input.getAttribute("aria-expanded") !== "true") {
          const key = { key: "ArrowDown", code: "ArrowDown", bubbles: true, cancelable: true };
          input.dispatchEvent(new KeyboardEvent("keydown", key));
        }
      }
    }, 250);
  }

  // 5. The focus on a tab. An arrow key (or Home, End) on a lesson's tab opens another one,
  // and the run that draws it sometimes (under load) took the focus off the tab, to nowhere
  // (the page's body), though the tab stayed on the page: a keyboard or screen-reader user
  // had to Tab back from the top. When a tab loses the focus to nowhere within 10 s of such a
  // key, the focus goes back to the open tab of its tab bar once the run is over, unless the
  // reader clicked or pressed a key meanwhile, or the page changed.
  const TAB_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"];
  const tabBars = () => [...document.querySelectorAll("[role='tablist']")];
  const scriptRunning = () => {
    const app = document.querySelector("[data-testid='stApp']");
    return !!app && app.getAttribute("data-test-script-state") === "running";
  };

  // After the run. Parts 5, 9, 13, 14 and 16 act on what a reader's action drew, once the
  // run the action started is over: afterRun(act) calls act() once, the first time (looked
  // at every 0.1 s) no run is going and ready() holds; or never, if 15 s pass first (15 s
  // after mustRun's) or (with samePage) the page changes. With mustRun, a run must have been
  // seen to start (a short one can start and end between two looks: its start is watched
  // for), or that many ms passed. It returns a function that stops the watch.
  function afterRun(act, { samePage = true, mustRun = 0, ready = () => true } = {}) {
    const path = window.location.pathname;
    const since = Date.now();
    let ran = false;
    const runs = new MutationObserver(() => {
      if (scriptRunning()) ran = true;
    });
    const app = document.querySelector("[data-testid='stApp']");
    if (app && mustRun) runs.observe(app, { attributeFilter: ["data-test-script-state"] });
    const stop = () => {
      window.clearInterval(timer);
      runs.disconnect();
    };
    const timer = window.setInterval(() => {
      const waited = Date.now() - since;
      if (waited > mustRun + 15000 || (samePage && window.location.pathname !== path)) {
        stop();
        return;
      }
      if (scriptRunning()) {
        ran = true;
        return;
      }
      if ((!ran && waited < mustRun) || !ready()) return;
      stop();
      act();
    }, 100);
    return stop;
  }
  let stopTabWatch = () => {};
  let lastTabKey = -Infinity;
  let lastPointer = -Infinity; // a click moves the focus where the reader chose: left alone

  function openTabOf(watch) {
    // the same tab bar, or the one at its place if a run drew the bar anew
    const bar = watch.bar.isConnected ? watch.bar : tabBars()[watch.index];
    return bar && bar.querySelector("[role='tab'][aria-selected='true']");
  }

  document.addEventListener(
    "focusout",
    (event) => {
      const tab = event.target instanceof Element && event.target.closest("[role='tab']");
      const bar = tab && tab.closest("[role='tablist']");
      const now = performance.now();
      if (!bar || event.relatedTarget || now - lastTabKey > 10000 || now - lastPointer < 1000) {
        return;
      }
      stopTabWatch();
      const watch = { bar, index: tabBars().indexOf(bar) };
      stopTabWatch = afterRun(() => {
        const lost = !document.activeElement || document.activeElement === document.body;
        const open = openTabOf(watch);
        if (lost && open) open.focus();
      });
    },
    true,
  );
  document.addEventListener(
    "pointerdown",
    () => {
      lastPointer = performance.now();
      stopTabWatch();
    },
    true,
  );
  document.addEventListener(
    "keydown",
    (event) => {
      stopTabWatch();
      const onTab = event.target instanceof Element && event.target.closest("[role='tab']");
      if (onTab && TAB_KEYS.includes(event.key)) lastTabKey = performance.now();
    },
    true,
  );

  // 9. A button that its own run disables. The quiz's Check, pressed with Enter, is disabled
  // by the run it starts (the answer is checked), and a disabled button cannot keep the
  // focus: it fell to nowhere (the page's body), with no focus ring in sight, and a screen
  // reader went back to the top. Once that run is over, the focus goes to the next control
  // after the button (Check's is New question); to the button itself if it is still enabled
  // (a run that redrew it). Not if the reader clicked or pressed a key meanwhile.
  const FOCUSABLE =
    "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  let pressed = null;
  let stopButtonWatch = () => {};

  const buttonsNamed = (name) =>
    [...document.querySelectorAll("button")].filter((b) => b.textContent.trim() === name);

  function pressedButton() {
    // the button pressed, or the one with its name at its place if a run drew it anew
    if (pressed.button.isConnected) return pressed.button;
    return buttonsNamed(pressed.name)[pressed.index] || null;
  }

  const usable = (el) =>
    !el.disabled && el.getAttribute("aria-disabled") !== "true" && el.getClientRects().length > 0;

  function nextControl(button) {
    return [...document.querySelectorAll(FOCUSABLE)].find(
      (el) =>
        button.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING &&
        !button.contains(el) &&
        usable(el),
    );
  }

  // A control's name, to find it again once a run has drawn it anew.
  const nameOf = (el) => (el && (el.getAttribute("aria-label") || el.textContent.trim())) || "";

  // 9b. A button that its own run removes ("Load “Next word (NLP)”", shown until the example
  // is loaded): the focus fell to the page's body, and the next Tab skipped the controls
  // after it (a keyboard tour). Once that run is over, the focus goes to the control that
  // followed the button, or, drawn anew, the one of its name, or the one now in its place.
  let stopGoneWatch = () => {};

  function whereTheButtonWas(was) {
    const controls = [...document.querySelectorAll(FOCUSABLE)].filter(usable);
    if (was.next && was.next.isConnected && usable(was.next)) return was.next;
    return (
      (was.nextName && controls.find((el) => nameOf(el) === was.nextName)) ||
      controls[Math.min(was.place, controls.length - 1)] ||
      null
    );
  }

  document.addEventListener(
    "keydown",
    (event) => {
      stopButtonWatch();
      stopGoneWatch();
      const button = event.target instanceof Element && event.target.closest("button");
      if (!button || (event.key !== "Enter" && event.key !== " ")) return;
      const name = button.textContent.trim();
      pressed = { button, name, index: buttonsNamed(name).indexOf(button), at: performance.now() };
      const next = nextControl(button);
      const was = {
        next,
        nextName: nameOf(next),
        place: [...document.querySelectorAll(FOCUSABLE)].filter(usable).indexOf(button),
      };
      // a run that begins seconds after the press (a slow Wi-Fi) is waited for: the watch
      // gave up after 2 s, the run then took the button and the focus with it
      stopGoneWatch = afterRun(
        () => {
          const active = document.activeElement;
          if ((active && active !== document.body) || !pressed || pressedButton()) return;
          whereTheButtonWas(was)?.focus();
        },
        { mustRun: 10000 },
      );
    },
    true,
  );
  document.addEventListener(
    "pointerdown",
    () => {
      stopButtonWatch();
      stopGoneWatch();
    },
    true,
  );
  document.addEventListener(
    "focusout",
    (event) => {
      if (!pressed || event.target !== pressed.button || event.relatedTarget) return;
      if (performance.now() - pressed.at > 10000) return;
      stopButtonWatch();
      stopButtonWatch = afterRun(() => {
        const active = document.activeElement;
        if (active && active !== document.body) return;
        const button = pressedButton();
        if (!button) return;
        const target = button.disabled ? nextControl(button) : button;
        if (target) target.focus();
      });
    },
    true,
  );

  // 10. A metric's number keeps one line. In a narrow column (a 1280 px projector with the
  //     sidebar open: 150 px) "0,999999998" broke into "0,999999" / "998". A value without a
  //     space (a no-break space aside) that is wider than its column is drawn smaller until
  //     it fits (down to 18 px);
  //     one that fits keeps Streamlit's size. A name wraps between its words, never inside
  //     one: with 8 long class names on a tablet "Golden Retriever" read "Golde" / "n" /
  //     "Retrie" / "ver" (a tablet tour); a word wider than the column shrinks the name.
  //     The values are looked at together, each once per frame, and only those whose text,
  //     column width, style sheets or fonts changed since they were fitted are fitted again
  //     (the presenter view's CSS, turned on or off in the sidebar, draws metrics at 3rem):
  //     all their styles written, then all measured, then the narrowed ones written, so a
  //     keypress that changes metrics lays the page out once for them, not once per metric
  //     (a Playground keypress spent 3.1 ms here, now 2.5: the layout its numbers need).
  const METRIC_PARTS = "[data-testid='stMain'] [data-testid='stMetricValue']";
  const fittedAs = new WeakMap(); // a value → its text, column width and styles when fitted
  let fontsLoaded = 0;
  if (document.fonts) {
    document.fonts.addEventListener("loadingdone", () => {
      fontsLoaded += 1;
      fitMetrics();
    });
  }
  function fitMetricValues() {
    const changed = [];
    const styles = `${document.styleSheets.length} ${fontsLoaded}`;
    for (const value of document.querySelectorAll(METRIC_PARTS)) {
      const text = value.textContent.trim();
      const width = value.clientWidth;
      const as = `${width} ${styles} ${text}`;
      if (fittedAs.get(value) === as) continue;
      fittedAs.set(value, as);
      changed.push({ value, text, width, parts: [value, ...value.querySelectorAll("*")] });
    }
    for (const { text, parts } of changed) {
      for (const part of parts) {
        part.style.removeProperty("font-size");
        part.style.removeProperty("white-space");
        part.style.removeProperty("overflow-wrap");
        part.style.removeProperty("word-break");
      }
      if (!text) continue;
      for (const part of parts) {
        // (a no-break space keeps its words together: "1 − 2,1e-09" is one value, which
        // broke at the hyphen of its exponent)
        if (/[ \t\n\r]/.test(text)) {
          part.style.setProperty("overflow-wrap", "normal", "important");
          part.style.setProperty("word-break", "normal", "important");
        } else {
          part.style.setProperty("white-space", "nowrap", "important");
        }
      }
    }
    const narrowed = [];
    for (const { value, text, width, parts } of changed) {
      if (!text || !width || value.scrollWidth <= width + 1) continue;
      const size = parseFloat(getComputedStyle(parts[parts.length - 1]).fontSize);
      narrowed.push([parts, Math.max(18, Math.floor((size * width) / value.scrollWidth))]);
    }
    for (const [parts, fitted] of narrowed) {
      for (const part of parts) part.style.setProperty("font-size", `${fitted}px`, "important");
    }
  }
  let fitQueued = false;
  function fitMetrics() {
    if (fitQueued) return;
    fitQueued = true;
    window.requestAnimationFrame(() => {
      fitQueued = false;
      fitMetricValues();
    });
  }
  const metricWatch = new MutationObserver(fitMetrics);
  metricWatch.observe(document.body, { subtree: true, childList: true, characterData: true });
  window.addEventListener("resize", fitMetrics);

  // 11. A presentation clicker (it sends Page Down and Page Up, some the arrow keys) steps a
  //     deck's scenes, as in a slide show: Page Down or → presses the scene bar's Next, Page
  //     Up or ← its Previous (a teacher pressed → first, as in every slide tool, and nothing
  //     happened: a projector tour). Only while
  //     a scene bar with those buttons is drawn (not for a student following the teacher:
  //     the bar has none), never while the reader is typing in a box or moving a slider or
  //     a list (the keys are theirs there), nor with a modifier key held. Page Down and Page
  //     Up mean nothing in a one-line box, though: there they step, after the box has taken
  //     what was typed (a teacher typed T = 2, pressed Enter, then the clicker, and nothing
  //     happened: a projector tour). At the deck's first or last scene the key does what it
  //     always does (the page scrolls).
  const CLICKER = {
    PageDown: "scene_next",
    PageUp: "scene_previous",
    ArrowRight: "scene_next",
    ArrowLeft: "scene_previous",
  };
  const KEEPS_ITS_KEYS =
    "input, textarea, select, [contenteditable='true'], [role='slider'], [role='listbox'], " +
    "[role='combobox'], [role='radiogroup'], [role='tablist'], [role='menu'], [role='grid']";
  const ONE_LINE_BOX = "input:is([type='text'], [type='number'], :not([type])):not([role])";
  // true: the key is the focused control's; "blurred": a one-line box's Page key, the box
  // left; false: no control of that kind has the focus.
  function keepsItsKey(target, key) {
    if (!(target instanceof Element) || !target.closest(KEEPS_ITS_KEYS)) return false;
    const paging = key === "PageDown" || key === "PageUp";
    const inBox =
      target.matches(ONE_LINE_BOX) && !target.parentElement?.closest(KEEPS_ITS_KEYS);
    if (!paging || !inBox) return true;
    target.blur(); // the box takes what was typed, as when Next is clicked
    return "blurred";
  }
  document.addEventListener("keydown", (event) => {
    const key = CLICKER[event.key];
    if (!key || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.shiftKey || event.repeat) return; // a key held down steps once, not through
    const button = document.querySelector(`.st-key-${key} button`);
    if (!stepping && (!button || button.disabled)) return;
    const kept = keepsItsKey(event.target, event.key);
    if (kept === true) return;
    if (kept === "blurred" && !stepping) {
      // the box's value first, then the step, as a click on Next does (pressed at once,
      // the step reached the server first, and the box's value then drew the page left)
      event.preventDefault();
      pressLater(button); // part 16
      return;
    }
    if (stepping) {
      // a step is on its way, its page perhaps not drawn yet (no bar, no button to press)
      event.preventDefault();
      moveTarget(STEPS[key]);
      return;
    }
    event.preventDefault();
    button.click();
  });

  //     Each press is one step, also on a slow machine. On an old laptop (CPU four times
  //     slower: a tour) a press made while the page was still busy with the last step came to
  //     the server during that run, and Streamlit merges such a press with the one before:
  //     three quick presses stepped twice. So the script keeps the scene the presses ask for
  //     (the scene shown, plus one for each Next, minus one for each Previous). A press at rest
  //     goes at once; one made while a step is on its way only moves that target, and the
  //     script presses Next or Previous again once that step has arrived, until the deck shows
  //     the target. A step that has not arrived when the page has long been at rest (a press
  //     lost) is pressed again. Another button or link chosen, the deck left, or 30 s, ends it.
  const STEPS = { scene_next: 1, scene_previous: -1 }; // softmax_ui.page.SCENE_STEPS
  const SCENE_BAR = /(?:^|\s)st-key-scene_bar_(\d+)_of_(\d+)(?:\s|$)/;
  // { target, total, sent (the scene the last press asked for), pressedAt, since, ran,
  //   restSince, until, timer }
  let stepping = null;
  let replaying = false; // the script's own press: not counted again
  function shownScene() {
    const bar = document.querySelector("[class*='st-key-scene_bar_']");
    const found = bar && SCENE_BAR.exec(bar.className);
    return found ? { number: Number(found[1]), total: Number(found[2]) } : null;
  }
  function stepOf(target) {
    const button = target instanceof Element && target.closest("button");
    if (!button) return 0;
    const key = Object.keys(STEPS).find((name) => button.closest(`.st-key-${name}`));
    return key ? STEPS[key] : 0;
  }
  const sceneOf = (number, total) => Math.min(Math.max(number, 1), total); // one of the deck's
  function moveTarget(step) {
    stepping.target = sceneOf(stepping.target + step, stepping.total);
    stepping.until = performance.now() + 30000;
  }
  function stopStepping() {
    if (stepping) window.clearInterval(stepping.timer);
    stepping = null;
    showGoing(0);
    // "Going to scene 4 of 5…" is left in the live region no more once there: the same
    // words, said again later, are news
    if (saidGoing !== null && spokenRegion && spokenRegion.textContent === saidGoing) speak("");
    saidGoing = null;
  }
  let saidGoing = null; // the "going to" words last said
  //     A run of presses that takes a moment is said on the scene bar, "Going to scene 4 of
  //     5…", until that scene shows (an old laptop took 4–8 s a step, with only Streamlit's
  //     running sign: a tour). layout.css draws it from the bar's data-going-to, and it is
  //     said aloud (part 15) as it comes: a screen reader's user heard nothing meanwhile.
  function showGoing(now) {
    const bar = document.querySelector("[class*='st-key-scene_bar_']");
    const shown = shownScene();
    const table = WORDS && WORDS.languages[readersLanguage()];
    const going =
      stepping && shown && table && shown.number !== stepping.target && now - stepping.since >= 400
        ? table.goingToScene
            .replace("{number}", String(stepping.target))
            .replace("{total}", String(stepping.total))
        : null;
    document.querySelectorAll("[data-going-to]").forEach((other) => {
      if (other !== bar || !going) other.removeAttribute("data-going-to");
    });
    if (bar && going && bar.getAttribute("data-going-to") !== going) {
      bar.setAttribute("data-going-to", going);
      speak(going);
      saidGoing = going;
    }
  }
  function pressStep(shown) {
    const step = shown.number < stepping.target ? 1 : -1;
    const key = step > 0 ? "scene_next" : "scene_previous";
    const button = document.querySelector(`.st-key-${key} button`);
    if (!button || button.disabled) {
      stopStepping();
      return;
    }
    replaying = true;
    button.click();
    replaying = false;
    stepping.sent = shown.number + step;
    stepping.pressedAt = performance.now();
    stepping.restSince = 0;
    stepping.ran = false;
    stepping.until = stepping.pressedAt + 30000;
  }
  function watchSteps() {
    const now = performance.now();
    if (now > stepping.until) {
      stopStepping();
      return;
    }
    showGoing(now);
    if (scriptRunning()) {
      stepping.restSince = 0;
      stepping.ran = true;
      return;
    }
    if (!stepping.restSince) stepping.restSince = now;
    const rest = now - stepping.restSince;
    const shown = shownScene();
    if (!shown) {
      // no scene bar: a step's page between its runs, or, for long, the deck left
      if (rest >= 1500) stopStepping();
      return;
    }
    if (shown.number === stepping.sent) {
      // the last step has arrived
      if (shown.number === stepping.target) stopStepping();
      else if (rest >= 150) pressStep(shown);
      return;
    }
    // not arrived: its run may start a moment after the press (later on a busy server: the
    // teacher's, with a class following; never on a stalled link), or the page it opens a
    // moment after that run. Pressed again only once a run has come and gone since, and
    // after a long rest (a press twice would step twice); not if the deck shows the target
    // (a Next and a Previous that undid it: the Next may still come, and is undone then).
    if (shown.number === stepping.target || !stepping.ran) return;
    if (rest >= 2000 && now - stepping.pressedAt >= 5000) pressStep(shown);
  }
  document.addEventListener(
    "click",
    (event) => {
      if (replaying) return;
      const step = stepOf(event.target);
      if (!step) {
        // another button or a link: the reader went elsewhere
        if (event.target instanceof Element && event.target.closest("button, a")) stopStepping();
        return;
      }
      if (stepping) {
        // a step is on its way: this press moves the target, and waits for it
        event.preventDefault();
        event.stopImmediatePropagation();
        moveTarget(step);
        return;
      }
      const shown = shownScene();
      if (!shown) return;
      const now = performance.now();
      const sent = sceneOf(shown.number + step, shown.total);
      stepping = { target: sent, total: shown.total, sent, pressedAt: now, restSince: 0 };
      stepping.since = now; // the first press of the run
      stepping.ran = false; // whether a run has been seen since the last press
      stepping.until = now + 30000;
      stepping.timer = window.setInterval(watchSteps, 100);
      // this press goes to the server now
    },
    true,
  );
  window.addEventListener("popstate", stopStepping);

  // 12. A change with no answer. On a stalled Wi-Fi (packets lost, the connection still
  //     open) Streamlit shows nothing: a student typed 2 classes, the box read 2 and the
  //     chart kept 4 bars for 15 s, with no sign that the change had not reached the server
  //     (a poor-Wi-Fi tour). The script watches the page's connection, which Streamlit
  //     opens (it opens none of its own and sends nothing): when a message sent just after
  //     the reader's input has had no answer for 4 s, a note says so, in the reader's
  //     language, until any message arrives. (A server too busy to answer in 4 s shows it
  //     too: its words blame neither.)
  const NativeSocket = window.WebSocket;
  let lastInput = -Infinity; // the reader's last press, key or change
  let unanswered = null; // when the first message sent after an input went unanswered
  let waitingNote = null;
  for (const type of ["pointerup", "keydown", "input", "change"]) {
    document.addEventListener(type, () => (lastInput = performance.now()), true);
  }
  function hideWaiting() {
    unanswered = null;
    if (waitingNote) {
      if (spokenRegion && spokenRegion.textContent === waitingNote.textContent) speak("");
      waitingNote.remove();
    }
    waitingNote = null;
  }
  function showWaiting() {
    const table = WORDS && WORDS.languages[readersLanguage()];
    if (waitingNote || !table || !document.body) return;
    waitingNote = document.createElement("div");
    waitingNote.className = "softmax-waiting";
    waitingNote.setAttribute("aria-hidden", "true"); // said in the kept live region (part 15)
    waitingNote.textContent = table.waiting;
    document.body.appendChild(waitingNote);
    speak(table.waiting);
  }
  if (NativeSocket) {
    const Watched = function (...args) {
      const socket = new NativeSocket(...args);
      socket.addEventListener("message", hideWaiting);
      socket.addEventListener("close", hideWaiting); // Streamlit says that one itself
      const send = socket.send.bind(socket);
      socket.send = (data) => {
        if (unanswered === null && performance.now() - lastInput < 1000) {
          unanswered = performance.now();
        }
        return send(data);
      };
      return socket;
    };
    Watched.prototype = NativeSocket.prototype;
    for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) {
      Watched[name] = NativeSocket[name];
    }
    window.WebSocket = Watched;
    window.setInterval(() => {
      if (unanswered !== null && performance.now() - unanswered > 4000) showWaiting();
    }, 500);
  }

  // 13. What a press draws, in view. On a phone held sideways the quiz's verdict was drawn
  //     just under the screen's foot after Check, and the learning steps' chart 150 px below
  //     it after "Take a gradient step": the reader saw nothing happen. A place that answers
  //     a button above it (softmax_ui.page.answer_place: key "answer_NAME") is scrolled into
  //     view when the run that a press of one of its buttons (softmax_ui.page.asks: keys
  //     "ask_NAME__…") started is over and the place is drawn anew (or 8 s passed), as far
  //     as the button stays in sight (to be pressed again). No other press moves the page,
  //     nor one after which the reader pressed, typed or scrolled.
  const ASKS = /(?:^|\s)st-key-ask_([A-Za-z0-9]+)__/;
  const MARGIN = 8; // px between the screen's edge and what is brought into view
  const STILL = window.matchMedia("(prefers-reduced-motion: reduce)");
  let stopAnswerWatch = () => {};

  function scrollerOf(element) {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) {
        return node;
      }
    }
    return document.scrollingElement;
  }

  function askedOf(button) {
    // the name of the answer a button asks for, from its element's key ("" if none)
    const keyed = button.closest("[class*='st-key-ask_']");
    const found = keyed && keyed.className.match(ASKS);
    return found ? found[1] : "";
  }

  const answerOf = (name) => document.querySelector(`[data-testid='stMain'] .st-key-answer_${name}`);

  function bringAnswerIntoView(button, name) {
    const answer = answerOf(name);
    if (!answer || answer.getClientRects().length === 0) return;
    const header = document.querySelector("[data-testid='stHeader']");
    const top = Math.max(0, header ? header.getBoundingClientRect().bottom : 0) + MARGIN;
    const bottom = window.innerHeight - MARGIN;
    const shown = answer.getBoundingClientRect();
    const pressed = button.getBoundingClientRect();
    const by = Math.min(shown.bottom - bottom, pressed.top - top);
    if (by <= 0) return;
    scrollerOf(answer).scrollBy({ top: by, behavior: STILL.matches ? "auto" : "smooth" });
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("button");
    if (!button || !button.closest("[data-testid='stMain']")) return;
    stopAnswerWatch();
    const asked = askedOf(button);
    if (!asked) return;
    const name = button.textContent.trim();
    const index = buttonsNamed(name).indexOf(button);
    // What the place holds now: a busy server can start the press's run after the 2 s
    // (the steps' chart was drawn after the look and stayed half below a phone's foot).
    const drawn = () => (answerOf(asked) || {}).innerHTML;
    const before = drawn();
    const pressedAt = Date.now();
    stopAnswerWatch = afterRun(
      () => {
        const again = button.isConnected ? button : buttonsNamed(name)[index];
        if (again) bringAnswerIntoView(again, asked);
      },
      {
        mustRun: 2000, // the press's run, or 2 s without one...
        ready: () => drawn() !== before || Date.now() - pressedAt > 8000, // ...and its answer
      },
    );
  });
  for (const type of ["pointerdown", "keydown", "wheel", "touchmove"]) {
    document.addEventListener(type, () => stopAnswerWatch(), { capture: true, passive: true });
  }

  // 14. The focus after a page opened by keyboard. A link to another page (the sidebar's
  //     menu, a lesson's "next" link) pressed with Enter left the focus on nowhere (the
  //     page's body) once the new page was drawn: a keyboard user tabbed through the skip
  //     link and the whole menu again to reach the lesson, and a screen reader said nothing
  //     of the new page (a navigation tour). The new page's title takes the focus, as a
  //     reader of a new page expects, unless the reader has moved it meanwhile.
  let stopPageWatch = () => {};
  document.addEventListener(
    "keydown",
    (event) => {
      const link = event.target instanceof Element && event.target.closest("a[href]");
      if (!link || event.key !== "Enter") return;
      const target = new URL(link.href, window.location.href);
      if (target.origin !== window.location.origin) return;
      if (target.pathname === window.location.pathname) return;
      stopPageWatch();
      const title = () => document.querySelector("[data-testid='stMain'] h1");
      stopPageWatch = afterRun(
        () => {
          const active = document.activeElement;
          if (active && active !== document.body) return;
          title().setAttribute("tabindex", "-1");
          title().focus({ preventScroll: true });
        },
        {
          samePage: false,
          ready: () => window.location.pathname === target.pathname && !!title(),
        },
      );
    },
    true,
  );
  document.addEventListener("pointerdown", () => stopPageWatch(), true);

  // 15. Said aloud. The app writes what a screen reader should say (the new prediction, the
  //     room's question) into hidden elements (softmax_ui.page.announce). Streamlit draws
  //     them anew on a page switch, with their text already in, which screen readers often
  //     do not read, and updates them at every run: 30 presses of a slider's arrow key
  //     queued 21 announcements (a screen-reader tour). One live region, made once and kept,
  //     says a text that changed, once it has not changed for 0.7 s; what a page shows when
  //     it opens is read with the page, not said again. The no-answer note (part 12) is
  //     said here too.
  const SPOKEN_CLASS = "softmax-spoken";
  let spokenRegion = null;
  function speak(text) {
    if (!document.body) return;
    if (!spokenRegion || !spokenRegion.isConnected) {
      spokenRegion = document.createElement("div");
      spokenRegion.className = SPOKEN_CLASS;
      spokenRegion.setAttribute("role", "status");
      spokenRegion.setAttribute("aria-live", "polite");
      spokenRegion.setAttribute("aria-atomic", "true");
      document.body.appendChild(spokenRegion);
    }
    spokenRegion.textContent = text;
  }
  let heard = null; // the texts last said or shown at an opening (null: none seen yet)
  let settling = null;
  function announcements() {
    return [...document.querySelectorAll(".softmax-announce")]
      .map((el) => el.textContent.trim())
      .filter(Boolean);
  }
  function settleAnnouncements() {
    window.clearTimeout(settling);
    settling = window.setTimeout(() => {
      const now = announcements();
      if (heard === null) {
        heard = now; // the page's opening: read with the page
        return;
      }
      const fresh = now.filter((text) => !heard.includes(text));
      heard = now;
      if (fresh.length) speak(fresh.join(" "));
    }, 700);
  }
  const spokenWatch = new MutationObserver(settleAnnouncements);
  function watchAnnouncements() {
    if (!document.body) return;
    speak("");
    spokenWatch.observe(document.body, { subtree: true, childList: true, characterData: true });
    settleAnnouncements();
  }
  if (document.body) watchAnnouncements();
  else document.addEventListener("DOMContentLoaded", watchAnnouncements);

  // 16. A box's value, then a tap. A phone sends a tap's mouse events all at once, after the
  //     finger leaves the screen: the box typed in lost the focus and the button was pressed
  //     in one moment, and Streamlit sent the two as one run of the box's part of the page,
  //     where the button is not: the press was lost (T typed, then Next tapped on a phone:
  //     the deck stayed; an exploratory tour, 3 of 3). The box now leaves the focus as the
  //     finger touches a button, a link or a tab, and the press is made 100 ms later, once
  //     the box's value has gone on its own (as part 11 does for a clicker's Page Down). A box
  //     whose value was sent (Enter) is left as before, and the press made at once.
  const TAPPED = "button, a[href], [role='tab'], [role='switch'], [role='checkbox'], label";
  // Streamlit says "Press Enter to apply" under a box whose value is typed and not sent (in
  // the reader's language: part 7); a text box with a length limit always shows its count
  const typedNotSent = (box) =>
    /\p{L}/u.test(
      box
        .closest("[data-testid='stNumberInput'], [data-testid='stTextInput'], [data-testid='stTextArea']")
        ?.querySelector("[data-testid='InputInstructions']")?.textContent ?? "",
    );
  let leftBox = null; // { target, keyClass, at }: a press whose box was left as it began
  let pressingAgain = false;
  document.addEventListener(
    "pointerdown",
    (event) => {
      leftBox = null;
      const box = document.activeElement;
      const target = event.target instanceof Element ? event.target.closest(TAPPED) : null;
      if (!target || !(box instanceof HTMLElement) || !box.matches("input, textarea")) return;
      if (target.contains(box) || box.contains(target) || !typedNotSent(box)) return;
      // a tab clicked with a mouse opens as it is pressed: pressed again, it changed nothing
      // (the tab shown, its panel empty); a mouse's press comes apart from the box's value
      if (event.pointerType === "mouse" && target.matches("[role='tab']")) return;
      box.blur();
      leftBox = { target, keyClass: keyClassOf(target), at: performance.now() };
    },
    true,
  );
  window.addEventListener(
    "click",
    (event) => {
      const press = leftBox;
      leftBox = null;
      if (pressingAgain || !press || performance.now() - press.at > 2000) return;
      if (!(event.target instanceof Node) || !press.target.contains(event.target)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      pressLater(press.target, press.keyClass);
    },
    true,
  );
  function keyClassOf(control) {
    const keyed = control.closest("[class*='st-key-']");
    return keyed && [...keyed.classList].find((name) => name.startsWith("st-key-"));
  }
  // The press made again 100 ms later, once the box's value has gone on its own (here and
  // for a clicker's Page Down in a box, part 11). The box's run may have drawn the control
  // anew: then the same one is pressed, found by its key and its words (a tab bar's key
  // holds every tab); none, if it has gone. A link box's Copy button copies what the page
  // shows, not what it sends: it is pressed once the box's run is over, and the link drawn
  // with the new value (after 100 ms, on a CPU six times slower, the run had not ended and
  // the old link was copied: a CI run on a loaded machine). A run that has not begun within
  // 3 s (the value was the box's own) is waited for no longer (if the wait outlasts the
  // browser's few seconds of a press's leave to copy, the page's own Copy says how to copy
  // the link by hand).
  function pressLater(control, keyClass = keyClassOf(control)) {
    const words = control.textContent;
    const press = () => {
      const keyed = keyClass && document.querySelector(`.${CSS.escape(keyClass)}`);
      const again = control.isConnected
        ? control
        : keyed && [...keyed.querySelectorAll(TAPPED)].find((el) => el.textContent === words);
      if (!again) return;
      pressingAgain = true;
      try {
        again.click();
      } finally {
        pressingAgain = false;
      }
    };
    if (control.matches(".link-box-copy")) afterRun(press, { mustRun: 3000 });
    else window.setTimeout(press, 100);
  }

  // 17. A popover closed by its own form. The live class's nickname popover closes once the
  //     name is saved (pages/9_Live_class.py): the focus, on its Save button, went with it
  //     to nowhere (the page's body), and a keyboard user's next Tab began again at the top
  //     of the page (a review). It goes back to the popover's button, where Escape takes it.
  //     A popover closed by a click elsewhere leaves the focus where the click put it.
  let popoverWatch = null;
  document.addEventListener(
    "focusin",
    (event) => {
      const inBody =
        event.target instanceof Element && event.target.closest("[data-testid='stPopoverBody']");
      if (!inBody || popoverWatch) return;
      const buttons = [...document.querySelectorAll("[data-testid='stPopoverButton']")];
      const button = buttons.find((b) => b.getAttribute("aria-expanded") === "true");
      if (!button) return;
      const keyClass = keyClassOf(button);
      const timer = window.setInterval(() => {
        if (document.querySelector("[data-testid='stPopoverBody']")) return; // still open
        window.clearInterval(timer);
        popoverWatch = null;
        const active = document.activeElement;
        if (active && active !== document.body) return;
        // the same button, or the one drawn at its place ("Choose a nickname" became
        // "Change your nickname" with the name saved)
        const keyed = keyClass && document.querySelector(`.${CSS.escape(keyClass)}`);
        // (found by its key only: by its place it could be another popover's: a review)
        const again = button.isConnected
          ? button
          : keyed?.querySelector("[data-testid='stPopoverButton']");
        again?.focus();
      }, 200);
      popoverWatch = timer;
    },
    true,
  );
  document.addEventListener(
    "pointerdown",
    (event) => {
      const inBody =
        event.target instanceof Element && event.target.closest("[data-testid='stPopoverBody']");
      if (inBody || !popoverWatch) return;
      window.clearInterval(popoverWatch); // a click elsewhere: the focus goes where it chose
      popoverWatch = null;
    },
    true,
  );

  // 18. A link box's Copy button (softmax_ui.page.link_box: the share link, a deck's link,
  //     the live class's links). The clipboard API needs a secure page (https, or this
  //     computer): a classroom's http://192.168.… address has none, so there the link is
  //     selected and copied the old way, or, where even that is refused, left selected with
  //     a word on how to copy it. What happened is written under the box, in its status
  //     region (read out by a screen reader), and cleared after a few seconds.
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest(".link-box-copy");
    if (!button) return;
    const box = button.closest(".link-box");
    const text = box?.querySelector(".link-box-text");
    const said = box?.querySelector(".link-box-said");
    if (!text || !said) return;
    // Emptied first and written a moment later, so that a second "Copied." is said again;
    // "Copied." goes after a few seconds, the way to copy a selected link stays.
    const say = (words, stays) => {
      window.clearTimeout(Number(said.dataset.timer || 0));
      said.textContent = "";
      window.setTimeout(() => {
        said.textContent = words || "";
        if (!stays) {
          said.dataset.timer = String(window.setTimeout(() => (said.textContent = ""), 4000));
        }
      }, 50);
    };
    const selectIt = () => {
      const range = document.createRange();
      range.selectNodeContents(text);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    };
    const oldWay = () => {
      selectIt();
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (_error) {
        copied = false;
      }
      if (copied) window.getSelection().removeAllRanges();
      say(copied ? button.dataset.copied : button.dataset.selected, !copied);
    };
    const link = text.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(() => say(button.dataset.copied), oldWay);
    } else {
      oldWay();
    }
  });
})();
