// Print views: the "Print" button opens the browser's print dialog. No inline scripts (CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
