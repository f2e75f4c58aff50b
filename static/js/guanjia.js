// Guanjia page behaviour. No inline scripts: the content security policy forbids them.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.submit();
});
document.addEventListener("keydown", (event) => {
  // Front desk: "/" jumps to the search box of the page, when there is one.
  if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    const box = document.querySelector("[data-search-box]");
    if (box) { event.preventDefault(); box.focus(); }
  }
});
