// Guanjia page behaviour. No inline scripts: the content security policy forbids them.

// Selects and checkboxes in a form marked data-autosubmit (language, community) submit it.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.submit();
});

// Front desk: "/" jumps to the search box of the page, when there is one. A page marks its box
// with data-search-box; otherwise the first search field (type=search or name=q) is used.
function searchBox() {
  return document.querySelector("[data-search-box]")
    || document.querySelector("main input[type=search], main input[name=q]");
}
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const active = document.activeElement;
  if (active && (["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName) || active.isContentEditable)) return;
  const box = searchBox();
  if (box) { event.preventDefault(); box.focus(); box.select(); }
});

// Polling (hx-trigger="every ...") is not the user's own activity: say so, so that the idle
// logout of shared front-desk computers still happens (guanjia/accounts/middleware.py).
document.addEventListener("htmx:configRequest", (event) => {
  const trigger = event.detail.elt.getAttribute("hx-trigger") || "";
  if (!event.detail.triggeringEvent && /(^|,)\s*every\s/.test(trigger)) {
    event.detail.headers["X-Guanjia-Background"] = "1";
  }
});

// A session that ended while the page was open: htmx follows the server's HX-Redirect to the
// login page. For any other failed htmx request, show a message instead of doing nothing.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  const box = document.getElementById("htmx-error");
  if (!box) return;
  box.textContent = box.dataset["message" + status] || box.dataset.messageDefault;
  box.classList.remove("d-none");
});

// Phones: a monthly chart wider than the screen scrolls sideways (guanjia.css); open it at its
// right end, the latest month, rather than at January. Only time series (.chart-trend).
function scrollChartsToLatest() {
  document.querySelectorAll(".chart-figure").forEach((figure) => {
    if (figure.querySelector(".chart-trend") && figure.scrollWidth > figure.clientWidth) {
      figure.scrollLeft = figure.scrollWidth;
    }
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", scrollChartsToLatest);
} else {
  scrollChartsToLatest();
}
