// The front desk's new-contact form (templates/tickets/servicerequest_form.html), made quick
// to use with the keyboard alone. Without this script every field shows and the server ignores
// those of other types (ContactForm.KIND_FIELDS); with it, only the chosen type's fields show.
(() => {
  const form = document.getElementById("contact-form");
  if (!form) return;
  const kind = form.querySelector("[data-contact-kind]");
  const channel = form.querySelector("[data-contact-channel]");
  const search = document.getElementById("requester-q");
  const results = document.getElementById("requester-results");
  const residents = document.getElementById("unit-residents");

  // Show the fields of the chosen type and channel; hidden ones are disabled, so they are
  // neither sent nor reached with Tab.
  function showFields() {
    form.querySelectorAll("[data-for-kind], [data-for-channel]").forEach((box) => {
      const wanted = box.dataset.forKind ? box.dataset.forKind === kind.value
        : box.dataset.forChannel === channel.value;
      box.hidden = !wanted;
      box.querySelectorAll("input, select, textarea").forEach((el) => { el.disabled = !wanted; });
    });
  }
  kind.addEventListener("change", showFields);
  channel.addEventListener("change", showFields);
  showFields();

  // In the search box, Enter or ↓ goes to the first result (it picks nothing by itself).
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== "ArrowDown") return;
    event.preventDefault();
    const first = results.querySelector("input[type=radio]");
    if (first) first.focus();
  });

  // A person picked from the search is the caller: the residents of an earlier unit go.
  results.addEventListener("change", (event) => {
    const radio = event.target;
    if (radio.name === "requester" && !radio.hasAttribute("hx-get")) residents.replaceChildren();
  });

  // Ctrl+Enter (or ⌘+Enter) registers from anywhere in the form, text areas included.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
